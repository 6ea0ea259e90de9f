import GRDB

extension Database {
    /// Whether `table` has a row with this id: the check behind "no structure has this id" (422).
    /// `table` is always a literal of the code, never input.
    func exists(_ table: String, id: Int64) throws -> Bool {
        try Bool.fetchOne(cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)"), arguments: [id]) ?? false
    }
}
