@testable import API
import Domain
import GRDB
import Testing

/// Rules 1, 2, 3 and 8 through the committee routes: each refusal leaves everything as it was.
@Suite("Committees, candidatures, decisions and contracts")
struct CommitteeTests {
    /// A referent with a candidate, an agrément and a suivi committee; the clock on 2026-03-01.
    struct World {
        let t: TestApp
        let referent: String
        let participant: String
        let agrement: String
        let suivi: String
    }

    static func world() throws -> World {
        let t = try TestApp(today: "2026-03-01")
        let (_, referent) = ParticipantsTests.setUp(t)
        let p = t.post("/v1/participants", obj(["first_name": "Jo", "last_name": "Lee", "birth_date": "1985-01-01", "referent_id": .string(referent)]))
        let agrement = t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-03-05", "title": "Comité d'agrément de mars"]))
        let suivi = t.post("/v1/committees", obj(["kind": "suivi", "date": "2026-03-20"]))
        precondition(p.status == 201 && agrement.status == 201 && suivi.status == 201, "\(p.text) \(agrement.text) \(suivi.text)")
        return World(t: t, referent: referent, participant: p.id, agrement: agrement.id, suivi: suivi.id)
    }

    func status(_ w: World) -> JSON? { w.t.get("/v1/participants/\(w.participant)").json["status"] }

    func submit(_ w: World, to committee: String? = nil) -> TestResponse {
        w.t.post("/v1/participants/\(w.participant)/candidature", obj(["committee_id": .string(committee ?? w.agrement)]))
    }

    func decide(_ w: World, on committee: String? = nil, _ subject: String, _ outcome: String, extra: [(String, JSON)] = []) -> TestResponse {
        w.t.post("/v1/committees/\(committee ?? w.agrement)/decisions",
                 .object([("participant_id", .string(w.participant)), ("subject", .string(subject)), ("outcome", .string(outcome))] + extra))
    }

    /// Submitted, approved on 2026-03-05 (the committee's date).
    func admit(_ w: World) {
        #expect(submit(w).status == 201)
        #expect(decide(w, "admission", "approved").status == 201)
    }

    /// Admitted, then the contract signed on 2026-03-10 with the clock moved there.
    func enter(_ w: World) {
        admit(w)
        w.t.setToday("2026-03-10")
        #expect(w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-10"])).status == 201)
    }

    /// An exit proposal as the exit route writes it: the exits row and the participant in exit_proposed.
    func proposeExit(_ w: World, type: ExitType) throws {
        let id = Int64(w.participant) ?? 0
        try w.t.pool.write { db in
            try db.execute(sql: """
                INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, entry_date, created_at, updated_at)
                VALUES (?, ?, ?, '2026-09-30', 'in_employment', 'proposed', 'active', '2026-03-10', 'now', 'now')
                """, arguments: [id, type.rawValue, type.category.rawValue])
            try db.execute(sql: "UPDATE participants SET status = 'exit_proposed', status_before_exit = 'active' WHERE id = ?", arguments: [id])
        }
    }

    @Test("the walk: candidate, pending_committee, admitted on the decision date, active from the signature")
    func walk() throws {
        let w = try Self.world()
        let c = submit(w)
        #expect(c.status == 201, "\(c.text)")
        #expect(c.json["status"] == "pending" && c.json["participant_status"] == "pending_committee")
        #expect(c.json["submitted_on"] == "2026-03-01")
        let d = decide(w, "admission", "approved", extra: [("rationale", "Projet cohérent")])
        #expect(d.status == 201, "\(d.text)")
        #expect(d.json["participant_status"] == "admitted" && d.json["date"] == "2026-03-05" && d.json["subject"] == "admission")
        let admitted = w.t.get("/v1/participants/\(w.participant)").json
        #expect(admitted["status"] == "admitted" && admitted["admitted_on"] == "2026-03-05")
        w.t.setToday("2026-03-12")
        let contract = w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-11"]))
        #expect(contract.status == 201, "\(contract.text)")
        #expect(contract.json["participant_status"] == "active" && contract.json["signed_on"] == "2026-03-11")
        let active = w.t.get("/v1/participants/\(w.participant)").json
        #expect(active["status"] == "active" && active["entry_date"] == "2026-03-11")
        #expect(try w.t.count("candidatures", "status = 'approved' AND decision_id IS NOT NULL") == 1)
        #expect(try w.t.count("contracts") == 1)
        #expect(try w.t.count("audit_log", "entity = 'decision'") == 1)
        #expect(try w.t.count("audit_log", "action LIKE 'status:%'") == 3)
    }

