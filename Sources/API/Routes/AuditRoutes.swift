import Domain
import GRDB
import HTTPServer

/// `GET /v1/audit`: the audit trail (rule 11), for admins and auditors.
///
/// Oldest first, by id: the trail is append-only, so paging forward by id never skips or repeats
/// a row even while new rows arrive, and a reader replaying it sees changes in the order they
/// happened. Filters: `entity`, `entity_id`, `participant_id`, and `from` / `to` (dates, both
/// inclusive) on `at`.
enum AuditRoutes {
    static func register(on router: Router) {
        router.get("/v1/audit", list)
    }

    static let filters: Set<String> = ["entity", "entity_id", "participant_id", "from", "to", "limit", "cursor"]

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.require([.admin, .auditor], "The audit trail")
        let page = try ctx.page()
        var conditions = ["id > ?"]
        var args: [DatabaseValueConvertible?] = [try page.afterId]
        var errors: [FieldError] = []
        for (name, _) in ctx.request.head.queryItems where !filters.contains(name) {
            errors.append(FieldError(name, "is not a known filter (entity, entity_id, participant_id, from, to)"))
        }
        if let entity = ctx.query("entity") { conditions.append("entity = ?"); args.append(entity) }
        if let entityId = ctx.query("entity_id") { conditions.append("entity_id = ?"); args.append(entityId) }
        if let text = ctx.query("participant_id") {
            if let pid = Int64(text), pid > 0, String(pid) == text { conditions.append("participant_id = ?"); args.append(pid) }
            else { errors.append(FieldError("participant_id", "must be an id")) }
        }
        var from: Day?, to: Day?
        if let text = ctx.query("from") {
            from = Day(text)
            if let from { conditions.append("at >= ?"); args.append(from.description) }
            else { errors.append(FieldError("from", "must be a real date written YYYY-MM-DD")) }
        }
        if let text = ctx.query("to") {
            to = Day(text)
            // Timestamps of the `to` day sort after "YYYY-MM-DD": compare with the next day.
            if let to { conditions.append("at < ?"); args.append(to.adding(days: 1).description) }
            else { errors.append(FieldError("to", "must be a real date written YYYY-MM-DD")) }
        }
        if let from, let to, to < from { errors.append(FieldError("to", "is before from")) }
        if !errors.isEmpty { throw APIError.invalid(errors) }
        args.append(page.limit + 1)
        let rows = try ctx.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                             arguments: StatementArguments(args))
        }
        let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
        return ctx.list(items.map(render), next: next)
    }

    /// An audit row, with `before` and `after` parsed back into JSON.
    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("at", .string(row["at"] as String?)),
            ("token_id", .id(row["token_id"])),
            ("role", .string(row["role"] as String?)),
            ("action", .string(row["action"] as String?)),
            ("entity", .string(row["entity"] as String?)),
            ("entity_id", .string(row["entity_id"] as String?)),
            ("participant_id", .id(row["participant_id"])),
            ("request_id", .string(row["request_id"] as String?)),
            ("before", RowJSON.parsed(row["before"])),
            ("after", RowJSON.parsed(row["after"])),
        ])
    }
}
