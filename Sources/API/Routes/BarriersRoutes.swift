import Domain
import GRDB
import HTTPServer

/// `POST/GET /v1/participants/{id}/barriers`, `GET/PATCH /v1/barriers/{id}`: the obstacles to work
/// of the diagnosis, each open or lifted. Access goes through the barrier's participant.
enum BarriersRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/barriers", create)
        router.get("/v1/participants/:id/barriers", list)
        router.get("/v1/barriers/:id", show)
        router.patch("/v1/barriers/:id", update)
    }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("kind", .string(row["kind"] as String?)),
            ("detail", .string(row["detail"] as String?)),
            ("status", .string(row["status"] as String?)),
            ("identified_on", .string(row["identified_on"] as String?)),
            ("lifted_on", .string(row["lifted_on"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }

    static func etagOf(_ row: Row) -> String { etag("b", row["id"], row["version"]) }

    /// Lifted barriers carry the day they were lifted; dates are in order and not in the future.
    static func checkDates(_ input: inout Input, status: BarrierStatus, identified: Day, lifted: Day?, today: Day) {
        if identified > today { input.fail("identified_on", "cannot be in the future (today is \(today))") }
        if let lifted {
            if status == .open { input.fail("lifted_on", "an open barrier has no lifted_on: set status lifted") }
            if lifted > today { input.fail("lifted_on", "cannot be in the future (today is \(today))") }
            if lifted < identified { input.fail("lifted_on", "is before identified_on (\(identified))") }
        }
    }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let kind = input.code("kind", BarrierKind.self, required: true)
        let detail = input.string("detail", maxLength: 4000)
        let status = input.code("status", BarrierStatus.self) ?? .open
        let identified = input.day("identified_on") ?? ctx.today
        var lifted = input.day("lifted_on")
        if status == .lifted, lifted == nil { lifted = ctx.today }
        checkDates(&input, status: status, identified: identified, lifted: lifted, today: ctx.today)
        return try ctx.write { db in
            let participant = try ParticipantRecord.writable(db, ctx, participantId)
            try input.finish()
            try PathwayRecording.checkOpen(ParticipantRecord.state(participant).status, recording: "A barrier")
            let now = ctx.timestamp()
            try db.cachedStatement(sql: """
                INSERT INTO barriers (participant_id, kind, detail, status, identified_on, lifted_on, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [participantId, kind?.rawValue, detail, status.rawValue, identified.description, lifted?.description, now, now])
            let id = db.lastInsertedRowID
            let row = try OwnedRecord.reload(db, table: "barriers", id: id, what: "Barrier")
            let body = render(row)
            try ctx.audit(db, "create", "barrier", id, participant: participantId, after: body)
            return ctx.json(201, body, etag: etagOf(row), location: "/v1/barriers/\(id)")
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.list(ctx, table: "barriers", participant: try ctx.id("id", "Participant"), render: render)
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.show(ctx, table: "barriers", what: "Barrier", render: render, etag: etagOf)
    }

    static func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Barrier")
        var input = try ctx.input()
        let detail: String?? = input.has("detail") ? .some(input.string("detail", maxLength: 4000)) : nil
        let newStatus = input.code("status", BarrierStatus.self)
        if input.has("status"), newStatus == nil, !input.errors.contains(where: { $0.field == "status" }) { input.fail("status", "cannot be cleared: open or lifted") }
        let liftedGiven = input.day("lifted_on")
        input.refuse(["kind", "identified_on", "participant_id"], "cannot be changed: record a new barrier instead")
        return try ctx.write { db in
            let before = try OwnedRecord.load(db, ctx, table: "barriers", id: id, what: "Barrier", writing: true).row
            try ctx.checkIfMatch(etagOf(before))
            let oldStatus = BarrierStatus(rawValue: before["status"]) ?? .open
            let status = newStatus ?? oldStatus
            let identified = Day(before["identified_on"] as String) ?? ctx.today
            var lifted: Day?
            switch status {
            case .open: lifted = liftedGiven
            case .lifted: lifted = liftedGiven ?? (oldStatus == .lifted ? (before["lifted_on"] as String?).flatMap(Day.init) : nil) ?? ctx.today
            }
            checkDates(&input, status: status, identified: identified, lifted: lifted, today: ctx.today)
            try input.finish()
            try db.cachedStatement(sql: """
                UPDATE barriers SET detail = ?, status = ?, lifted_on = ?, updated_at = ?, version = version + 1 WHERE id = ?
                """).execute(arguments: [detail ?? (before["detail"] as String?), status.rawValue, lifted?.description, ctx.timestamp(), id])
            let after = try OwnedRecord.reload(db, table: "barriers", id: id, what: "Barrier")
            let action = oldStatus != status ? (status == .lifted ? "lift" : "reopen") : "update"
            try ctx.audit(db, action, "barrier", id, participant: before["participant_id"], before: render(before), after: render(after))
            return ctx.json(200, render(after), etag: etagOf(after))
        }
    }
}
