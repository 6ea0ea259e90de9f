/// Turns a response into bytes: status line, the application's headers, and the fields the
/// server owns (`Date`, `Content-Length` or `Transfer-Encoding`, `Connection`,
/// `Content-Encoding`, `Vary`). Pure: no socket, no clock (the date is passed in).
enum HTTPResponseEncoder {
    /// What the request said that shapes its response.
    struct Context {
        var isHead: Bool
        var version: HTTPVersion
        /// Whether the connection may stay open after this response, as far as the request
        /// and the server are concerned; the response can still ask to close.
        var keepAlive: Bool
        /// The request's Accept-Encoding, read only when the response is worth compressing.
        var acceptEncoding: String?
    }

    /// How the body bytes are delimited on the wire.
    enum Framing: Equatable {
        /// 1xx, 204, 304: no body and no length.
        case none
        case contentLength(Int)
        case chunked
        /// An HTTP/1.0 client cannot read chunked: the body ends when the connection closes.
        case untilClose
    }

    /// A response ready to write: the head bytes and what follows.
    struct Encoded {
        enum Body {
            case none
            /// Sent as is (already compressed when `gzip` was chosen).
            case bytes([UInt8])
            /// Produced on the worker thread; `gzip` and `framing` say how to wrap each piece.
            case stream(@Sendable (_ write: ([UInt8]) throws -> Void) throws -> Void, gzip: Bool, framing: Framing)
        }
        var head: [UInt8]
        var body: Body
        /// The connection closes once this response is written.
        var closeAfter: Bool
    }

    static func encode(_ response: HTTPResponse, context: Context, date: [UInt8],
                       gzipMinimumBytes: Int, gzipLevel: Int32) -> Encoded {
        let status = response.status
        let bodyless = status < 200 || status == 204 || status == 304
        var closeAfter = !context.keepAlive
        if let connection = response.headers["Connection"], connection.lowercased().contains("close") {
            closeAfter = true
        }
        let compressible = !bodyless && GzipPolicy.isCompressible(
            status: status, headers: response.headers, body: response.body, minimumBytes: gzipMinimumBytes)
        let gzip = compressible && !context.isHead && AcceptEncoding.acceptsGzip(context.acceptEncoding)

        var framing: Framing
        var body: Encoded.Body = .none
        switch response.body {
        case .bytes(var bytes):
            if gzip, let compressed = try? GzipCompressor.gzip(bytes, level: gzipLevel) {
                bytes = compressed
            }
            if bodyless {
                framing = .none
            } else if context.isHead, bytes.isEmpty, let declared = response.headers["Content-Length"],
                      let n = decimal(declared) {
                // A HEAD handler may state the GET length without building the GET body.
                framing = .contentLength(n)
            } else {
                framing = .contentLength(bytes.count)
            }
            if !context.isHead, !bodyless, !bytes.isEmpty { body = .bytes(bytes) }
        case .stream(let producer):
            if bodyless {
                framing = .none
            } else if context.version == .http1_0 {
                framing = .untilClose
                closeAfter = true
            } else {
                framing = .chunked
            }
            if !context.isHead, !bodyless { body = .stream(producer, gzip: gzip, framing: framing) }
        }
        if status == 204 || status < 200 { framing = .none }

        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(32)
        out.append(contentsOf: HTTPResponse.reason(status).utf8)
        out.append(contentsOf: "\r\nDate: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        var varyWritten = false
        for (name, value) in response.headers.fields {
            if isServerOwned(name) { continue }
            if compressible, name.caseInsensitiveEquals("Vary") {
                varyWritten = true
                let mentionsAcceptEncoding = value.lowercased().contains("accept-encoding") || value == "*"
                appendField(name, mentionsAcceptEncoding ? value : value + ", Accept-Encoding", to: &out)
                continue
            }
            appendField(name, value, to: &out)
        }
        if compressible, !varyWritten { out.append(contentsOf: "Vary: Accept-Encoding\r\n".utf8) }
        if gzip { out.append(contentsOf: "Content-Encoding: gzip\r\n".utf8) }
        switch framing {
        case .none, .untilClose:
            break
        case .contentLength(let n):
            if status != 304 {
                out.append(contentsOf: "Content-Length: ".utf8)
                appendDecimal(n, to: &out)
                out.append(contentsOf: "\r\n".utf8)
            }
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        }
        if closeAfter {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if context.version == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        return Encoded(head: out, body: body, closeAfter: closeAfter)
    }

    /// The fields the server computes itself; the application's copies would contradict them.
    private static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return name.caseInsensitiveEquals("Date")
        case 10: return name.caseInsensitiveEquals("Connection") || name.caseInsensitiveEquals("Keep-Alive")
        case 14: return name.caseInsensitiveEquals("Content-Length")
        case 17: return name.caseInsensitiveEquals("Transfer-Encoding")
        default: return false
        }
    }

    /// Appends "name: value\r\n". A name that is not a token is dropped and CR, LF or NUL in
    /// a value become spaces: whatever the application does, it cannot split a response.
    private static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        guard !name.isEmpty, name.utf8.allSatisfy(ByteClass.isToken) else { return }
        out.append(contentsOf: name.utf8)
        out.append(58)
        out.append(32)
        for c in value.utf8 {
            out.append(c == 13 || c == 10 || c == 0 ? 32 : c)
        }
        out.append(13)
        out.append(10)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value == 0 {
            out.append(48)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            }
            if value < 0 { out.append(45) }
            while count > 0 {
                count -= 1
                out.append(d[count])
            }
        }
    }

    private static func decimal(_ s: String) -> Int? {
        var value = 0
        guard !s.isEmpty else { return nil }
        for c in s.utf8 {
            guard c >= 48, c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(c - 48))
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }
}
