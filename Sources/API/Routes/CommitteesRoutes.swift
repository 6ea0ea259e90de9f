import Domain
import GRDB
import HTTPServer

/// `POST/GET /v1/committees`, `GET /v1/committees/{id}`: the agrément, suivi and formation
/// committees. One committee's page is its agenda (the candidatures submitted to it, and for a
/// comité de suivi the exits awaiting validation) and its decisions, limited to the participants
/// the caller may see.
enum CommitteesRoutes {
    static let resource = ReferenceResource(
        table: "committees", entity: "committee", what: "Committee", path: "/v1/committees", etagKind: "c",
        render: render,
        read: { r in
            r.code("kind", CommitteeKind.self, required: true)
            r.day("date", required: true)
            r.text("title", maxLength: 200)
            r.text("location", maxLength: 200)
        },
        filters: { ctx, errors in
            var out: [ListCondition] = []
            if let k = QueryFilter.code(ctx, "kind", CommitteeKind.self, &errors) { out.append(("kind = ?", k.rawValue)) }
            if let from = QueryFilter.day(ctx, "from", &errors) { out.append(("date >= ?", from.description)) }
            if let to = QueryFilter.day(ctx, "to", &errors) { out.append(("date <= ?", to.description)) }
            return out
        })

    /// A committee is not edited through the API: its decisions are its record.
    static func register(on router: Router) {
        resource.register(on: router, patch: false, show: show)
        router.post("/v1/committees/:id/decisions", DecisionsRoutes.create)
    }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("kind", .string(row["kind"] as String?)),
            ("date", .string(row["date"] as String?)),
            ("title", .string(row["title"] as String?)),
            ("location", .string(row["location"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }

    /// The participant's identity beside an agenda item, so the committee's page reads alone.
    static func person(_ row: Row) -> [(String, JSON)] {
        [("participant_id", .id(row["participant_id"])), ("first_name", .string(row["first_name"] as String?)),
         ("last_name", .string(row["last_name"] as String?)), ("referent_id", .id(row["referent_id"])),
         ("participant_status", .string(row["participant_status"] as String?))]
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Committee")
        return try ctx.read { db in
            let committee = try resource.fetch(db, id)
            // Someone else's participants are left out, not shown anonymised: their presence is personal data.
            let scope = ctx.policy.participantScope
            let people = "p.first_name, p.last_name, p.referent_id, p.status AS participant_status"
            let candidatures = try Row.fetchAll(db, sql: """
                SELECT c.*, \(people) FROM candidatures c JOIN participants p ON p.id = c.participant_id
                WHERE c.committee_id = ? AND \(scope.sql) ORDER BY c.id
                """, arguments: StatementArguments([id] + scope.arguments))
            var exits: [Row] = []
            if (committee["kind"] as String) == CommitteeKind.suivi.rawValue {
                exits = try Row.fetchAll(db, sql: """
                    SELECT e.id, e.participant_id, e.type, e.category, e.date, e.situation, \(people)
                    FROM exits e JOIN participants p ON p.id = e.participant_id
                    WHERE e.status = 'proposed' AND \(scope.sql) ORDER BY e.date, e.id
                    """, arguments: StatementArguments(scope.arguments))
            }
            let decisions = try Row.fetchAll(db, sql: """
                SELECT d.* FROM decisions d JOIN participants p ON p.id = d.participant_id
                WHERE d.committee_id = ? AND \(scope.sql) ORDER BY d.id
                """, arguments: StatementArguments([id] + scope.arguments))
            guard case .object(var fields) = render(committee) else { throw APIError.notFound("Committee \(id)") }
            fields.append(("agenda", .object([
                ("candidatures", .array(candidatures.map { row in
                    guard case .object(let c) = LifecycleRoutes.renderCandidature(row) else { return .null }
                    return .object(c + person(row).filter { $0.0 != "participant_id" })
                })),
                ("exit_proposals", .array(exits.map { row in
                    .object([("exit_id", .id(row["id"]))] + person(row) + [
                        ("type", .string(row["type"] as String?)), ("category", .string(row["category"] as String?)),
                        ("date", .string(row["date"] as String?)), ("situation", .string(row["situation"] as String?))])
                })),
            ])))
            fields.append(("decisions", .array(decisions.map(DecisionsRoutes.render))))
            // The agenda changes without the committee's version (candidatures, decisions, the
            // participants' statuses), so this page's ETag is a digest of what it shows.
            let body = JSON.object(fields)
            return ctx.json(200, body, etag: "\"c\(id)-" + TokenStore.hash(body.text).prefix(20) + "\"")
        }
    }
}
