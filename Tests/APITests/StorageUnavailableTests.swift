@testable import API
import GRDB
import HTTPServer
import Testing

@Suite("A database that cannot write now: 503, nothing stored")
struct StorageUnavailableTests {
    @Test("the disk full (max_page_count reached on the writer): 503 with Retry-After, no row and no audit row, then the same request succeeds")
    func diskFull() throws {
        let t = try TestApp(today: "2026-03-10")
        // The writer's connection may not grow the file past its size now: the next write that
        // needs a new page fails with SQLITE_FULL, as on a full disk.
        try t.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        let padding = String(repeating: "x", count: 400)
        var refused: TestResponse?
        var before = (structures: 0, audit: 0)
        var body = obj([:])
        for i in 0..<2_000 {
            body = obj(["name": .string("Structure \(i)"), "address": .string(padding)])
            before = (try t.count("structures"), try t.count("audit_log"))
            let r = t.post("/v1/structures", body)
            if r.status == 201 { continue }
            refused = r
            break
        }
        let r = try #require(refused, "the file never filled")
        #expect(r.status == 503, "\(r.text)")
        #expect(r.headers["Content-Type"] == Problem.contentType)
        #expect(r.headers["Retry-After"] == "60")
        #expect(r.json["type"]?.stringValue == "https://parcours.plie/problems/storage-unavailable")
        #expect(r.json["detail"]?.stringValue?.contains("disk is full") == true)
        #expect(try t.count("structures") == before.structures)
        #expect(try t.count("audit_log") == before.audit)

        try t.pool.writeWithoutTransaction { db in _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = 1073741823") }
        let again = t.post("/v1/structures", body)
        #expect(again.status == 201, "\(again.text)")
        #expect(try t.count("structures") == before.structures + 1)
        #expect(try t.count("audit_log") > before.audit)
    }

    @Test("which database errors are a 503 (and when to retry), and which stay a 500")
    func mapping() {
        func answer(_ code: ResultCode) -> (status: Int, retryAfter: String?) {
            let (response, isInternal) = Problem.response(for: DatabaseError(resultCode: code), requestId: "r1")
            #expect(isInternal, "logged for the administrator either way")
            return (response.status, response.headers["Retry-After"])
        }
        #expect(answer(.SQLITE_BUSY) == (503, "1"))
        #expect(answer(.SQLITE_LOCKED) == (503, "1"))
        #expect(answer(.SQLITE_FULL) == (503, "60"))
        #expect(answer(.SQLITE_IOERR) == (503, "60"))
        #expect(answer(.SQLITE_IOERR_FSYNC) == (503, "60"), "an extended code maps by its primary code")
        #expect(answer(.SQLITE_READONLY) == (503, "60"))
        #expect(answer(.SQLITE_CONSTRAINT) == (500, nil))
        #expect(answer(.SQLITE_ERROR) == (500, nil))
        #expect(answer(.SQLITE_CORRUPT) == (500, nil))
    }
}
