import Foundation
import Testing
@testable import HTTPServer

@Suite("Server over raw sockets: timeouts, load and shutdown")
struct ServerLimitsTests {
    @Test("a client dripping its header section a byte at a time is cut off at the header timeout")
    func slowloris() throws {
        try withServer(configure: { $0.headerTimeout = 0.5 }) { server in
            let client = try RawClient(port: server.port)
            let request = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8)
            let start = Date()
            var cutOff = false
            for byte in request {
                if (try? client.send([byte])) == nil { cutOff = true; break }
                if Date().timeIntervalSince(start) > 3 { break }
                // A readable socket here means the server answered (408) or closed.
                var pfd = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, 200) > 0 { cutOff = true; break }
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(cutOff)
            #expect(elapsed < 1.5)
            if let response = try? client.readResponse() { #expect(response.status == 408) }
            #expect(client.waitForClose())
        }
    }

    @Test("an idle keep-alive connection is closed silently after the keep-alive timeout")
    func keepAliveTimeout() throws {
        try withServer(configure: { $0.keepAliveTimeout = 0.5 }) { server in
            let client = try RawClient(port: server.port, timeout: 3)
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = try client.readResponse()
            let elapsed = measure { #expect(client.waitForClose()) }
            #expect(elapsed > 0.3)
            #expect(elapsed < 1.5)
        }
    }

    @Test("a body that stops arriving is answered 408 after the body idle timeout")
    func bodyIdleTimeout() throws {
        try withServer(configure: { $0.bodyIdleTimeout = 0.5 }) { server in
            let client = try RawClient(port: server.port, timeout: 3)
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
            let elapsed = try measure { () throws in #expect(try client.readResponse().status == 408) }
            #expect(elapsed < 1.5)
            #expect(client.waitForClose())
        }
    }

    @Test("a client that stops reading is dropped after the write timeout")
    func writeTimeout() throws {
        let chunk = [UInt8](repeating: 120, count: 64 * 1024)
        try withServer(configure: { $0.writeTimeout = 0.5 }, handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]), body: .stream { write in
                for _ in 0..<4096 { try write(chunk) }
            })
        }) { server in
            let client = try RawClient(port: server.port)
            let accepted = Date()
            while server.openConnections == 0 && Date().timeIntervalSince(accepted) < 2 {
                Thread.sleep(forTimeInterval: 0.01)
            }
            try client.send("GET /never-read HTTP/1.1\r\nHost: a\r\n\r\n")
            let start = Date()
            while server.openConnections > 0 && Date().timeIntervalSince(start) < 5 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            let elapsed = Date().timeIntervalSince(start)
            #expect(server.openConnections == 0)
            // The socket buffers fill first, then the server waits writeTimeout before giving up.
            #expect(elapsed >= 0.45)
            #expect(elapsed < 3)
            // The response had started; the connection then ended without completing it.
            let received = client.readUntilClose() ?? []
            #expect(received.starts(with: Array("HTTP/1.1 200 OK\r\n".utf8)))
        }
    }

    /// A thousand connections cost a thousand descriptors on each side: the server runs in a child
    /// process and the idle clients in another (python3), each under its own limit, so that the test
    /// process, shared with the tests running in parallel, never needs them (CI's limit may be 1,024).
    @Test("with 1,000 idle connections open, a new client is served at once",
          .enabled(if: descriptorHardLimit >= 1024, "a process here may not open 1,024 descriptors"))
    func thousandIdleConnections() throws {
        let server = try EchoServerProcess()
        defer { server.stop() }
        let before = server.openDescriptors

        let idle = Process()
        idle.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        idle.arguments = ["python3", "-c", """
            import resource, socket, sys
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(1000)]
            print(len(held), flush=True)
            sys.stdin.read()
            """, String(server.port)]
        let input = Pipe()
        let output = Pipe()
        idle.standardInput = input
        idle.standardOutput = output
        try idle.run()
        defer {
            try? input.fileHandleForWriting.close()
            idle.waitUntilExit()
        }
        let opened = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        try #require(opened.trimmingCharacters(in: .whitespacesAndNewlines) == "1000")
        // Accepted: the server holds a descriptor for each.
        let start = Date()
        while server.openDescriptors - before < 1000 && Date().timeIntervalSince(start) < 5 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(server.openDescriptors - before >= 1000)

        let client = try RawClient(port: server.port)
        let elapsed = try measure {
            try client.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "ok")
        }
        #expect(elapsed < 0.5)
    }

    @Test("a slow handler on one connection does not delay a request on another")
    func workerPool() throws {
        try withServer(handler: { request in
            if request.path == "/slow" { Thread.sleep(forTimeInterval: 1) }
            return echoHandler(request)
        }) { server in
            let slow = try RawClient(port: server.port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.05)
            let fast = try RawClient(port: server.port)
            let elapsed = try measure {
                try fast.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(try fast.readResponse().text == "GET /fast\n")
            }
            #expect(elapsed < 0.5)
            #expect(try slow.readResponse().text == "GET /slow\n")
        }
    }

    @Test("connections past maxConnections are closed at once")
    func maxConnections() throws {
        try withServer(configure: { $0.maxConnections = 2 }) { server in
            let a = try RawClient(port: server.port)
            let b = try RawClient(port: server.port)
            try a.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = try a.readResponse()
            try b.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = try b.readResponse()
            let c = try RawClient(port: server.port, timeout: 2)
            #expect(c.waitForClose())
        }
    }

    @Test("graceful shutdown answers an in-flight request with Connection: close, then returns")
    func gracefulShutdown() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: ClosureResponder(handler: { request in
            Thread.sleep(forTimeInterval: 0.5)
            return echoHandler(request)
        }))
        try server.start()
        let busy = try RawClient(port: server.port)
        let idle = try RawClient(port: server.port)
        try busy.send("GET /inflight HTTP/1.1\r\nHost: a\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.shutdown(timeout: 5)
            done.signal()
        }
        let response = try busy.readResponse()
        #expect(response.text == "GET /inflight\n")
        #expect(response.header("Connection") == "close")
        #expect(busy.waitForClose())
        #expect(idle.waitForClose())
        #expect(done.wait(timeout: .now() + 3) == .success)
        #expect(server.openConnections == 0)
    }
}
