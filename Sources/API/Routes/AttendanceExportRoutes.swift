import Domain
import Exports
import GRDB
import HTTPServer

/// `GET /v1/exports/attendance?participant_id=`: the participant's attendance sheet (feuille
/// d'émargement) as CSV, one sheet from the first meeting to the exit, as the PLIE files it for
/// the FSE audit: title lines naming the participant and referent, then one line per interview.
enum AttendanceExportRoutes {
    static func register(on router: Router) {
        router.get("/v1/exports/attendance", export)
    }

    /// French labels of the interview kinds, for a sheet staff print and sign.
    static func label(_ kind: String) -> String {
        switch InterviewKind(rawValue: kind) {
        case .individual: return "individuel"
        case .phone: return "téléphonique"
        case .partner: return "avec un partenaire"
        case .workplace: return "sur le lieu de travail"
        case .collective: return "collectif"
        case nil: return kind
        }
    }

    static let width = 5

    static func export(_ ctx: RequestContext) throws -> HTTPResponse {
        guard let id = try Download.queryId(ctx, "participant_id", required: true) else { throw APIError.invalid("participant_id", "is required") }
        return try ctx.read { db in
            let p = try ParticipantRecord.visible(db, ctx, id)
            let referent = try Row.fetchOne(db.cachedStatement(sql: "SELECT first_name, last_name FROM referents WHERE id = ?"), arguments: [p["referent_id"] as Int64])
            // The sheet ends at the exit: the last validated exit of the current pathway.
            let exitDate = try String.fetchOne(db.cachedStatement(sql: """
                SELECT date FROM exits WHERE participant_id = ? AND status = 'validated' AND (? IS NULL OR date >= ?)
                ORDER BY date DESC, id DESC LIMIT 1
                """), arguments: [id, p["entry_date"] as String?, p["entry_date"] as String?])
            let interviews = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT i.date, i.kind, i.duration_minutes, i.attendance_signed, r.first_name, r.last_name
                FROM interviews i LEFT JOIN referents r ON r.id = i.referent_id
                WHERE i.participant_id = ? AND (? IS NULL OR i.date <= ?)
                ORDER BY i.date, i.id
                """), arguments: [id, exitDate, exitDate])

            var bytes: [UInt8] = []
            let writer = CSVWriter { bytes += $0 }
            func line(_ cells: [Cell]) throws { try writer.append(cells + Array(repeating: .empty, count: width - cells.count)) }
            func name(_ first: String?, _ last: String?) -> String {
                [first, last.map { $0.uppercased() }].compactMap { $0 }.joined(separator: " ")
            }
            let referentName = name(referent?["first_name"], referent?["last_name"])
            try writer.begin(columns: [Exports.Column("Feuille d'émargement")] + Array(repeating: Exports.Column(""), count: width - 1))
            try line(["Participant", .text(name(p["first_name"], p["last_name"])), "N° de dossier", .text(String(id))])
            try line(["Référent de parcours", .text(referentName)])
            try line(["Entrée", .date(iso: p["entry_date"]), "Sortie", .date(iso: exitDate)])
            try line([])
            try line(["Date", "Type d'entretien", "Durée (minutes)", "Référent", "Émargement signé"])
            for i in interviews {
                let by: String? = i["first_name"] == nil ? nil : name(i["first_name"], i["last_name"])
                try writer.append([
                    .date(iso: i["date"]), .text(label(i["kind"])),
                    (i["duration_minutes"] as Int?).map { Cell.integer($0) } ?? .empty,
                    .text(by ?? referentName), .boolean((i["attendance_signed"] as Int64? ?? 0) != 0),
                ])
            }
            try writer.finish()
            return Download.file(contentType: TableFormat.csv.contentType, filename: "emargement-\(id).csv", bytes: bytes)
        }
    }
}
