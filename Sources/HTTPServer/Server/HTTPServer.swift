import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An HTTP/1.1 server on non-blocking sockets and Dispatch.
///
/// Accepting and reading are event-driven (an idle keep-alive connection costs a file
/// descriptor and a little memory, no thread); the responder runs on a fixed pool of
/// `workerThreads` threads because it may block on SQLite; a sweeper checks every
/// connection's deadline four times a second instead of arming a timer per connection.
///
/// ```swift
/// let server = HTTPServer(configuration: config, responder: app) { event in metrics.record(event) }
/// try server.start()
/// ...
/// server.shutdown(timeout: 10)
/// ```
public final class HTTPServer: @unchecked Sendable {
    /// Why the server could not start.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    let configuration: HTTPServerConfiguration
    let responder: HTTPResponder
    let workers: WorkerPool
    let dateCache = HTTPDateCache()
    private let onEvent: (@Sendable (HTTPServerEvent) -> Void)?

    private let lock = Lock()
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var shuttingDown = false
    private var boundPort = 0

    private let acceptQueue = DispatchQueue(label: "parcours.http.accept")
    private var listenFD: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var acceptSuspended = false
    private var sweeper: DispatchSourceTimer?

    public init(configuration: HTTPServerConfiguration, responder: HTTPResponder,
                onEvent: (@Sendable (HTTPServerEvent) -> Void)? = nil) {
        self.configuration = configuration
        self.responder = responder
        self.onEvent = onEvent
        self.workers = WorkerPool(threads: configuration.workerThreads, name: "http-worker")
    }

    /// The bound port (the chosen one when the configuration asked for 0).
    public var port: Int { lock.withLock { boundPort } }

    public var openConnections: Int { lock.withLock { connections.count } }

    var isShuttingDown: Bool { lock.withLock { shuttingDown } }

    @inline(__always)
    func emit(_ event: @autoclosure () -> HTTPServerEvent) {
        if let onEvent { onEvent(event()) }
    }

    private static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Binds, listens and starts accepting.
    public func start() throws {
        let startable = lock.withLock { !shuttingDown && boundPort == 0 }
        guard startable else { throw StartError(description: "the server was already started") }
        _ = Self.ignoreSIGPIPE
        let fd = try Self.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        listenFD = fd
        lock.withLock { boundPort = Self.localPort(fd) }

        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
        // Strong captures: a started server keeps itself alive until `shutdown` cancels these.
        source.setEventHandler { [self] in acceptConnections() }
        source.setCancelHandler { Glibc.close(fd) }
        acceptSource = source
        source.resume()

        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "parcours.http.sweeper"))
        let interval = DispatchTimeInterval.nanoseconds(Int(MonotonicClock.nanoseconds(configuration.timeoutSweepInterval)))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        timer.setEventHandler { [self] in sweep() }
        sweeper = timer
        timer.resume()
    }

    /// Stops accepting, closes idle connections, lets requests under way finish (answered
    /// with `Connection: close`), and returns once every connection is closed or `timeout`
    /// seconds have passed (what remains is then closed).
    public func shutdown(timeout: Double) {
        let alreadyShuttingDown = lock.withLock { () -> Bool in
            defer { shuttingDown = true }
            return shuttingDown
        }
        guard !alreadyShuttingDown else { return }
        acceptQueue.sync {
            guard let source = acceptSource else { return }
            if acceptSuspended {
                source.resume()
                acceptSuspended = false
            }
            source.cancel()
        }
        for connection in snapshot() {
            connection.queue.async { connection.beginShutdown() }
        }
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(timeout)
        while openConnections > 0 && MonotonicClock.now() < deadline { usleep(5_000) }
        if openConnections > 0 {
            for connection in snapshot() {
                connection.queue.async { connection.forceClose() }
            }
            let grace = MonotonicClock.now() + MonotonicClock.nanoseconds(0.5)
            while openConnections > 0 && MonotonicClock.now() < grace { usleep(5_000) }
        }
        sweeper?.cancel()
        workers.stop()
    }

    private func snapshot() -> [HTTPConnection] {
        lock.withLock { Array(connections.values) }
    }

    func connectionDidClose(_ connection: HTTPConnection) {
        lock.withLock { _ = connections.removeValue(forKey: ObjectIdentifier(connection)) }
        emit(.connectionClosed(remoteAddress: connection.remoteAddress))
    }

    // MARK: Accepting (on acceptQueue)

    private func acceptConnections() {
        for _ in 0..<256 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    accept(listenFD, address, &length)
                }
            }
            if fd < 0 {
                let e = errno
                switch e {
                case EINTR, ECONNABORTED:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: the pending connection stays readable, so retrying
                    // now would spin. Pause accepting briefly instead.
                    emit(.acceptFailed(errno: e))
                    pauseAccepting()
                    return
                default:
                    return
                }
            }
            // accept4 is not exported to Swift by Glibc: two fcntl calls per connection instead.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let remote = Self.describe(storage)
            let refusal: String? = lock.withLock {
                if shuttingDown { return "shutting down" }
                if connections.count >= configuration.maxConnections { return "too many connections" }
                return nil
            }
            if let refusal {
                Glibc.close(fd)
                emit(.connectionRefused(remoteAddress: remote, reason: refusal))
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = HTTPConnection(fd: fd, remoteAddress: remote, server: self, configuration: configuration)
            lock.withLock { connections[ObjectIdentifier(connection)] = connection }
            emit(.connectionOpened(remoteAddress: remote))
            connection.start()
        }
    }

    private func pauseAccepting() {
        guard let source = acceptSource, !acceptSuspended else { return }
        source.suspend()
        acceptSuspended = true
        acceptQueue.asyncAfter(deadline: .now() + configuration.acceptBackoff) { [self] in
            guard acceptSuspended, !source.isCancelled else { return }
            acceptSuspended = false
            source.resume()
        }
    }

    // MARK: Deadlines

    private func sweep() {
        let now = MonotonicClock.now()
        for connection in snapshot() where connection.isExpired(now) {
            connection.queue.async { connection.handleTimeout() }
        }
    }

    // MARK: Sockets

    private static func listen(host: String, port: Int, backlog: Int32) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw StartError(description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 {
                lastError = "socket: \(String(cString: strerror(errno)))"
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                lastError = "bind \(host):\(port): \(String(cString: strerror(errno)))"
                Glibc.close(fd)
                continue
            }
            if Glibc.listen(fd, backlog) != 0 {
                lastError = "listen: \(String(cString: strerror(errno)))"
                Glibc.close(fd)
                continue
            }
            return fd
        }
        throw StartError(description: lastError)
    }

    private static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return portOf(storage)
    }

    private static func portOf(_ storage: sockaddr_storage) -> Int {
        var storage = storage
        let isV6 = Int32(storage.ss_family) == AF_INET6
        return withUnsafePointer(to: &storage) { pointer in
            if isV6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// "127.0.0.1:51234" or "[::1]:51234", for logs.
    static func describe(_ storage: sockaddr_storage) -> String {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let isV6 = Int32(storage.ss_family) == AF_INET6
        withUnsafePointer(to: &storage) { pointer in
            if isV6 {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var a = address.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
                }
            } else {
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var a = address.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
                }
            }
        }
        let host = String(cString: text)
        let port = portOf(storage)
        return isV6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
