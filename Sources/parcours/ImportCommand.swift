import API
import ArgumentParser
import Foundation
import Logging

/// `parcours import FILE`: the bulk CSV import of participants (docs/IMPORT.md), the same as
/// `POST /v1/imports/participants`. Prints the JSON report; exits 2 when some rows were refused.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import",
        abstract: "Import participants (and their history) from a CSV file; prints the report as JSON.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The CSV file (UTF-8 or Windows-1252, ; or , separated).") var file: String
    @Flag(name: .customLong("dry-run"), help: "Validate and report without writing anything.") var dryRun = false
    @Option(name: .customLong("on-existing"), help: "What to do with a person who already has a file: skip (default) or update.")
    var onExisting: String = "skip"
    @Option(name: .customLong("referent-id"), help: "The referent of rows that name none.") var referentId: Int64?

    func validate() throws {
        guard ParticipantImport.OnExisting(rawValue: onExisting) != nil else { throw ValidationError("--on-existing must be skip or update") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let (pool, _) = try database.openMigrated(readers: 1)
        var logger = Logger(label: "parcours.import")
        logger.logLevel = .warning
        let env = AppEnvironment(pool: pool, settings: try Env.settings(), logger: logger)
        let options = ParticipantImport.Options(dryRun: dryRun, onExisting: ParticipantImport.OnExisting(rawValue: onExisting) ?? .skip,
                                                defaultReferentId: referentId)
        let report: JSON
        do {
            report = try ParticipantImport.runFromCommandLine(env: env, bytes: [UInt8](data), options: options)
        } catch let e as APIError {
            try pool.close()
            let details = e.errors.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
            throw ValidationError("\(e.detail)\(details.isEmpty ? "" : "\n" + details)")
        }
        try pool.close()
        print(report.text)
        if let errors = report["summary"]?["errors"]?.intValue, errors > 0 { throw ExitCode(2) }
    }
}
