import Domain
import GRDB
import HTTPServer

/// `POST/GET /v1/participants/{id}/interviews`, `GET /v1/interviews/{id}` (rule 5).
///
/// Interviews are evidence: never updated nor deleted (a correction is a new interview), so
/// there is no PATCH. The list is a hot route: one query for the participant's visibility and
/// one for the page, both prepared once per connection.
enum InterviewsRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/interviews", create)
        router.get("/v1/participants/:id/interviews", list)
        router.get("/v1/interviews/:id", show)
    }

    static let renderer = RowRenderer([
        ("id", .id), ("participant_id", .id), ("referent_id", .id), ("date", .text), ("kind", .text),
        ("duration_minutes", .int), ("summary", .text), ("attendance_signed", .flagOrFalse), ("created_at", .text),
    ])

    static func render(_ row: Row) -> JSON { renderer.render(row) }

    /// Interviews never change, so the ETag is their id.
    static func etagOf(_ row: Row) -> String { etag("i", row["id"], 1) }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let date = input.day("date", required: true)
        let kind = input.code("kind", InterviewKind.self, required: true)
        let duration = input.int("duration_minutes", in: Int.min...Int.max)
        // Blank is read as "" so that Interviews.validate names rule 5 for it.
        let summary = input.string("summary", maxLength: 20_000, allowEmpty: true)
        if !input.has("summary") || summary == nil, !input.errors.contains(where: { $0.field == "summary" }) {
            input.fail("summary", "the written summary is mandatory (rule 5)")
        }
        let signed = input.bool("attendance_signed") ?? false
        for e in Interviews.validate(date: date, durationMinutes: duration, summary: summary, today: ctx.today) { input.fail(e.field, e.message) }
        return try ctx.write { db in
            let participant = try ParticipantRecord.writableState(db, ctx, participantId)
            try input.finish()
            try PathwayRecording.checkOpen(participant.state.status, recording: "An interview")
            try db.cachedStatement(sql: """
                INSERT INTO interviews (participant_id, referent_id, date, kind, duration_minutes, summary, attendance_signed, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [participantId, participant.referentId, date?.description, kind?.rawValue, duration,
                                 summary, signed ? 1 : 0, ctx.timestamp()])
            let id = db.lastInsertedRowID
            let row = try OwnedRecord.reload(db, table: "interviews", id: id, what: "Interview")
            let body = render(row)
            try ctx.audit(db, "create", "interview", id, participant: participantId, after: body)
            return ctx.json(201, body, etag: etagOf(row), location: "/v1/interviews/\(id)")
        }
    }

    /// The list's statement, read by position (`ValueRows`): the renderer's columns in its order.
    static let listSQL = """
        SELECT \(renderer.columns.joined(separator: ", ")) FROM interviews
        WHERE participant_id = ? AND (date, id) > (?, ?) ORDER BY date, id LIMIT ?
        """
    private static let listDate = renderer.columns.firstIndex(of: "date")!
    private static let listId = renderer.columns.firstIndex(of: "id")!

    /// Chronological (date, then id), keyset-paginated on that pair: the cursor holds "date|id".
    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        let page = try ctx.page()
        var afterDate = "", afterId: Int64 = 0
        if let after = page.after {
            let parts = after.split(separator: "|", maxSplits: 1)
            guard parts.count == 2, Day(String(parts[0])) != nil, let i = Int64(parts[1]) else {
                throw APIError.invalid("cursor", "is not a cursor of this list")
            }
            afterDate = String(parts[0]); afterId = i
        }
        let rows = try ctx.read { db in
            try ParticipantRecord.checkVisible(db, ctx, participantId)
            return try ValueRows.fetchAll(db.cachedStatement(sql: listSQL), arguments: [participantId, afterDate, afterId, page.limit + 1])
        }
        let (items, next) = page.paginate(rows) { "\(String.fromDatabaseValue($0[listDate]) ?? "")|\(Int64.fromDatabaseValue($0[listId]) ?? 0)" }
        return ctx.list(items.map { renderer.render(values: $0) }, next: next)
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        try OwnedRecord.show(ctx, table: "interviews", what: "Interview", render: render, etag: etagOf)
    }
}
