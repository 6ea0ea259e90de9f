/// The protocol version of a request. Only 1.0 and 1.1 are served.
public enum HTTPVersion: Sendable, Equatable {
    case http1_0
    case http1_1

    public var text: String { self == .http1_0 ? "HTTP/1.0" : "HTTP/1.1" }
}

/// What the server knows of a request once its header section is parsed, before the body.
///
/// For a request that announces a body, the responder sees this first (`HTTPResponder.prepare`)
/// to choose the body limit or refuse early (413, 401, 404) without reading the body, which is
/// also how `Expect: 100-continue` gets its final answer.
public struct HTTPRequestHead: Sendable {
    /// The method token exactly as sent (case-sensitive, RFC 9110 §9.1).
    public var method: String
    /// The request target as sent (origin-form or absolute-form).
    public var target: String
    /// The decoded path of the target, without the query: "/v1/participants/12".
    public var path: String
    /// The raw query string after "?", without percent-decoding, or nil.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The peer's address ("127.0.0.1:51234"), for logs.
    public var remoteAddress: String

    public init(method: String, target: String, path: String, query: String?, version: HTTPVersion,
                headers: HTTPHeaders, remoteAddress: String = "") {
        self.method = method; self.target = target; self.path = path; self.query = query
        self.version = version; self.headers = headers; self.remoteAddress = remoteAddress
    }

    /// The query's parameters, percent-decoded ("+" is a space), in order.
    public var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let eq = pair.firstIndex(of: "=") {
                return (percentDecoded(pair[..<eq]), percentDecoded(pair[pair.index(after: eq)...]))
            }
            return (percentDecoded(pair), "")
        }
    }

    /// The first value of a query parameter, or nil.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// A complete request: its head and its body (de-chunked when it was chunked).
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head; self.body = body
    }

    public var method: String { head.method }
    public var path: String { head.path }
    public var headers: HTTPHeaders { head.headers }
}

/// Percent-decodes a query component; "+" means a space in form encoding. Invalid escapes stay as typed.
func percentDecoded<S: StringProtocol>(_ s: S) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    var it = Array(s.utf8)[...]
    while let c = it.popFirst() {
        if c == UInt8(ascii: "+") { out.append(32); continue }
        if c == UInt8(ascii: "%"), it.count >= 2, let h = hexValue(it[it.startIndex]), let l = hexValue(it[it.startIndex + 1]) {
            out.append(h << 4 | l)
            it = it.dropFirst(2)
            continue
        }
        out.append(c)
    }
    return String(decoding: out, as: UTF8.self)
}

@inline(__always)
func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: return c - 48
    case 65...70: return c - 55
    case 97...102: return c - 87
    default: return nil
    }
}
