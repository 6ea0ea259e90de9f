import Foundation
import GRDB
import Testing
@testable import Storage

@Suite("Group commit of the server's writes")
struct GroupCommitTests {
    struct Refused: Error {}

    private func database(_ folder: TemporaryFolder) throws -> DatabasePool {
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite")))
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE t (x INTEGER PRIMARY KEY) STRICT;
                CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
                CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED) STRICT;
                CREATE TABLE boom (x INTEGER) STRICT;
                CREATE TRIGGER boom_rolls_back BEFORE INSERT ON boom BEGIN SELECT RAISE(ROLLBACK, 'boom'); END;
                """)
        }
        return pool
    }

    private func rows(_ pool: DatabasePool) throws -> [Int] {
        try pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t ORDER BY x") }
    }

    /// Runs `jobs` as one group: a first write holds the writer until they all wait, in order.
    private func oneGroup(_ writes: GroupCommit, _ jobs: [(Database) throws -> Void]) -> [Result<Void, Error>] {
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        done.enter()
        Thread { _ = try? writes.write { _ in started.signal(); release.wait() }; done.leave() }.start()
        started.wait()  // the blocker's group is running: the jobs will wait for the next one
        let results = Locked([Result<Void, Error>?](repeating: nil, count: jobs.count))
        for (i, job) in jobs.enumerated() {
            done.enter()
            Thread {
                let r = Result { try writes.write { db in try job(db) } }
                results.withLock { $0[i] = r }
                done.leave()
            }.start()
            while writes.waitingCount < i + 1 { usleep(1000) }   // queued in this order
        }
        release.signal()
        done.wait()
        return results.current.map { $0! }
    }

    @Test("writes waiting together commit as one group, each in its own savepoint, in arrival order")
    func grouped() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let writes = GroupCommit(pool: pool)
        let seen = Locked<[Int]>([])
        let results = oneGroup(writes, (1...4).map { i in { db in
            try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [i])
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? 0
            seen.withLock { $0.append(count) }
        } })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        #expect(seen.current == [1, 2, 3, 4], "each write sees the ones before it")
        #expect(try rows(pool) == [1, 2, 3, 4])
        #expect(writes.statistics.groups == 2 && writes.statistics.largest == 4)
    }

    @Test("a write that throws rolls back its own changes only")
    func failureIsolated() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let writes = GroupCommit(pool: pool)
        let results = oneGroup(writes, [
            { db in try db.execute(sql: "INSERT INTO t VALUES (1)") },
            { db in try db.execute(sql: "INSERT INTO t VALUES (2)"); throw Refused() },
            { db in try db.execute(sql: "INSERT INTO t VALUES (3)") },
        ])
        #expect((try? results[0].get()) != nil && (try? results[2].get()) != nil)
        #expect(throws: Refused.self) { try results[1].get() }
        #expect(try rows(pool) == [1, 3])
    }

    @Test("a write started from inside another's body is refused at once instead of waiting for its own group")
    func reentrantRefused() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let writes = GroupCommit(pool: pool)
        var inner: Error?
        try writes.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            do { try writes.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") } } catch { inner = error }
        }
        #expect(inner is GroupCommitError)
        // The writes after it are not stuck behind a group that never ends.
        try writes.write { db in try db.execute(sql: "INSERT INTO t VALUES (3)") }
        #expect(try rows(pool) == [1, 3])
    }

    @Test("when the commit fails, every write of the group fails and none is kept")
    func commitFails() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let writes = GroupCommit(pool: pool)
        let results = oneGroup(writes, [
            { db in try db.execute(sql: "INSERT INTO t VALUES (1)") },
            // A deferred foreign key is checked at COMMIT: this orphan makes the commit fail.
            { db in try db.execute(sql: "INSERT INTO child (id, parent_id) VALUES (1, 42)") },
            { db in try db.execute(sql: "INSERT INTO t VALUES (3)") },
        ])
        for r in results { #expect(throws: DatabaseError.self) { try r.get() } }
        #expect(try rows(pool) == [])
        // The writer is usable again.
        try writes.write { db in try db.execute(sql: "INSERT INTO t VALUES (9)") }
        #expect(try rows(pool) == [9])
    }

    @Test("an error that makes SQLite roll back the whole transaction fails the whole group")
    func transactionAborted() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let writes = GroupCommit(pool: pool)
        let results = oneGroup(writes, [
            { db in try db.execute(sql: "INSERT INTO t VALUES (1)") },
            { db in try db.execute(sql: "INSERT INTO boom VALUES (1)") },
            { db in try db.execute(sql: "INSERT INTO t VALUES (3)") },
        ])
        for r in results { #expect(throws: (any Error).self) { try r.get() } }
        #expect(try rows(pool) == [])
    }

    @Test("many writers at once: every write is committed once, none waits forever")
    func manyWriters() throws {
        let folder = try TemporaryFolder()
        let pool = try database(folder)
        let writes = GroupCommit(pool: pool)
        let done = DispatchGroup()
        let failures = Locked(0)
        for thread in 0..<8 {
            done.enter()
            Thread {
                for i in 0..<150 {
                    do { try writes.write { db in try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [thread * 1000 + i]) } } catch {
                        failures.withLock { $0 += 1 }
                    }
                }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(failures.current == 0)
        #expect(try rows(pool).count == 1200)
        #expect(writes.statistics.writes == 1200)
    }
}
