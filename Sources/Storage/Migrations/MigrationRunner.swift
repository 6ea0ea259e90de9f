import GRDB

extension Migrations {
    /// The ledger of applied migrations, created before the first migration runs.
    static let createLedgerSQL = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at TEXT NOT NULL
        ) STRICT
        """

    /// The rows of `schema_migrations` by version; empty when the table does not exist yet.
    public static func applied(in db: Database) throws -> [AppliedMigration] {
        guard try db.tableExists("schema_migrations") else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version
            """)
        return rows.map { row in
            AppliedMigration(
                version: row["version"], name: row["name"],
                checksum: row["checksum"], appliedAt: row["applied_at"])
        }
    }

    /// Checks the files against what the database has applied and returns the files still to
    /// apply, in order.
    ///
    /// - throws: ``MigrationError/changedAfterApply(fileName:version:recordedChecksum:currentChecksum:)``
    ///   when an applied file's checksum differs, ``MigrationError/appliedFileMissing(version:name:)``
    ///   when an applied version has no file, ``MigrationError/outOfOrder(fileName:latestApplied:)``
    ///   when a pending file is numbered below an applied one.
    public static func verify(_ files: [MigrationFile], applied: [AppliedMigration]) throws -> [MigrationFile] {
        let filesByVersion = Dictionary(files.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        for record in applied {
            guard let file = filesByVersion[record.version] else {
                throw MigrationError.appliedFileMissing(version: record.version, name: record.name)
            }
            guard file.checksum == record.checksum else {
                throw MigrationError.changedAfterApply(
                    fileName: file.fileName, version: file.version,
                    recordedChecksum: record.checksum, currentChecksum: file.checksum)
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        let pending = files.filter { !appliedVersions.contains($0.version) }.sorted { $0.version < $1.version }
        if let latest = applied.map(\.version).max(), let early = pending.first(where: { $0.version < latest }) {
            throw MigrationError.outOfOrder(fileName: early.fileName, latestApplied: latest)
        }
        return pending
    }

    /// Checks the files against the database without writing anything, and returns the files
    /// still to apply. For `parcours migrate --check` and for a read-only start.
    ///
    /// ```swift
    /// let pending = try Migrations.verify(files, in: pool)
    /// if !pending.isEmpty { print("\(pending.count) migrations to apply") }
    /// ```
    public static func verify(_ files: [MigrationFile], in reader: any DatabaseReader) throws -> [MigrationFile] {
        let applied = try reader.read { db in try Migrations.applied(in: db) }
        return try verify(files, applied: applied)
    }

    /// Applies the files the database has not run yet, each in its own transaction together
    /// with its `schema_migrations` row, and returns those newly applied.
    ///
    /// Every applied version is checked first (see ``verify(_:applied:)``); on any mismatch
    /// nothing is applied and the error names the file. A file whose SQL fails leaves the
    /// database as the previous file left it.
    ///
    /// ```swift
    /// let newlyApplied = try Migrations.apply(try Migrations.load(from: folder), to: pool)
    /// ```
    @discardableResult
    public static func apply(_ files: [MigrationFile], to writer: any DatabaseWriter) throws -> [MigrationFile] {
        let applied = try writer.write { db in
            try db.execute(sql: createLedgerSQL)
            return try Migrations.applied(in: db)
        }
        let pending = try verify(files, applied: applied)

        var newlyApplied: [MigrationFile] = []
        for file in pending {
            let didApply = try writer.write { db -> Bool in
                // Another process may have applied it since we looked: check again under the
                // write lock rather than run it twice.
                if let checksum = try String.fetchOne(db, sql: """
                    SELECT checksum FROM schema_migrations WHERE version = ?
                    """, arguments: [file.version]) {
                    guard checksum == file.checksum else {
                        throw MigrationError.changedAfterApply(
                            fileName: file.fileName, version: file.version,
                            recordedChecksum: checksum, currentChecksum: file.checksum)
                    }
                    return false
                }
                do {
                    try db.execute(sql: file.sql)
                } catch let error as DatabaseError {
                    throw MigrationError.failed(fileName: file.fileName, reason: error.description)
                }
                try db.execute(sql: """
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                    """, arguments: [file.version, file.name, file.checksum])
                return true
            }
            if didApply { newlyApplied.append(file) }
        }
        return newlyApplied
    }
}
