import Domain
import GRDB
import HTTPServer

/// An error that knows its HTTP answer. Handlers throw these (or the domain's `RuleViolation`
/// and `ValidationFailure`); `Problem.response(for:)` is the one place that turns any error
/// into an `application/problem+json` response (RFC 9457).
public struct APIError: Error, Sendable {
    public var status: Int
    /// A short, stable slug; the problem `type` is "https://parcours.plie/problems/<slug>".
    public var slug: String
    public var title: String
    public var detail: String
    public var errors: [FieldError] = []
    /// Extra members of the problem object (`rule`, `existing_id`...).
    public var extra: [(String, JSON)] = []
    public var headers: [(String, String)] = []

    public init(_ status: Int, _ slug: String, _ title: String, _ detail: String,
                errors: [FieldError] = [], extra: [(String, JSON)] = [], headers: [(String, String)] = []) {
        self.status = status; self.slug = slug; self.title = title; self.detail = detail
        self.errors = errors; self.extra = extra; self.headers = headers
    }

    public static func badRequest(_ detail: String) -> APIError { APIError(400, "malformed-request", "Malformed request", detail) }
    public static let unauthorized = APIError(401, "unauthorized", "Unauthorized",
        "A valid bearer token is required: Authorization: Bearer <token>.", headers: [("WWW-Authenticate", "Bearer realm=\"parcours\"")])
    public static func forbidden(_ detail: String) -> APIError { APIError(403, "forbidden", "Forbidden", detail) }
    public static func notFound(_ what: String) -> APIError { APIError(404, "not-found", "Not found", "\(what) does not exist or is not visible to you.") }
    public static func conflict(_ slug: String, _ detail: String, extra: [(String, JSON)] = []) -> APIError {
        APIError(409, slug, "Conflict", detail, extra: extra)
    }
    public static let preconditionFailed = APIError(412, "stale-if-match", "Precondition failed",
        "The resource changed since you read it (If-Match does not match its ETag). Read it again and retry.")
    public static func unsupportedMediaType(_ expected: String) -> APIError {
        APIError(415, "unsupported-media-type", "Unsupported media type", "The body must be \(expected).")
    }
    public static func invalid(_ errors: [FieldError]) -> APIError {
        APIError(422, "invalid-fields", "Invalid fields",
                 errors.count == 1 ? "\(errors[0].field): \(errors[0].message)" : "\(errors.count) fields are invalid.", errors: errors)
    }
    public static func invalid(_ field: String, _ message: String) -> APIError { invalid([FieldError(field, message)]) }
}

/// The one mapping from any thrown error to a problem+json response.
public enum Problem {
    public static let contentType = "application/problem+json"

    public static func response(for error: Error, requestId: String) -> (HTTPResponse, internal: Bool) {
        let api: APIError
        var isInternal = false
        switch error {
        case let e as APIError: api = e
        case let e as RuleViolation:
            api = APIError(409, "rule-\(e.rule)-\(e.code.replacingOccurrences(of: "_", with: "-"))", "Forbidden by rule \(e.rule)",
                           e.message, extra: [("rule", .int(e.rule)), ("code", .string(e.code)), ("remedy", .string(e.remedy))])
        case let e as ValidationFailure: api = .invalid(e.errors)
        default:
            // Logged either way (the administrator must see a full disk too). A database that cannot
            // do it now is a 503: the request was not applied, and the same request may succeed later.
            isInternal = true
            api = (error as? DatabaseError).flatMap(storageUnavailable)
                ?? APIError(500, "internal", "Internal server error",
                            "An unexpected error occurred. Quote request id \(requestId) to the administrator.")
        }
        return (render(api, requestId: requestId), isInternal)
    }

    /// The database could not do it now, for a reason of the machine rather than of the request:
    /// the disk is full, no memory, the file read-only, an I/O error, or (never expected, the
    /// writer being the only one) the database locked. A write that fails so is rolled back
    /// whole (`GroupCommit`: with every write of its group), so the client may send it again;
    /// `Retry-After` says when. Only an I/O error while committing leaves it uncertain whether
    /// the commit reached the disk: the detail then says to resend with the same
    /// `Idempotency-Key`, whose record commits with the write. Any other database error is a 500.
    static func storageUnavailable(_ error: DatabaseError) -> APIError? {
        let notStored = "Nothing of this request was stored: send it again later (the administrator is told)."
        let (detail, seconds): (String, Int)
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: (detail, seconds) = ("The database is busy. \(notStored)", 1)
        case .SQLITE_FULL: (detail, seconds) = ("The server's disk is full. \(notStored)", 60)
        case .SQLITE_NOMEM, .SQLITE_READONLY: (detail, seconds) = ("The server could not use its database. \(notStored)", 60)
        case .SQLITE_IOERR:
            (detail, seconds) = ("The server could not read or write its database (an I/O error; the administrator is told). "
                                 + "A write may or may not have been stored: send it again later with the same Idempotency-Key.", 60)
        default: return nil
        }
        return APIError(503, "storage-unavailable", "Service unavailable", detail, headers: [("Retry-After", String(seconds))])
    }

    public static func render(_ e: APIError, requestId: String) -> HTTPResponse {
        var o = JSONObject()
        o.set("type", .string("https://parcours.plie/problems/\(e.slug)"))
        o.set("title", .string(e.title))
        o.set("status", .int(e.status))
        o.set("detail", .string(e.detail))
        if !e.errors.isEmpty {
            o.set("errors", .array(e.errors.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) }))
        }
        for (k, v) in e.extra { o.set(k, v) }
        o.set("request_id", .string(requestId))
        var headers = HTTPHeaders()
        for (k, v) in e.headers { headers.add(k, v) }
        return HTTPResponse(status: e.status, contentType: contentType, body: o.json.bytes, headers: headers)
    }
}
