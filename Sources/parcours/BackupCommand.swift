import ArgumentParser
import Storage

/// `parcours backup`: SQLite's online backup, consistent while the server is writing.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup",
        abstract: "Copy the database to a file, consistently, while the server keeps serving.")

    @Option(name: .long, help: "The database to copy (env PARCOURS_DB).") var db: String?
    @Option(name: .long, help: "The backup file to write (replaced atomically).") var to: String

    func run() throws {
        let source = db ?? Env.string("PARCOURS_DB") ?? "data/parcours.sqlite"
        let pool = try openDatabase(StorageConfiguration(path: source, maxReaders: 2))
        try Backup.run(from: pool, to: to)
        try pool.close()
        print("backup of \(source) written to \(to)")
    }
}
