import ArgumentParser
import Storage

/// `parcours migrate`: applies pending migrations and exits.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the pending numbered SQL migrations to the database.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let (pool, applied) = try database.openMigrated(readers: 1)
        try pool.close()
        if applied.isEmpty { print("\(database.path): schema up to date") }
        for m in applied { print("applied \(m.fileName)") }
    }
}
