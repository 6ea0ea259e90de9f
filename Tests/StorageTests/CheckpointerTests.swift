import Foundation
import GRDB
import Testing
@testable import Storage

@Suite("WAL checkpoints off the request path")
struct CheckpointerTests {
    /// Rows of `t` in a copy of the database file alone, without its WAL: what is checkpointed.
    private func rowsInMainFile(_ path: String, _ folder: TemporaryFolder) throws -> Int {
        let copy = folder.file("main-only-\(UUID().uuidString).sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? -1 }
    }

    @Test("the writer leaves checkpoints to the checkpointer, whose checkpoint puts every commit in the database file")
    func checkpoints() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("parcours.sqlite")
        let pool = try openDatabase(StorageConfiguration(path: path))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER PRIMARY KEY, pad TEXT) STRICT") }
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let checkpointer = try Checkpointer(pool: pool, interval: 3600)
        try checkpointer.start()
        defer { checkpointer.stop() }

        // About 1,500 pages of commits: past SQLite's own threshold of 1,000, short of the safety one.
        let pad = String(repeating: "x", count: 3000)
        for i in 0..<1500 { try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [i, pad]) } }
        #expect(try rowsInMainFile(path, folder) == 0, "the writer checkpointed by itself")

        let result = try checkpointer.checkpoint()
        #expect(result.walFrames > 1000 && result.checkpointed == result.walFrames)
        #expect(try rowsInMainFile(path, folder) == 1500)
        #expect(checkpointer.status.runs == 1 && checkpointer.status.lastError == nil)
    }

    @Test("stopping gives the writer back its own checkpoints")
    func stopRestoresDefault() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite")))
        let checkpointer = try Checkpointer(pool: pool, interval: 3600, safetyPages: 5000)
        try checkpointer.start()
        #expect(try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 5000)
        checkpointer.stop()
        #expect(try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 1000)
    }

    @Test("the timer checkpoints by itself")
    func timer() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite")))
        let checkpointer = try Checkpointer(pool: pool, interval: 0.05)
        try checkpointer.start()
        defer { checkpointer.stop() }
        let deadline = Date().addingTimeInterval(5)
        while checkpointer.status.runs < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(checkpointer.status.runs >= 2)
    }
}
