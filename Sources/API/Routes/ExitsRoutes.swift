import Domain
import GRDB
import HTTPServer

/// Exit proposals (rule 8): `POST /v1/participants/{id}/exit`, `GET /v1/participants/{id}/exits`,
/// `GET /v1/exits/{id}`.
///
/// The referent proposes; the comité de suivi decides through `POST /v1/committees/{id}/decisions`
/// (subject `exit`), which validates or rejects the pending proposal. A rejected proposal stays
/// in the list: the file keeps its history.
enum ExitsRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/exit", propose)
        router.get("/v1/participants/:id/exits", list)
        router.get("/v1/exits/:id", show)
    }

    static func propose(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        try ctx.policy.requireWrite()
        var input = try ctx.input()
        let type = input.code("type", ExitType.self, required: true)
        let date = input.day("date", required: true)
        let situation = input.code("situation", ExitSituation.self, required: true)
        let situationDetail = input.string("situation_detail", maxLength: 2000)
        let documentIds = input.ids("document_ids") ?? []
        let referentRequest = input.string("referent_request", maxLength: 10_000)
        return try ctx.write { db in
            let participant = try ParticipantRecord.writable(db, ctx, participantId)
            let (documents, foreign) = try DocumentRecord.owned(db, participant: participantId, ids: documentIds)
            if !foreign.isEmpty {
                input.fail("document_ids", "not documents of this participant: " + foreign.map(String.init).joined(separator: ", "))
            }
            try input.finish()
            guard let type, let date, let situation else { throw APIError.invalid("type", "is required") }
            // Rule 8 (lifecycle): only an entered participant leaves by an exit, one proposal at a time.
            let state = ParticipantRecord.state(participant)
            _ = try Lifecycle.apply(.proposeExit, to: state)
            let entryDate = (participant["entry_date"] as String?).flatMap(Day.init)
            let evidence = documents.map {
                ExitRules.Evidence(id: String($0["id"] as Int64), kind: DocumentKind(rawValue: $0["kind"]) ?? .other,
                                   attestsOn: ($0["attests_on"] as String?).flatMap(Day.init))
            }
            try ExitRules.check(type: type, date: date, entryDate: entryDate, today: ctx.today, evidence: evidence,
                                referentRequest: referentRequest, settings: ctx.settings)
            let now = ctx.timestamp()
            try db.cachedStatement(sql: """
                INSERT INTO exits (participant_id, type, category, date, situation, situation_detail, referent_request,
                                   status, previous_status, entry_date, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [participantId, type.rawValue, type.category.rawValue, date.description, situation.rawValue,
                                 situationDetail, referentRequest, ExitStatus.proposed.rawValue, state.status.rawValue,
                                 entryDate?.description, now, now])
            let id = db.lastInsertedRowID
            for doc in documents {
                try db.cachedStatement(sql: "INSERT INTO exit_documents (exit_id, document_id) VALUES (?, ?)").execute(arguments: [id, doc["id"] as Int64])
            }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM exits WHERE id = ?"), arguments: [id]) else {
                throw APIError.notFound("Exit \(id)")
            }
            let rendered = ExitRecord.render(row, documentIds: documents.map { $0["id"] })
            try ctx.audit(db, "create", "exit", id, participant: participantId, after: rendered)
            try ParticipantRecord.move(db, ctx, participant, .proposeExit, reason: "exit_proposed")
            return ctx.json(201, rendered, etag: ExitRecord.etagOf(row), location: "/v1/exits/\(id)")
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        let page = try ctx.page()
        return try ctx.read { db in
            try ParticipantRecord.checkVisible(db, ctx, participantId)
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM exits WHERE participant_id = ? AND id > ? ORDER BY id LIMIT ?"),
                                        arguments: [participantId, try page.afterId, page.limit + 1])
            let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
            return ctx.list(try ExitRecord.renderAll(db, items), next: next)
        }
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Exit")
        return try ctx.read { db in
            let (row, _) = try ExitRecord.visible(db, ctx, id)
            return ctx.json(200, try ExitRecord.renderAll(db, [row])[0], etag: ExitRecord.etagOf(row))
        }
    }
}
