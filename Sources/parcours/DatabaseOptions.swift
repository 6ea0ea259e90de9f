import ArgumentParser
import Foundation
import GRDB
import Storage

/// `--db` and `--migrations`, shared by the commands that open the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env PARCOURS_DB; default ./data/parcours.sqlite).")
    var db: String?

    @Option(name: .long, help: "Folder of the numbered SQL migrations (env PARCOURS_MIGRATIONS; default ./migrations or beside the binary).")
    var migrations: String?

    var path: String { db ?? Env.string("PARCOURS_DB") ?? "data/parcours.sqlite" }

    /// Opens the pool and brings the schema up to date; refuses when an applied migration was changed.
    func openMigrated(readers: Int = 8) throws -> (DatabasePool, applied: [MigrationFile]) {
        guard let dir = Migrations.locateDirectory(explicit: migrations) else {
            throw ConfigurationError("no migrations folder found: pass --migrations DIR or set PARCOURS_MIGRATIONS")
        }
        let files = try Migrations.load(from: dir)
        let pool = try openDatabase(StorageConfiguration(path: path, maxReaders: readers))
        let applied = try Migrations.apply(files, to: pool)
        return (pool, applied)
    }
}
