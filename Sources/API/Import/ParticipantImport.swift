import Domain
import GRDB
import HTTPServer

/// "Bringing data in": a CSV of participants (and their history) from another tool, imported
/// row by row with the validation of `POST /v1/participants`, in one transaction.
///
/// Good rows are imported and bad rows reported with their line; a row whose person already has
/// a file (rule 10: same folded names and birth date) is recognised and skipped, or updated on
/// request, so the same file can be run again safely. Both `POST /v1/imports/participants` and
/// `parcours import` call `run`; docs/IMPORT.md describes the columns and the report.
public enum ParticipantImport {
    public enum OnExisting: String, Sendable { case skip, update }

    public struct Options: Sendable {
        public var dryRun: Bool
        public var onExisting: OnExisting
        /// The referent of rows that name none (the file has no referent column or the cell is empty).
        public var defaultReferentId: Int64?

        public init(dryRun: Bool = false, onExisting: OnExisting = .skip, defaultReferentId: Int64? = nil) {
            self.dryRun = dryRun; self.onExisting = onExisting; self.defaultReferentId = defaultReferentId
        }
    }

    /// The command line acts as an administrator; its audit rows carry token id 0 and request id `cli-import`.
    static let commandLine = Principal(tokenId: 0, role: .admin, referentId: nil, structureId: nil, name: "command line")

    /// `parcours import`: the same import as the route, in its own write transaction.
    public static func runFromCommandLine(env: AppEnvironment, bytes: [UInt8], options: Options) throws -> JSON {
        let head = HTTPRequestHead(method: "POST", target: "/v1/imports/participants", path: "/v1/imports/participants", query: nil,
                                   version: .http1_1, headers: HTTPHeaders(), remoteAddress: "cli")
        let ctx = RequestContext(request: HTTPRequest(head: head, body: []), params: [:], requestId: "cli-import", app: env,
                                 principal: commandLine)
        return try ctx.write { db in try run(db, ctx, bytes: bytes, options: options) }
    }

    /// Imports (or, for a dry run, tries in a savepoint rolled back) and returns the report.
    static func run(_ db: Database, _ ctx: RequestContext, bytes: [UInt8], options: Options) throws -> JSON {
        let table = CSVTable(bytes: bytes)
        let columns = try ImportColumns(table: table, hasDefaultReferent: options.defaultReferentId != nil)
        var report = ImportReport(dryRun: options.dryRun, warnings: columns.warnings)
        try db.inSavepoint {
            var importer = try RowImporter(db: db, ctx: ctx, options: options)
            for record in table.records where !record.isBlank {
                try importer.importRow(record, columns: columns, into: &report)
            }
            if !options.dryRun {
                try ctx.audit(db, "import", "import", nil, after: .object([
                    ("format", .string("csv")), ("encoding", .string(table.encoding.rawValue)),
                    ("on_existing", .string(options.onExisting.rawValue)), ("summary", report.summary),
                ]))
            }
            return options.dryRun ? .rollback : .commit
        }
        return report.json(encoding: table.encoding, separator: table.separator)
    }
}

/// Which cell of a record holds which field, from the header line; unknown and repeated columns
/// become warnings, and a missing identity column refuses the whole file (every row would fail).
struct ImportColumns {
    var index: [(cell: Int, column: ImportColumn)] = []
    var warnings: [JSON] = []
    let headerLine: Int
    let width: Int

    init(table: CSVTable, hasDefaultReferent: Bool) throws {
        guard let header = table.header else {
            throw APIError.invalid("file", "is empty: its first line must name the columns (nom;prénom;date de naissance;référent...)")
        }
        headerLine = header.line
        width = header.cells.count
        var seen: Set<ImportColumn> = []
        for (i, raw) in header.cells.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let column = ImportFolding.column(forHeader: name) else {
                warnings.append(ImportReport.warning(header.line, column: name, "unknown column: ignored"))
                continue
            }
            if seen.contains(column) {
                warnings.append(ImportReport.warning(header.line, column: name, "a second column for \(column.rawValue): ignored"))
                continue
            }
            seen.insert(column)
            index.append((i, column))
        }
        var missing = [ImportColumn.lastName, .firstName, .birthDate].filter { !seen.contains($0) }
        if !seen.contains(.referent), !hasDefaultReferent { missing.append(.referent) }
        if !missing.isEmpty {
            throw APIError.invalid(missing.map {
                FieldError($0.rawValue, "no column of the header line (line \(header.line)) is this field; see docs/IMPORT.md for the accepted names")
            })
        }
    }
}

/// The answer of an import, built row by row.
struct ImportReport {
    let dryRun: Bool
    var warnings: [JSON]
    var rows = 0, created = 0, updated = 0, skipped = 0, failedRows = 0
    var createdItems: [JSON] = []
    var existingItems: [JSON] = []
    var errorItems: [JSON] = []

    init(dryRun: Bool, warnings: [JSON]) { self.dryRun = dryRun; self.warnings = warnings }

    static func warning(_ line: Int, column: String?, _ message: String) -> JSON {
        .object([("line", .int(line)), ("column", .string(column)), ("message", .string(message))])
    }

    mutating func fail(_ line: Int, _ errors: [FieldError]) {
        failedRows += 1
        for e in errors {
            errorItems.append(.object([("line", .int(line)), ("field", .string(e.field.isEmpty ? nil : e.field)), ("message", .string(e.message))]))
        }
    }

    var summary: JSON {
        .object([("rows", .int(rows)), ("created", .int(created)), ("updated", .int(updated)), ("skipped", .int(skipped)),
                 ("errors", .int(failedRows))])
    }

    func json(encoding: CSVTable.Encoding, separator: Character) -> JSON {
        .object([
            ("dry_run", .bool(dryRun)),
            ("summary", summary),
            ("created", .array(createdItems)),
            ("existing", .array(existingItems)),
            ("errors", .array(errorItems)),
            ("warnings", .array(warnings)),
            ("file", .object([("encoding", .string(encoding.rawValue)), ("separator", .string(String(separator)))])),
        ])
    }
}
