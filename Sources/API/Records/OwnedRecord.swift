import GRDB
import HTTPServer

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

    /// One page of a participant's rows, by id: 404 when the caller may not see the participant.
    static func list(_ ctx: RequestContext, table: String, participant: Int64, render: (Row) -> JSON) throws -> HTTPResponse {
        let page = try ctx.page()
        let after = try page.afterId
        let rows = try ctx.read { db in
            try ParticipantRecord.checkVisible(db, ctx, participant)
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM \(table) WHERE participant_id = ? AND id > ? ORDER BY id LIMIT ?"),
                                    arguments: [participant, after, page.limit + 1])
        }
        let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
        return ctx.list(items.map(render), next: next)
    }

    /// One row with its ETag, through its participant's visibility.
    static func show(_ ctx: RequestContext, table: String, what: String, render: (Row) -> JSON, etag: (Row) -> String) throws -> HTTPResponse {
        let id = try ctx.id("id", what)
        return try ctx.read { db in
            let row = try load(db, ctx, table: table, id: id, what: what, writing: false).row
            return ctx.json(200, render(row), etag: etag(row))
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

extension Input {
    /// Refuses fields a PATCH may not change (they are what happened; a correction is a new record).
    mutating func refuse(_ keys: [String], _ message: String) {
        for key in keys where has(key) {
            accept(key)
            fail(key, message)
        }
    }
}
