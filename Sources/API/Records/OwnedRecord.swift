import GRDB

/// A row of a participant-owned table (barriers, steps, positionings...) loaded with its
/// participant, so access follows the participant's visibility: someone else's participant's
/// row is a 404 that does not reveal it exists.
enum OwnedRecord {
    /// `table` is one of our own table names, never user input.
    static func load(_ db: Database, _ ctx: RequestContext, table: String, id: Int64, what: String,
                     writing: Bool) throws -> (row: Row, participant: Row) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(table) WHERE id = ?"), arguments: [id]) else {
            throw APIError.notFound("\(what) \(id)")
        }
        do {
            let participant = try ParticipantRecord.visible(db, ctx, row["participant_id"])
            if writing { try ctx.policy.requireWrite() }
            return (row, participant)
        } catch let e as APIError where e.status == 404 {
            throw APIError.notFound("\(what) \(id)")
        }
    }

    /// Re-reads a row after a write, in the same transaction.
    static func reload(_ db: Database, table: String, id: Int64, what: String) throws -> Row {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(table) WHERE id = ?"), arguments: [id]) else {
            throw APIError.notFound("\(what) \(id)")
        }
        return row
    }
}
