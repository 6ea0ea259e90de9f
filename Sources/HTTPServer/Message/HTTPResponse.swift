/// The body of a response.
public enum HTTPBody: Sendable {
    /// A body known in full; sent with Content-Length.
    case bytes([UInt8])
    /// A body produced piece by piece (exports of 100,000 rows): sent chunked, compressed on the
    /// fly when the client accepts gzip. The producer runs on a worker thread and calls the
    /// writer as often as it likes; the writer blocks while the socket is full and throws when
    /// the client has gone, which should end the producer.
    case stream(@Sendable (_ write: ([UInt8]) throws -> Void) throws -> Void)

    public static let empty = HTTPBody.bytes([])
}

/// A response. The server adds `Date`, `Content-Length` or `Transfer-Encoding`, `Connection`
/// and, when it compresses, `Content-Encoding` and `Vary`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .empty) {
        self.status = status; self.headers = headers; self.body = body
    }

    public init(status: Int, contentType: String, body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) {
        var h = headers
        h.set("Content-Type", contentType)
        self.init(status: status, headers: h, body: .bytes(body))
    }

    /// The standard reason phrase of a status code.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 422: return "Unprocessable Content"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}
