@testable import API
import Domain
import Foundation
import GRDB
import HTTPServer
import TestSupport
import Testing

@Suite("FSE export")
struct FSEExportTests {
    /// A period (Q1 2026) and participants around it: A entered in it, B left on its last day,
    /// G entered on its first day; C left before it, D entered after it, E's exit is only
    /// proposed, F entered the day before it.
    struct Fixture {
        let t: TestApp
        let referent: Int64
        let operation: Int64
        let inPeriod: Set<String>
        let a: Int64, b: Int64
    }

    static func fixture() throws -> Fixture {
        let t = try TestApp(today: "2026-04-15")
        let s = try Seed.structure(t)
        let r = try Seed.referent(t, structure: s)
        let o = try Seed.operation(t, name: "Accompagnement; \"renforcé\"")
        let a = try Seed.participant(t, referent: r, first: "Élodie", last: "Gérard", entry: "2026-02-10", operation: o)
        let b = try Seed.participant(t, referent: r, entry: "2025-06-01", operation: o, situation: "inactive")
        try Seed.step(t, participant: b, actualEnd: "2026-03-01")
        _ = try Seed.exit(t, participant: b, date: "2026-03-31")
        let c = try Seed.participant(t, referent: r, entry: "2025-01-01", operation: o)
        _ = try Seed.exit(t, participant: c, date: "2025-12-31")
        _ = try Seed.participant(t, referent: r, entry: "2026-04-01", operation: o)
        let e = try Seed.participant(t, referent: r, entry: "2025-05-01", operation: o)
        _ = try Seed.exit(t, participant: e, date: "2026-02-01", status: "proposed")
        _ = try Seed.participant(t, referent: r, entry: "2025-12-31", operation: o)
        let g = try Seed.participant(t, referent: r, entry: "2026-01-01")
        _ = try Seed.participant(t, referent: r, entry: nil)
        return Fixture(t: t, referent: r, operation: o, inPeriod: [String(a), String(b), String(g)], a: a, b: b)
    }

    static let q1 = "/v1/exports/fse?from=2026-01-01&to=2026-03-31"

    @Test("the CSV export holds exactly the participants who entered or left in the period, with a BOM, read by Python's csv")
    func csvRows() throws {
        let f = try Self.fixture()
        let r = f.t.get(Self.q1)
        #expect(r.status == 200, "\(r.text)")
        #expect(r.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(r.headers["Content-Disposition"] == "attachment; filename=\"fse-2026-01-01-2026-03-31.csv\"")
        #expect(Array(r.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try Python.csvRows(r.body)
        let header = try #require(rows.first)
        #expect(header.first == "participant_id")
        #expect(header == FSEExportRow.columnNames)
        let data = rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        #expect(Set(data.compactMap { $0["participant_id"] }) == f.inPeriod)
        #expect(data.count == 3)

        let b = try #require(data.first { $0["participant_id"] == String(f.b) })
        #expect(b["exit_date"] == "31/03/2026")
        #expect(b["entry_date"] == "01/06/2025")
        #expect(b["operation_name"] == "Accompagnement; \"renforcé\"")
        #expect(b["exit_type"] == "cdi" && b["exit_category"] == "positive")
        #expect(b["in_employment"] == "oui" && b["job_searching"] == "non" && b["in_education_or_training"] == "non")
        #expect(b["gained_qualification"] == "oui")
        #expect(b["inactive"] == "oui" && b["unemployed"] == "non")
        #expect(b["six_month_in_employment"] == "" && b["six_month_improved"] == "")

        let a = try #require(data.first { $0["participant_id"] == String(f.a) })
        #expect(a["exit_date"] == "" && a["in_employment"] == "" && a["gained_qualification"] == "")
        #expect(a["unemployed"] == "oui" && a["long_term_unemployed"] == "oui" && a["employed"] == "non")
        #expect(a["gender"] == "woman" && a["education_level"] == "isced_3_4")
        #expect(a["third_country_national"] == "oui" && a["disability"] == "non")
        #expect(a["age_at_entry"] == "35" && a["age_band"] == "30_54")
    }

