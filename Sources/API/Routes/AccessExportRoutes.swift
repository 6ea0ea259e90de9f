import Domain
import GRDB
import HTTPServer

/// `GET /v1/participants/{id}/export`: everything held on a person (GDPR right of access, art. 15).
///
/// One JSON document, downloaded as a file: the participant record, and every row of every table
/// that refers to them, columns as stored (see `RowJSON`), with documents' metadata and the URL of
/// their bytes, and the audit rows about them. The referents' agendas hold no personal data of the
/// participant and are left out. Handing over a person's whole file is itself a disclosure, so
/// the export is audited (action `export`), in the same transaction as the reading.
enum AccessExportRoutes {
    static func register(on router: Router) {
        router.get("/v1/participants/:id/export", export)
    }

    static func export(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Participant")
        // A GET has no transaction of its own: write opens one, so the audit row and the snapshot go together.
        let body = try ctx.write { db -> JSON in
            let participant = try ParticipantRecord.visible(db, ctx, id)
            let document = try collect(db, participant: participant, exportedAt: ctx.timestamp())
            try ctx.audit(db, "export", "participant", id, participant: id,
                          after: .object([("format", .string("json")), ("sections", .array(sectionNames.map { .string($0) }))]))
            return document
        }
        var headers = HTTPHeaders()
        headers.add("Content-Disposition", "attachment; filename=\"participant-\(id)-export.json\"")
        headers.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, contentType: "application/json", body: body.bytes, headers: headers)
    }

    static let sectionNames = ["participant", "barriers", "candidatures", "decisions", "contracts", "steps", "interviews",
                               "positionings", "follow_ups", "documents", "exits", "audit"]

    static func collect(_ db: Database, participant: Row, exportedAt: String) throws -> JSON {
        let pid: Int64 = participant["id"]
        func all(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: [pid]) }
        func table(_ sql: String) throws -> JSON { .array(try all(sql).map { RowJSON.render($0) }) }

        let followUps = try all("SELECT * FROM follow_ups WHERE participant_id = ? ORDER BY id")
        let contacts = try all("""
            SELECT c.* FROM follow_up_contacts c JOIN follow_ups f ON f.id = c.follow_up_id
            WHERE f.participant_id = ? ORDER BY c.date, c.id
            """)
        let followUpsJSON: [JSON] = followUps.map { f in
            let fid: Int64 = f["id"]
            guard case .object(var fields) = RowJSON.render(f) else { return .null }
            fields.append(("contacts", .array(contacts.filter { ($0["follow_up_id"] as Int64) == fid }.map { RowJSON.render($0) })))
            return .object(fields)
        }
        let exits = try all("SELECT * FROM exits WHERE participant_id = ? ORDER BY id")
        let exitDocs = try ExitRecord.documentIds(db, exits: exits.map { $0["id"] })
        let exitsJSON: [JSON] = exits.map { e in
            guard case .object(var fields) = RowJSON.render(e) else { return .null }
            fields.append(("document_ids", .array((exitDocs[e["id"] as Int64] ?? []).map { .id($0) })))
            return .object(fields)
        }
        let audit = try all("SELECT * FROM audit_log WHERE participant_id = ? ORDER BY id").map(AuditRoutes.render)

        return .object([
            ("exported_at", .string(exportedAt)),
            ("participant", RowJSON.render(participant, skipping: ["identity_key", "name_key", "phone_key", "email_key"])),
            ("barriers", try table("SELECT * FROM barriers WHERE participant_id = ? ORDER BY id")),
            ("candidatures", try table("SELECT * FROM candidatures WHERE participant_id = ? ORDER BY id")),
            ("decisions", try table("SELECT * FROM decisions WHERE participant_id = ? ORDER BY date, id")),
            ("contracts", try table("SELECT * FROM contracts WHERE participant_id = ? ORDER BY signed_on, id")),
            ("steps", try table("SELECT * FROM steps WHERE participant_id = ? ORDER BY id")),
            ("interviews", try table("SELECT * FROM interviews WHERE participant_id = ? ORDER BY date, id")),
            ("positionings", try table("""
                SELECT po.*, j.title AS job_offer_title, j.employer AS job_offer_employer
                FROM positionings po JOIN job_offers j ON j.id = po.job_offer_id WHERE po.participant_id = ? ORDER BY po.id
                """)),
            ("follow_ups", .array(followUpsJSON)),
            ("documents", .array(try all("SELECT \(DocumentRecord.columns) FROM documents WHERE participant_id = ? ORDER BY id").map(DocumentRecord.render))),
            ("exits", .array(exitsJSON)),
            ("audit", .array(audit)),
        ])
    }
}
