@testable import API
import Foundation
import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// The application served over real HTTP on an ephemeral loopback port, for end-to-end tests.
final class LiveServer: @unchecked Sendable {
    let test: TestApp
    let server: HTTPServer
    var port: Int { server.port }

    init(_ test: TestApp, configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        self.test = test
        var config = HTTPServerConfiguration()
        config.port = 0
        config.workerThreads = 4
        configure(&config)
        server = HTTPServer(configuration: config, responder: test.app)
        try server.start()
    }

    deinit { server.shutdown(timeout: 2) }

    func client() throws -> HTTPTestClient { try HTTPTestClient(port: port) }
}

/// A small blocking HTTP/1.1 client on one keep-alive connection: enough to send what tests need
/// and read responses framed by Content-Length or chunked encoding.
final class HTTPTestClient {
    struct Response {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var json: JSON { (try? JSONParser.parse(body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        var id: String { json["id"]?.stringValue ?? "" }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else { close(fd); throw Failure(description: "connect failed: \(errno)") }
    }

    deinit { close(fd) }

    func sendRaw(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed: \(errno)") }
            sent += n
        }
    }

    func request(_ method: String, _ target: String, token: String?, json: JSON? = nil, body: [UInt8]? = nil,
                 contentType: String? = nil, headers: [(String, String)] = []) throws -> Response {
        var payload: [UInt8] = body ?? json?.bytes ?? []
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if json != nil { head += "Content-Type: application/json\r\n" } else if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if !payload.isEmpty || method == "POST" || method == "PATCH" { head += "Content-Length: \(payload.count)\r\n" }
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        payload = Array(head.utf8) + payload
        try sendRaw(payload)
        return try readResponse(headRequest: method == "HEAD")
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "connection closed" : "recv failed: \(errno)") }
        buffer += chunk[0..<n]
    }

    private func line() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 10), i > 0, buffer[i - 1] == 13 {
                let l = String(decoding: buffer[0..<(i - 1)], as: UTF8.self)
                buffer.removeFirst(i + 1)
                return l
            }
            try fill()
        }
    }

    private func bytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// The next status line as sent, an interim 100 Continue included.
    func readStatusLine() throws -> String { try line() }

    func readResponse(headRequest: Bool = false) throws -> Response {
        var statusLine = try line()
        var status = Int(statusLine.split(separator: " ")[1]) ?? 0
        var headers: [(String, String)] = []
        while true {
            let l = try line()
            if l.isEmpty {
                if status == 100 { statusLine = try line(); status = Int(statusLine.split(separator: " ")[1]) ?? 0; continue }
                break
            }
            if let c = l.firstIndex(of: ":") {
                headers.append((String(l[..<c]), l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        func header(_ n: String) -> String? { headers.first { $0.0.lowercased() == n }?.1 }
        var body: [UInt8] = []
        if headRequest || status == 204 || status == 304 {
        } else if header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                let size = Int(try line().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 { while try !line().isEmpty {}; break }
                body += try bytes(size)
                _ = try line()
            }
        } else if let cl = header("content-length").flatMap({ Int($0) }) {
            body = try bytes(cl)
        }
        return Response(status: status, headers: headers, body: body)
    }
}
