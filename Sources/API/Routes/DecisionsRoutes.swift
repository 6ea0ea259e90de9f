import Domain
import GRDB
import HTTPServer

/// `POST /v1/committees/{id}/decisions`: a committee's decision on one participant, and the move
/// it makes: admission (rule 1, with rule 2 on rejection), invalidation (rule 3), exit (rule 8),
/// or a case review that changes nothing. Coordinators and admins record them.
enum DecisionsRoutes {
    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("committee_id", .id(row["committee_id"])),
            ("participant_id", .id(row["participant_id"])),
            ("subject", .string(row["subject"] as String?)),
            ("outcome", .string(row["outcome"] as String?)),
            ("date", .string(row["date"] as String?)),
            ("rationale", .string(row["rationale"] as String?)),
            ("alternative_proposal", .string(row["alternative_proposal"] as String?)),
            ("letter_reference", .string(row["letter_reference"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
        ])
    }

    /// The rule that names which committee decides a subject, for the 409 of a wrong committee.
    static func rule(of subject: DecisionSubject) -> Int {
        switch subject {
        case .admission, .caseReview: return 1
        case .invalidation: return 3
        case .exit: return 8
        }
    }

    /// What the request says, validated.
    struct Request {
        var participantId: Int64
        var subject: DecisionSubject
        var outcome: DecisionOutcome
        var date: Day?
        var rationale: String?
        var alternativeProposal: String?
        var letterReference: String?
    }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let committeeId = try ctx.id("id", "Committee")
        try ctx.policy.requireWrite()
        try ctx.policy.requireProgramme("Recording a committee decision")
        var input = try ctx.input()
        let participantId = input.id("participant_id", required: true)
        let subject = input.code("subject", DecisionSubject.self, required: true)
        let outcome = input.code("outcome", DecisionOutcome.self, required: true)
        let date = input.day("date")
        let rationale = input.string("rationale", maxLength: 10_000)
        let alternative = input.string("alternative_proposal", maxLength: 10_000)
        let letter = input.string("letter_reference", maxLength: 200)
        if subject == .admission, outcome == .rejected, alternative == nil, !input.errors.contains(where: { $0.field == "alternative_proposal" }) {
            input.fail("alternative_proposal", "rule 2: a rejected candidature must come with an alternative proposal (the committee offers another route)")
        }
        return try ctx.write { db in
            let committee = try CommitteesRoutes.resource.fetch(db, committeeId)
            var participant: Row?
            if let participantId {
                participant = try Row.fetchOne(db, sql: ParticipantRecord.selectSQL, arguments: [participantId])
                if participant == nil { input.fail("participant_id", "no participant has this id") }
            }
            try input.finish()
            guard let participant, let participantId, let subject, let outcome,
                  let kind = CommitteeKind(rawValue: committee["kind"]) else { throw APIError.invalid(input.errors) }
            let allowed = Lifecycle.committeeKind(for: subject)
            guard allowed.contains(kind) else {
                let names = allowed.map(\.rawValue).joined(separator: " or ")
                throw RuleViolation(rule: rule(of: subject), code: "wrong_committee_kind",
                    message: "A decision on \(subject.rawValue) is taken by a comité \(names); committee \(committeeId) is a \(kind.rawValue) committee.",
                    remedy: "Record this decision on a \(names) committee.")
            }
            let request = Request(participantId: participantId, subject: subject, outcome: outcome,
                                  date: date ?? Day(committee["date"] as String), rationale: rationale,
                                  alternativeProposal: alternative, letterReference: letter)
            let (state, decisionId): (LifecycleState, Int64)
            switch subject {
            case .admission: (state, decisionId) = try admission(db, ctx, committeeId, participant, request)
            case .invalidation: (state, decisionId) = try invalidation(db, ctx, committeeId, participant, request)
            case .exit: (state, decisionId) = try exitDecision(db, ctx, committeeId, participant, request)
            case .caseReview: (state, decisionId) = try (ParticipantRecord.state(participant), insert(db, ctx, committeeId, request))
            }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM decisions WHERE id = ?"), arguments: [decisionId]) else {
                throw APIError.notFound("Decision \(decisionId)")
            }
            // A decision has no page of its own: it shows on its committee's and in the participant's timeline.
            return ctx.json(201, LifecycleRoutes.withStatus(render(row), state.status))
        }
    }

    /// Inserts the decision row and audits it; returns its id.
    static func insert(_ db: Database, _ ctx: RequestContext, _ committeeId: Int64, _ r: Request) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO decisions (committee_id, participant_id, subject, outcome, date, rationale, alternative_proposal, letter_reference, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [committeeId, r.participantId, r.subject.rawValue, r.outcome.rawValue, r.date?.description,
                             r.rationale, r.alternativeProposal, r.letterReference, ctx.timestamp()])
        let id = db.lastInsertedRowID
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM decisions WHERE id = ?"), arguments: [id]) else { throw APIError.notFound("Decision \(id)") }
        try ctx.audit(db, "create", "decision", id, participant: r.participantId, after: render(row))
        return id
    }

    /// Rule 1: the committee decides on the candidature on its agenda; approval starts the contract delay.
    static func admission(_ db: Database, _ ctx: RequestContext, _ committeeId: Int64, _ participant: Row, _ r: Request) throws -> (LifecycleState, Int64) {
        let before = ParticipantRecord.state(participant)
        _ = try Lifecycle.apply(.admissionDecision(r.outcome), to: before)
        guard let candidature = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM candidatures WHERE participant_id = ? AND status = 'pending' ORDER BY id DESC LIMIT 1"),
                                                 arguments: [r.participantId]) else {
            throw RuleViolation(rule: 1, code: "no_pending_candidature",
                message: "Participant \(r.participantId) has no candidature waiting for a decision (a deferred one must be resubmitted).",
                remedy: "Submit the candidature to this committee (POST /v1/participants/\(r.participantId)/candidature).")
        }
        let onCommittee: Int64 = candidature["committee_id"]
        guard onCommittee == committeeId else {
            throw RuleViolation(rule: 1, code: "candidature_on_another_committee",
                message: "Participant \(r.participantId)'s candidature is on the agenda of committee \(onCommittee), not \(committeeId).",
                remedy: "Record the decision on committee \(onCommittee), or resubmit the candidature to committee \(committeeId).")
        }
        let decisionId = try insert(db, ctx, committeeId, r)
        let candidatureId: Int64 = candidature["id"]
        try db.cachedStatement(sql: "UPDATE candidatures SET status = ?, decision_id = ? WHERE id = ?").execute(arguments: [r.outcome.rawValue, decisionId, candidatureId])
        try ctx.audit(db, "decide", "candidature", candidatureId, participant: r.participantId,
                      before: LifecycleRoutes.renderCandidature(candidature),
                      after: .object([("status", .string(r.outcome.rawValue)), ("decision_id", .id(decisionId))]))
        guard r.outcome != .deferred else { return (before, decisionId) }
        let state = try ParticipantRecord.move(db, ctx, participant, .admissionDecision(r.outcome),
                                               extra: r.outcome == .approved ? [("admitted_on", r.date?.description)] : [],
                                               reason: "admission_\(r.outcome.rawValue)")
        return (state, decisionId)
    }

    /// Rule 3: only someone admitted who never signed; an invalidation is not an exit.
    static func invalidation(_ db: Database, _ ctx: RequestContext, _ committeeId: Int64, _ participant: Row, _ r: Request) throws -> (LifecycleState, Int64) {
        let before = ParticipantRecord.state(participant)
        _ = try Lifecycle.apply(.invalidate, to: before)
        let decisionId = try insert(db, ctx, committeeId, r)
        guard r.outcome == .approved else { return (before, decisionId) }
        return (try ParticipantRecord.move(db, ctx, participant, .invalidate, reason: "invalidated"), decisionId)
    }

    /// Rule 8: the comité de suivi validates or refuses the pending exit proposal.
    static func exitDecision(_ db: Database, _ ctx: RequestContext, _ committeeId: Int64, _ participant: Row, _ r: Request) throws -> (LifecycleState, Int64) {
        let before = ParticipantRecord.state(participant)
        _ = try Lifecycle.apply(.exitDecision(r.outcome), to: before)
        guard let exit = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM exits WHERE participant_id = ? AND status = 'proposed' ORDER BY id DESC LIMIT 1"),
                                          arguments: [r.participantId]) else {
            throw RuleViolation(rule: 8, code: "no_pending_exit",
                message: "Participant \(r.participantId) has no exit proposal awaiting the committee.",
                remedy: "The referent proposes the exit first (POST /v1/participants/\(r.participantId)/exit).")
        }
        let category: String = exit["category"]
        if r.outcome == .approved, category == ExitCategory.other.rawValue, r.letterReference == nil {
            throw APIError.invalid("letter_reference", "rule 8: validating an \"other\" exit (\(exit["type"] as String)) records the reference of the PLIE's official letter")
        }
        let decisionId = try insert(db, ctx, committeeId, r)
        guard r.outcome != .deferred else { return (before, decisionId) }
        let exitId: Int64 = exit["id"]
        let status: ExitStatus = r.outcome == .approved ? .validated : .rejected
        try db.cachedStatement(sql: """
            UPDATE exits SET status = ?, decision_id = ?, decided_on = ?, letter_reference = ?, updated_at = ?, version = version + 1 WHERE id = ?
            """).execute(arguments: [status.rawValue, decisionId, r.date?.description, r.letterReference, ctx.timestamp(), exitId])
        try ctx.audit(db, status == .validated ? "validate" : "reject", "exit", exitId, participant: r.participantId,
                      before: .object([("status", .string(exit["status"] as String))]),
                      after: .object([("status", .string(status.rawValue)), ("decision_id", .id(decisionId)),
                                      ("decided_on", .string(r.date?.description)), ("letter_reference", .string(r.letterReference))]))
        if status == .validated, let exitDate = Day(exit["date"] as String) {
            try FollowUpRecord.exitValidated(db, ctx, participant: r.participantId, exitDate: exitDate)
        }
        let extra: [(column: String, value: DatabaseValueConvertible?)] =
            r.outcome == .approved ? [("exit_date", exit["date"] as String), ("exit_type", exit["type"] as String)] : []
        return (try ParticipantRecord.move(db, ctx, participant, .exitDecision(r.outcome), extra: extra, reason: "exit_\(status.rawValue)"), decisionId)
    }
}
