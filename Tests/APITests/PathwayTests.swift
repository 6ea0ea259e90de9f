@testable import API
import Domain
import GRDB
import Testing

/// Builds the data of a pathway test: a structure and referent (inserted directly, their routes
/// belong to another part of the API), a participant created through the API, put in a status
/// directly (the committee and contract routes are tested on their own).
struct PathwayFixture {
    let t: TestApp
    let structure: String
    let referent: String
    let referentToken: String

    init(today: String = "2026-01-20") throws {
        t = try TestApp(today: today)
        let ids: (Int64, Int64) = try t.pool.write { db in
            try db.execute(sql: "INSERT INTO structures (name, created_at, updated_at) VALUES ('Mission locale', 'x', 'x')")
            let s = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO referents (structure_id, first_name, last_name, created_at, updated_at) VALUES (?, 'Anne', 'Martin', 'x', 'x')",
                           arguments: [s])
            return (s, db.lastInsertedRowID)
        }
        structure = String(ids.0)
        referent = String(ids.1)
        referentToken = t.token(.referent, referentId: referent)
    }

    /// Another referent of the same structure.
    func otherReferent() throws -> String {
        try t.pool.write { db in
            try db.execute(sql: "INSERT INTO referents (structure_id, first_name, last_name, created_at, updated_at) VALUES (?, 'Paul', 'Durand', 'x', 'x')",
                           arguments: [Int64(structure)])
            return String(db.lastInsertedRowID)
        }
    }

    /// A participant of this referent, in `status` (entered on 2026-01-05 when entered).
    func participant(_ status: String = "active", name: String = "Lee") throws -> String {
        let r = t.post("/v1/participants", obj(["first_name": "Jo", "last_name": .string(name), "birth_date": "1985-01-01",
                                                "referent_id": .string(referent)]))
        precondition(r.status == 201, r.text)
        try t.pool.write { db in
            try db.execute(sql: "UPDATE participants SET status = ?, entry_date = CASE WHEN ? IN ('active', 'in_follow_up', 'exit_proposed', 'exited') THEN '2026-01-05' END WHERE id = ?",
                           arguments: [status, status, Int64(r.id)])
        }
        return r.id
    }

    func status(_ participant: String) -> String? { t.get("/v1/participants/\(participant)").json["status"]?.stringValue }

    func jobOffer() throws -> String {
        try t.pool.write { db in
            try db.execute(sql: "INSERT INTO job_offers (title, employer, created_at, updated_at) VALUES ('Agent de propreté', 'Net+', 'x', 'x')")
            return String(db.lastInsertedRowID)
        }
    }

    func fields(_ r: TestResponse) -> Set<String> { Set(r.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []) }
}

