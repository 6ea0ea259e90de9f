@testable import API
import Domain
import Foundation
import GRDB
import Testing

@Suite("Duplicates and merges")
struct DuplicatesTests {
    static func person(_ t: TestApp, _ referent: String, _ first: String, _ last: String, _ birth: String,
                       phone: String? = nil, email: String? = nil) -> String {
        var fields: [(String, JSON)] = [("first_name", .string(first)), ("last_name", .string(last)), ("birth_date", .string(birth)),
                                        ("referent_id", .string(referent)), ("confirmed_different_person", true)]
        if let phone { fields.append(("phone", .string(phone))) }
        if let email { fields.append(("email", .string(email))) }
        let r = t.post("/v1/participants", .object(fields))
        precondition(r.status == 201, r.text)
        return r.id
    }

    /// One row in every table that belongs to a participant, written directly: the merge must move them all.
    static func seedChildren(_ t: TestApp, _ participant: String) throws {
        let p = Int64(participant)!
        try t.pool.write { db in
            let now = "2026-01-01T00:00:00.000Z"
            try db.execute(sql: "INSERT INTO committees (kind, date, created_at, updated_at) VALUES ('agrement', '2025-01-10', ?, ?)", arguments: [now, now])
            let committee = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO job_offers (title, employer, created_at, updated_at) VALUES ('Cariste', 'ACME', ?, ?)", arguments: [now, now])
            let offer = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO barriers (participant_id, kind, detail, identified_on, created_at, updated_at) VALUES (?, 'mobility', 'no car', '2025-01-01', ?, ?)", arguments: [p, now, now])
            try db.execute(sql: "INSERT INTO decisions (committee_id, participant_id, subject, outcome, date, created_at) VALUES (?, ?, 'admission', 'approved', '2025-01-10', ?)", arguments: [committee, p, now])
            let decision = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO candidatures (participant_id, committee_id, submitted_on, status, decision_id, created_at) VALUES (?, ?, '2025-01-02', 'approved', ?, ?)", arguments: [p, committee, decision, now])
            try db.execute(sql: "INSERT INTO documents (participant_id, kind, content_type, size, sha256, created_at) VALUES (?, 'other', 'text/plain', 2, 'x', ?)", arguments: [p, now])
            let document = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO document_contents (document_id, bytes) VALUES (?, x'6869')", arguments: [document])
            try db.execute(sql: "INSERT INTO contracts (participant_id, signed_on, document_id, created_at) VALUES (?, '2025-01-15', ?, ?)", arguments: [p, document, now])
            try db.execute(sql: "INSERT INTO steps (participant_id, type, status, created_at, updated_at) VALUES (?, 'employment', 'ongoing', ?, ?)", arguments: [p, now, now])
            let step = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO interviews (participant_id, date, kind, summary, created_at) VALUES (?, '2025-02-01', 'individual', 'worked on mobility', ?)", arguments: [p, now])
            try db.execute(sql: "INSERT INTO positionings (participant_id, job_offer_id, proposed_on, created_at, updated_at) VALUES (?, ?, '2025-02-02', ?, ?)", arguments: [p, offer, now, now])
            try db.execute(sql: "INSERT INTO follow_ups (participant_id, step_id, starts_on, ends_on, created_at, updated_at) VALUES (?, ?, '2025-03-01', '2025-09-02', ?, ?)", arguments: [p, step, now, now])
            let followUp = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO follow_up_contacts (follow_up_id, date, with_whom, summary, created_at) VALUES (?, '2025-04-01', 'employer', 'all good', ?)", arguments: [followUp, now])
            try db.execute(sql: "INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, created_at, updated_at) VALUES (?, 'cdi', 'positive', '2025-10-01', 'in_employment', 'proposed', 'in_follow_up', ?, ?)", arguments: [p, now, now])
            let exit = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO exit_documents (exit_id, document_id) VALUES (?, ?)", arguments: [exit, document])
        }
    }

    /// (table, id, participant_id) of every participant-owned row, to compare states.
    static func ownership(_ t: TestApp) throws -> [String] {
        try t.pool.read { db in
            var out: [String] = []
            for table in try Merge.childTables(db) {
                for r in try Row.fetchAll(db, sql: "SELECT id, participant_id FROM \(table) ORDER BY id") {
                    out.append("\(table):\(r["id"] as Int64):\(r["participant_id"] as Int64)")
                }
            }
            return out
        }
    }

