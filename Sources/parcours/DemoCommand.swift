import API
import ArgumentParser
import Domain
import Foundation

/// `parcours demo`: a new database filled with a realistic synthetic PLIE (docs/DEMO.md).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo",
        abstract: "Fill a new, empty database with a synthetic PLIE (deterministic for a seed) and print an admin token.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Number of participants (candidates included).") var participants: Int = 2000
    @Option(help: "Seed of the generator: the same seed gives the same database.") var seed: UInt64 = 1
    @Option(help: "The reference day YYYY-MM-DD the pathways run up to (default: today, UTC).") var today: String?
    @Flag(help: "Print only the admin token (for scripts).") var quiet = false

    func validate() throws {
        if participants < 0 { throw ValidationError("--participants must be 0 or more") }
        if let today, Day(today) == nil { throw ValidationError("--today must be a date YYYY-MM-DD") }
    }

    func run() throws {
        let day = today.flatMap(Day.init) ?? Clock().today
        let (pool, _) = try database.openMigrated(readers: 2)
        defer { try? pool.close() }
        let report = try DemoGenerator.run(pool: pool, options: DemoOptions(participants: participants, seed: seed, today: day)) { line in
            if !quiet { print(line); fflush(stdout) }
        }
        if quiet {
            print(report.adminToken)
            return
        }
        print("demo database \(database.path) (seed \(seed), today \(day)) written in \(String(format: "%.1f", report.seconds)) s:")
        for (table, n) in report.counts { print("  \(table): \(n)") }
        print("""
            ------------------------------------------------------------------
            Demo admin token (shown only once):
              \(report.adminToken)
            Use it as: Authorization: Bearer <token>
            ------------------------------------------------------------------
            """)
    }
}
