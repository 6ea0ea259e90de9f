import Domain
import GRDB
import HTTPServer

/// The writable columns of one request body, read with validation.
///
/// On create (`creating`) every field is read, and an absent optional field is left out so the
/// table's default applies; on PATCH only the fields present are read, and `null` clears an
/// optional field but is refused for a field that cannot be empty.
struct ColumnReader {
    var input: Input
    let creating: Bool
    private(set) var columns: [(String, DatabaseValueConvertible?)] = []

    init(_ input: Input, creating: Bool) { self.input = input; self.creating = creating }

    /// Whether this request sets the field.
    func sets(_ key: String) -> Bool { creating || input.has(key) }

    mutating func set(_ key: String, _ value: DatabaseValueConvertible?) { columns.append((key, value)) }

    mutating func text(_ key: String, required: Bool = false, maxLength: Int = 200) {
        guard sets(key) else { return }
        set(key, input.string(key, required: required, maxLength: maxLength))
    }

    mutating func day(_ key: String, required: Bool = false) {
        guard sets(key) else { return }
        set(key, input.day(key, required: required)?.description)
    }

    mutating func code<T: DomainCode>(_ key: String, _ type: T.Type, required: Bool = false) {
        guard sets(key) else { return }
        set(key, input.code(key, type, required: required)?.rawValue)
    }

    /// A NOT NULL column with a default: may be omitted on create, never set to null.
    mutating func bool(_ key: String) {
        guard input.has(key) else { return }
        set(key, input.bool(key, required: true).map { $0 ? 1 : 0 })
    }

    /// A number; `notNull` for a NOT NULL column with a default (omitted on create, never null).
    mutating func double(_ key: String, in range: ClosedRange<Double>, excludingLowerBound: Bool = false, notNull: Bool = false) {
        guard input.has(key) || (creating && !notNull) else { return }
        let v = input.double(key, required: notNull, in: range)
        if let v, excludingLowerBound, v == range.lowerBound {
            input.fail(key, "must be greater than \(range.lowerBound) and at most \(range.upperBound)")
            set(key, nil)
            return
        }
        set(key, v)
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>) {
        guard sets(key) else { return }
        set(key, input.int(key, in: range))
    }

    mutating func id(_ key: String, required: Bool = false) {
        guard sets(key) else { return }
        set(key, input.id(key, required: required))
    }
}

/// A condition of a list's WHERE clause over the resource's table, with its one argument.
typealias ListCondition = (sql: String, argument: DatabaseValueConvertible)

/// One resource of the programme's reference data (structures, referents, operations, job
/// offers, committees): plain rows that the coordination team writes and everyone authenticated
/// reads. The four routes of such a resource behave the same way, so they are written once here
/// and each resource only declares its table, fields, checks and rendering.
struct ReferenceResource {
    /// The table, and the name of the entity in the audit trail and in errors.
    let table: String
    let entity: String
    /// "Structure": for 404 and 403 messages.
    let what: String
    /// "/v1/structures"
    let path: String
    /// The ETag's prefix, distinct per resource.
    let etagKind: String
    let render: (Row) -> JSON
    /// Reads the writable fields of a body.
    let read: (inout ColumnReader) -> Void
    /// Cross-field and link checks over the row as it would be after the write (`merged`).
    var check: (Database, _ merged: [String: DatabaseValue], inout Input) throws -> Void = { _, _, _ in }
    /// List filters from the query string: SQL conditions over the table with their arguments.
    var filters: (RequestContext, inout [FieldError]) -> [ListCondition] = { _, _ in [] }

    func etag(of row: Row) -> String { API.etag(etagKind, row["id"], row["version"]) }

