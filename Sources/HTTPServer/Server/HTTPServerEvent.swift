/// What the server reports about connections and refused requests, for logs and metrics.
///
/// Emitted synchronously from I/O queues and worker threads: the handler must be cheap and
/// must not block (count, or hand off to a logger).
public enum HTTPServerEvent: Sendable {
    case connectionOpened(remoteAddress: String)
    case connectionClosed(remoteAddress: String)
    /// A connection accepted and closed at once: over `maxConnections` or shutting down.
    case connectionRefused(remoteAddress: String, reason: String)
    /// A request refused by the HTTP layer itself (framing, limits, timeouts).
    case protocolError(status: Int, reason: String, remoteAddress: String)
    /// `accept` failed, typically EMFILE: the server pauses accepting briefly.
    case acceptFailed(errno: Int32)
}
