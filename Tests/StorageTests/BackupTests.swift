import Foundation
import GRDB
import Testing
@testable import Storage

/// A flag set by one thread and read by another.
private final class Flag: Sendable {
    private let value = Locked(false)
    var isSet: Bool { value.current }
    func set() { value.withLock { $0 = true } }
}

/// A database with a few tables, an index, a view, a trigger and some thousands of rows, so
/// that a backup has real pages to copy.
private func populatedDatabase(in folder: TemporaryFolder) throws -> DatabasePool {
    let pool = try openDatabase(StorageConfiguration(path: folder.file("live/parcours.sqlite")))
    try pool.write { db in
        try db.execute(sql: """
            CREATE TABLE participant (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, photo BLOB) STRICT;
            CREATE TABLE event (id INTEGER PRIMARY KEY, participant_id INTEGER NOT NULL REFERENCES participant(id),
                                pair INTEGER NOT NULL, payload TEXT NOT NULL) STRICT;
            CREATE INDEX event_pair ON event(pair);
            CREATE VIEW event_count AS SELECT count(*) AS n FROM event;
            CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT NOT NULL) STRICT;
            CREATE TRIGGER participant_audit AFTER INSERT ON participant
                BEGIN INSERT INTO audit (what) VALUES ('participant ' || NEW.id); END;
            """)
        for index in 1...500 {
            try db.execute(sql: "INSERT INTO participant (name, photo) VALUES (?, randomblob(512))",
                           arguments: ["Participant \(index)"])
        }
        for pair in 1...2000 {
            for _ in 0..<2 {
                try db.execute(sql: "INSERT INTO event (participant_id, pair, payload) VALUES (?, ?, hex(randomblob(100)))",
                               arguments: [pair % 500 + 1, pair])
            }
        }
    }
    return pool
}

@Suite("Backup")
struct BackupTests {
    @Test("a backup of a quiescent database holds the same rows in every table")
    func quiescentBackupIsIdentical() throws {
        let folder = try TemporaryFolder("backup")
        let pool = try populatedDatabase(in: folder)
        let destination = folder.file("backups/parcours-backup.sqlite")

        try Backup.run(from: pool, to: destination)

        let copy = try DatabaseQueue(path: destination)
        #expect(try Backup.integrityCheck(copy))
        let source = try Dump.of(pool)
        let restored = try Dump.of(copy)
        #expect(restored.schema == source.schema)
        #expect(Set(restored.tables.keys) == ["participant", "event", "audit", "sqlite_sequence"])
        #expect(restored.tables.keys.sorted() == source.tables.keys.sorted())
        for (table, rows) in source.tables {
            #expect(restored.tables[table] == rows, "table \(table) differs")
        }
        #expect(restored.tables["event"]?.count == 4000)
    }

