/// An incremental HTTP/1.1 request parser over bytes, with no socket in sight.
///
/// Feed it bytes as they arrive, in any split (`append`), then call `next()` until it returns
/// nil (more bytes needed). Each message yields `.head`, zero or more `.body` pieces
/// (Content-Length or de-chunked) and `.end`; the bytes of a pipelined next request stay
/// buffered until `next()` is called again, so the caller decides when to start it.
///
/// Strict by design (HTTP-CHECKLIST.md): CRLF only, bounded everything, no lenient number
/// parsing. An error is final: `next()` keeps throwing it, since after a framing error the
/// following bytes cannot be trusted.
///
/// ```swift
/// var parser = HTTPRequestParser(configuration: config)
/// parser.append(bytes)
/// while let event = try parser.next() { ... }
/// ```
public struct HTTPRequestParser: Sendable {
    /// The bounds the parser enforces; every one is a server setting.
    public struct Limits: Sendable {
        public var maxRequestLineBytes: Int
        public var maxHeaderBytes: Int
        public var maxHeaderCount: Int
        public var maxMethodBytes: Int
        public var defaultMaxBodyBytes: Int
        public var maxChunkExtensionBytes: Int
        public var maxTrailerBytes: Int

        public init(configuration: HTTPServerConfiguration) {
            maxRequestLineBytes = configuration.maxRequestLineBytes
            maxHeaderBytes = configuration.maxHeaderBytes
            maxHeaderCount = configuration.maxHeaderCount
            maxMethodBytes = configuration.maxMethodBytes
            defaultMaxBodyBytes = configuration.defaultMaxBodyBytes
            maxChunkExtensionBytes = configuration.maxChunkExtensionBytes
            maxTrailerBytes = configuration.maxTrailerBytes
        }
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case endPending
        case failed(HTTPParseError)
    }

    public let limits: Limits
    /// The body limit of the current message. Reset to `limits.defaultMaxBodyBytes` at each
    /// head; the server lowers or raises it after asking the responder, before the body.
    public var maxBodyBytes: Int
    /// Copied into each head, for logs.
    public var remoteAddress: String = ""

    private var buffer: [UInt8] = []
    /// The first byte not consumed yet; every offset below is relative to it.
    private var start = 0
    private var state: State = .head

    // Head and line scanning.
    private var scanned = 0
    private var lineStart = 0
    private var requestLine: ParsedRequestLine?
    private var headerLines: [Range<Int>] = []
    private var skippedEmptyLine = false
    private var methodEnded = false

