import GRDB

/// A row of `schema_migrations`: a migration this database has already run.
///
/// Why: comparing these rows with the files on disk is how the server refuses to start on an
/// edited or missing migration.
///
/// ```swift
/// let applied = try pool.read { db in try Migrations.applied(in: db) }
/// print(applied.last?.version ?? 0)
/// ```
public struct AppliedMigration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var checksum: String
    /// ISO 8601 UTC timestamp, e.g. `2025-03-14T09:26:53.589Z`.
    public var appliedAt: String

    public init(version: Int, name: String, checksum: String, appliedAt: String) {
        self.version = version
        self.name = name
        self.checksum = checksum
        self.appliedAt = appliedAt
    }
}
