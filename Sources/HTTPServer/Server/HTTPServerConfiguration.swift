/// The limits and timeouts of the server. Every number is a setting; these are the defaults.
public struct HTTPServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (tests); read it back from `HTTPServer.port`.
    public var port: Int = 8080
    public var backlog: Int32 = 1024

    /// Longest request line (method, target, version) → 414.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Whole header section (request line excluded) → 431.
    public var maxHeaderBytes: Int = 32 * 1024
    /// Header field count → 431.
    public var maxHeaderCount: Int = 100
    /// Longest method token → 501.
    public var maxMethodBytes: Int = 16
    /// Body limit when the responder does not choose one.
    public var defaultMaxBodyBytes: Int = 1 << 20
    /// Chunk extensions and trailers, per chunk / in all.
    public var maxChunkExtensionBytes: Int = 1024
    public var maxTrailerBytes: Int = 8 * 1024

    /// Time to receive a whole header section, from its first byte (slowloris).
    public var headerTimeout: Double = 10
    /// Longest silence while reading a body.
    public var bodyIdleTimeout: Double = 30
    /// An idle keep-alive connection is closed silently after this.
    public var keepAliveTimeout: Double = 60
    /// Longest wait for a slow reader to accept more response bytes.
    public var writeTimeout: Double = 30

    /// After a final response on a closing connection (an error, `Connection: close`), the
    /// write side is shut and input is read and discarded for at most this long and this
    /// many bytes before closing, so the client's unread bytes do not make the kernel reset
    /// the connection and destroy the response.
    public var lingerTimeout: Double = 1
    public var lingerMaxBytes: Int = 64 * 1024
    /// Bytes a client may pipeline while its previous request is being answered before the
    /// server stops reading from it (back-pressure, not an error).
    public var maxPipelinedBytes: Int = 256 * 1024
    /// How often the deadlines of all connections are checked: the precision of every timeout.
    public var timeoutSweepInterval: Double = 0.25
    /// Pause in accepting after `accept` fails for lack of descriptors (EMFILE, ENFILE).
    public var acceptBackoff: Double = 0.1

    /// Connections past this are refused (accepted and closed at once).
    public var maxConnections: Int = 4096
    /// Threads that run `HTTPResponder` calls (they may block on SQLite).
    public var workerThreads: Int = 8

    /// Responses smaller than this are sent uncompressed even when gzip is accepted.
    public var gzipMinimumBytes: Int = 1024
    public var gzipLevel: Int32 = 6

    public init() {}
}
