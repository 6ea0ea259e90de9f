import API
import ArgumentParser
import Domain

/// `parcours purge`: anonymises the files whose exit is older than the retention setting
/// (PARCOURS_RETENTION_YEARS, default 10; docs/RETENTION.md). Prints what it did as JSON.
struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "purge",
        abstract: "Anonymise participants whose exit is older than the retention period (--dry-run lists them only).")

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .customLong("dry-run"), help: "Report who would be anonymised; change nothing.") var dryRun = false

    func run() throws {
        let (pool, _) = try database.openMigrated(readers: 1)
        let report = try RetentionPurge.run(pool: pool, settings: try Env.settings(), clock: Clock(), dryRun: dryRun, requestId: "cli-purge")
        try pool.close()
        print(report.json.text)
    }
}