    @Test("the JSON export parses and holds the same rows; Accept: application/json chooses it")
    func jsonRows() throws {
        let f = try Self.fixture()
        for r in [f.t.get(Self.q1 + "&format=json"), f.t.send("GET", Self.q1, headers: [("Accept", "application/json")])] {
            #expect(r.status == 200)
            #expect(r.headers["Content-Type"] == "application/json")
            let items = try #require(r.json.arrayValue)
            #expect(Set(items.compactMap { $0["participant_id"]?.stringValue }) == f.inPeriod)
            let b = try #require(items.first { $0["participant_id"] == .string(String(f.b)) })
            #expect(b["exit_date"] == "2026-03-31")
            #expect(b["in_employment"] == true)
            #expect(b["six_month_improved"] == .null)
        }
    }

    @Test("the XLSX export is a workbook whose sheet holds the header and the same rows")
    func xlsxRows() throws {
        let f = try Self.fixture()
        let r = f.t.get(Self.q1 + "&format=xlsx")
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(r.headers["Content-Disposition"] == "attachment; filename=\"fse-2026-01-01-2026-03-31.xlsx\"")
        let rows = try XLSXSheet.rows(r.body)
        #expect(rows.count == 4)
        #expect(rows.first?["A"] == "participant_id")
        #expect(Set(rows.dropFirst().compactMap { $0["A"] }) == f.inPeriod)
    }

    @Test("age bands are computed on the entry date at their edges: 17/18, 29/30, 54/55")
    func ageBands() throws {
        let t = try TestApp()
        let r = try Seed.referent(t, structure: try Seed.structure(t))
        let births = ["2008-03-02": "below_18", "2008-03-01": "18_29", "1996-03-02": "18_29", "1996-03-01": "30_54",
                      "1971-03-02": "30_54", "1971-03-01": "55_plus"]
        var expected: [String: String] = [:]
        for (birth, band) in births {
            expected[String(try Seed.participant(t, referent: r, birth: birth, entry: "2026-03-01"))] = band
        }
        let items = try #require(t.get("/v1/exports/fse?from=2026-03-01&to=2026-03-01&format=json").json.arrayValue)
        var got: [String: String] = [:]
        for item in items { got[item["participant_id"]?.stringValue ?? ""] = item["age_band"]?.stringValue }
        #expect(got == expected)
    }

    @Test("only coordinators, admins and auditors export: a referent or a structure manager gets 403")
    func access() throws {
        let f = try Self.fixture()
        let structure = try f.t.pool.read { db in try Int64.fetchOne(db, sql: "SELECT structure_id FROM referents WHERE id = ?", arguments: [f.referent]) }
        #expect(f.t.get(Self.q1, token: f.t.token(.referent, referentId: String(f.referent))).status == 403)
        #expect(f.t.get(Self.q1, token: f.t.token(.structureManager, structureId: String(structure ?? 0))).status == 403)
        #expect(f.t.get(Self.q1, token: f.t.token(.auditor)).status == 200)
        #expect(f.t.get(Self.q1, token: f.t.token(.coordinator)).status == 200)
        #expect(f.t.get(Self.q1, token: "").status == 401)
    }

    @Test("a wrong period or format is a 422 naming the field and the choices")
    func validation() throws {
        let f = try Self.fixture()
        let missing = f.t.get("/v1/exports/fse?from=2026-01-01")
        #expect(missing.status == 422)
        #expect(missing.json["errors"]?.arrayValue?.first?["field"] == "to")
        #expect(f.t.get("/v1/exports/fse?from=2026-04-01&to=2026-03-01").status == 422)
        #expect(f.t.get("/v1/exports/fse?from=2026-02-30&to=2026-03-01").status == 422)
        let format = f.t.get(Self.q1 + "&format=pdf")
        #expect(format.status == 422)
        #expect(format.json["detail"]?.stringValue?.contains("csv, json, xlsx") == true)
        #expect(f.t.get(Self.q1 + "&operation_id=abc").status == 422)
        #expect(f.t.get(Self.q1 + "&operation_id=999").status == 422)
    }

