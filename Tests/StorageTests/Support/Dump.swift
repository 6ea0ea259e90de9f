import GRDB

/// Every table's rows, in rowid order, keyed by table name, plus the schema: two databases
/// with equal dumps hold the same data.
struct Dump: Equatable {
    var schema: [String]
    var tables: [String: [Row]]

    static func of(_ reader: any DatabaseReader) throws -> Dump {
        try reader.read { db in
            let schema = try String.fetchAll(db, sql: """
                SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name
                """)
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name
                """)
            var tables: [String: [Row]] = [:]
            for name in names {
                tables[name] = try Row.fetchAll(db, sql: "SELECT * FROM \(name.quotedDatabaseIdentifier) ORDER BY rowid")
            }
            return Dump(schema: schema, tables: tables)
        }
    }
}
