import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client socket: reads and parses on its own serial queue, hands complete requests to
/// the worker pool, and is written by the worker that answers.
///
/// Confinement: every mutable field below is touched only on `queue`. A worker never reads
/// them directly; it re-enters the queue with `queue.sync` (which runs on the worker's own
/// thread when the queue is free, so it costs no thread hop) to report that a response is
/// written and to pick up a pipelined request. Only one worker holds a connection at a
/// time (phases `.deciding` and `.responding`), so writes never interleave, and the
/// descriptor is closed only in the read source's cancel handler, never while a worker
/// may still write to it.
final class HTTPConnection: @unchecked Sendable {
    let fd: Int32
    let remoteAddress: String
    let queue: DispatchQueue
    private let server: HTTPServer
    private let configuration: HTTPServerConfiguration
    private var readSource: DispatchSourceRead?

    private enum Phase {
        /// Between requests: no byte of the next one yet.
        case idle
        /// Receiving a header section.
        case head
        /// A worker is asking the responder whether to read the body.
        case deciding
        /// Receiving a body the responder accepted.
        case body
        /// A worker is producing and writing the response.
        case responding
        /// Write side shut down after a final response; discarding input until EOF.
        case draining
        case closed
    }

    /// The step a worker performs for this connection.
    enum Work {
        case prepare(HTTPRequestHead, HTTPRequestFraming)
        case respond(HTTPRequest, HTTPRequestFraming)
    }

    private var phase = Phase.idle
    private var parser: HTTPRequestParser
    private var head: HTTPRequestHead?
    private var framing: HTTPRequestFraming?
    private var body: [UInt8] = []
    /// The client shut its write side (or reset): nothing more will arrive.
    private var readClosed = false
    private var readSuspended = false
    private var drainedBytes = 0

    /// The deadline is the one piece of state the server's sweeper reads from its own
    /// queue, hence its own lock.
    enum DeadlineKind { case none, idle, header, body, drain }
    private let deadlineLock = Lock()
    private var deadline = Int64.max
    private var deadlineKind = DeadlineKind.none

    private static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    /// One read's worth: a typical request fits many times; larger bodies take several reads.
    private static let readBufferSize = 16 * 1024