    @Test("operation_id keeps the participants of that operation only")
    func byOperation() throws {
        let f = try Self.fixture()
        let items = try #require(f.t.get(Self.q1 + "&format=json&operation_id=\(f.operation)").json.arrayValue)
        #expect(Set(items.compactMap { $0["participant_id"]?.stringValue }) == [String(f.a), String(f.b)])
    }

    @Test("the export query is driven by the dated indexes, not a scan of every participant or exit")
    func queryPlan() throws {
        let t = try TestApp()
        let plan = try t.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + FSEExportQuery.sql,
                             arguments: FSEExportQuery.arguments(from: Day("2026-01-01")!, to: Day("2026-03-31")!, operationId: nil))
        }
        // Rows are streamed in id order without a sort of whole rows at the top level.
        #expect(!plan.contains { ($0["parent"] as Int) == 0 && ($0["detail"] as String).contains("TEMP B-TREE") })
        let details = plan.map { $0["detail"] as String }
        let text = details.joined(separator: "\n")
        #expect(text.contains("participants_entry"), "\(text)")
        #expect(text.contains("exits_validated"), "\(text)")
        #expect(!details.contains { $0.hasPrefix("SCAN participants") || $0.hasPrefix("SCAN p") || $0.hasPrefix("SCAN exits") || $0.hasPrefix("SCAN x") }, "\(text)")
    }

    @Test("a large export is streamed: the body reaches the socket in many pieces, not as one file")
    func streamed() throws {
        let t = try TestApp()
        let r = try Seed.referent(t, structure: try Seed.structure(t))
        try t.pool.write { db in
            for i in 0..<5_000 {
                try db.execute(sql: """
                    INSERT INTO participants (first_name, last_name, identity_key, referent_id, status, entry_date, created_at, updated_at)
                    VALUES ('A', 'B', ?, ?, 'active', '2026-02-01', 'x', 'x')
                    """, arguments: ["k\(i)", r])
            }
        }
        let head = HTTPRequestHead(method: "GET", target: Self.q1, path: "/v1/exports/fse", query: "from=2026-01-01&to=2026-03-31",
                                   version: .http1_1, headers: HTTPHeaders([("Authorization", "Bearer \(t.adminToken)")]), remoteAddress: "test")
        let response = t.app.respond(to: HTTPRequest(head: head))
        guard case .stream(let producer) = response.body else { Issue.record("the export is not streamed"); return }
        let pieces = BytesBox()
        var count = 0
        try producer { piece in count += 1; pieces.bytes += piece }
        #expect(count > 3)
        #expect(try Python.csvRows(pieces.bytes).count == 5_001)
    }

    // MARK: Six-month result

    @Test("the six-month result is recorded on the validated exit from exit + 6 months - 4 weeks, audited, and exported")
    func sixMonthResult() throws {
        let t = try TestApp(today: "2026-12-01")
        let r = try Seed.referent(t, structure: try Seed.structure(t))
        let p = try Seed.participant(t, referent: r, entry: "2025-06-01")
        let path = "/v1/participants/\(p)/six-month-result"
        let body = obj(["in_employment": true, "improved_situation": true, "date": "2026-07-02"])

        let noExit = t.post(path, body)
        #expect(noExit.status == 409, "\(noExit.text)")

        let exitId = try Seed.exit(t, participant: p, date: "2026-01-31")
        let early = t.post(path, body)
        #expect(early.status == 422)
        #expect(early.json["errors"]?.arrayValue?.first?["field"] == "date")
        #expect(try t.count("exits", "six_month_in_employment IS NOT NULL") == 0)
        #expect(t.post(path, obj(["in_employment": true, "improved_situation": true, "date": "2026-12-02"])).status == 422)
        #expect(t.post(path, obj(["in_employment": "yes", "improved_situation": true, "date": "2026-07-03"])).status == 422)

        let ok = t.post(path, obj(["in_employment": true, "improved_situation": false, "date": "2026-07-03"]))
        #expect(ok.status == 200, "\(ok.text)")
        #expect(ok.json["exit_id"] == .string(String(exitId)))
        #expect(ok.json["in_employment"] == true && ok.json["improved_situation"] == false)
        #expect(try t.count("audit_log", "action = 'six_month_result' AND entity = 'exit' AND participant_id = \(p)") == 1)

        let items = try #require(t.get("/v1/exports/fse?from=2026-01-01&to=2026-01-31&format=json").json.arrayValue)
        #expect(items.first?["six_month_in_employment"] == true && items.first?["six_month_improved"] == false)
    }

    @Test("the six-month result: an auditor gets 403 and another referent's participant is a 404")
    func sixMonthAccess() throws {
        let t = try TestApp(today: "2026-12-01")
        let s = try Seed.structure(t)
        let r1 = try Seed.referent(t, structure: s), r2 = try Seed.referent(t, structure: s, first: "Paul", last: "Petit")
        let p = try Seed.participant(t, referent: r1, entry: "2025-06-01")
        _ = try Seed.exit(t, participant: p, date: "2026-01-31")
        let body = obj(["in_employment": true, "improved_situation": true, "date": "2026-08-01"])
        #expect(t.post("/v1/participants/\(p)/six-month-result", body, token: t.token(.auditor)).status == 403)
        #expect(t.post("/v1/participants/\(p)/six-month-result", body, token: t.token(.referent, referentId: String(r2))).status == 404)
        #expect(t.post("/v1/participants/\(p)/six-month-result", body, token: t.token(.referent, referentId: String(r1))).status == 200)
    }

    // MARK: Attendance sheet

    @Test("the attendance sheet lists the participant's interviews in date order under lines naming participant and referent")
    func attendance() throws {
        let t = try TestApp()
        let s = try Seed.structure(t)
        let r = try Seed.referent(t, structure: s, first: "Anne", last: "Martin")
        let other = try Seed.referent(t, structure: s, first: "Paul", last: "Petit")
        let p = try Seed.participant(t, referent: r, first: "Élodie", last: "Gérard", entry: "2026-01-05")
        _ = try Seed.interview(t, participant: p, referent: r, date: "2026-03-02", kind: "phone", minutes: 20, signed: false)
        _ = try Seed.interview(t, participant: p, referent: r, date: "2026-01-05")
        _ = try Seed.interview(t, participant: p, referent: other, date: "2026-02-10", kind: "workplace", minutes: 60)

        let res = t.get("/v1/exports/attendance?participant_id=\(p)")
        #expect(res.status == 200, "\(res.text)")
        #expect(res.headers["Content-Type"] == "text/csv; charset=utf-8")
        let rows = try Python.csvRows(res.body)
        #expect(rows.first?.first == "Feuille d'émargement")
        #expect(rows.contains { $0.starts(with: ["Participant", "Élodie GÉRARD"]) })
        #expect(rows.contains { $0.starts(with: ["Référent de parcours", "Anne MARTIN"]) })
        let header = try #require(rows.firstIndex { $0.first == "Date" })
        let lines = Array(rows[(header + 1)...])
        #expect(lines.map { $0[0] } == ["05/01/2026", "10/02/2026", "02/03/2026"])
        #expect(lines[1][3] == "Paul PETIT")
        #expect(lines[2][1] == "téléphonique" && lines[2][2] == "20" && lines[2][4] == "non")
        #expect(lines[0][4] == "oui")
    }

    @Test("the attendance sheet: participant_id is required (422) and someone else's participant is a 404")
    func attendanceAccess() throws {
        let t = try TestApp()
        let s = try Seed.structure(t)
        let r1 = try Seed.referent(t, structure: s), r2 = try Seed.referent(t, structure: s, first: "Paul", last: "Petit")
        let p = try Seed.participant(t, referent: r1, entry: "2026-01-05")
        #expect(t.get("/v1/exports/attendance").status == 422)
        #expect(t.get("/v1/exports/attendance?participant_id=\(p)", token: t.token(.referent, referentId: String(r2))).status == 404)
        #expect(t.get("/v1/exports/attendance?participant_id=\(p)", token: t.token(.referent, referentId: String(r1))).status == 200)
        #expect(t.get("/v1/exports/attendance?participant_id=999").status == 404)
    }
}
