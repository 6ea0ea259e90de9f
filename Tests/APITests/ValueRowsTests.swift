@testable import API
import Domain
import GRDB
import Testing

/// The hot routes read their statements by position (`ValueRows`) instead of through GRDB's
/// `Row`: what they answer must stay what the `Row` renderers give for the same data.
@Suite("Rows read by position")
struct ValueRowsTests {
    @Test("values come in the statement's column order, nulls included; fetchOne gives nil when nothing matches")
    func order() throws {
        let app = try TestApp()
        try app.pool.read { db in
            let statement = try db.makeStatement(sql: "SELECT ? AS b, 'x' AS a, NULL, 2.5")
            let row = try #require(try ValueRows.fetchOne(statement, arguments: [7]))
            #expect(row == [7.databaseValue, "x".databaseValue, .null, 2.5.databaseValue])
            // The same statement again (as a cached one is), with other arguments.
            #expect(try ValueRows.fetchOne(statement, arguments: [8])?.first == 8.databaseValue)
            let none = try db.makeStatement(sql: "SELECT id FROM participants WHERE id = ?")
            #expect(try ValueRows.fetchOne(none, arguments: [123_456]) == nil)
            let many = try db.makeStatement(sql: "SELECT value FROM json_each('[3,1,2]') ORDER BY value DESC")
            #expect(try ValueRows.fetchAll(many, arguments: []) == [[3.databaseValue], [2.databaseValue], [1.databaseValue]])
        }
    }

    @Test("GET /v1/participants/{id} and its interviews answer what the Row renderers give, for every demo participant")
    func sameAnswers() throws {
        let app = try TestApp(today: "2026-11-23", demo: DemoOptions(participants: 120, seed: 11, today: Day("2026-11-23")!))
        let ids = try app.pool.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM participants ORDER BY id") }
        var exitsShown = 0
        for id in ids {
            let (expected, etag, interviews) = try app.pool.read { db -> (JSON, String, [JSON]) in
                let row = try #require(try Row.fetchOne(db, sql: ParticipantRecord.selectSQL, arguments: [id]))
                let interviews = try Row.fetchAll(db, sql: "SELECT * FROM interviews WHERE participant_id = ? ORDER BY date, id", arguments: [id])
                return (try ParticipantRecord.full(db, row), ParticipantRecord.etagOf(row), interviews.map(InterviewsRoutes.render))
            }
            let shown = app.get("/v1/participants/\(id)")
            #expect(shown.status == 200)
            #expect(shown.text == String(decoding: expected.bytes, as: UTF8.self))
            #expect(shown.etag == etag)
            if shown.json["exit"] != JSON.null { exitsShown += 1 }
            let listed = app.get("/v1/participants/\(id)/interviews?limit=500")
            #expect(listed.status == 200)
            #expect(listed.json["items"] == .array(interviews))
        }
        // The demo has exits proposed and validated, so the current-exit path was compared too.
        #expect(exitsShown > 10)
    }
}
