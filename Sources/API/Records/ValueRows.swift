import GRDB

/// A statement's rows as `[DatabaseValue]`, in the order of its result columns, without GRDB's
/// `Row`: for the hot statements, whose columns are written out so that each value's position
/// is known.
///
/// Why: GRDB builds every `Row` cursor a dictionary of the statement's column names, lower-cased
/// (one `String` and one hash per column, for every query), and copies the names again into
/// each row it keeps. For `GET /v1/participants/{id}` (31 columns) that was about a quarter of
/// the route's CPU, 7 % of the bench mix's, for names the renderers never look up
/// (docs/PERFORMANCE.md). Here each row is its values only.
///
/// ```swift
/// let rows = try ValueRows.fetchAll(db.cachedStatement(sql: "SELECT id, date FROM interviews WHERE participant_id = ?"),
///                                   arguments: [participantId])
/// let firstDate = rows.first.map { String.fromDatabaseValue($0[1]) }
/// ```
enum ValueRows {
    /// Every row of `statement` with `arguments`.
    static func fetchAll(_ statement: Statement, arguments: StatementArguments) throws -> [[DatabaseValue]] {
        let cursor = try ValuesCursor(statement: statement, arguments: arguments)
        var rows: [[DatabaseValue]] = []
        while let row = try cursor.next() { rows.append(row) }
        return rows
    }

    /// The first row, or nil. The statement is stepped to its end (it is reset only when a cursor
    /// is made on it again), so use it where at most one row matches (a key) or with `LIMIT 1`.
    static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> [DatabaseValue]? {
        let cursor = try ValuesCursor(statement: statement, arguments: arguments)
        let first = try cursor.next()
        while try cursor.next() != nil {}
        return first
    }
}

/// GRDB's cursor protocol over a statement, giving each row's values by position. Like GRDB's
/// own cursors, it resets the statement and binds the arguments when it is made.
private final class ValuesCursor: DatabaseCursor {
    typealias Element = [DatabaseValue]
    let _statement: Statement
    var _isDone = false
    private let columns: CInt

    init(statement: Statement, arguments: StatementArguments) throws {
        _statement = statement
        try statement.setArguments(arguments)
        columns = CInt(statement.columnCount)
    }

    func _element(sqliteStatement: SQLiteStatement) throws -> [DatabaseValue] {
        var values: [DatabaseValue] = []
        values.reserveCapacity(Int(columns))
        for i in 0..<columns { values.append(DatabaseValue(sqliteStatement: sqliteStatement, index: i)) }
        return values
    }
}
