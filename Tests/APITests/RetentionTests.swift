@testable import API
import Domain
import Foundation
import GRDB
import Testing

@Suite("Retention purge")
struct RetentionTests {
    /// What identifies Zébulon, as written anywhere: the purge must leave none of it in any table.
    static let needles = ["Zébulon", "zebulon", "Quidampierre", "quidampierre", "06 98 76 54 32", "0698765432", "zebulon.q@example.org",
                          "impasse des Songes", "1961-07-23", "23/07/1961", "Coulommiers", "dépression", "Cariste chez Songes"]

    /// Every table, every column (hidden and generated ones too), as text and bytes: where a needle is found.
    static func occurrences(_ t: TestApp, _ needles: [String]) throws -> [String] {
        try t.pool.read { db in
            var hits: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                for column in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo(?)", arguments: [table]) {
                    for needle in needles {
                        let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\" WHERE instr(lower(CAST(\"\(column)\" AS TEXT)), lower(?)) > 0",
                                                 arguments: [needle]) ?? 0
                        if n > 0 { hits.append("\(table).\(column): \(needle)") }
                    }
                }
            }
            return hits
        }
    }

    /// Every row of every table, as text: equal before and after means nothing changed.
    static func dump(_ t: TestApp) throws -> [String] {
        try t.pool.read { db in
            var out: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") { out.append("\(table) \(row)") }
            }
            return out
        }
    }

    /// What the indicators read: entries, exits, interviews and steps by date, per participant.
    static func indicatorData(_ t: TestApp) throws -> [String] {
        try t.pool.read { db in
            var out: [String] = []
            for sql in ["SELECT id, status, entry_date, exit_date, exit_type, referent_id, operation_id, gender, education_level, employment_situation FROM participants ORDER BY id",
                        "SELECT participant_id, signed_on FROM contracts ORDER BY id",
                        "SELECT participant_id, type, category, date, status, entry_date, decided_on FROM exits ORDER BY id",
                        "SELECT participant_id, date, kind, count(*) FROM interviews GROUP BY participant_id, date, kind ORDER BY 1, 2",
                        "SELECT participant_id, type, status, planned_start, actual_start, actual_end FROM steps ORDER BY id"] {
                out += try Row.fetchAll(db, sql: sql).map { "\($0)" }
            }
            return out
        }
    }

    /// Zébulon, exited in 2014, with identity, contact, sensitive notes and a document everywhere; Alice, exited in 2024.
    static func setUp(_ t: TestApp) throws -> (old: String, recent: String) {
        _ = ImportTests.setUp(t)
        let referent = ImportTests.setUpReferent(t)
        let created = t.post("/v1/participants", obj([
            "first_name": "Zébulon", "last_name": "Quidampierre", "birth_date": "1961-07-23", "referent_id": .string(referent),
            "gender": "man", "phone": "06 98 76 54 32", "email": "zebulon.q@example.org", "address": "17 impasse des Songes",
            "postal_code": "77120", "city": "Coulommiers", "professional_goal": "Cariste chez Songes SA", "disability": true,
            "eligibility": ["rqth", "brsa", "qpv"], "education_level": "isced_0_2", "employment_situation": "long_term_unemployed",
        ]), headers: [("Idempotency-Key", "create-zebulon")])
        precondition(created.status == 201, created.text)
        let old = created.id
        #expect(t.post("/v1/participants/\(old)/barriers", obj(["kind": "health", "detail": "Zébulon: dépression"])).status == 201)
        let interview = t.post("/v1/participants/\(old)/interviews", obj(["date": "2012-02-01", "kind": "individual",
                                                                          "summary": "Zébulon Quidampierre parle de sa dépression"]))
        #expect(interview.status == 201, "\(interview.text)")
        let doc = t.send("POST", "/v1/participants/\(old)/documents?kind=other&filename=quidampierre.txt",
                         rawBody: Array("Bulletin de Zébulon Quidampierre".utf8), contentType: "text/plain")
        #expect(doc.status == 201, "\(doc.text)")
        // History from the former tool: entered in 2012, left in 2014; Alice left in 2024.
        let csv = "nom;prénom;date de naissance;référent;date d'entrée;date de sortie;type de sortie\n"
            + "Quidampierre;Zébulon;23/07/1961;anne@plie.fr;10/01/2012;30/06/2014;CDI\n"
            + "Récente;Alice;01/01/1990;anne@plie.fr;10/01/2023;30/06/2024;CDI\n"
        let r = ImportTests.importCSV(t, Array(csv.utf8), query: "?on_existing=update")
        #expect(r.json["summary"] == obj(["rows": 2, "created": 1, "updated": 1, "skipped": 0, "errors": 0]), "\(r.text)")
        let recent = r.json["created"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        try t.pool.write { db in
            let p = Int64(old)!
            let now = "2014-01-01T00:00:00.000Z"
            try db.execute(sql: "UPDATE exits SET situation_detail = 'Zébulon est cariste' WHERE participant_id = ?", arguments: [p])
            try db.execute(sql: "INSERT INTO steps (participant_id, type, status, actual_start, actual_end, comment, evaluation_comment, objectives_met, created_at, updated_at) VALUES (?, 'employment', 'completed', '2013-01-01', '2014-06-01', 'Quidampierre motivé', 'Zébulon a réussi', 'yes', ?, ?)", arguments: [p, now, now])
            try db.execute(sql: "INSERT INTO follow_ups (participant_id, starts_on, ends_on, questionnaire_date, questionnaire_answers, created_at, updated_at) VALUES (?, '2013-01-01', '2013-07-02', '2013-07-03', '{\"avis\": \"Zébulon est content\"}', ?, ?)", arguments: [p, now, now])
            try db.execute(sql: "INSERT INTO follow_up_contacts (follow_up_id, date, with_whom, summary, created_at) VALUES (?, '2013-02-01', 'employer', 'M. Quidampierre va bien', ?)", arguments: [db.lastInsertedRowID, now])
        }
        return (old, recent)
    }

    @Test("the purge leaves nothing identifying in any table, keeps what the indicators read, and spares recent exits")
    func purge() throws {
        let t = try TestApp(today: "2026-03-01")
        let (old, recent) = try Self.setUp(t)
        #expect(!(try Self.occurrences(t, Self.needles)).isEmpty)
        let indicatorsBefore = try Self.indicatorData(t)
        let recentBefore = t.get("/v1/participants/\(recent)").json

        let report = try RetentionPurge.run(pool: t.pool, settings: t.app.env.settings, clock: t.app.env.clock, dryRun: false, requestId: "test")
        #expect(report.participantIds == [Int64(old)!])
        #expect(report.cutoff == Day("2016-03-01"))

        #expect(try Self.occurrences(t, Self.needles) == [])
        #expect(try Self.indicatorData(t) == indicatorsBefore)
        #expect(t.get("/v1/participants/\(recent)").json == recentBefore)
        let p = t.get("/v1/participants/\(old)").json
        #expect(p["first_name"] == .string(RetentionPurge.marker))
        #expect(p["birth_date"] == .null)
        #expect(p["postal_code"] == "77")
        #expect(p["gender"] == "man")
        #expect(p["education_level"] == "isced_0_2")
        #expect(p["eligibility"] == ["qpv"])
        #expect(try t.count("participants", "id = \(old) AND birth_year = 1961 AND anonymised_at IS NOT NULL") == 1)
        #expect(try t.count("document_contents") == 0)
        #expect(try t.count("documents", "purged_at IS NOT NULL") == 1)
        #expect(try t.count("idempotency_keys") == 0)
        #expect(try t.count("audit_log", "action = 'purge' AND entity = 'retention'") == 1)
        // The audit trail is append-only again.
        #expect(throws: (any Error).self) { try t.pool.write { db in try db.execute(sql: "UPDATE audit_log SET action = 'x'") } }
        #expect(throws: (any Error).self) { try t.pool.write { db in try db.execute(sql: "DELETE FROM audit_log") } }
        // Rule 10 no longer recognises the person: a new file can be created.
        let again = t.post("/v1/participants", obj(["first_name": "Zébulon", "last_name": "Quidampierre", "birth_date": "1961-07-23",
                                                    "referent_id": .string(ImportTests.setUpReferent(t))]))
        #expect(again.status == 201)
        // A second purge has nothing left to do.
        #expect(try RetentionPurge.run(pool: t.pool, settings: t.app.env.settings, clock: t.app.env.clock, dryRun: false, requestId: "test").participantIds == [])
    }

    @Test("a dry run reports who would be anonymised and changes nothing")
    func dryRun() throws {
        let t = try TestApp(today: "2026-03-01")
        let (old, _) = try Self.setUp(t)
        let before = try Self.dump(t)
        let report = try RetentionPurge.run(pool: t.pool, settings: t.app.env.settings, clock: t.app.env.clock, dryRun: true, requestId: "test")
        #expect(report.participantIds == [Int64(old)!])
        #expect(report.json["dry_run"] == true)
        #expect(try Self.dump(t) == before)
    }

    @Test("the retention setting decides: with 20 years nobody exited in 2014 is purged")
    func setting() throws {
        var settings = Settings()
        settings.retentionYears = 20
        let t = try TestApp(settings: settings, today: "2026-03-01")
        _ = try Self.setUp(t)
        let report = try RetentionPurge.run(pool: t.pool, settings: t.app.env.settings, clock: t.app.env.clock, dryRun: false, requestId: "test")
        #expect(report.participantIds == [])
        #expect(report.cutoff == Day("2006-03-01"))
    }
}
