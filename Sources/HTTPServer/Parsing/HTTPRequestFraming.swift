/// How the body of a request is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body: neither Content-Length nor Transfer-Encoding.
    case none
    /// Exactly this many bytes follow the head.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`; the parser de-chunks it.
    case chunked
}

/// What the client expects before sending its body (RFC 9110 §10.1.1).
public enum HTTPExpectation: Sendable, Equatable {
    case none
    /// `Expect: 100-continue` on HTTP/1.1: answer `100 Continue` before reading the body.
    case continue100
    /// Any other expectation: the server answers 417.
    case unsupported
}

/// What the header section says about the message and the connection, beyond the head the
/// application sees: the server drives the connection with it.
public struct HTTPRequestFraming: Sendable, Equatable {
    public var body: HTTPBodyFraming
    /// False when the client asked to close (`Connection: close`, or HTTP/1.0 without
    /// `Connection: keep-alive`).
    public var keepAlive: Bool
    public var expectation: HTTPExpectation

    public init(body: HTTPBodyFraming, keepAlive: Bool, expectation: HTTPExpectation) {
        self.body = body
        self.keepAlive = keepAlive
        self.expectation = expectation
    }

    /// Whether body bytes follow the head (a zero Content-Length has none).
    public var hasBody: Bool {
        switch body {
        case .none: return false
        case .contentLength(let n): return n > 0
        case .chunked: return true
        }
    }
}
