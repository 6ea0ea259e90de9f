import Foundation
import GRDB
import Testing
@testable import Storage

@Suite("WAL checkpoints off the request path")
struct CheckpointerTests {
    /// The writer's automatic checkpoint threshold, in pages.
    private func autocheckpoint(_ pool: DatabasePool) throws -> Int? {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
    }

    /// A new database with a table `t` of rows padded to about a page each (its folder keeps
    /// the file alive).
    private func paddedTable() throws -> (folder: TemporaryFolder, path: String, pool: DatabasePool) {
        let folder = try TemporaryFolder()
        let path = folder.file("parcours.sqlite")
        let pool = try openDatabase(StorageConfiguration(path: path))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER PRIMARY KEY, pad TEXT) STRICT") }
        return (folder, path, pool)
    }

    /// One commit per row of `t`, for the keys `keys`: a WAL frame or so each.
    private func insert(_ pool: DatabasePool, _ keys: Range<Int>) throws {
        let pad = String(repeating: "x", count: 3000)
        for i in keys { try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [i, pad]) } }
    }

    /// Rows of `t` in a copy of the database file alone, without its WAL: what is checkpointed.
    private func rowsInMainFile(_ path: String, _ folder: TemporaryFolder) throws -> Int {
        let copy = folder.file("main-only-\(UUID().uuidString).sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? -1 }
    }

    @Test("the writer leaves checkpoints to the checkpointer, whose checkpoint puts every commit in the database file")
    func checkpoints() throws {
        let (folder, path, pool) = try paddedTable()
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        let checkpointer = try Checkpointer(pool: pool, interval: 3600)
        try checkpointer.start()
        defer { checkpointer.stop() }

        // About 1,500 pages of commits: past SQLite's own threshold of 1,000, short of the safety one.
        try insert(pool, 0..<1500)
        #expect(try rowsInMainFile(path, folder) == 0, "the writer checkpointed by itself")

        let result = try checkpointer.checkpoint()
        #expect(result.walFrames > 1000 && result.checkpointed == result.walFrames)
        #expect(try rowsInMainFile(path, folder) == 1500)
        #expect(checkpointer.status.runs == 1 && checkpointer.status.lastError == nil)
    }

    @Test("past restartFrames, a quiet moment lets the WAL start over; a write under way makes it wait for the next tick")
    func restart() throws {
        let (folder, _, pool) = try paddedTable()
        defer { withExtendedLifetime(folder) {} }
        let checkpointer = try Checkpointer(pool: pool, interval: 3600, restartFrames: 100)
        try checkpointer.start()
        defer { checkpointer.stop() }
        try insert(pool, 0..<300)
        // A write holding the lock: the restart gives up at once (no wait), the passive part is done.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            try? pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (-1, 'held')"); holding.signal(); release.wait() }
            done.signal()
        }.start()
        holding.wait()
        let start = Date()
        let busy = try checkpointer.checkpoint()
        #expect(Date().timeIntervalSince(start) < 1, "the checkpointer waited for the writer")
        #expect(busy.walFrames > 300 && checkpointer.status.restarts == 0)
        release.signal()
        // Quiet once the write has returned: it restarts, and the next writes begin a new WAL.
        // (Not once its row is visible: SQLite publishes a commit to readers a moment before it
        // lets go of the write lock, and a RESTART in that moment is busy.)
        done.wait()
        try checkpointer.checkpoint()
        #expect(checkpointer.status.restarts == 1)
        try insert(pool, 1000..<1005)
        let after = try checkpointer.checkpoint()
        #expect(after.walFrames < 100, "the WAL did not start over: \(after.walFrames) frames")
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 306)
    }

    @Test("once the WAL started over, an idle WAL is not restarted again at every tick")
    func idleRestartOnce() throws {
        let (folder, _, pool) = try paddedTable()
        defer { withExtendedLifetime(folder) {} }
        let checkpointer = try Checkpointer(pool: pool, interval: 3600, restartFrames: 100)
        try insert(pool, 0..<300)
        try checkpointer.checkpoint()
        #expect(checkpointer.status.restarts == 1)
        // No write since: the WAL keeps its length, and there is nothing to start over.
        for _ in 0..<5 { try checkpointer.checkpoint() }
        #expect(checkpointer.status.restarts == 1 && checkpointer.status.runs == 6)
        // Writes fill a new WAL past the threshold: restarted again.
        try insert(pool, 1000..<1400)
        try checkpointer.checkpoint()
        #expect(checkpointer.status.restarts == 2 && checkpointer.status.errors == 0)
    }

    @Test("a checkpointer released without being started, or started twice, is harmless")
    func lifecycle() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite")))
        do {
            // Dispatch traps on a timer source released without ever being resumed.
            let unused = try Checkpointer(pool: pool)
            try unused.checkpoint()
        }
        let twice = try Checkpointer(pool: pool, interval: 3600)
        try twice.start()
        try twice.start()
        twice.stop()
        twice.stop()
        #expect(try autocheckpoint(pool) == 1000)
    }

    @Test("stopping gives the writer back its own checkpoints")
    func stopRestoresDefault() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite")))
        let checkpointer = try Checkpointer(pool: pool, interval: 3600, safetyPages: 5000)
        try checkpointer.start()
        #expect(try autocheckpoint(pool) == 5000)
        checkpointer.stop()
        #expect(try autocheckpoint(pool) == 1000)
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
