import Domain
import GRDB
import HTTPServer

/// The referent's two moves of rule 1: `POST /v1/participants/{id}/candidature` (propose the
/// person to a comité d'agrément) and `POST /v1/participants/{id}/contract` (the signed
/// tripartite contract: the entry). The committee's answer is in `DecisionsRoutes`.
enum LifecycleRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/candidature", submitCandidature)
        router.post("/v1/participants/:id/contract", signContract)
    }

    static func renderCandidature(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("committee_id", .id(row["committee_id"])),
            ("submitted_on", .string(row["submitted_on"] as String?)),
            ("notes", .string(row["notes"] as String?)),
            ("status", .string(row["status"] as String?)),
            ("decision_id", .id(row["decision_id"])),
            ("created_at", .string(row["created_at"] as String?)),
        ])
    }

    static func renderContract(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("signed_on", .string(row["signed_on"] as String?)),
            ("document_id", .id(row["document_id"])),
            ("created_at", .string(row["created_at"] as String?)),
        ])
    }

    /// A created resource's JSON with the participant's status after the move, as one answer.
    static func withStatus(_ value: JSON, _ status: ParticipantStatus) -> JSON {
        guard case .object(let fields) = value else { return value }
        return .object(fields + [("participant_status", .string(status.rawValue))])
    }

    static func submitCandidature(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let committeeId = input.id("committee_id", required: true)
        let notes = input.string("notes", maxLength: 10_000)
        return try ctx.write { db in
            let participant = try ParticipantRecord.writable(db, ctx, id)
            var committee: Row?
            if let committeeId {
                committee = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM committees WHERE id = ?"), arguments: [committeeId])
                if committee == nil { input.fail("committee_id", "no committee has this id") }
            }
            try input.finish()
            guard let committee, let committeeId else { throw APIError.invalid("committee_id", "is required") }
            let kind: String = committee["kind"]
            guard kind == CommitteeKind.agrement.rawValue else {
                throw RuleViolation(rule: 1, code: "candidature_needs_agrement_committee",
                    message: "A candidature is decided by a comité d'agrément; committee \(committeeId) is a \(kind) committee.",
                    remedy: "Choose an agrément committee (GET /v1/committees?kind=agrement).")
            }
            // Refused before anything is written: the move below would refuse it too, but only after the withdrawals.
            _ = try Lifecycle.apply(.submitCandidature, to: ParticipantRecord.state(participant))
            let pending = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM candidatures WHERE participant_id = ? AND status = 'pending' ORDER BY id"),
                                           arguments: [id])
            if pending.contains(where: { ($0["committee_id"] as Int64) == committeeId }) {
                throw RuleViolation(rule: 1, code: "candidature_already_pending",
                    message: "This participant's candidature is already on the agenda of committee \(committeeId).",
                    remedy: "Wait for the committee's decision.")
            }
            // A resubmission (after a deferral, or to another date) replaces the candidature still waiting.
            for old in pending {
                let oldId: Int64 = old["id"]
                try db.cachedStatement(sql: "UPDATE candidatures SET status = 'withdrawn' WHERE id = ?").execute(arguments: [oldId])
                try ctx.audit(db, "withdraw", "candidature", oldId, participant: id,
                              before: renderCandidature(old), after: .object([("status", .string("withdrawn"))]))
            }
            try db.execute(sql: "INSERT INTO candidatures (participant_id, committee_id, submitted_on, notes, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
                           arguments: [id, committeeId, ctx.today.description, notes, ctx.timestamp()])
            let candidatureId = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM candidatures WHERE id = ?"), arguments: [candidatureId]) else {
                throw APIError.notFound("Candidature \(candidatureId)")
            }
            let body = renderCandidature(row)
            try ctx.audit(db, "create", "candidature", candidatureId, participant: id, after: body)
            let state = try ParticipantRecord.move(db, ctx, participant, .submitCandidature, reason: "candidature_submitted")
            return ctx.json(201, withStatus(body, state.status))
        }
    }

    static func signContract(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let signedOn = input.day("signed_on", required: true)
        let documentId = input.id("document_id")
        if let signedOn, signedOn > ctx.today { input.fail("signed_on", "cannot be in the future (today is \(ctx.today))") }
        return try ctx.write { db in
            let participant = try ParticipantRecord.writable(db, ctx, id)
            if let documentId, try !(Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM documents WHERE id = ? AND participant_id = ?)"),
                                                    arguments: [documentId, id]) ?? false) {
                input.fail("document_id", "no document of this participant has this id")
            }
            try input.finish()
            guard let signedOn else { throw APIError.invalid("signed_on", "is required (YYYY-MM-DD)") }
            // Rule 1: only an admitted person signs (409), and not before the admission decision (422).
            _ = try Lifecycle.apply(.signContract, to: ParticipantRecord.state(participant))
            if let admitted = (participant["admitted_on"] as String?).flatMap(Day.init), signedOn < admitted {
                throw APIError.invalid("signed_on", "rule 1: the contract is signed after the admission decision of \(admitted)")
            }
            try db.execute(sql: "INSERT INTO contracts (participant_id, signed_on, document_id, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [id, signedOn.description, documentId, ctx.timestamp()])
            let contractId = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM contracts WHERE id = ?"), arguments: [contractId]) else {
                throw APIError.notFound("Contract \(contractId)")
            }
            let body = renderContract(row)
            try ctx.audit(db, "create", "contract", contractId, participant: id, after: body)
            // The signature date is the FSE entry; a person coming back starts a new pathway, so the last exit is cleared
            // from the participant (it stays in the exits table).
            let state = try ParticipantRecord.move(db, ctx, participant, .signContract,
                                                   extra: [("entry_date", signedOn.description), ("exit_date", nil), ("exit_type", nil)],
                                                   reason: "contract_signed")
            return ctx.json(201, withStatus(body, state.status))
        }
    }
}