@Suite("Interviews")
struct InterviewsTests {
    @Test("rule 5: an empty, blank or missing summary is refused on summary, and nothing is stored")
    func summaryRequired() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        for summary: JSON? in ["", "   \n\t ", nil, .null] {
            var fields: [(String, JSON)] = [("date", "2026-01-15"), ("kind", "individual")]
            if let summary { fields.append(("summary", summary)) }
            let r = f.t.post("/v1/participants/\(p)/interviews", .object(fields), token: f.referentToken)
            #expect(r.status == 422, "\(r.text)")
            #expect(f.fields(r) == ["summary"])
        }
        #expect(try f.t.count("interviews") == 0)
        #expect(try f.t.count("audit_log", "entity = 'interview'") == 0)
        let ok = f.t.post("/v1/participants/\(p)/interviews", obj(["date": "2026-01-15", "kind": "individual", "duration_minutes": 45,
                                                                   "summary": "Travail sur la mobilité : permis B"]), token: f.referentToken)
        #expect(ok.status == 201, "\(ok.text)")
        #expect(ok.json["referent_id"] == .string(f.referent))
        #expect(ok.json["attendance_signed"] == false)
        #expect(try f.t.count("audit_log", "entity = 'interview' AND action = 'create'") == 1)
        #expect(f.t.get("/v1/interviews/\(ok.id)", token: f.referentToken).status == 200)
    }

    @Test("an interview in the future is refused")
    func futureRefused() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let r = f.t.post("/v1/participants/\(p)/interviews", obj(["date": "2026-01-21", "kind": "phone", "summary": "x"]), token: f.referentToken)
        #expect(r.status == 422)
        #expect(f.fields(r) == ["date"])
        #expect(try f.t.count("interviews") == 0)
    }

    @Test("an interview on an exited participant is refused with 409")
    func exitedRefused() throws {
        let f = try PathwayFixture()
        let p = try f.participant("exited")
        let r = f.t.post("/v1/participants/\(p)/interviews", obj(["date": "2026-01-15", "kind": "phone", "summary": "Point"]), token: f.referentToken)
        #expect(r.status == 409, "\(r.text)")
        #expect(r.json["code"] == "file_closed")
        #expect(try f.t.count("interviews") == 0)
    }

    @Test("a referent cannot add an interview to another referent's participant: 404, nothing stored")
    func otherCaseload() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let other = f.t.token(.referent, referentId: try f.otherReferent())
        let r = f.t.post("/v1/participants/\(p)/interviews", obj(["date": "2026-01-15", "kind": "phone", "summary": "Point"]), token: other)
        #expect(r.status == 404)
        #expect(f.t.get("/v1/participants/\(p)/interviews", token: other).status == 404)
        #expect(try f.t.count("interviews") == 0)
        let auditor = f.t.token(.auditor)
        #expect(f.t.post("/v1/participants/\(p)/interviews", obj(["date": "2026-01-15", "kind": "phone", "summary": "Point"]), token: auditor).status == 403)
    }

    @Test("the list is chronological (date, then id) and paginates across pages without loss or repeat")
    func chronologicalPages() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let dates = ["2026-01-12", "2026-01-05", "2026-01-19", "2026-01-05", "2026-01-08"]
        var ids: [String] = []
        for (i, d) in dates.enumerated() {
            let r = f.t.post("/v1/participants/\(p)/interviews", obj(["date": .string(d), "kind": "individual", "summary": .string("Entretien \(i)")]),
                             token: f.referentToken)
            #expect(r.status == 201)
            ids.append(r.id)
        }
        let expected = zip(dates, ids).sorted { ($0.0, Int($0.1)!) < ($1.0, Int($1.1)!) }.map(\.1)
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let r = f.t.get("/v1/participants/\(p)/interviews?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: f.referentToken)
            #expect(r.status == 200)
            seen += r.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            cursor = r.json["next_cursor"]?.stringValue
            pages += 1
        } while cursor != nil && pages < 10
        #expect(seen == expected)
        #expect(pages == 3)
        #expect(f.t.get("/v1/participants/\(p)/interviews?cursor=zzz").status == 422)
    }
}

