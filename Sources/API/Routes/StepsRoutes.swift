import Domain
import GRDB
import HTTPServer

/// `POST/GET /v1/participants/{id}/steps`, `GET/PATCH /v1/steps/{id}`: the pathway (rule 4).
///
/// A step whose type opens the follow-up (employment, subsidised contract, business creation,
/// qualifying training) opens it by itself when it becomes ongoing, and interrupts it when it is
/// abandoned (rule 7, in `FollowUpRecord`).
enum StepsRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/steps", create)
        router.get("/v1/participants/:id/steps", list)
        router.get("/v1/steps/:id", show)
        router.patch("/v1/steps/:id", update)
    }

    static func render(_ row: Row) -> JSON {
        let barrierIds = (try? JSONParser.parse(Array((row["barrier_ids"] as String? ?? "[]").utf8))) ?? .array([])
        let objectives: String? = row["objectives_met"]
        let comment: String? = row["evaluation_comment"]
        return .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("type", .string(row["type"] as String?)),
            ("operator", .string(row["operator"] as String?)),
            ("planned_start", .string(row["planned_start"] as String?)),
            ("planned_end", .string(row["planned_end"] as String?)),
            ("actual_start", .string(row["actual_start"] as String?)),
            ("actual_end", .string(row["actual_end"] as String?)),
            ("status", .string(row["status"] as String?)),
            ("evaluation", objectives == nil && comment == nil ? JSON.null
                : .object([("objectives_met", .string(objectives)), ("comment", .string(comment))])),
            ("barrier_ids", barrierIds),
            ("comment", .string(row["comment"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }

    static func etagOf(_ row: Row) -> String { etag("s", row["id"], row["version"]) }

    /// A step's columns as the request leaves them: what was sent over what the row held.
    struct Draft {
        var type: StepType?
        var operatorName: String?
        var plannedStart: Day?, plannedEnd: Day?, actualStart: Day?, actualEnd: Day?
        var status: StepStatus = .planned
        var objectivesMet: ObjectivesMet?
        var evaluationComment: String?
        var barrierIds: [Int64] = []
        var comment: String?

        init() {}

        init(_ row: Row) {
            type = StepType(rawValue: row["type"])
            operatorName = row["operator"]
            plannedStart = (row["planned_start"] as String?).flatMap(Day.init)
            plannedEnd = (row["planned_end"] as String?).flatMap(Day.init)
            actualStart = (row["actual_start"] as String?).flatMap(Day.init)
            actualEnd = (row["actual_end"] as String?).flatMap(Day.init)
            status = StepStatus(rawValue: row["status"]) ?? .planned
            objectivesMet = (row["objectives_met"] as String?).flatMap(ObjectivesMet.init(rawValue:))
            evaluationComment = row["evaluation_comment"]
            barrierIds = ((try? JSONParser.parse(Array((row["barrier_ids"] as String? ?? "[]").utf8)))?.arrayValue ?? [])
                .compactMap { $0.stringValue.flatMap { Int64($0) } }
            comment = row["comment"]
        }

        /// Reads the sent fields over the draft; on creation absent fields keep their defaults.
        mutating func read(_ input: inout Input, creating: Bool) {
            if creating || input.has("type") {
                if let t = input.code("type", StepType.self, required: true) { type = t }
            }
            if input.has("operator") { operatorName = input.string("operator", maxLength: 200) }
            if input.has("planned_start") { plannedStart = input.day("planned_start") }
            if input.has("planned_end") { plannedEnd = input.day("planned_end") }
            if input.has("actual_start") { actualStart = input.day("actual_start") }
            if input.has("actual_end") { actualEnd = input.day("actual_end") }
            if input.has("status") {
                if let s = input.code("status", StepStatus.self, required: true) { status = s }
            }
            if input.has("evaluation") {
                if var nested = input.nested("evaluation") {
                    objectivesMet = nested.code("objectives_met", ObjectivesMet.self)
                    evaluationComment = nested.string("comment", maxLength: 4000)
                    input.absorb(nested, prefix: "evaluation")
                } else {
                    objectivesMet = nil; evaluationComment = nil
                }
            }
            if input.has("barrier_ids") { barrierIds = input.ids("barrier_ids") ?? [] }
            if input.has("comment") { comment = input.string("comment", maxLength: 4000) }
            input.refuse(["id", "participant_id", "created_at", "updated_at"], "is read-only")
        }

        var columns: [(String, DatabaseValueConvertible?)] {
            [("type", type?.rawValue), ("operator", operatorName), ("planned_start", plannedStart?.description),
             ("planned_end", plannedEnd?.description), ("actual_start", actualStart?.description), ("actual_end", actualEnd?.description),
             ("status", status.rawValue), ("objectives_met", objectivesMet?.rawValue), ("evaluation_comment", evaluationComment),
             ("barrier_ids", JSON.array(barrierIds.map { .id($0) }).text), ("comment", comment)]
        }
    }

    /// Rule 4's field rules, and the barriers named must be this participant's.
    static func validate(_ db: Database, _ draft: Draft, participant: Int64, today: Day, input: inout Input) throws {
        for e in Steps.validate(status: draft.status, plannedStart: draft.plannedStart, plannedEnd: draft.plannedEnd,
                                actualStart: draft.actualStart, actualEnd: draft.actualEnd, objectivesMet: draft.objectivesMet, today: today) {
            input.fail(e.field, e.message)
        }
        if !draft.barrierIds.isEmpty {
            let known = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM barriers WHERE participant_id = ? AND id IN (SELECT value FROM json_each(?))"),
                                         arguments: [participant, JSON.array(draft.barrierIds.map { .int(Int($0)) }).text]) ?? 0
            if known != draft.barrierIds.count { input.fail("barrier_ids", "must name barriers of this participant") }
        }
    }

    /// Rule 7: the follow-up opens when such a step starts, and is interrupted when it is abandoned.
    static func applyFollowUp(_ db: Database, _ ctx: RequestContext, participant: Row, stepId: Int64,
                              from old: StepStatus?, to draft: Draft) throws {
        guard let type = draft.type, type.opensFollowUp, old != draft.status else { return }
        if draft.status == .ongoing, let start = draft.actualStart {
            try FollowUpRecord.stepStarted(db, ctx, participant: participant, stepId: stepId, start: start)
        } else if draft.status == .abandoned, old == .ongoing {
            try FollowUpRecord.stepAbandoned(db, ctx, participant: participant, stepId: stepId, end: draft.actualEnd ?? ctx.today)
        }
    }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        var input = try ctx.input()
        var draft = Draft()
        draft.read(&input, creating: true)
        return try ctx.write { db in
            let participant = try ParticipantRecord.writable(db, ctx, participantId)
            try validate(db, draft, participant: participantId, today: ctx.today, input: &input)
            try input.finish()
            try PathwayRecording.checkOpen(ParticipantRecord.state(participant).status, recording: "A step")
            let now = ctx.timestamp()
            let columns = draft.columns + [("participant_id", participantId), ("created_at", now), ("updated_at", now)]
            try db.execute(sql: "INSERT INTO steps (\(columns.map(\.0).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))",
                           arguments: StatementArguments(columns.map(\.1)))
            let id = db.lastInsertedRowID
            let row = try OwnedRecord.reload(db, table: "steps", id: id, what: "Step")
            let body = render(row)
            try ctx.audit(db, "create", "step", id, participant: participantId, after: body)
            try applyFollowUp(db, ctx, participant: participant, stepId: id, from: nil, to: draft)
            return ctx.json(201, body, etag: etagOf(row), location: "/v1/steps/\(id)")
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.list(ctx, table: "steps", participant: try ctx.id("id", "Participant"), render: render)
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.show(ctx, table: "steps", what: "Step", render: render, etag: etagOf)
    }

    static func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Step")
        var input = try ctx.input()
        return try ctx.write { db in
            let (before, participant) = try OwnedRecord.load(db, ctx, table: "steps", id: id, what: "Step", writing: true)
            try ctx.checkIfMatch(etagOf(before))
            let old = Draft(before)
            var draft = old
            draft.read(&input, creating: false)
            // The type of a step that has started is what happened; a different action is a new step.
            if draft.type != old.type, old.status != .planned { input.fail("type", "cannot change once the step has started: record a new step") }
            let participantId: Int64 = before["participant_id"]
            // The lifecycle first: a closed step or file is a 409 whatever the fields say.
            try PathwayRecording.checkOpen(ParticipantRecord.state(participant).status, recording: "A step")
            try Steps.checkTransition(from: old.status, to: draft.status)
            try validate(db, draft, participant: participantId, today: ctx.today, input: &input)
            try input.finish()
            let columns = draft.columns + [("updated_at", ctx.timestamp())]
            try db.execute(sql: "UPDATE steps SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")), version = version + 1 WHERE id = ?",
                           arguments: StatementArguments(columns.map(\.1) + [id]))
            let after = try OwnedRecord.reload(db, table: "steps", id: id, what: "Step")
            try ctx.audit(db, old.status != draft.status ? "status:" + draft.status.rawValue : "update", "step", id,
                          participant: participantId, before: render(before), after: render(after))
            try applyFollowUp(db, ctx, participant: participant, stepId: id, from: old.status, to: draft)
            return ctx.json(200, render(after), etag: etagOf(after))
        }
    }
}
