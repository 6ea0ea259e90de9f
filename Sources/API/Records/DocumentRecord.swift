import GRDB

/// Loading and rendering a piece of evidence: shared by the document routes, the exit proposal
/// (which names documents), the timeline and the right-of-access export.
///
/// A document is reached through its participant, so the caseload rule of `ParticipantRecord`
/// applies to it unchanged: someone else's participant's document is a 404.
enum DocumentRecord {
    /// The metadata columns (never the bytes, which live in `document_contents`).
    static let columns = "id, participant_id, kind, attests_on, content_type, filename, size, sha256, created_at, purged_at"

    /// The document and its participant if the caller may see that participant, else 404.
    /// (The `documents` table holds metadata only, so reading its whole row reads no bytes.)
    static func visible(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> (document: Row, participant: Row) {
        let loaded = try OwnedRecord.load(db, ctx, table: "documents", id: id, what: "Document", writing: false)
        return (loaded.row, loaded.participant)
    }

    /// Documents never change except when the retention purge removes their bytes.
    static func etagOf(_ row: Row) -> String {
        etag("d", row["id"], (row["purged_at"] as String?) == nil ? 1 : 2)
    }

    static func contentURL(_ id: Int64) -> String { "/v1/documents/\(id)/content" }

    /// The metadata as API.md names it.
    static func render(_ row: Row) -> JSON {
        let id: Int64 = row["id"]
        return .object([
            ("id", .id(id)),
            ("participant_id", .id(row["participant_id"])),
            ("kind", .string(row["kind"] as String?)),
            ("attests_on", .string(row["attests_on"] as String?)),
            ("content_type", .string(row["content_type"] as String?)),
            ("filename", .string(row["filename"] as String?)),
            ("size", .int(Int(row["size"] as Int64))),
            ("sha256", .string(row["sha256"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("purged_at", .string(row["purged_at"] as String?)),
            ("content_url", .string(contentURL(id))),
        ])
    }

    /// A participant's documents with these ids; the ids that are not theirs are returned apart.
    static func owned(_ db: Database, participant: Int64, ids: [Int64]) throws -> (found: [Row], foreign: [Int64]) {
        guard !ids.isEmpty else { return ([], []) }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM documents WHERE participant_id = ? AND id IN (\(marks)) ORDER BY id",
                                    arguments: StatementArguments([participant] + ids))
        let found = Set(rows.map { $0["id"] as Int64 })
        return (rows, ids.filter { !found.contains($0) })
    }

    /// `attachment; filename="..."` with only characters safe in a header and on any file system.
    static func disposition(filename: String?, id: Int64) -> String {
        let safe = String((filename ?? "").unicodeScalars.map { s -> Character in
            let c = Character(s)
            return s.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
        }.prefix(120))
        let trimmed = safe.drop { $0 == "." || $0 == "_" }
        let name = trimmed.isEmpty ? "document-\(id)" : String(trimmed)
        return "attachment; filename=\"\(name)\""
    }
}
