import Foundation
import GRDB

/// A resource's JSON from a database row, by a table of its fields: each key is the column it
/// comes from, with how the value is shown.
///
/// Why not `row["column"]`: GRDB finds a column by name by lower-casing every column name of
/// the row, for every lookup, and decodes through generic code. For a participant (30 fields
/// among 40 columns) that was a quarter of the instructions of `GET /v1/participants/{id}`
/// (docs/PERFORMANCE.md). Here the columns' positions are found once per row layout
/// (`ColumnPositions`) and each value is read by position as a `DatabaseValue`.
///
/// ```swift
/// static let renderer = RowRenderer([("id", .id), ("date", .text), ("duration_minutes", .int)])
/// let json = renderer.render(row)
/// ```
struct RowRenderer: Sendable {
    enum Kind: Sendable {
        /// Text, or null.
        case text
        /// An id column as the API's string id, or null.
        case id
        /// An integer, or null.
        case int
        /// 0/1 as a boolean, or null.
        case flag
        /// 0/1 as a boolean, false when null.
        case flagOrFalse
        /// A JSON array stored as text; `[]` when null or unreadable.
        case jsonArray
        /// Not a column: the value passed to `render(_:given:)`.
        case given
    }

    let fields: [(key: String, kind: Kind)]
    private let positions: ColumnPositions

    /// The columns the fields come from, in field order (the `given` field has none): a statement
    /// that selects them in this order, first, can be rendered with `render(values:given:)`.
    let columns: [String]

    init(_ fields: [(key: String, kind: Kind)]) {
        self.fields = fields
        self.columns = fields.filter { $0.kind != .given }.map(\.key)
        self.positions = ColumnPositions(columns)
    }

    /// The fields from values read by position (`ValueRows`, or `render(_:given:)`): `values`
    /// starts with the `columns`, in their order (anything after them is ignored).
    func render(values: [DatabaseValue], given: JSON = .null) -> JSON {
        var out: [(String, JSON)] = []
        out.reserveCapacity(fields.count)
        var next = 0
        for field in fields {
            if field.kind == .given {
                out.append((field.key, given))
            } else {
                out.append((field.key, Self.json(next < values.count ? values[next] : .null, field.kind)))
                next += 1
            }
        }
        return .object(out)
    }

    func render(_ row: Row, given: JSON = .null) -> JSON {
        render(values: positions.values(in: row), given: given)
    }

    /// A column's value as its field shows it (never called for the `given` field).
    static func json(_ value: DatabaseValue, _ kind: Kind) -> JSON {
        switch (kind, value.storage) {
        case (.text, .string(let s)): return .string(s)
        case (.id, .int64(let i)): return .string(String(i))
        case (.int, .int64(let i)): return .int(Int(i))
        case (.flag, .int64(let i)), (.flagOrFalse, .int64(let i)): return .bool(i != 0)
        case (.flagOrFalse, _): return .bool(false)
        case (.jsonArray, .string(let s)):
            if case .array(let items)? = try? JSONParser.parse(Array(s.utf8)) { return .array(items) }
            return .array([])
        case (.jsonArray, _): return .array([])
        default: return .null
        }
    }
}

/// The values of named columns in the rows given, read by position: the positions are found
/// once per row layout (in practice once: a reader is fed by the same statements) and checked
/// by name at each read, so a row of another layout is read right, only slower.
final class ColumnPositions: @unchecked Sendable {
    private let names: [String]
    private let lock = NSLock()
    /// The positions in the last layout seen, -1 for a name it lacks; nil before the first row.
    private var positions: [Int]?

    /// An empty name is never found (its value is null).
    init(_ names: [String]) { self.names = names }

    /// The value of each name in `row` (null where the row has no such column). Names compare
    /// exactly (the statements name their columns in lower case, once each).
    func values(in row: Row) -> [DatabaseValue] {
        lock.lock()
        let cached = positions
        lock.unlock()
        if let cached, let values = Self.read(row, names, at: cached, located: false) { return values }
        let found = locate(in: row)
        lock.lock()
        positions = found
        lock.unlock()
        return Self.read(row, names, at: found, located: true) ?? names.map { _ in .null }
    }

    /// The values at `positions`, or nil when a name is not where it was (another layout). A
    /// cached layout that lacked a name is not trusted (`located` false): the name could be
    /// elsewhere in this row.
    private static func read(_ row: Row, _ names: [String], at positions: [Int], located: Bool) -> [DatabaseValue]? {
        var values: [DatabaseValue] = []
        values.reserveCapacity(names.count)
        for (name, position) in zip(names, positions) {
            guard position >= 0 else {
                guard name.isEmpty || located else { return nil }
                values.append(.null)
                continue
            }
            guard position < row.count else { return nil }
            let (column, value) = row[row.index(row.startIndex, offsetBy: position)]
            guard column == name else { return nil }
            values.append(value)
        }
        return values
    }

    private func locate(in row: Row) -> [Int] {
        let columns = Array(row.columnNames)
        return names.map { name -> Int in
            guard !name.isEmpty else { return -1 }
            return columns.firstIndex(of: name) ?? -1
        }
    }
}
