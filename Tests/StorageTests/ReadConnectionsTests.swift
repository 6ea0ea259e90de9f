import Foundation
import GRDB
import Testing
@testable import Storage

@Suite("Read connections for requests")
struct ReadConnectionsTests {
    private func database(_ folder: TemporaryFolder) throws -> DatabasePool {
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite"), maxReaders: 2, busyTimeout: 2.5))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1)") }
        return pool
    }

    @Test("a read connection runs with the pool's pragmas (a smaller page cache) and cannot write")
    func pragmasAndReadOnly() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let readers = ReadConnections(pool: pool, maxCount: 2)
        let values = try readers.read { db in
            try ["foreign_keys", "journal_mode", "synchronous", "temp_store", "cache_size", "mmap_size"]
                .map { try String.fetchOne(db, sql: "PRAGMA \($0)") ?? "" }
        }
        #expect(values == ["1", "wal", "2", "2", "-4096", "0"])
        #expect(throws: DatabaseError.self) {
            try readers.read { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
        }
        // The refused write left nothing, and the connection is usable again (its transaction ended).
        #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 1)
    }

    @Test("a read is one snapshot: a write committed during it is not seen before the next read")
    func oneSnapshot() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let readers = ReadConnections(pool: pool, maxCount: 2)
        let (first, second) = try readers.read { db -> (Int?, Int?) in
            let first = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
            try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
            return (first, try Int.fetchOne(db, sql: "SELECT count(*) FROM t"))
        }
        #expect(first == 1 && second == 1)
        #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 2)
    }

    @Test("an error thrown inside a read ends its transaction and is passed on")
    func errorEndsTransaction() throws {
        struct Stop: Error {}
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let readers = ReadConnections(pool: pool, maxCount: 1)
        #expect(throws: Stop.self) {
            try readers.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
                throw Stop()
            }
        }
        // With one connection, the next read gets the same one: a transaction left open would
        // have it still see the old snapshot, or fail to begin.
        try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
        #expect(try readers.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 2)
    }

    @Test("no more than maxCount connections are open, and concurrent reads beyond it wait their turn")
    func bounded() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let readers = ReadConnections(pool: pool, maxCount: 2)
        let running = Locked((current: 0, highest: 0, done: 0))
        // Six threads of their own (not a dispatch queue, which may run them one by one), each
        // holding its connection for a while, all asking at once.
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<6 {
            group.enter()
            Thread {
                defer { group.leave() }
                start.wait()
                try? readers.read { db in
                    running.withLock { $0.current += 1; $0.highest = max($0.highest, $0.current) }
                    Thread.sleep(forTimeInterval: 0.05)
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
                    running.withLock { $0.current -= 1; $0.done += 1 }
                }
            }.start()
        }
        for _ in 0..<6 { start.signal() }
        group.wait()
        #expect(running.current.done == 6)
        #expect(running.current.highest == 2)
        #expect(readers.count == 2)
    }

    @Test("sequential reads reuse one connection")
    func reuse() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let readers = ReadConnections(pool: pool, maxCount: 4)
        for _ in 0..<10 { _ = try readers.read { db in try Int.fetchOne(db, sql: "SELECT 1") } }
        #expect(readers.count == 1)
    }
}