    @Test("likely pairs: same folded names with the same birth date, phone digits or lower-cased email, paginated")
    func listPairs() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, referent) = ParticipantsTests.setUp(t)
        let a = Self.person(t, referent, "Élodie", "Gérard", "1990-04-12", phone: "06 12 34 56 78")
        let b = Self.person(t, referent, "elodie", "GERARD", "1990-04-12", phone: "0612345678")
        let c = Self.person(t, referent, "Élodie", "Gérard", "1991-01-01", email: "E.Gerard@example.org")
        let d = Self.person(t, referent, "Elodie", "Gérard", "1985-05-05", email: "e.gerard@example.org ")
        _ = Self.person(t, referent, "Paul", "Gérard", "1990-04-12", phone: "0612345678")
        // `person` confirms each file as another person, which records the pair (a, b) as distinct;
        // forgotten here so that these stand for files that came in without that confirmation.
        try t.pool.write { db in try db.execute(sql: "DELETE FROM distinct_persons") }
        let r = t.get("/v1/participants/duplicates")
        #expect(r.status == 200, "\(r.text)")
        #expect(r.json["items"] == .array([
            obj(["participant_ids": [.string(a), .string(b)], "reasons": ["same_names_and_birth_date", "same_names_and_phone"]]),
            obj(["participant_ids": [.string(c), .string(d)], "reasons": ["same_names_and_email"]]),
        ]))
        let first = t.get("/v1/participants/duplicates?limit=1")
        #expect(first.json["items"]?.arrayValue?.count == 1)
        let cursor = first.json["next_cursor"]?.stringValue ?? ""
        let second = t.get("/v1/participants/duplicates?limit=1&cursor=\(cursor)")
        #expect(second.json["items"]?.arrayValue?.first?["participant_ids"] == [.string(c), .string(d)])
        #expect(second.json["next_cursor"] == .null)
        #expect(t.get("/v1/participants/duplicates", token: t.token(.auditor)).status == 200)
        #expect(t.get("/v1/participants/duplicates", token: t.token(.referent, referentId: referent)).status == 403)
    }

    @Test("rule 10: a pair confirmed as two people leaves the list, whether confirmed at creation or from the list; audited, idempotent")
    func confirmedDistinct() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, referent) = ParticipantsTests.setUp(t)
        let a = Self.person(t, referent, "Nadia", "Haddad", "1988-02-02")
        // Confirmed at creation: the new file is recorded as distinct from the file it matched.
        let b = Self.person(t, referent, "nadia", "HADDAD", "1988-02-02")
        #expect(try t.count("distinct_persons") == 1)
        #expect(try t.count("audit_log", "action = 'confirm_distinct' AND after LIKE '%confirmed_different_person%'") == 1)
        // Same names and phone, different birth dates: listed until a coordinator confirms.
        let c = Self.person(t, referent, "Marc", "Petit", "1970-01-01", phone: "0611111111")
        let d = Self.person(t, referent, "Marc", "Petit", "1975-05-05", phone: "06 11 11 11 11")
        let pairs = { t.get("/v1/participants/duplicates").json["items"]?.arrayValue?.compactMap { $0["participant_ids"] } ?? [] }
        #expect(pairs() == [[.string(c), .string(d)]], "a and b are not listed: \(a), \(b)")

        let bad: [(JSON, String)] = [
            (obj(["participant_ids": [.string(c)]]), "one id"), (obj(["participant_ids": [.string(c), .string(c)]]), "the same id twice"),
            (obj(["participant_ids": [.string(c), "999"]]), "an unknown id"), (obj([:]), "no ids"),
            (obj(["participant_ids": [.string(c), .string(d)], "note": "x"]), "an unknown field"),
        ]
        for (body, what) in bad {
            let r = t.post("/v1/participants/duplicates/distinct", body)
            #expect(r.status == 422, "\(what): \(r.text)")
        }
        #expect(t.post("/v1/participants/duplicates/distinct", obj(["participant_ids": [.string(c), .string(d)]]),
                       token: t.token(.referent, referentId: referent)).status == 403)
        #expect(t.post("/v1/participants/duplicates/distinct", obj(["participant_ids": [.string(c), .string(d)]]),
                       token: t.token(.auditor)).status == 403)
        #expect(try t.count("distinct_persons") == 1, "refusals change nothing")

        let first = t.post("/v1/participants/duplicates/distinct", obj(["participant_ids": [.string(d), .string(c)]]))
        #expect(first.status == 201, "\(first.text)")
        #expect(first.json["participant_ids"] == [.string(c), .string(d)])
        #expect(pairs().isEmpty)
        let again = t.post("/v1/participants/duplicates/distinct", obj(["participant_ids": [.string(c), .string(d)]]))
        #expect(again.status == 200)
        #expect(again.json["confirmed_at"] == first.json["confirmed_at"])
        #expect(try t.count("audit_log", "action = 'confirm_distinct'") == 2, "the repeat is not audited twice")
    }

    @Test("a merge moves every child row to the kept file, leaves no orphan, hides the duplicate (410); the revert restores the prior state")
    func mergeAndRevert() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, referent) = ParticipantsTests.setUp(t)
        let kept = Self.person(t, referent, "Élodie", "Gérard", "1990-04-12")
        let dup = Self.person(t, referent, "elodie", "gerard", "1990-04-12")
        try Self.seedChildren(t, kept)
        try Self.seedChildren(t, dup)
        let beforeOwnership = try Self.ownership(t)
        let dupRowBefore = try t.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM participants WHERE id = ?", arguments: [Int64(dup)!]) }
        let coordinator = t.token(.coordinator)

        #expect(t.post("/v1/participants/\(kept)/merge", obj(["duplicate_id": .string(dup)]), token: t.token(.referent, referentId: referent)).status == 403)
        #expect(t.post("/v1/participants/\(kept)/merge", obj(["duplicate_id": .string(kept)]), token: coordinator).status == 409)
        let merged = t.post("/v1/participants/\(kept)/merge", obj(["duplicate_id": .string(dup)]), token: coordinator)
        #expect(merged.status == 200, "\(merged.text)")
        let mergeId = merged.json["merge_id"]?.stringValue ?? ""
        let tables = try t.pool.read { db in try Merge.childTables(db) }
        #expect(Set(tables) == ["barriers", "candidatures", "contracts", "decisions", "documents", "exits", "follow_ups", "interviews", "positionings", "steps"])
        for table in tables {
            #expect(try t.count(table, "participant_id = \(dup)") == 0, "\(table)")
            #expect(try t.count(table, "participant_id = \(kept)") == 2, "\(table)")
            // No orphan: every row belongs to an existing, unmerged participant.
            #expect(try t.count(table, "participant_id NOT IN (SELECT id FROM participants WHERE merged_into IS NULL)") == 0, "\(table)")
            #expect(merged.json["moved"]?[table]?.arrayValue?.count == 1, "\(table)")
        }
        let gone = t.get("/v1/participants/\(dup)")
        #expect(gone.status == 410)
        #expect(gone.json["merged_into"] == .string(kept))
        #expect(t.get("/v1/participants").json["items"]?.arrayValue?.map { $0["id"] } == [.string(kept)])
        #expect(t.get("/v1/participants/duplicates").json["items"] == .array([]))
        #expect(t.post("/v1/participants/\(kept)/merge", obj(["duplicate_id": .string(dup)]), token: coordinator).status == 409)
        #expect(t.post("/v1/participants/\(dup)/merge", obj(["duplicate_id": .string(kept)]), token: coordinator).status == 409)
        #expect(try t.count("audit_log", "action = 'merge' AND id = \(mergeId) AND after LIKE '%\"moved\"%'") == 1)

        let reverted = t.post("/v1/merges/\(mergeId)/revert", obj([:]), token: coordinator)
        #expect(reverted.status == 200, "\(reverted.text)")
        #expect(try Self.ownership(t) == beforeOwnership)
        let dupRowAfter = try t.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM participants WHERE id = ?", arguments: [Int64(dup)!]) }
        for column in dupRowBefore.map { Array($0.columnNames) } ?? [] where !["version", "updated_at"].contains(column) {
            #expect(dupRowBefore?[column] as DatabaseValue? == dupRowAfter?[column] as DatabaseValue?, "\(column)")
        }
        #expect(t.get("/v1/participants/\(dup)").status == 200)
        #expect(t.post("/v1/merges/\(mergeId)/revert", obj([:]), token: coordinator).status == 409)
        #expect(try t.count("audit_log", "action = 'merge_revert' AND entity_id = '\(mergeId)'") == 1)
        #expect(t.post("/v1/merges/999999/revert", obj([:]), token: coordinator).status == 404)
    }
}