    func fetch(_ db: Database, _ id: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(table) WHERE id = ?"), arguments: [id]) else {
            throw APIError.notFound("\(what) \(id)")
        }
        return row
    }

    /// The programme's reference data is written by coordinators and admins only (API.md).
    func authoriseWrite(_ ctx: RequestContext) throws {
        try ctx.policy.requireWrite()
        try ctx.policy.requireProgramme("Writing a \(entity)")
    }

    func create(_ ctx: RequestContext) throws -> HTTPResponse {
        try authoriseWrite(ctx)
        var reader = ColumnReader(try ctx.input(), creating: true)
        read(&reader)
        return try ctx.write { db in
            var merged: [String: DatabaseValue] = [:]
            for (k, v) in reader.columns { merged[k] = v?.databaseValue ?? .null }
            try check(db, merged, &reader.input)
            try reader.input.finish()
            let now = ctx.timestamp()
            let columns = reader.columns + [("created_at", now), ("updated_at", now)]
            try db.execute(sql: "INSERT INTO \(table) (\(columns.map(\.0).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))",
                           arguments: StatementArguments(columns.map(\.1)))
            let id = db.lastInsertedRowID
            let row = try fetch(db, id)
            let body = render(row)
            try ctx.audit(db, "create", entity, id, after: body)
            return ctx.json(201, body, etag: etag(of: row), location: "\(path)/\(id)")
        }
    }

    func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", what)
        return try ctx.read { db in
            let row = try fetch(db, id)
            return ctx.json(200, render(row), etag: etag(of: row))
        }
    }

    func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", what)
        try authoriseWrite(ctx)
        var reader = ColumnReader(try ctx.input(), creating: false)
        read(&reader)
        return try ctx.write { db in
            let before = try fetch(db, id)
            try ctx.checkIfMatch(etag(of: before))
            var merged: [String: DatabaseValue] = [:]
            for column in before.columnNames { merged[column] = before[column] }
            for (k, v) in reader.columns { merged[k] = v?.databaseValue ?? .null }
            try check(db, merged, &reader.input)
            try reader.input.finish()
            guard !reader.columns.isEmpty else { return ctx.json(200, render(before), etag: etag(of: before)) }
            let columns = reader.columns + [("updated_at", ctx.timestamp())]
            try db.execute(sql: "UPDATE \(table) SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")), version = version + 1 WHERE id = ?",
                           arguments: StatementArguments(columns.map(\.1) + [id]))
            let after = try fetch(db, id)
            try ctx.audit(db, "update", entity, id, before: render(before), after: render(after))
            return ctx.json(200, render(after), etag: etag(of: after))
        }
    }

    func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let page = try ctx.page()
        var errors: [FieldError] = []
        let conditions = filters(ctx, &errors)
        if !errors.isEmpty { throw APIError.invalid(errors) }
        var args: [DatabaseValueConvertible?] = [try page.afterId]
        args += conditions.map(\.argument)
        args.append(page.limit + 1)
        let sql = "SELECT * FROM \(table) WHERE " + (["id > ?"] + conditions.map(\.sql)).joined(separator: " AND ") + " ORDER BY id LIMIT ?"
        let rows = try ctx.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)) }
        let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
        return ctx.list(items.map(render), next: next)
    }

    /// POST and GET on the collection, GET and PATCH on one.
    func register(on router: Router, patch: Bool = true, show: Handler? = nil) {
        router.post(path, create)
        router.get(path, list)
        router.get(path + "/:id", show ?? self.show)
        if patch { router.patch(path + "/:id", update) }
    }
}

/// Query-string filters shared by the lists.
enum QueryFilter {
    /// `?name=12`: an id, else an error naming the parameter.
    static func id(_ ctx: RequestContext, _ name: String, _ errors: inout [FieldError]) -> Int64? {
        guard let v = ctx.query(name) else { return nil }
        guard let i = Int64(v), i > 0, String(i) == v else { errors.append(FieldError(name, "must be an id")); return nil }
        return i
    }

    /// `?name=true|false`.
    static func bool(_ ctx: RequestContext, _ name: String, _ errors: inout [FieldError]) -> Bool? {
        guard let v = ctx.query(name) else { return nil }
        switch v {
        case "true": return true
        case "false": return false
        default: errors.append(FieldError(name, "must be true or false")); return nil
        }
    }

    /// `?name=code` of a domain code list.
    static func code<T: DomainCode>(_ ctx: RequestContext, _ name: String, _ type: T.Type, _ errors: inout [FieldError]) -> T? {
        guard let v = ctx.query(name) else { return nil }
        guard let c = T(rawValue: v) else { errors.append(FieldError(name, "must be one of \(T.choices)")); return nil }
        return c
    }

    /// `?name=YYYY-MM-DD`.
    static func day(_ ctx: RequestContext, _ name: String, _ errors: inout [FieldError]) -> Day? {
        guard let v = ctx.query(name) else { return nil }
        guard let d = Day(v) else { errors.append(FieldError(name, "must be a date YYYY-MM-DD")); return nil }
        return d
    }
}