    init(fd: Int32, remoteAddress: String, server: HTTPServer, configuration: HTTPServerConfiguration) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.server = server
        self.configuration = configuration
        self.queue = DispatchQueue(label: "parcours.http.connection")
        var parser = HTTPRequestParser(configuration: configuration)
        parser.remoteAddress = remoteAddress
        self.parser = parser
    }

    func start() {
        queue.async { [self] in
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [unowned self] in self.handleReadable() }
            source.setCancelHandler { [self] in
                Glibc.close(fd)
                server.connectionDidClose(self)
            }
            readSource = source
            setDeadline(.idle, seconds: configuration.keepAliveTimeout)
            source.resume()
        }
    }

    // MARK: Reading (on queue)

    private func handleReadable() {
        guard phase != .closed else { return }
        var gotBytes = false
        var eof = false
        withUnsafeTemporaryAllocation(byteCount: Self.readBufferSize, alignment: 16) { buffer in
            while true {
                let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if n > 0 {
                    if phase == .draining {
                        drainedBytes += n
                        if drainedBytes > configuration.lingerMaxBytes {
                            eof = true
                            return
                        }
                        continue
                    }
                    parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                    gotBytes = true
                    // A short read means the socket is empty: skip the read that would say EAGAIN.
                    if n < buffer.count || parser.bufferedByteCount > configuration.maxPipelinedBytes { return }
                } else if n == 0 {
                    eof = true
                    return
                } else {
                    let e = errno
                    if e == EINTR { continue }
                    if e != EAGAIN && e != EWOULDBLOCK { eof = true }
                    return
                }
            }
        }
        if phase == .draining {
            if eof { close() }
            return
        }
        if eof {
            readClosed = true
            // EOF stays readable: without suspending, the source would fire in a loop.
            suspendReading()
        }
        switch phase {
        case .deciding, .responding:
            // Keep pipelined bytes for later; the worker resumes parsing when done.
            if parser.bufferedByteCount > configuration.maxPipelinedBytes { suspendReading() }
            return
        case .body:
            if gotBytes { setDeadline(.body, seconds: configuration.bodyIdleTimeout) }
        default:
            break
        }
        dispatch(advance())
    }

    /// Parses what is buffered. Returns the worker step of a request ready for the
    /// responder, or nil when more bytes are needed (or the connection failed).
    private func advance() -> Work? {
        while true {
            let event: HTTPParserEvent?
            do {
                event = try parser.next()
            } catch {
                fail(error)
                return nil
            }
            guard let event else { break }
            switch event {
            case .head(let h, let f):
                if f.expectation == .unsupported {
                    fail(HTTPParseError(status: 417, reason: "only the 100-continue expectation is supported"))
                    return nil
                }
                head = h
                framing = f
                body = []
                clearDeadline()
                if f.hasBody {
                    phase = .deciding
                    return .prepare(h, f)
                }
                phase = .responding
            case .body(let piece):
                if body.isEmpty { body = piece } else { body.append(contentsOf: piece) }
            case .end:
                guard let h = head, let f = framing else { return nil }
                phase = .responding
                let request = HTTPRequest(head: h, body: body)
                body = []
                clearDeadline()
                return .respond(request, f)
            }
        }
        if phase == .idle, parser.isInsideMessage {
            phase = .head
            setDeadline(.header, seconds: configuration.headerTimeout)
        }
        if readClosed, phase == .idle || phase == .head || phase == .body {
            // The request can never complete.
            close()
        }
        return nil
    }

    private func dispatch(_ work: Work?) {
        guard let work else { return }
        server.workers.submit { [self] in run(work) }
    }

    // MARK: Working (on a worker thread)

    /// Runs a step and whatever follows at once (the body already buffered, a pipelined
    /// request), staying on this worker thread.
    private func run(_ first: Work) {
        var next: Work? = first
        while let work = next {
            switch work {
            case .prepare(let head, let framing):
                next = decide(server.responder.prepare(head), head: head, framing: framing)
            case .respond(let request, let framing):
                // A request without a body was never `prepare`d: there was no body to decide about.
                next = send(server.responder.respond(to: request), to: request.head, framing: framing, bodyUnread: false)
            }
        }
    }

    private func decide(_ decision: BodyDecision, head: HTTPRequestHead, framing: HTTPRequestFraming) -> Work? {
        switch decision {
        case .reject(let response):
            return send(response, to: head, framing: framing, bodyUnread: true)
        case .accept(let maxBytes):
            if case .contentLength(let n) = framing.body, n > maxBytes {
                let problem = ProblemResponse.make(status: 413, detail: "the body is larger than \(maxBytes) bytes")
                server.emit(.protocolError(status: 413, reason: "body over the limit", remoteAddress: remoteAddress))
                return send(problem, to: head, framing: framing, bodyUnread: true)
            }
            if framing.expectation == .continue100 {
                do {
                    try SocketWriter.write(fd, Self.continueBytes, deadline: writeDeadline())
                } catch {
                    return queue.sync { close(); return nil }
                }
            }
            return queue.sync {
                guard phase == .deciding else { return nil }
                parser.maxBodyBytes = maxBytes
                phase = .body
                setDeadline(.body, seconds: configuration.bodyIdleTimeout)
                if readSuspended, !readClosed { resumeReading() }
                return advance()
            }
        }
    }

    /// Encodes and writes a response, then hands the connection back to its queue.
    private func send(_ response: HTTPResponse, to head: HTTPRequestHead, framing: HTTPRequestFraming, bodyUnread: Bool) -> Work? {
        let context = HTTPResponseEncoder.Context(
            isHead: head.method == "HEAD",
            version: head.version,
            keepAlive: framing.keepAlive && !bodyUnread && !server.isShuttingDown,
            acceptEncoding: head.headers["Accept-Encoding"])
        let encoded = HTTPResponseEncoder.encode(
            response, context: context, date: server.dateCache.current(),
            gzipMinimumBytes: configuration.gzipMinimumBytes, gzipLevel: configuration.gzipLevel)
        let written = write(encoded)
        return queue.sync { responseWritten(ok: written, closeAfter: encoded.closeAfter) }
    }

    private func write(_ encoded: HTTPResponseEncoder.Encoded) -> Bool {
        do {
            switch encoded.body {
            case .none:
                try SocketWriter.write(fd, encoded.head, deadline: writeDeadline())
            case .bytes(let bytes):
                try SocketWriter.write(fd, encoded.head, bytes, deadline: writeDeadline())
            case .stream(let producer, let gzip, let framing):
                let writer = try StreamBodyWriter(
                    fd: fd, head: encoded.head, framing: framing, gzipLevel: gzip ? configuration.gzipLevel : nil,
                    writeTimeout: MonotonicClock.nanoseconds(configuration.writeTimeout))
                do {
                    try producer { piece in try writer.write(piece) }
                } catch where !writer.hasSentBytes && !(error is SocketWriter.Failure) {
                    // The producer failed before anything left: the client can still get a
                    // proper 500 instead of a connection closed without an answer.
                    try sendProducerFailure()
                    return false
                }
                try writer.finish()
            }
            return true
        } catch {
            // Once part of a body is sent, closing without the final chunk is the only way to
            // tell the client the body is incomplete.
            return false
        }
    }

    private func sendProducerFailure() throws {
        let context = HTTPResponseEncoder.Context(isHead: false, version: .http1_1, keepAlive: false, acceptEncoding: nil)
        let encoded = HTTPResponseEncoder.encode(
            ProblemResponse.make(status: 500, detail: "the response body could not be produced"), context: context,
            date: server.dateCache.current(), gzipMinimumBytes: Int.max, gzipLevel: 0)
        if case .bytes(let bytes) = encoded.body {
            try SocketWriter.write(fd, encoded.head, bytes, deadline: writeDeadline())
        }
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    private func writeDeadline() -> Int64 {
        MonotonicClock.now() + MonotonicClock.nanoseconds(configuration.writeTimeout)
    }

    // MARK: After a response (on queue)

    private func responseWritten(ok: Bool, closeAfter: Bool) -> Work? {
        guard phase != .closed else { return nil }
        head = nil
        framing = nil
        guard ok else {
            close()
            return nil
        }
        if closeAfter {
            closeGracefully()
            return nil
        }
        phase = .idle
        setDeadline(.idle, seconds: configuration.keepAliveTimeout)
        if readSuspended, !readClosed { resumeReading() }
        return advance()
    }

    /// Answers a request the HTTP layer refuses, then closes.
    private func fail(_ error: HTTPParseError) {
        server.emit(.protocolError(status: error.status, reason: error.reason, remoteAddress: remoteAddress))
        let context = HTTPResponseEncoder.Context(isHead: false, version: .http1_1, keepAlive: false, acceptEncoding: nil)
        let encoded = HTTPResponseEncoder.encode(
            ProblemResponse.make(status: error.status, detail: error.reason), context: context,
            date: server.dateCache.current(), gzipMinimumBytes: Int.max, gzipLevel: 0)
        if case .bytes(let bytes) = encoded.body {
            // Best effort and briefly: the connection is going away either way.
            let limit = MonotonicClock.now() + MonotonicClock.nanoseconds(min(configuration.writeTimeout, configuration.lingerTimeout))
            try? SocketWriter.write(fd, encoded.head, bytes, deadline: limit)
        }
        closeGracefully()
    }

    /// Shuts the write side, then reads and discards for a moment before closing: closing
    /// with unread input makes the kernel send a reset, which can destroy the response
    /// before the client has read it.
    private func closeGracefully() {
        guard phase != .closed else { return }
        Glibc.shutdown(fd, Int32(SHUT_WR))
        if readClosed {
            close()
            return
        }
        phase = .draining
        drainedBytes = 0
        setDeadline(.drain, seconds: configuration.lingerTimeout)
        resumeReading()
    }

    private func close() {
        guard phase != .closed, let source = readSource else { return }
        phase = .closed
        clearDeadline()
        // A suspended source never delivers its cancellation.
        resumeReading()
        source.cancel()
    }

    private func suspendReading() {
        guard !readSuspended, let source = readSource else { return }
        source.suspend()
        readSuspended = true
    }

    private func resumeReading() {
        guard readSuspended, let source = readSource else { return }
        source.resume()
        readSuspended = false
    }

    // MARK: Deadlines and shutdown

    private func setDeadline(_ kind: DeadlineKind, seconds: Double) {
        let at = MonotonicClock.now() + MonotonicClock.nanoseconds(seconds)
        deadlineLock.withLock {
            deadline = at
            deadlineKind = kind
        }
    }

    private func clearDeadline() {
        deadlineLock.withLock {
            deadline = .max
            deadlineKind = .none
        }
    }

    /// Called by the sweeper, off the queue.
    func isExpired(_ now: Int64) -> Bool {
        deadlineLock.withLock { now >= deadline }
    }

    /// On queue, after the sweeper saw the deadline pass; checks again, since the state may
    /// have moved on meanwhile.
    func handleTimeout() {
        let now = MonotonicClock.now()
        let (at, kind) = deadlineLock.withLock { (deadline, deadlineKind) }
        guard now >= at else { return }
        switch (kind, phase) {
        case (.idle, .idle), (.drain, .draining):
            close()
        case (.header, .head):
            fail(HTTPParseError(status: 408, reason: "the header section was not received in time"))
        case (.body, .body):
            fail(HTTPParseError(status: 408, reason: "the body was not received in time"))
        default:
            break
        }
    }

    /// Graceful shutdown: an idle connection closes now; one with a request under way
    /// finishes it (its response says `Connection: close`).
    func beginShutdown() {
        if phase == .idle { close() }
    }

    /// Shutdown timeout: close whatever is left. A connection a worker holds is shut down
    /// at the socket level so the worker's write fails and it closes the connection itself.
    func forceClose() {
        switch phase {
        case .deciding, .responding:
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
        default:
            close()
        }
    }
}
