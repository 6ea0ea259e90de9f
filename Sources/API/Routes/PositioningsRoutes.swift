import Domain
import GRDB
import HTTPServer

/// `POST/GET /v1/participants/{id}/positionings`, `GET/PATCH /v1/positionings/{id}` (rule 6):
/// proposing an entered participant for a job offer, then recording its result and reason.
enum PositioningsRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/positionings", create)
        router.get("/v1/participants/:id/positionings", list)
        router.get("/v1/positionings/:id", show)
        router.patch("/v1/positionings/:id", update)
    }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("job_offer_id", .id(row["job_offer_id"])),
            ("proposed_on", .string(row["proposed_on"] as String?)),
            ("result", .string(row["result"] as String?)),
            ("result_on", .string(row["result_on"] as String?)),
            ("reason", .string(row["reason"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }

    static func etagOf(_ row: Row) -> String { etag("pos", row["id"], row["version"]) }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let offer = input.id("job_offer_id", required: true)
        let proposed = input.day("proposed_on") ?? ctx.today
        if proposed > ctx.today { input.fail("proposed_on", "cannot be in the future (today is \(ctx.today))") }
        return try ctx.write { db in
            let participant = try ParticipantRecord.writable(db, ctx, participantId)
            if let offer, try !db.exists("job_offers", id: offer) {
                input.fail("job_offer_id", "no job offer has this id")
            }
            try input.finish()
            try PathwayRecording.checkEntered(ParticipantRecord.state(participant).status, recording: "A positioning on a job offer", rule: 6)
            let now = ctx.timestamp()
            try db.cachedStatement(sql: """
                INSERT INTO positionings (participant_id, job_offer_id, proposed_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [participantId, offer, proposed.description, now, now])
            let id = db.lastInsertedRowID
            let row = try OwnedRecord.reload(db, table: "positionings", id: id, what: "Positioning")
            let body = render(row)
            try ctx.audit(db, "create", "positioning", id, participant: participantId, after: body)
            return ctx.json(201, body, etag: etagOf(row), location: "/v1/positionings/\(id)")
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.list(ctx, table: "positionings", participant: try ctx.id("id", "Participant"), render: render)
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.show(ctx, table: "positionings", what: "Positioning", render: render, etag: etagOf)
    }

    /// Records (or corrects, audited) the result; rule 6: a result always comes with its reason.
    static func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Positioning")
        var input = try ctx.input()
        let result = input.code("result", PositioningResult.self)
        if input.has("result"), result == nil, !input.errors.contains(where: { $0.field == "result" }) {
            input.fail("result", "cannot be cleared once recorded: send the corrected result with its reason")
        }
        let reason = input.string("reason", maxLength: 4000)
        let resultOn = input.day("result_on")
        input.refuse(["id", "participant_id", "job_offer_id", "proposed_on"], "cannot be changed: record a new positioning instead")
        return try ctx.write { db in
            let before = try OwnedRecord.load(db, ctx, table: "positionings", id: id, what: "Positioning", writing: true).row
            try ctx.checkIfMatch(etagOf(before))
            let finalResult: String? = result?.rawValue ?? (before["result"] as String?)
            let finalReason: String? = input.has("reason") ? reason : (before["reason"] as String?)
            if finalResult != nil, finalReason == nil, !input.errors.contains(where: { $0.field == "reason" }) {
                input.fail("reason", "a positioning's result needs its reason (rule 6)")
            }
            if resultOn != nil, finalResult == nil { input.fail("result_on", "is given with a result") }
            let finalResultOn: String? = finalResult == nil ? nil : resultOn?.description ?? (result != nil ? ctx.today.description : (before["result_on"] as String?))
            if let d = finalResultOn.flatMap(Day.init) {
                if d > ctx.today { input.fail("result_on", "cannot be in the future (today is \(ctx.today))") }
                if let p = Day(before["proposed_on"] as String), d < p { input.fail("result_on", "is before proposed_on (\(p))") }
            }
            try input.finish()
            try db.execute(sql: "UPDATE positionings SET result = ?, reason = ?, result_on = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                           arguments: [finalResult, finalReason, finalResultOn, ctx.timestamp(), id])
            let after = try OwnedRecord.reload(db, table: "positionings", id: id, what: "Positioning")
            try ctx.audit(db, result != nil ? "result" : "update", "positioning", id, participant: before["participant_id"],
                          before: render(before), after: render(after))
            return ctx.json(200, render(after), etag: etagOf(after))
        }
    }
}
