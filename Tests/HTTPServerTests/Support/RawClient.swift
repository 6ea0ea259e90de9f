import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client that sends exactly the bytes it is given: URLSession would rewrite
/// malformed requests, and those are the point of these tests.
final class RawClient {
    let fd: Int32

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A response as read off the wire.
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var rawBody: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
        setTimeout(timeout)
    }

    deinit { close(fd) }

    func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: \(errno)") }
            sent += n
        }
    }

    /// Buffered bytes read past the previous response (pipelining).
    private var pending: [UInt8] = []

    /// Reads more bytes; 0 means the server closed. Throws on timeout.
    @discardableResult
    func fill() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == ECONNRESET { return 0 }
            throw Failure(description: "recv: errno \(errno) (timeout?)")
        }
        pending.append(contentsOf: chunk[0..<n])
        return n
    }

    /// True when the server has closed the connection (EOF or reset) within the timeout,
    /// ignoring any bytes still to read.
    func waitForClose() -> Bool {
        while true {
            guard let n = try? fill() else { return false }
            if n == 0 { return true }
        }
    }

    /// Everything the server sends until it closes, or nil if it does not close in time.
    func readUntilClose() -> [UInt8]? {
        while true {
            guard let n = try? fill() else { return nil }
            if n == 0 {
                defer { pending = [] }
                return pending
            }
        }
    }

    /// Reads one response. `isHead`: the response to a HEAD has no body whatever it says.
    func readResponse(isHead: Bool = false) throws -> Response {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = find([13, 10, 13, 10], in: pending)
            if headEnd == nil, try fill() == 0 { throw Failure(description: "closed before a response head") }
        }
        let end = headEnd ?? 0
        let headText = String(decoding: pending[0..<end], as: UTF8.self)
        pending.removeFirst(end + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line \(headText)") }
        let headers: [(String, String)] = lines.map { line in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (String(line[..<colon]), line[colon...].dropFirst().trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [], rawBody: [])
        if isHead || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            while pending.count < length {
                if try fill() == 0 { throw Failure(description: "closed inside a body") }
            }
            response.rawBody = Array(pending[0..<length])
            pending.removeFirst(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            var raw: [UInt8] = []
            while true {
                var lineEnd = find([13, 10], in: pending)
                while lineEnd == nil {
                    if try fill() == 0 { throw Failure(description: "closed inside chunked body") }
                    lineEnd = find([13, 10], in: pending)
                }
                let sizeLine = String(decoding: pending[0..<(lineEnd ?? 0)], as: UTF8.self)
                guard let size = Int(sizeLine, radix: 16) else { throw Failure(description: "bad chunk size \(sizeLine)") }
                pending.removeFirst((lineEnd ?? 0) + 2)
                while pending.count < size + 2 {
                    if try fill() == 0 { throw Failure(description: "closed inside a chunk") }
                }
                if size == 0 {
                    pending.removeFirst(2)
                    break
                }
                raw.append(contentsOf: pending[0..<size])
                pending.removeFirst(size + 2)
            }
            response.rawBody = raw
        } else {
            while try fill() > 0 {}
            response.rawBody = pending
            pending = []
        }
        response.body = response.header("Content-Encoding") == "gzip" ? try Inflate.gunzip(response.rawBody) : response.rawBody
        return response
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
