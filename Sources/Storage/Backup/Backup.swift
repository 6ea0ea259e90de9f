import Foundation
import GRDB

/// Online backup of the live database to a single file, and the integrity check to trust it.
///
/// Why SQLite's backup API rather than copying the file: a copy of a WAL database taken while
/// the server writes can mix pages of different transactions, and misses what is still in the
/// `-wal` file. The backup reads every page inside one read transaction, so the result is the
/// database as of one commit, while writers carry on. It is written to a temporary file next
/// to the destination, flushed, then renamed over the destination: a crash leaves either the
/// previous backup or the new one, never a torn file.
///
/// ```swift
/// let pool = try openDatabase(StorageConfiguration(path: "data/parcours.sqlite"))
/// try Backup.run(from: pool, to: "backups/parcours-2025-03-14.sqlite")
/// let copy = try DatabaseQueue(path: "backups/parcours-2025-03-14.sqlite")
/// precondition(try Backup.integrityCheck(copy))
/// ```
public enum Backup {
    /// Writes a consistent copy of `pool` to `path`, replacing any file there.
    ///
    /// The copy is a self-contained rollback-journal database (no `-wal` file needed), ready to
    /// be opened, copied off the machine, or restored by moving it in place of the database
    /// while the server is stopped.
    ///
    /// - throws: ``BackupError`` for a destination that is the source or in use, or a failed
    ///   file operation; GRDB's `DatabaseError` if SQLite fails. No partial file is left.
    public static func run(from pool: DatabasePool, to path: String) throws {
        let destination = URL(fileURLWithPath: path).standardizedFileURL
        let source = URL(fileURLWithPath: pool.path).standardizedFileURL
        guard destination.resolvingSymlinksInPath().path != source.resolvingSymlinksInPath().path else {
            throw BackupError.destinationIsSource(path: path)
        }
        guard !FileManager.default.fileExists(atPath: destination.path + "-wal") else {
            throw BackupError.destinationInUse(path: path)
        }

        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw BackupError.fileSystem(operation: "create the folder", path: folder.path, reason: "\(error)")
        }

        // Next to the destination, so that the final rename stays on one file system.
        let temporary = folder
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp").path
        do {
            let copy = try DatabaseQueue(path: temporary)
            try pool.backup(to: copy)
            // The copied header still says WAL, as the source's did. Switch the copy back to a
            // rollback journal so that it is one self-contained file.
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try copy.close()
            try FileSync.fsync(path: temporary)
            try FileSync.replace(destination.path, with: temporary)
            try FileSync.fsync(path: folder.path, directory: true)
        } catch {
            for leftover in [temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm"] {
                try? FileManager.default.removeItem(atPath: leftover)
            }
            throw error
        }
    }

    /// True when SQLite's `PRAGMA integrity_check` finds nothing wrong with the database.
    ///
    /// ```swift
    /// guard try Backup.integrityCheck(pool) else { print("database damaged") ; exit(1) }
    /// ```
    public static func integrityCheck(_ reader: any DatabaseReader) throws -> Bool {
        let report = try reader.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
        return report == ["ok"]
    }
}