    @Test("a referent submits and signs for their own participant; another referent gets 404")
    func referentActs() throws {
        let w = try Self.world()
        let s = w.t.get("/v1/referents/\(w.referent)").json["structure_id"]?.stringValue ?? ""
        let other = w.t.post("/v1/referents", obj(["structure_id": .string(s), "first_name": "Paul", "last_name": "Durand"])).id
        let mine = w.t.token(.referent, referentId: w.referent)
        let theirs = w.t.token(.referent, referentId: other)
        let body = obj(["committee_id": .string(w.agrement)])
        #expect(w.t.post("/v1/participants/\(w.participant)/candidature", body, token: theirs).status == 404)
        #expect(w.t.post("/v1/participants/\(w.participant)/candidature", body, token: mine).status == 201)
        #expect(decide(w, "admission", "approved").status == 201)
        #expect(w.t.post("/v1/committees/\(w.agrement)/decisions", obj(["participant_id": .string(w.participant), "subject": "case_review",
                                                                         "outcome": "approved"]), token: mine).status == 403)
        w.t.setToday("2026-03-06")
        #expect(w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-06"]), token: theirs).status == 404)
        #expect(w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-06"]), token: mine).status == 201)
        #expect(status(w) == "active")
    }

    @Test("rule 2: a rejection without an alternative proposal is refused with 422 and nothing changes")
    func rejectionNeedsAlternative() throws {
        let w = try Self.world()
        #expect(submit(w).status == 201)
        let r = decide(w, "admission", "rejected", extra: [("rationale", "Pas de projet")])
        #expect(r.status == 422)
        #expect(ProgrammeTests.fields(r) == ["alternative_proposal"])
        #expect(r.json["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("rule 2") == true)
        #expect(try w.t.count("decisions") == 0)
        #expect(try w.t.count("candidatures", "status = 'pending'") == 1)
        #expect(status(w) == "pending_committee")
        let ok = decide(w, "admission", "rejected", extra: [("alternative_proposal", "Orientation vers l'atelier chantier d'insertion")])
        #expect(ok.status == 201 && ok.json["participant_status"] == "rejected")
        #expect(try w.t.count("candidatures", "status = 'rejected'") == 1)
    }

    @Test("rule 1: an admission decision without a pending candidature on this committee is refused with 409")
    func admissionNeedsCandidature() throws {
        let w = try Self.world()
        let none = decide(w, "admission", "approved")
        #expect(none.status == 409)
        #expect(none.json["rule"] == 1 && none.json["remedy"] != nil)
        let other = w.t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-04-02"])).id
        #expect(submit(w, to: other).status == 201)
        let elsewhere = decide(w, "admission", "approved")
        #expect(elsewhere.status == 409)
        #expect(elsewhere.json["code"] == "candidature_on_another_committee")
        #expect(try w.t.count("decisions") == 0)
        #expect(status(w) == "pending_committee")
        #expect(try w.t.count("candidatures", "status = 'pending'") == 1)
    }

    @Test("a decision on a subject another kind of committee takes is refused with 409 naming the rule")
    func wrongCommitteeKind() throws {
        let w = try Self.world()
        #expect(submit(w).status == 201)
        let admissionAtSuivi = decide(w, on: w.suivi, "admission", "approved")
        #expect(admissionAtSuivi.status == 409 && admissionAtSuivi.json["rule"] == 1)
        #expect(admissionAtSuivi.json["code"] == "wrong_committee_kind")
        let exitAtAgrement = decide(w, "exit", "approved")
        #expect(exitAtAgrement.status == 409 && exitAtAgrement.json["rule"] == 8)
        let invalidationAtAgrement = decide(w, "invalidation", "approved")
        #expect(invalidationAtAgrement.status == 409 && invalidationAtAgrement.json["rule"] == 3)
        let toSuivi = submit(w, to: w.suivi)
        #expect(toSuivi.status == 409 && toSuivi.json["rule"] == 1)
        #expect(try w.t.count("decisions") == 0)
        #expect(try w.t.count("candidatures") == 1)
        #expect(status(w) == "pending_committee")
    }

    @Test("an unknown participant or bad fields are refused with 422 naming them")
    func decisionValidation() throws {
        let w = try Self.world()
        let r = w.t.post("/v1/committees/\(w.agrement)/decisions", obj(["participant_id": "999", "subject": "admission", "outcome": "maybe"]))
        #expect(r.status == 422)
        #expect(ProgrammeTests.fields(r) == ["participant_id", "outcome"])
        #expect(w.t.post("/v1/committees/999/decisions", obj(["participant_id": .string(w.participant), "subject": "case_review",
                                                              "outcome": "approved"])).status == 404)
        let auditor = w.t.token(.auditor)
        #expect(w.t.post("/v1/committees/\(w.agrement)/decisions", obj(["participant_id": .string(w.participant), "subject": "case_review",
                                                                         "outcome": "approved"]), token: auditor).status == 403)
        #expect(try w.t.count("decisions") == 0)
    }

    @Test("a deferred candidature keeps the person pending and may be resubmitted, the older pending one withdrawn")
    func deferral() throws {
        let w = try Self.world()
        #expect(submit(w).status == 201)
        let d = decide(w, "admission", "deferred")
        #expect(d.status == 201 && d.json["participant_status"] == "pending_committee")
        #expect(try w.t.count("candidatures", "status = 'deferred'") == 1)
        let next = w.t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-04-02"])).id
        let first = submit(w, to: next)
        #expect(first.status == 201)
        #expect(submit(w, to: next).status == 409)
        let later = w.t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-05-07"])).id
        #expect(submit(w, to: later).status == 201)
        #expect(try w.t.count("candidatures", "status = 'withdrawn' AND id = \(first.id)") == 1)
        #expect(decide(w, on: later, "admission", "approved").json["participant_status"] == "admitted")
        #expect(w.t.get("/v1/participants/\(w.participant)").json["admitted_on"] == "2026-05-07")
    }

    @Test("rule 1: a contract before admission is refused with 409 and nothing is recorded")
    func contractBeforeAdmission() throws {
        let w = try Self.world()
        let r = w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-01"]))
        #expect(r.status == 409 && r.json["rule"] == 1)
        #expect(try w.t.count("contracts") == 0)
        #expect(status(w) == "candidate")
    }

    @Test("rule 1: a contract dated before the admission decision, or in the future, is refused with 422")
    func contractDates() throws {
        let w = try Self.world()
        admit(w)
        w.t.setToday("2026-03-10")
        let early = w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-04"]))
        #expect(early.status == 422 && ProgrammeTests.fields(early) == ["signed_on"])
        let future = w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-11"]))
        #expect(future.status == 422 && ProgrammeTests.fields(future) == ["signed_on"])
        let document = w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-06", "document_id": "42"]))
        #expect(document.status == 422 && ProgrammeTests.fields(document) == ["document_id"])
        #expect(try w.t.count("contracts") == 0)
        #expect(status(w) == "admitted")
        #expect(w.t.post("/v1/participants/\(w.participant)/contract", obj(["signed_on": "2026-03-05"])).status == 201)
    }

    @Test("rule 3: invalidating an active participant is refused with 409 and nothing changes")
    func invalidationOfActive() throws {
        let w = try Self.world()
        enter(w)
        let r = decide(w, on: w.suivi, "invalidation", "approved")
        #expect(r.status == 409 && r.json["rule"] == 3)
        #expect(try w.t.count("decisions") == 1)
        #expect(status(w) == "active")
    }

    @Test("rule 3: invalidating an admitted participant who never signed works and is not an exit")
    func invalidationOfAdmitted() throws {
        let w = try Self.world()
        admit(w)
        let r = decide(w, on: w.suivi, "invalidation", "approved", extra: [("rationale", "Injoignable depuis l'agrément")])
        #expect(r.status == 201, "\(r.text)")
        #expect(r.json["participant_status"] == "invalidated")
        let p = w.t.get("/v1/participants/\(w.participant)").json
        #expect(p["status"] == "invalidated" && p["exit"] == .null && p["entry_date"] == .null)
        #expect(try w.t.count("exits") == 0)
        #expect(try w.t.count("participants", "exit_date IS NOT NULL OR exit_type IS NOT NULL") == 0)
        // A person invalidated may be proposed again later.
        #expect(submit(w).status == 201)
    }

    @Test("rule 8: an exit decision without a pending proposal is refused with 409")
    func exitWithoutProposal() throws {
        let w = try Self.world()
        enter(w)
        let r = decide(w, on: w.suivi, "exit", "approved")
        #expect(r.status == 409 && r.json["rule"] == 8)
        #expect(try w.t.count("decisions") == 1)
        #expect(status(w) == "active")
    }

    @Test("rule 8: an approved exit validates the proposal, dates the exit and closes the file")
    func exitApproved() throws {
        let w = try Self.world()
        enter(w)
        try proposeExit(w, type: .cdi)
        let agenda = w.t.get("/v1/committees/\(w.suivi)").json["agenda"]?["exit_proposals"]?.arrayValue ?? []
        #expect(agenda.count == 1 && agenda.first?["type"] == "cdi")
        let r = decide(w, on: w.suivi, "exit", "approved", extra: [("date", "2026-10-02")])
        #expect(r.status == 201, "\(r.text)")
        #expect(r.json["participant_status"] == "exited")
        let p = w.t.get("/v1/participants/\(w.participant)").json
        #expect(p["status"] == "exited" && p["exit"]?["status"] == "validated")
        #expect(try w.t.count("participants", "exit_date = '2026-09-30' AND exit_type = 'cdi'") == 1)
        #expect(try w.t.count("exits", "status = 'validated' AND decided_on = '2026-10-02' AND decision_id IS NOT NULL") == 1)
        #expect(try w.t.count("audit_log", "entity = 'exit' AND action = 'validate'") == 1)
        #expect(w.t.get("/v1/committees/\(w.suivi)").json["agenda"]?["exit_proposals"] == .array([]))
    }

    @Test("rule 8: a rejected exit sends the participant back to where they were")
    func exitRejected() throws {
        let w = try Self.world()
        enter(w)
        try proposeExit(w, type: .cdi)
        let r = decide(w, on: w.suivi, "exit", "rejected", extra: [("rationale", "Période d'essai non terminée")])
        #expect(r.status == 201 && r.json["participant_status"] == "active")
        #expect(try w.t.count("exits", "status = 'rejected'") == 1)
        #expect(try w.t.count("participants", "exit_date IS NULL AND status_before_exit IS NULL") == 1)
    }

    @Test("rule 8: validating an \"other\" exit needs the PLIE's letter reference")
    func otherExitNeedsLetter() throws {
        let w = try Self.world()
        enter(w)
        try proposeExit(w, type: .abandon)
        let r = decide(w, on: w.suivi, "exit", "approved")
        #expect(r.status == 422 && ProgrammeTests.fields(r) == ["letter_reference"])
        #expect(try w.t.count("decisions", "subject = 'exit'") == 0)
        #expect(status(w) == "exit_proposed")
        let ok = decide(w, on: w.suivi, "exit", "approved", extra: [("letter_reference", "PLIE/2026/117")])
        #expect(ok.status == 201 && ok.json["letter_reference"] == "PLIE/2026/117")
        #expect(try w.t.count("exits", "letter_reference = 'PLIE/2026/117'") == 1)
    }

    @Test("a case review is recorded on any committee and changes nothing")
    func caseReview() throws {
        let w = try Self.world()
        let r = decide(w, on: w.suivi, "case_review", "deferred", extra: [("rationale", "Point sur les freins")])
        #expect(r.status == 201 && r.json["participant_status"] == "candidate")
        #expect(status(w) == "candidate")
    }

    @Test("a committee's page shows its agenda and decisions, only for the participants the caller may see")
    func committeePage() throws {
        let w = try Self.world()
        let s = w.t.get("/v1/referents/\(w.referent)").json["structure_id"]?.stringValue ?? ""
        let other = w.t.post("/v1/referents", obj(["structure_id": .string(s), "first_name": "Paul", "last_name": "Durand"])).id
        let theirs = w.t.post("/v1/participants", obj(["first_name": "Ali", "last_name": "Ben", "birth_date": "1990-01-01", "referent_id": .string(other)])).id
        #expect(submit(w).status == 201)
        #expect(w.t.post("/v1/participants/\(theirs)/candidature", obj(["committee_id": .string(w.agrement)])).status == 201)
        #expect(decide(w, "admission", "approved").status == 201)
        let all = w.t.get("/v1/committees/\(w.agrement)")
        #expect(all.status == 200 && all.etag != nil)
        #expect(all.json["agenda"]?["candidatures"]?.arrayValue?.count == 2)
        #expect(all.json["decisions"]?.arrayValue?.count == 1)
        let mine = w.t.get("/v1/committees/\(w.agrement)", token: w.t.token(.referent, referentId: w.referent)).json
        #expect(mine["agenda"]?["candidatures"]?.arrayValue?.map { $0["participant_id"] } == [.string(w.participant)])
        let theirView = w.t.get("/v1/committees/\(w.agrement)", token: w.t.token(.referent, referentId: other)).json
        #expect(theirView["agenda"]?["candidatures"]?.arrayValue?.map { $0["participant_id"] } == [.string(theirs)])
        #expect(theirView["decisions"] == .array([]))
        #expect(w.t.get("/v1/committees?kind=suivi").json["items"]?.arrayValue?.count == 1)
        #expect(w.t.get("/v1/committees?kind=jury").status == 422)
        #expect(w.t.post("/v1/committees", obj(["kind": "jury", "date": "2026-02-30"])).status == 422)
    }
}
