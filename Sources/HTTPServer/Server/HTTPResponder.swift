/// What the server asks the application once a request's header section is parsed.
public enum BodyDecision: Sendable {
    /// Read the body, refusing it with 413 (before reading a byte when the length is declared)
    /// past `maxBytes`.
    case accept(maxBytes: Int)
    /// Answer now without reading the body (an early 401, 404, 415...). The connection is then
    /// closed when a body was announced, since its bytes were never read.
    case reject(HTTPResponse)
}

/// The application side of the server: the only thing the HTTP layer calls.
///
/// Both methods run on the server's worker threads, never on an I/O queue, so they may block
/// (on SQLite, for instance) without stalling other connections.
public protocol HTTPResponder: Sendable {
    /// Called for a request that announces a body, once its head is parsed, before any body
    /// byte is read (and before `100 Continue` is sent). A request without a body goes straight
    /// to `respond`, which must therefore refuse on its own what `prepare` would refuse.
    func prepare(_ head: HTTPRequestHead) -> BodyDecision
    /// Produces the response of a complete request.
    func respond(to request: HTTPRequest) -> HTTPResponse
}
