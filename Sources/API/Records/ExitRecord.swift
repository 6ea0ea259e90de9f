import GRDB

/// Loading and rendering an exit (proposal, then the comité de suivi's decision on it):
/// shared by the exit routes, the timeline and the right-of-access export.
enum ExitRecord {
    /// The exit and its participant if the caller may see that participant, else 404.
    static func visible(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> (exit: Row, participant: Row) {
        let loaded = try OwnedRecord.load(db, ctx, table: "exits", id: id, what: "Exit", writing: false)
        return (loaded.row, loaded.participant)
    }

    static func etagOf(_ row: Row) -> String { etag("x", row["id"], row["version"]) }

    /// The ids of the documents given as evidence, by exit id, for a set of exits.
    static func documentIds(_ db: Database, exits: [Int64]) throws -> [Int64: [Int64]] {
        guard !exits.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: exits.count).joined(separator: ", ")
        var out: [Int64: [Int64]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT exit_id, document_id FROM exit_documents WHERE exit_id IN (\(marks)) ORDER BY exit_id, document_id",
                                  arguments: StatementArguments(exits)) {
            out[r["exit_id"], default: []].append(r["document_id"])
        }
        return out
    }

    /// The exit as API.md names its fields.
    static func render(_ row: Row, documentIds: [Int64]) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("type", .string(row["type"] as String?)),
            ("category", .string(row["category"] as String?)),
            ("date", .string(row["date"] as String?)),
            ("situation", .string(row["situation"] as String?)),
            ("situation_detail", .string(row["situation_detail"] as String?)),
            ("referent_request", .string(row["referent_request"] as String?)),
            ("document_ids", .array(documentIds.map { .id($0) })),
            ("status", .string(row["status"] as String?)),
            ("previous_status", .string(row["previous_status"] as String?)),
            ("entry_date", .string(row["entry_date"] as String?)),
            ("decision_id", .id(row["decision_id"])),
            ("decided_on", .string(row["decided_on"] as String?)),
            ("letter_reference", .string(row["letter_reference"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }

    /// Renders rows, fetching their documents in one query.
    static func renderAll(_ db: Database, _ rows: [Row]) throws -> [JSON] {
        let docs = try documentIds(db, exits: rows.map { $0["id"] })
        return rows.map { render($0, documentIds: docs[$0["id"] as Int64] ?? []) }
    }
}
