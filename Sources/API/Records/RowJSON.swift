import Foundation
import GRDB

/// A database row as JSON, every column as stored: for the right-of-access export, which must
/// show everything held on a person (including columns no route renders) rather than a
/// curated view of it.
///
/// Ids (`id` and `*_id`) become the API's string ids; columns that hold JSON text are parsed
/// back; bytes are never included (documents' contents have their own URL).
enum RowJSON {
    /// Columns stored as JSON text.
    static let jsonColumns: Set<String> = ["eligibility", "barrier_ids", "questionnaire_answers", "before", "after"]

    static func render(_ row: Row, skipping: Set<String> = []) -> JSON {
        var fields: [(String, JSON)] = []
        for (column, value) in row where !skipping.contains(column) {
            fields.append((column, json(column, value)))
        }
        return .object(fields)
    }

    static func json(_ column: String, _ value: DatabaseValue) -> JSON {
        switch value.storage {
        case .null: return .null
        case .int64(let i):
            return column == "id" || column.hasSuffix("_id") ? .id(i) : .int(Int(i))
        case .double(let d): return .double(d)
        case .string(let s):
            if jsonColumns.contains(column) { return parsed(s) }
            return .string(s)
        case .blob(let data): return .string("<\(data.count) bytes>")
        }
    }

    /// JSON text back into a value; text that does not parse stays text (never lose what is held).
    static func parsed(_ text: String?) -> JSON {
        guard let text else { return .null }
        return (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
    }
}