    // Body.
    private var bodyReceived = 0
    private var trailerBytes = 0

    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration()) {
        limits = Limits(configuration: configuration)
        maxBodyBytes = limits.defaultMaxBodyBytes
    }

    /// The number of received bytes not consumed by a message yet.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Whether the bytes of a new message have started arriving (not only a finished one).
    public var isInsideMessage: Bool {
        if case .head = state { return bufferedByteCount > 0 || requestLine != nil }
        return true
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Drops consumed bytes, cheaply when everything was consumed (the usual case).
    private mutating func compact() {
        if start == 0 { return }
        if start == buffer.count {
            // Keep a small buffer for the next request; give back what a large body grew.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            start = 0
        } else if start >= 4096 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    /// The next event, nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        if case .failed(let error) = state { throw error }
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> HTTPParserEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .head:
                return try scanHead()
            case .endPending:
                resetForNextMessage()
                return .end
            case .fixedBody(let remaining):
                guard bodyReceived + remaining <= maxBodyBytes else {
                    throw HTTPParseError(status: 413, reason: "the body is larger than \(maxBodyBytes) bytes")
                }
                guard let piece = takeBody(upTo: remaining) else { return nil }
                state = piece.count == remaining ? .endPending : .fixedBody(remaining: remaining - piece.count)
                return .body(piece)
            case .chunkSize:
                guard try scanChunkSize() else { return nil }
            case .chunkData(let remaining):
                guard let piece = takeBody(upTo: remaining) else { return nil }
                state = piece.count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - piece.count)
                return .body(piece)
            case .chunkDataEnd:
                let available = buffer.count - start
                if available >= 1, buffer[start] != ByteClass.cr {
                    throw .badRequest("chunk data must be followed by CRLF")
                }
                guard available >= 2 else { return nil }
                guard buffer[start + 1] == ByteClass.lf else { throw .badRequest("chunk data must be followed by CRLF") }
                start += 2
                state = .chunkSize
            case .trailers:
                guard try scanTrailers() else { return nil }
                resetForNextMessage()
                return .end
            }
        }
    }

    private mutating func resetForNextMessage() {
        state = .head
        scanned = 0
        lineStart = 0
        requestLine = nil
        headerLines.removeAll(keepingCapacity: true)
        skippedEmptyLine = false
        methodEnded = false
        bodyReceived = 0
        trailerBytes = 0
        maxBodyBytes = limits.defaultMaxBodyBytes
    }

    /// Up to `remaining` body bytes from the buffer (a fixed-length body or a chunk's data),
    /// or nil when none has arrived yet.
    private mutating func takeBody(upTo remaining: Int) -> [UInt8]? {
        let available = buffer.count - start
        guard available > 0 else { return nil }
        let take = min(available, remaining)
        let piece = Array(buffer[start..<(start + take)])
        start += take
        bodyReceived += take
        return piece
    }

    // MARK: Head

    private struct ParsedRequestLine: Sendable {
        var method: Range<Int>
        var target: Range<Int>
        var version: HTTPVersion
    }

    /// Scans the header section line by line. Lines are only recorded (as ranges); the fields
    /// are decoded once the empty line arrives, so a slow client costs no repeated work.
    private mutating func scanHead() throws(HTTPParseError) -> HTTPParserEvent? {
        let bytes = buffer
        return try bytes.withUnsafeBufferPointer { (buf) throws(HTTPParseError) -> HTTPParserEvent? in
            var i = start + scanned
            let count = buf.count
            while i < count {
                let c = buf[i]
                // The limits are checked at every byte exactly as the end-of-read check below would
                // if the read ended here, so the answer never depends on how the bytes were split
                // (a bare LF past the limit is a 414/431 in one read as in many).
                if c != ByteClass.lf {
                    if requestLine == nil {
                        guard i - (start + lineStart) < limits.maxRequestLineBytes + 1 else {
                            throw HTTPParseError(status: 414, reason: "the request line is longer than \(limits.maxRequestLineBytes) bytes")
                        }
                    } else {
                        try checkHeaderBytes(upTo: i + 1)
                    }
                }
                if c == ByteClass.lf {
                    let ls = start + lineStart
                    guard i > ls, buf[i - 1] == ByteClass.cr else { throw .badRequest("bare LF: lines must end with CRLF") }
                    let lineEnd = i - 1
                    if requestLine == nil {
                        if lineEnd == ls {
                            // RFC 9112 §2.2: one empty line before the request line may be ignored.
                            guard !skippedEmptyLine else { throw .badRequest("empty lines before the request line") }
                            skippedEmptyLine = true
                            start = i + 1
                            scanned = 0
                            lineStart = 0
                            i = start
                            continue
                        }
                        guard lineEnd - ls <= limits.maxRequestLineBytes else {
                            throw HTTPParseError(status: 414, reason: "the request line is longer than \(limits.maxRequestLineBytes) bytes")
                        }
                        requestLine = try parseRequestLine(buf, ls..<lineEnd)
                    } else if lineEnd == ls {
                        let head = try buildHead(buf)
                        start = i + 1
                        scanned = 0
                        lineStart = 0
                        return head
                    } else {
                        guard headerLines.count < limits.maxHeaderCount else {
                            throw HTTPParseError(status: 431, reason: "more than \(limits.maxHeaderCount) header fields")
                        }
                        try checkHeaderBytes(upTo: lineEnd)
                        headerLines.append((ls - start)..<(lineEnd - start))
                    }
                    lineStart = i + 1 - start
                } else if c == ByteClass.cr {
                    if i + 1 < count {
                        guard buf[i + 1] == ByteClass.lf else { throw .badRequest("bare CR: lines must end with CRLF") }
                    } else {
                        break  // wait for the byte after the CR
                    }
                } else if requestLine == nil, !methodEnded {
                    if c == ByteClass.sp {
                        methodEnded = true
                    } else if !ByteClass.isToken(c) {
                        throw .badRequest("the method is not a token")
                    } else if i - (start + lineStart) + 1 > limits.maxMethodBytes {
                        throw HTTPParseError(status: 501, reason: "the method is longer than \(limits.maxMethodBytes) bytes")
                    }
                }
                i += 1
            }
            scanned = i - start
            // Bounds while the section is incomplete: a client may not hold an unbounded
            // line open.
            if requestLine == nil {
                guard i - (start + lineStart) <= limits.maxRequestLineBytes + 1 else {
                    throw HTTPParseError(status: 414, reason: "the request line is longer than \(limits.maxRequestLineBytes) bytes")
                }
            } else {
                try checkHeaderBytes(upTo: i)
            }
            return nil
        }
    }

    /// The header section, request line excluded, is bounded by `maxHeaderBytes`.
    private func checkHeaderBytes(upTo end: Int) throws(HTTPParseError) {
        let headersStart = (headerLines.first?.lowerBound ?? lineStart) + start
        guard end - headersStart <= limits.maxHeaderBytes else {
            throw HTTPParseError(status: 431, reason: "the header section is larger than \(limits.maxHeaderBytes) bytes")
        }
    }

    private func parseRequestLine(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) throws(HTTPParseError) -> ParsedRequestLine {
        var i = line.lowerBound
        let end = line.upperBound
        while i < end, buf[i] != ByteClass.sp {
            guard ByteClass.isToken(buf[i]) else { throw .badRequest("the method is not a token") }
            i += 1
        }
        let method = line.lowerBound..<i
        guard !method.isEmpty else { throw .badRequest("empty method") }
        guard method.count <= limits.maxMethodBytes else {
            throw HTTPParseError(status: 501, reason: "the method is longer than \(limits.maxMethodBytes) bytes")
        }
        guard i < end else { throw .badRequest("the request line has no target and no version") }
        i += 1
        let targetStart = i
        while i < end, buf[i] != ByteClass.sp {
            guard ByteClass.isVisibleASCII(buf[i]) else { throw .badRequest("invalid byte in the request target") }
            i += 1
        }
        let target = targetStart..<i
        guard !target.isEmpty else { throw .badRequest("empty request target") }
        guard i < end else { throw .badRequest("the request line has no HTTP version (HTTP/0.9 is not supported)") }
        i += 1
        let version = i..<end
        let v = version.lowerBound
        let isHTTPSlashDigitDotDigit = version.count == 8
            && buf[v] == 72 && buf[v + 1] == 84 && buf[v + 2] == 84 && buf[v + 3] == 80 && buf[v + 4] == 47
            && buf[v + 5] >= 48 && buf[v + 5] <= 57 && buf[v + 6] == 46 && buf[v + 7] >= 48 && buf[v + 7] <= 57
        guard isHTTPSlashDigitDotDigit else { throw .badRequest("malformed HTTP version") }
        guard buf[v + 5] == 49, buf[v + 7] == 48 || buf[v + 7] == 49 else {
            // Includes the HTTP/2 connection preface, "PRI * HTTP/2.0".
            throw HTTPParseError(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are supported")
        }
        return ParsedRequestLine(method: method, target: target, version: buf[v + 7] == 49 ? .http1_1 : .http1_0)
    }

    /// Decodes the recorded lines into a head and checks the framing rules.
    private mutating func buildHead(_ buf: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPParserEvent {
        guard let line = requestLine else { throw .badRequest("missing request line") }
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(headerLines.count)
        var contentLength: Int?
        var codings = FieldRules.TransferCodings()
        var sawTransferEncoding = false
        var hostCount = 0
        var connectionClose = false
        var connectionKeepAlive = false
        var expectation = HTTPExpectation.none

        for relative in headerLines {
            let range = (relative.lowerBound + start)..<(relative.upperBound + start)
            let (name, value) = try Self.splitField(buf, range)
            switch name.count {
            case 14 where ByteClass.equalsIgnoringCase(buf, name, "content-length"):
                let n = try FieldRules.contentLength(buf, value)
                if let previous = contentLength, previous != n {
                    throw .badRequest("several Content-Length fields with differing values")
                }
                contentLength = n
            case 17 where ByteClass.equalsIgnoringCase(buf, name, "transfer-encoding"):
                sawTransferEncoding = true
                try codings.add(buf, value)
            case 4 where ByteClass.equalsIgnoringCase(buf, name, "host"):
                hostCount += 1
                guard FieldRules.isValidHost(buf, value) else { throw .badRequest("invalid Host") }
            case 10 where ByteClass.equalsIgnoringCase(buf, name, "connection"):
                for option in ByteClass.listElements(buf, value) {
                    if ByteClass.equalsIgnoringCase(buf, option, "close") { connectionClose = true }
                    if ByteClass.equalsIgnoringCase(buf, option, "keep-alive") { connectionKeepAlive = true }
                }
            case 6 where ByteClass.equalsIgnoringCase(buf, name, "expect"):
                if ByteClass.equalsIgnoringCase(buf, value, "100-continue") {
                    // RFC 9110 §10.1.1: ignore 100-continue from an HTTP/1.0 client.
                    if line.version == .http1_1, expectation == .none { expectation = .continue100 }
                } else {
                    expectation = .unsupported
                }
            default:
                break
            }
            headers.append((Self.string(buf, name), Self.string(buf, value)))
        }

        if line.version == .http1_1 {
            guard hostCount == 1 else { throw .badRequest(hostCount == 0 ? "HTTP/1.1 requires a Host" : "more than one Host") }
        } else {
            guard hostCount <= 1 else { throw .badRequest("more than one Host") }
        }
        let framing: HTTPBodyFraming
        if sawTransferEncoding {
            guard contentLength == nil else { throw .badRequest("both Content-Length and Transfer-Encoding") }
            guard line.version == .http1_1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            try codings.validate()
            framing = .chunked
        } else if let contentLength {
            framing = .contentLength(contentLength)
        } else {
            framing = .none
        }

        let method = Self.string(buf, line.method)
        let (path, query) = try RequestTarget.parse(buf, line.target, isOptions: method == "OPTIONS")
        let head = HTTPRequestHead(
            method: method, target: Self.string(buf, line.target), path: path, query: query,
            version: line.version, headers: HTTPHeaders(headers), remoteAddress: remoteAddress)
        let keepAlive = line.version == .http1_1 ? !connectionClose : (connectionKeepAlive && !connectionClose)

        maxBodyBytes = limits.defaultMaxBodyBytes
        bodyReceived = 0
        switch framing {
        case .none, .contentLength(0): state = .endPending
        case .contentLength(let n): state = .fixedBody(remaining: n)
        case .chunked: state = .chunkSize
        }
        return .head(head, HTTPRequestFraming(body: framing, keepAlive: keepAlive, expectation: expectation))
    }

    /// Splits "name: value": the name is a token right up to the colon (no whitespace
    /// before it, no obs-fold), the value is trimmed of OWS and free of controls.
    private static func splitField(_ buf: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) throws(HTTPParseError) -> (Range<Int>, Range<Int>) {
        if ByteClass.isWhitespace(buf[line.lowerBound]) {
            throw .badRequest("obsolete line folding (a field line starting with whitespace)")
        }
        var i = line.lowerBound
        while i < line.upperBound, buf[i] != ByteClass.colon {
            guard ByteClass.isToken(buf[i]) else {
                throw .badRequest(ByteClass.isWhitespace(buf[i]) ? "whitespace before the colon of a field" : "the field name is not a token")
            }
            i += 1
        }
        guard i < line.upperBound else { throw .badRequest("a field line has no colon") }
        let name = line.lowerBound..<i
        guard !name.isEmpty else { throw .badRequest("empty field name") }
        let value = ByteClass.trimmed(buf, (i + 1)..<line.upperBound)
        if value.contains(where: { !ByteClass.isFieldValue(buf[$0]) }) {
            throw .badRequest("a control character (NUL, CR, LF...) in a field value")
        }
        return (name, value)
    }

    @inline(__always)
    private static func string(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[range]), as: UTF8.self)
    }

    // MARK: Chunked

    /// Finds a complete line from `start`, enforcing CRLF and a length bound. Returns the
    /// line's range (without CRLF) or nil when it is incomplete.
    private mutating func scanLine(maxBytes: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> Range<Int>? {
        let bytes = buffer
        return try bytes.withUnsafeBufferPointer { (buf) throws(HTTPParseError) -> Range<Int>? in
            var i = start + scanned
            while i < buf.count {
                let c = buf[i]
                if c == ByteClass.lf {
                    guard i > start, buf[i - 1] == ByteClass.cr else { throw .badRequest("bare LF: lines must end with CRLF") }
                    scanned = 0
                    guard i - 1 - start <= maxBytes else { throw tooLong }
                    return start..<(i - 1)
                }
                if c == ByteClass.cr {
                    if i + 1 < buf.count {
                        guard buf[i + 1] == ByteClass.lf else { throw .badRequest("bare CR: lines must end with CRLF") }
                    } else {
                        break
                    }
                }
                i += 1
            }
            scanned = i - start
            guard i - start <= maxBytes + 1 else { throw tooLong }
            return nil
        }
    }

    /// chunk-size [ chunk-ext ] CRLF, where chunk-size is 1 to 16 HEXDIG and nothing else:
    /// no sign, no "0x", no whitespace.
    private mutating func scanChunkSize() throws(HTTPParseError) -> Bool {
        let maxLine = 16 + limits.maxChunkExtensionBytes
        guard let line = try scanLine(maxBytes: maxLine, tooLong: .badRequest("the chunk size line is too long")) else {
            return false
        }
        var size: UInt64 = 0
        var i = line.lowerBound
        while i < line.upperBound, let digit = hexValue(buffer[i]) {
            guard i - line.lowerBound < 16 else { throw .badRequest("the chunk size has more than 16 digits") }
            size = size << 4 | UInt64(digit)
            i += 1
        }
        guard i > line.lowerBound else { throw .badRequest("the chunk size is not hexadecimal") }
        if i < line.upperBound {
            guard buffer[i] == 59 else { throw .badRequest("invalid character after the chunk size") }  // ';'
            guard line.upperBound - i <= limits.maxChunkExtensionBytes else { throw .badRequest("chunk extensions are too long") }
            let bytes = buffer
            let valid = bytes.withUnsafeBufferPointer { FieldRules.isValidChunkExtension($0, i..<line.upperBound) }
            guard valid else { throw .badRequest("malformed chunk extension") }
        }
        start = line.upperBound + 2
        if size == 0 {
            state = .trailers
            return true
        }
        let room = UInt64(max(0, maxBodyBytes - bodyReceived))
        guard size <= room else {
            throw HTTPParseError(status: 413, reason: "the body is larger than \(maxBodyBytes) bytes")
        }
        state = .chunkData(remaining: Int(size))
        return true
    }

    /// Trailer fields are checked like header fields, bounded, and discarded: nothing
    /// downstream expects them and merging them into the head is a known smuggling vector.
    private mutating func scanTrailers() throws(HTTPParseError) -> Bool {
        let tooLarge = HTTPParseError(status: 431, reason: "the trailer section is larger than \(limits.maxTrailerBytes) bytes")
        while true {
            guard let line = try scanLine(maxBytes: limits.maxTrailerBytes - trailerBytes, tooLong: tooLarge) else {
                return false
            }
            start = line.upperBound + 2
            if line.isEmpty { return true }
            trailerBytes += line.count + 2
            let bytes = buffer
            try bytes.withUnsafeBufferPointer { (buf) throws(HTTPParseError) in
                _ = try Self.splitField(buf, line)
            }
        }
    }
}
