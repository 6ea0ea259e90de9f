import Domain
import HTTPServer

/// `POST /v1/imports/participants[?dry_run=true&on_existing=skip|update&referent_id=ID]`: a CSV
/// of participants from another tool (docs/IMPORT.md). Coordinators and admins only: an import
/// writes files across every caseload.
enum ImportRoutes {
    /// A CSV of 10,000 rows with history is about 2 MiB; 20 MiB leaves room for long addresses and notes.
    static let maxBody = 20 << 20
    static let queryFields: Set<String> = ["dry_run", "on_existing", "referent_id"]
    /// What spreadsheets and browsers send for a .csv file.
    static let mediaTypes: Set<String> = ["text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel"]

    static func register(on router: Router) {
        router.post("/v1/imports/participants", maxBody: maxBody, importParticipants)
    }

    static func importParticipants(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.requireProgramme("Importing participants")
        let type = (ctx.request.headers["Content-Type"] ?? "").lowercased()
        let media = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaTypes.contains(media) else { throw APIError.unsupportedMediaType("a CSV file (Content-Type: text/csv)") }
        var errors: [FieldError] = []
        for (name, _) in ctx.request.head.queryItems where !queryFields.contains(name) {
            errors.append(FieldError(name, "is not a known parameter (dry_run, on_existing, referent_id)"))
        }
        var options = ParticipantImport.Options()
        switch ctx.query("dry_run") {
        case nil, "false", "0": break
        case "true", "1": options.dryRun = true
        default: errors.append(FieldError("dry_run", "must be true or false"))
        }
        if let v = ctx.query("on_existing") {
            if let o = ParticipantImport.OnExisting(rawValue: v) { options.onExisting = o } else { errors.append(FieldError("on_existing", "must be skip or update")) }
        }
        if let v = ctx.query("referent_id") {
            if let id = Int64(v), id > 0, String(id) == v { options.defaultReferentId = id } else { errors.append(FieldError("referent_id", "must be an id")) }
        }
        if !errors.isEmpty { throw APIError.invalid(errors) }
        let report = try ctx.write { db in try ParticipantImport.run(db, ctx, bytes: ctx.request.body, options: options) }
        return ctx.json(200, report)
    }
}
