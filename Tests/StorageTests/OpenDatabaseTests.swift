import Foundation
import GRDB
import Testing
@testable import Storage

@Suite("Opening the database")
struct OpenDatabaseTests {
    /// The pragmas every connection must run with, read back from `db`.
    private func pragmas(_ db: Database) throws -> [String: String] {
        var values: [String: String] = [:]
        for name in ["foreign_keys", "journal_mode", "synchronous", "temp_store", "cache_size", "mmap_size"] {
            values[name] = try String.fetchOne(db, sql: "PRAGMA \(name)")
        }
        return values
    }

    private let expected: [String: String] = [
        "foreign_keys": "1", "journal_mode": "wal", "synchronous": "2", "temp_store": "2",
        "cache_size": "-16384", "mmap_size": "0",
    ]

    @Test("a write waits for a lock another connection holds, and fails with SQLITE_BUSY past busyTimeout")
    func waitsForLocks() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("parcours.sqlite")
        let pool = try openDatabase(StorageConfiguration(path: path, maxReaders: 2, busyTimeout: 0.5))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER) STRICT") }
        // Another connection (as the checkpointer or the CLI would be) holds the write lock.
        let other = try DatabaseQueue(path: path)
        func holdLock(for seconds: Double) -> DispatchSemaphore {
            let taken = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                try? other.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    taken.signal()
                    Thread.sleep(forTimeInterval: seconds)
                    try db.execute(sql: "COMMIT")
                }
                done.signal()
            }
            taken.wait()
            return done
        }
        // Held 50 ms, well within the 0.5 s: the write waits, then commits.
        var done = holdLock(for: 0.05)
        try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        done.wait()
        // Held 2 s, past it: SQLITE_BUSY, and nothing written.
        done = holdLock(for: 2)
        #expect {
            try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
        } throws: { ($0 as? DatabaseError)?.resultCode == .SQLITE_BUSY }
        done.wait()
        #expect(try pool.read { db in try Int.fetchAll(db, sql: "SELECT x FROM t") } == [1])
    }

    @Test("busyWait tries again every 100 µs for 5 ms, then every millisecond, until the timeout")
    func busyWaitSchedule() {
        // 50 short tries (5 ms) and 995 of 1 ms make 1 s: try number 1,044 is the last one allowed.
        let wait = busyWait(timeout: 1)
        #expect(wait(0))
        #expect(wait(1_044))
        #expect(!wait(1_045))
        let none = busyWait(timeout: 0)
        #expect(!none(0))
        // 2 ms: 20 short tries.
        let short = busyWait(timeout: 0.002)
        #expect(short(19))
        #expect(!short(20))
    }

    @Test("the pragmas are in effect on the writer and on every reader connection")
    func pragmasOnEveryConnection() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite"), maxReaders: 3, busyTimeout: 2.5))

        let writer = try pool.write { db in try pragmas(db) }
        #expect(writer == expected)

        // Hold several reads open at once so that the pool has to open several readers.
        let group = DispatchGroup()
        let readers = Locked<[[String: String]]>([])
        let failures = Locked<[String]>([])
        for _ in 0..<3 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                do {
                    let values = try pool.read { db -> [String: String] in
                        let readonly = db.configuration.readonly
                        Thread.sleep(forTimeInterval: 0.2)
                        var values = try pragmas(db)
                        values["readonly"] = readonly ? "yes" : "no"
                        return values
                    }
                    readers.withLock { $0.append(values) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        group.wait()
        #expect(failures.current.isEmpty)
        #expect(readers.current.count == 3)
        for values in readers.current {
            #expect(values["readonly"] == "yes")
            var withoutFlag = values
            withoutFlag["readonly"] = nil
            #expect(withoutFlag == expected)
        }
    }

    @Test("readers are limited to maxReaders")
    func readersAreLimited() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite"), maxReaders: 2))
        #expect(pool.configuration.maximumReaderCount == 2)

        // Four concurrent reads never run more than two at a time.
        let running = Locked((current: 0, highest: 0))
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                try? pool.read { _ in
                    running.withLock { $0.current += 1; $0.highest = max($0.highest, $0.current) }
                    Thread.sleep(forTimeInterval: 0.1)
                    running.withLock { $0.current -= 1 }
                }
            }
        }
        group.wait()
        #expect(running.current.highest <= 2)
    }

    @Test("the parent folder is created when missing")
    func createsParentFolder() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("a/b/parcours.sqlite")

        let pool = try openDatabase(StorageConfiguration(path: path))
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER) STRICT") }

        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("a foreign key violation is refused")
    func foreignKeysAreEnforced() throws {
        let folder = try TemporaryFolder()
        let pool = try openDatabase(StorageConfiguration(path: folder.file("parcours.sqlite")))
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
                CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id)) STRICT;
                """)
        }

        #expect(throws: DatabaseError.self) {
            try pool.write { db in try db.execute(sql: "INSERT INTO child (id, parent_id) VALUES (1, 42)") }
        }
        let count = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM child") }
        #expect(count == 0)
    }

    @Test("reopening an existing database keeps its data and its WAL mode")
    func reopening() throws {
        let folder = try TemporaryFolder()
        let config = StorageConfiguration(path: folder.file("parcours.sqlite"))
        do {
            let pool = try openDatabase(config)
            try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (7)") }
            try pool.close()
        }
        let pool = try openDatabase(config)
        #expect(try pool.read { db in try Int.fetchOne(db, sql: "SELECT x FROM t") } == 7)
        #expect(try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }
}