    @Test("a backup taken while another thread inserts rows holds a consistent state")
    func backupDuringWrites() throws {
        let folder = try TemporaryFolder("backup")
        let pool = try populatedDatabase(in: folder)
        let stop = Flag()
        let writerFailure = Flag()
        let writerDone = DispatchSemaphore(value: 0)
        let startPairs = try pool.read { db in try Int.fetchOne(db, sql: "SELECT max(pair) FROM event") ?? 0 }

        // The writer inserts rows two at a time, in one transaction per pair: any committed
        // state holds an even number of events, and pairs 1...n without holes.
        Thread.detachNewThread {
            var pair = startPairs
            while !stop.isSet {
                pair += 1
                do {
                    try pool.write { db in
                        for _ in 0..<2 {
                            try db.execute(sql: """
                                INSERT INTO event (participant_id, pair, payload) VALUES (1, ?, hex(randomblob(200)))
                                """, arguments: [pair])
                        }
                    }
                } catch {
                    writerFailure.set()
                    break
                }
            }
            writerDone.signal()
        }
        defer { stop.set() }

        var counts: [Int] = []
        for round in 0..<4 {
            let destination = folder.file("backups/during-\(round).sqlite")
            try Backup.run(from: pool, to: destination)

            let copy = try DatabaseQueue(path: destination)
            #expect(try Backup.integrityCheck(copy))
            let (count, pairs, distinctPairs, maxPair) = try copy.read { db in
                let row = try Row.fetchOne(db, sql: """
                    SELECT count(*) AS n, count(DISTINCT pair) AS pairs, max(pair) AS maxPair,
                           (SELECT count(*) FROM (SELECT pair FROM event GROUP BY pair HAVING count(*) = 2)) AS full
                    FROM event
                    """)
                guard let row else { return (0, 0, 0, 0) }
                return (row["n"] as Int, row["full"] as Int, row["pairs"] as Int, row["maxPair"] as Int)
            }
            #expect(count % 2 == 0, "backup \(round) holds \(count) events, an odd count")
            #expect(pairs == distinctPairs, "backup \(round) holds a half pair")
            #expect(maxPair == distinctPairs, "backup \(round) has a hole in its pairs")
            // The rows it holds are exactly the source's rows with the same ids.
            let copied = try copy.read { db in try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY rowid") }
            let original = try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM event WHERE rowid <= ? ORDER BY rowid", arguments: [count])
            }
            #expect(copied == original, "backup \(round) differs from the source's first \(count) events")
            counts.append(count)
        }
        stop.set()
        writerDone.wait()

        #expect(!writerFailure.isSet, "the writer failed during the backups")
        let finalCount = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") ?? 0 }
        // The writer really wrote while the backups ran.
        #expect(finalCount > counts[0])
        #expect(counts.last ?? 0 > 4000)
    }

    @Test("the backup is one self-contained file, and no temporary file is left")
    func backupIsSelfContained() throws {
        let folder = try TemporaryFolder("backup")
        let pool = try populatedDatabase(in: folder)
        let destination = folder.file("backups/parcours-backup.sqlite")

        try Backup.run(from: pool, to: destination)

        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("backups")) == ["parcours-backup.sqlite"])
        // The file header says rollback journal (1, 1), not WAL (2, 2).
        let header = try Data(contentsOf: URL(fileURLWithPath: destination)).prefix(20)
        #expect(Array(header.prefix(15)) == Array("SQLite format 3".utf8))
        #expect(header[18] == 1 && header[19] == 1)
    }

    @Test("a backup replaces an existing file at the destination")
    func backupReplacesExistingFile() throws {
        let folder = try TemporaryFolder("backup")
        let pool = try populatedDatabase(in: folder)
        let destination = folder.file("backup.sqlite")
        try Backup.run(from: pool, to: destination)
        try pool.write { db in try db.execute(sql: "INSERT INTO audit (what) VALUES ('after the first backup')") }

        try Backup.run(from: pool, to: destination)

        let copy = try DatabaseQueue(path: destination)
        let last = try copy.read { db in try String.fetchOne(db, sql: "SELECT what FROM audit ORDER BY id DESC LIMIT 1") }
        #expect(last == "after the first backup")
    }

    @Test("backing up a database onto itself is refused and leaves it untouched")
    func backupOntoItselfIsRefused() throws {
        let folder = try TemporaryFolder("backup")
        let pool = try populatedDatabase(in: folder)
        let before = try Dump.of(pool)

        #expect(throws: BackupError.destinationIsSource(path: pool.path)) {
            try Backup.run(from: pool, to: pool.path)
        }
        #expect(try Dump.of(pool) == before)
    }

    @Test("integrity_check reports a damaged file")
    func integrityCheckFindsDamage() throws {
        let folder = try TemporaryFolder("backup")
        let pool = try populatedDatabase(in: folder)
        let destination = folder.file("backup.sqlite")
        try Backup.run(from: pool, to: destination)
        #expect(try Backup.integrityCheck(DatabaseQueue(path: destination)))

        // Overwrite a stretch of pages in the middle of the file with garbage.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: destination))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 16_384))
        try handle.close()

        let damaged = try DatabaseQueue(path: destination)
        let healthy = (try? Backup.integrityCheck(damaged)) ?? false
        #expect(!healthy)
    }
}
