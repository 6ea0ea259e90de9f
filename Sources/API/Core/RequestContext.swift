import Domain
import GRDB
import HTTPServer

/// What a handler needs, learned on the way in: the request, the path parameters, the caller,
/// the request id, and the database — with the transaction of this request when it writes.
public final class RequestContext {
    public let request: HTTPRequest
    public let params: [String: String]
    public let requestId: String
    public let app: AppEnvironment
    /// Nil only on public routes.
    public let principal: Principal?
    /// The write transaction of this request (every non-GET request runs in exactly one).
    var transaction: Database?
    /// Work to do once this request's transaction has committed (cache invalidation).
    var afterCommit: [() -> Void] = []

    init(request: HTTPRequest, params: [String: String], requestId: String, app: AppEnvironment, principal: Principal?) {
        self.request = request; self.params = params; self.requestId = requestId; self.app = app; self.principal = principal
    }

    public var settings: Settings { app.settings }
    public var today: Day { app.clock.today }
    public func timestamp() -> String { app.clock.timestamp() }

    /// The caller's policy; routes that reach this are authenticated.
    public var policy: Policy {
        Policy(principal: principal ?? Principal(tokenId: 0, role: .auditor, referentId: nil, structureId: nil, name: "anonymous"))
    }

    // MARK: Database

    /// Reads in this request's transaction when it writes, otherwise in a read transaction of its own.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let transaction { return try body(transaction) }
        return try app.readers.read(body)
    }

    /// The request's write transaction (opened by the application around every non-GET request).
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let transaction { return try body(transaction) }
        return try app.writes.write { db in
            transaction = db
            defer { transaction = nil }
            return try body(db)
        }
    }

    /// Runs `work` after the transaction commits (never if it rolls back).
    public func onCommit(_ work: @escaping () -> Void) { afterCommit.append(work) }

    // MARK: Input

    /// A path parameter that is a row id; anything else is a 404 (no such resource).
    public func id(_ name: String = "id", _ what: String) throws -> Int64 {
        guard let text = params[name], let v = Int64(text), v > 0, String(v) == text else { throw APIError.notFound(what) }
        return v
    }

    /// The JSON object of the body, strictly: 415 for another content type, 400 when malformed.
    public func input() throws -> Input {
        let type = (request.headers["Content-Type"] ?? "").lowercased()
        let media = type.split(separator: ";").first.map { String($0).trimmingWhiteSpace() } ?? ""
        guard media == "application/json" || media.hasSuffix("+json") else {
            throw APIError.unsupportedMediaType("application/json")
        }
        let value: JSON
        do { value = try JSONParser.parse(request.body) } catch let e as JSONParser.Failure {
            throw APIError.badRequest("The body is not valid JSON: \(e.message) at byte \(e.offset).")
        }
        guard case .object(let fields) = value else { throw APIError.badRequest("The body must be a JSON object.") }
        return Input(fields)
    }

    public func query(_ name: String) -> String? { request.head.query(name) }

    /// Pagination of a list: `limit` (default 50, max 500) and the opaque `cursor`.
    public func page() throws -> Page { try Page(limit: query("limit"), cursor: query("cursor")) }

    /// 412 when `If-Match` is sent and matches none of the current ETag (`*` matches any).
    public func checkIfMatch(_ etag: String) throws {
        guard let header = request.headers["If-Match"] else { return }
        let tags = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if tags.contains("*") || tags.contains(etag) || tags.contains("W/" + etag) { return }
        throw APIError.preconditionFailed
    }

    // MARK: Audit

    /// Appends the audit row of a write, in this request's transaction: who, when, what, before and after.
    public func audit(_ db: Database, _ action: String, _ entity: String, _ entityId: Int64?,
                      participant: Int64? = nil, before: JSON? = nil, after: JSON? = nil) throws {
        try Audit.append(db, at: timestamp(), principal: principal, requestId: requestId, action: action, entity: entity,
                         entityId: entityId.map(String.init), participantId: participant, before: before, after: after)
    }

    // MARK: Responses

    public func json(_ status: Int = 200, _ value: JSON, etag: String? = nil, location: String? = nil) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let etag {
            headers.add("ETag", etag)
            if status == 200, let inm = request.headers["If-None-Match"],
               inm.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
                return HTTPResponse(status: 304, headers: headers)
            }
        }
        if let location { headers.add("Location", location) }
        return HTTPResponse(status: status, contentType: "application/json", body: value.bytes, headers: headers)
    }

    /// A list page: `{"items": [...], "next_cursor": ...}`.
    public func list(_ items: [JSON], next: String?) -> HTTPResponse {
        json(200, .object([("items", .array(items)), ("next_cursor", .string(next))]))
    }
}

/// An ETag from a resource's kind, id and version: it changes with every update.
public func etag(_ kind: String, _ id: Int64, _ version: Int64) -> String { "\"\(kind)\(id)v\(version)\"" }