@Suite("Steps and follow-up")
struct StepsTests {
    @Test("rule 7: an employment step that starts opens the follow-up by itself (6 months and a day) and the participant is in follow-up")
    func employmentOpensFollowUp() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let step = f.t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "operator": "Net+", "status": "ongoing", "actual_start": "2026-01-15"]),
                            token: f.referentToken)
        #expect(step.status == 201, "\(step.text)")
        #expect(f.status(p) == "in_follow_up")
        let fu = f.t.get("/v1/participants/\(p)/follow-up", token: f.referentToken)
        #expect(fu.status == 200, "\(fu.text)")
        #expect(fu.json["starts_on"] == "2026-01-15")
        #expect(fu.json["ends_on"] == "2026-07-16")
        #expect(fu.json["status"] == "in_progress")
        #expect(fu.json["step_id"] == .string(step.id))
        #expect(fu.json["questionnaire"] == .null)
        #expect(fu.json["next_contact_due"] == "2026-02-15")
        #expect(fu.etag != nil)
        #expect(try f.t.count("audit_log", "entity = 'follow_up' AND action = 'open'") == 1)
        #expect(try f.t.count("audit_log", "entity = 'participant' AND action = 'status:follow_up_opened'") == 1)
        // A second such step while one is in progress opens nothing more.
        let second = f.t.post("/v1/participants/\(p)/steps", obj(["type": "qualifying_training", "status": "ongoing", "actual_start": "2026-01-18"]),
                              token: f.referentToken)
        #expect(second.status == 201)
        #expect(try f.t.count("follow_ups") == 1)
    }

    @Test("rule 7: a follow-up started on 31 August ends on 1 March, the end clamped to February")
    func endOfMonth() throws {
        let f = try PathwayFixture(today: "2026-09-02")
        let p = try f.participant()
        let planned = f.t.post("/v1/participants/\(p)/steps", obj(["type": "subsidised_contract", "planned_start": "2026-08-31"]), token: f.referentToken)
        #expect(planned.status == 201, "\(planned.text)")
        #expect(try f.t.count("follow_ups") == 0)
        let started = f.t.patch("/v1/steps/\(planned.id)", obj(["status": "ongoing", "actual_start": "2026-08-31"]), token: f.referentToken,
                                headers: [("If-Match", planned.etag!)])
        #expect(started.status == 200, "\(started.text)")
        #expect(f.t.get("/v1/participants/\(p)/follow-up").json["ends_on"] == "2027-03-01")
        #expect(f.status(p) == "in_follow_up")
    }

    @Test("abandoning the step interrupts its follow-up and the participant is active again")
    func abandonInterrupts() throws {
        let f = try PathwayFixture(today: "2026-03-10")
        let p = try f.participant()
        let step = f.t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-01-15"]), token: f.referentToken)
        #expect(f.status(p) == "in_follow_up")
        let r = f.t.patch("/v1/steps/\(step.id)", obj(["status": "abandoned", "actual_end": "2026-03-01"]), token: f.referentToken)
        #expect(r.status == 200, "\(r.text)")
        #expect(f.status(p) == "active")
        let fu = f.t.get("/v1/participants/\(p)/follow-up")
        #expect(fu.json["status"] == "interrupted")
        #expect(fu.json["interrupted_on"] == "2026-03-01")
        #expect(try f.t.count("audit_log", "entity = 'follow_up' AND action = 'interrupt'") == 1)
        #expect(try f.t.count("audit_log", "entity = 'participant' AND action = 'status:follow_up_interrupted'") == 1)
        #expect(try f.t.count("audit_log", "entity = 'step'") == 2)
    }

    @Test("rule 7: a participant who has not entered cannot start a job step (409), and nothing is stored")
    func candidateCannotStart() throws {
        let f = try PathwayFixture()
        let p = try f.participant("admitted")
        let r = f.t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-01-15"]), token: f.referentToken)
        #expect(r.status == 409, "\(r.text)")
        #expect(r.json["rule"] == 7)
        #expect(try f.t.count("steps") == 0)
        #expect(try f.t.count("follow_ups") == 0)
        #expect(f.status(p) == "admitted")
        // Other steps are fine before entry (an information meeting), but not on a closed file.
        #expect(f.t.post("/v1/participants/\(p)/steps", obj(["type": "information_meeting", "planned_start": "2026-01-25"]), token: f.referentToken).status == 201)
        let closed = try f.participant("rejected", name: "Other")
        #expect(f.t.post("/v1/participants/\(closed)/steps", obj(["type": "diagnosis", "planned_start": "2026-01-25"]), token: f.referentToken).status == 409)
    }

    @Test("rule 4: a completed step needs its evaluation, and cannot go back to ongoing")
    func completion() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let step = f.t.post("/v1/participants/\(p)/steps", obj(["type": "job_search_workshop", "status": "ongoing", "actual_start": "2026-01-06"]),
                            token: f.referentToken)
        #expect(step.status == 201, "\(step.text)")
        let noEval = f.t.patch("/v1/steps/\(step.id)", obj(["status": "completed", "actual_end": "2026-01-16"]), token: f.referentToken)
        #expect(noEval.status == 422)
        #expect(f.fields(noEval) == ["evaluation.objectives_met"])
        #expect(f.t.get("/v1/steps/\(step.id)").json["status"] == "ongoing")
        let done = f.t.patch("/v1/steps/\(step.id)", obj(["status": "completed", "actual_end": "2026-01-16",
                                                          "evaluation": obj(["objectives_met": "partly", "comment": "CV fait"])]), token: f.referentToken)
        #expect(done.status == 200, "\(done.text)")
        #expect(done.json["evaluation"]?["objectives_met"] == "partly")
        let back = f.t.patch("/v1/steps/\(step.id)", obj(["status": "ongoing", "actual_end": .null]), token: f.referentToken)
        #expect(back.status == 409)
        #expect(back.json["rule"] == 4)
        #expect(f.t.get("/v1/steps/\(step.id)").json["status"] == "completed")
        #expect(try f.t.count("audit_log", "entity = 'step'") == 2)
        let stale = f.t.patch("/v1/steps/\(step.id)", obj(["comment": "x"]), token: f.referentToken, headers: [("If-Match", step.etag!)])
        #expect(stale.status == 412)
    }

    @Test("a step names only barriers of its participant")
    func barriersOfTheParticipant() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let q = try f.participant(name: "Autre")
        let mine = f.t.post("/v1/participants/\(p)/barriers", obj(["kind": "mobility", "detail": "Pas de permis"]), token: f.referentToken)
        let theirs = f.t.post("/v1/participants/\(q)/barriers", obj(["kind": "housing"]), token: f.referentToken)
        #expect(mine.status == 201 && theirs.status == 201)
        let bad = f.t.post("/v1/participants/\(p)/steps", obj(["type": "mobility_aid", "planned_start": "2026-02-01", "barrier_ids": [.string(theirs.id)]]),
                           token: f.referentToken)
        #expect(bad.status == 422)
        #expect(f.fields(bad) == ["barrier_ids"])
        let good = f.t.post("/v1/participants/\(p)/steps", obj(["type": "mobility_aid", "planned_start": "2026-02-01", "barrier_ids": [.string(mine.id)]]),
                            token: f.referentToken)
        #expect(good.status == 201)
        #expect(good.json["barrier_ids"] == [.string(mine.id)])
        #expect(try f.t.count("steps") == 1)
    }
}

