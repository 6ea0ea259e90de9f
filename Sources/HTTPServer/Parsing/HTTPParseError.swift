/// Why the parser refused a request, and the status the server answers with.
///
/// Every parse error ends the connection: once framing is in doubt, the bytes that follow
/// cannot be trusted to start a new request (that doubt is what request smuggling exploits).
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 400, 408, 413, 414, 417, 431, 501 or 505.
    public var status: Int
    /// A short explanation for the client and the logs ("bare LF in the header section").
    public var reason: String
    /// Whether the connection must be closed after the answer. True for every framing error.
    public var closesConnection: Bool

    public init(status: Int, reason: String, closesConnection: Bool = true) {
        self.status = status
        self.reason = reason
        self.closesConnection = closesConnection
    }

    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }
}
