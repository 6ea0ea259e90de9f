/// Every resource declares its routes in its own file; this is the one list of them.
enum Routes {
    static func register(on router: Router, env: AppEnvironment) {
        SystemRoutes.register(on: router, env: env)
        TokensRoutes.register(on: router)
        ParticipantsRoutes.register(on: router)
        StructuresRoutes.register(on: router)
        ReferentsRoutes.register(on: router)
        OperationsRoutes.register(on: router)
        JobOffersRoutes.register(on: router)
        CommitteesRoutes.register(on: router)
        LifecycleRoutes.register(on: router)
        DocumentsRoutes.register(on: router, env: env)
        ExitsRoutes.register(on: router)
        TimelineRoutes.register(on: router)
        AccessExportRoutes.register(on: router)
        AuditRoutes.register(on: router)
        BarriersRoutes.register(on: router)
        StepsRoutes.register(on: router)
        InterviewsRoutes.register(on: router)
        PositioningsRoutes.register(on: router)
        FollowUpRoutes.register(on: router)
        ImportRoutes.register(on: router)
        DuplicatesRoutes.register(on: router)
    }
}