@Suite("Barriers")
struct BarriersTests {
    @Test("a barrier is identified open, lifted on a day, listed; a closed file gets no new barrier")
    func lifecycle() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let b = f.t.post("/v1/participants/\(p)/barriers", obj(["kind": "childcare_family", "detail": "Garde le mercredi"]), token: f.referentToken)
        #expect(b.status == 201, "\(b.text)")
        #expect(b.json["status"] == "open")
        #expect(b.json["identified_on"] == "2026-01-20")
        let lifted = f.t.patch("/v1/barriers/\(b.id)", obj(["status": "lifted"]), token: f.referentToken, headers: [("If-Match", b.etag!)])
        #expect(lifted.status == 200, "\(lifted.text)")
        #expect(lifted.json["lifted_on"] == "2026-01-20")
        #expect(f.t.patch("/v1/barriers/\(b.id)", obj(["detail": "x"]), headers: [("If-Match", b.etag!)]).status == 412)
        #expect(f.t.get("/v1/participants/\(p)/barriers", token: f.referentToken).json["items"]?.arrayValue?.count == 1)
        #expect(try f.t.count("audit_log", "entity = 'barrier'") == 2)
        #expect(try f.t.count("audit_log", "entity = 'barrier' AND action = 'lift'") == 1)
        let other = f.t.token(.referent, referentId: try f.otherReferent())
        #expect(f.t.get("/v1/barriers/\(b.id)", token: other).status == 404)
        #expect(f.t.patch("/v1/barriers/\(b.id)", obj(["detail": "x"]), token: other).status == 404)
        let exited = try f.participant("exited", name: "Parti")
        #expect(f.t.post("/v1/participants/\(exited)/barriers", obj(["kind": "health"]), token: f.referentToken).status == 409)
        #expect(f.t.post("/v1/participants/\(p)/barriers", obj(["kind": "weather"]), token: f.referentToken).status == 422)
        #expect(try f.t.count("barriers") == 1)
    }
}

