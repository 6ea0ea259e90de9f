/// Every resource declares its routes in its own file; this is the one list of them.
enum Routes {
    static func register(on router: Router, env: AppEnvironment) {
        SystemRoutes.register(on: router, env: env)
        TokensRoutes.register(on: router)
        ParticipantsRoutes.register(on: router)
        IndicatorsRoutes.register(on: router)
        AlertsRoutes.register(on: router)
    }
}