@Suite("Positionings")
struct PositioningsTests {
    @Test("rule 6: a result without its reason is refused; with it, recorded and audited")
    func resultNeedsReason() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let offer = try f.jobOffer()
        let created = f.t.post("/v1/participants/\(p)/positionings", obj(["job_offer_id": .string(offer), "proposed_on": "2026-01-10"]), token: f.referentToken)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json["result"] == .null)
        let noReason = f.t.patch("/v1/positionings/\(created.id)", obj(["result": "not_selected"]), token: f.referentToken)
        #expect(noReason.status == 422)
        #expect(f.fields(noReason) == ["reason"])
        #expect(f.t.get("/v1/positionings/\(created.id)").json["result"] == .null)
        let ok = f.t.patch("/v1/positionings/\(created.id)", obj(["result": "not_selected", "reason": "Profil trop junior"]), token: f.referentToken,
                           headers: [("If-Match", created.etag!)])
        #expect(ok.status == 200, "\(ok.text)")
        #expect(ok.json["result_on"] == "2026-01-20")
        #expect(try f.t.count("audit_log", "entity = 'positioning'") == 2)
    }

    @Test("only an entered participant is positioned, on an existing offer")
    func enteredOnly() throws {
        let f = try PathwayFixture()
        let candidate = try f.participant("candidate")
        let offer = try f.jobOffer()
        let r = f.t.post("/v1/participants/\(candidate)/positionings", obj(["job_offer_id": .string(offer)]), token: f.referentToken)
        #expect(r.status == 409)
        let p = try f.participant(name: "Entré")
        let missing = f.t.post("/v1/participants/\(p)/positionings", obj(["job_offer_id": "999"]), token: f.referentToken)
        #expect(missing.status == 422)
        #expect(f.fields(missing) == ["job_offer_id"])
        #expect(try f.t.count("positionings") == 0)
    }
}

@Suite("Follow-up")
struct FollowUpTests {
    /// An active participant whose employment started on 2026-01-15 (follow-up to 2026-07-16).
    static func inFollowUp(_ f: PathwayFixture) throws -> String {
        let p = try f.participant()
        let step = f.t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-01-15"]), token: f.referentToken)
        precondition(step.status == 201, step.text)
        return p
    }

    @Test("no follow-up: GET is a 404 saying so, a contact is a 409 (rule 7)")
    func none() throws {
        let f = try PathwayFixture()
        let p = try f.participant()
        let r = f.t.get("/v1/participants/\(p)/follow-up", token: f.referentToken)
        #expect(r.status == 404)
        #expect(r.json["detail"]?.stringValue?.contains("never had a follow-up") == true)
        let c = f.t.post("/v1/participants/\(p)/follow-up/contacts", obj(["date": "2026-01-16", "with": "participant", "summary": "Appel"]), token: f.referentToken)
        #expect(c.status == 409)
        #expect(c.json["rule"] == 7)
    }

    @Test("a contact outside the follow-up period is refused; inside it is recorded and moves the next due date")
    func contacts() throws {
        let f = try PathwayFixture(today: "2026-02-20")
        let p = try Self.inFollowUp(f)
        let before = f.t.post("/v1/participants/\(p)/follow-up/contacts", obj(["date": "2026-01-10", "with": "employer", "summary": "Appel"]), token: f.referentToken)
        #expect(before.status == 422)
        #expect(f.fields(before) == ["date"])
        let future = f.t.post("/v1/participants/\(p)/follow-up/contacts", obj(["date": "2026-02-21", "with": "employer", "summary": "Appel"]), token: f.referentToken)
        #expect(future.status == 422)
        let blank = f.t.post("/v1/participants/\(p)/follow-up/contacts", obj(["date": "2026-02-10", "with": "employer", "summary": "  "]), token: f.referentToken)
        #expect(blank.status == 422)
        #expect(try f.t.count("follow_up_contacts") == 0)
        let ok = f.t.post("/v1/participants/\(p)/follow-up/contacts", obj(["date": "2026-02-10", "with": "employer", "kind": "phone",
                                                                          "summary": "Tout va bien selon l'employeur"]), token: f.referentToken)
        #expect(ok.status == 201, "\(ok.text)")
        let fu = f.t.get("/v1/participants/\(p)/follow-up")
        #expect(fu.json["contacts"]?.arrayValue?.count == 1)
        #expect(fu.json["contacts"]?.arrayValue?.first?["with"] == "employer")
        #expect(fu.json["next_contact_due"] == "2026-03-13")
        #expect(try f.t.count("audit_log", "entity = 'follow_up_contact'") == 1)
    }

    @Test("rule 7: the questionnaire is refused before the follow-up's end, recorded once after it")
    func questionnaire() throws {
        let f = try PathwayFixture()
        let p = try Self.inFollowUp(f)
        let early = f.t.post("/v1/participants/\(p)/follow-up/questionnaire", obj(["answers": obj(["satisfaction": 4])]), token: f.referentToken)
        #expect(early.status == 409)
        #expect(early.json["remedy"]?.stringValue?.contains("2026-07-16") == true)
        f.t.setToday("2026-07-16")
        let ok = f.t.post("/v1/participants/\(p)/follow-up/questionnaire", obj(["date": "2026-07-16", "answers": obj(["satisfaction": 4, "comment": "Merci"])]),
                          token: f.referentToken)
        #expect(ok.status == 201, "\(ok.text)")
        #expect(ok.json["status"] == "completed")
        #expect(ok.json["questionnaire"]?["answers"]?["satisfaction"] == 4)
        let again = f.t.post("/v1/participants/\(p)/follow-up/questionnaire", obj(["answers": obj(["satisfaction": 1])]), token: f.referentToken)
        #expect(again.status == 409)
        #expect(f.t.get("/v1/participants/\(p)/follow-up").json["questionnaire"]?["answers"]?["satisfaction"] == 4)
        #expect(try f.t.count("audit_log", "entity = 'follow_up' AND action = 'questionnaire'") == 1)
    }
}

@Suite("Follow-up history")
struct FollowUpHistoryTests {
    @Test("rule 8: a validated exit interrupts the follow-up on the exit date; a new pathway's job opens a follow-up of its own")
    func exitEndsFollowUp() throws {
        let f = try PathwayFixture(today: "2026-03-10")
        let t = f.t
        let p = try f.participant()
        let job = t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-02-01"]))
        #expect(job.status == 201, "\(job.text)")
        #expect(f.status(p) == "in_follow_up")
        let suivi = t.post("/v1/committees", obj(["kind": "suivi", "date": "2026-03-10"])).id
        let agrement = t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-03-10"])).id
        #expect(t.post("/v1/participants/\(p)/exit", obj(["type": "demenagement", "date": "2026-03-05", "situation": "other"])).status == 201)
        let validated = t.post("/v1/committees/\(suivi)/decisions", obj(["participant_id": .string(p), "subject": "exit", "outcome": "approved"]))
        #expect(validated.status == 201, "\(validated.text)")
        #expect(f.status(p) == "exited")
        let ended = t.get("/v1/participants/\(p)/follow-up")
        #expect(ended.json["status"] == "interrupted")
        #expect(ended.json["interrupted_on"] == "2026-03-05")
        #expect(try t.count("audit_log", "entity = 'follow_up' AND action = 'interrupt' AND after LIKE '%exit_validated%'") == 1)

        // Back through the committee: the new pathway's job opens a new follow-up and moves the participant.
        #expect(t.post("/v1/participants/\(p)/candidature", obj(["committee_id": .string(agrement)])).status == 201)
        #expect(t.post("/v1/committees/\(agrement)/decisions", obj(["participant_id": .string(p), "subject": "admission", "outcome": "approved"])).status == 201)
        #expect(t.post("/v1/participants/\(p)/contract", obj(["signed_on": "2026-03-10"])).status == 201)
        #expect(f.status(p) == "active")
        let second = t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-03-10"]))
        #expect(second.status == 201, "\(second.text)")
        #expect(f.status(p) == "in_follow_up")
        let current = t.get("/v1/participants/\(p)/follow-up")
        #expect(current.json["step_id"] == .string(second.id))
        #expect(current.json["status"] == "in_progress")
        #expect(try t.count("follow_ups") == 2)
    }

    @Test("a job recorded after its follow-up already ended is kept as history: the participant stays active")
    func lateRecord() throws {
        let f = try PathwayFixture(today: "2026-12-01")
        let p = try f.participant()
        let step = f.t.post("/v1/participants/\(p)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-02-01"]), token: f.referentToken)
        #expect(step.status == 201, "\(step.text)")
        #expect(f.status(p) == "active")
        let fu = f.t.get("/v1/participants/\(p)/follow-up")
        #expect(fu.json["status"] == "completed")
        #expect(fu.json["next_contact_due"] == .null)
        let early = f.t.post("/v1/participants/\(p)/follow-up/questionnaire", obj(["date": "2026-08-01", "answers": obj(["a": 1])]), token: f.referentToken)
        #expect(early.status == 422)
        #expect(try f.t.count("follow_ups", "questionnaire_date IS NOT NULL") == 0)
    }
}
