import Foundation
import Testing
@testable import HTTPServer

@Suite("Server over raw sockets: connections and messages")
struct ServerTests {
    @Test("two requests are answered on one keep-alive connection")
    func keepAlive() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "GET /one\n")
            try client.send("GET /two HTTP/1.1\r\nHost: a\r\n\r\n")
            let second = try client.readResponse()
            #expect(second.text == "GET /two\n")
            #expect(second.header("Connection") == nil)
        }
    }

    @Test("every response carries a Date header")
    func dateHeader() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let date = try client.readResponse().header("Date")
            #expect(date?.hasSuffix(" GMT") == true)
            #expect(date?.count == 29)
        }
    }

    @Test("an HTTP/1.0 request is answered with Connection: close and the connection closed")
    func http10Closes() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.text == "GET /old\n")
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test("an HTTP/1.0 request asking for keep-alive keeps the connection")
    func http10KeepAlive() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try client.readResponse().header("Connection") == "keep-alive")
            try client.send("GET /b HTTP/1.0\r\n\r\n")
            #expect(try client.readResponse().text == "GET /b\n")
        }
    }

    @Test("Connection: close is honoured and pipelined bytes after it are ignored")
    func connectionClose() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.text == "GET /last\n")
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test("three pipelined requests are answered in order")
    func pipelining() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "GET /1\n")
            #expect(try client.readResponse().text == "POST /2\nabc")
            #expect(try client.readResponse().text == "GET /3\n")
        }
    }

    @Test("a chunked request body is de-chunked and echoed")
    func chunkedRequest() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            try client.send("6\r\n world\r\n0\r\n\r\n")
            #expect(try client.readResponse().text == "POST /c\nhello world")
        }
    }

    @Test("Expect: 100-continue gets 100 Continue, then the final response once the body is sent")
    func expectContinue() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("body")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "POST /e\nbody")
        }
    }

    @Test("a body refused by prepare gets the final status without 100 Continue, then the connection closes")
    func expectContinueRejected() throws {
        try withServer(prepare: { _ in .reject(HTTPResponse(status: 401)) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test("prepare is asked about requests that announce a body only; one without goes straight to respond")
    func prepareOnlyWithBody() throws {
        final class Asked: @unchecked Sendable { let lock = Lock(); var targets: [String] = [] }
        let asked = Asked()
        try withServer(prepare: { head in
            asked.lock.withLock { asked.targets.append(head.target) }
            return .reject(HTTPResponse(status: 401))
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            try client.send("DELETE /empty HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            try client.send("POST /with-body HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
            #expect(try client.readResponse().status == 401)
        }
        #expect(asked.lock.withLock { asked.targets } == ["/with-body"])
    }

    @Test("a declared body over the limit gets 413 before a byte of it is sent, then the connection closes")
    func bodyTooLarge() throws {
        try withServer(prepare: { _ in .accept(maxBytes: 1000) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(client.waitForClose())
        }
    }

    @Test("an expectation other than 100-continue is answered 417")
    func otherExpectation() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n")
            #expect(try client.readResponse().status == 417)
        }
    }

    @Test("HEAD gets the Content-Length of the GET body but no body")
    func head() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /h HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse(isHead: true)
            #expect(response.header("Content-Length") == "8")
            // No stray body bytes: the next response parses cleanly.
            try client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "GET /next\n")
        }
    }

    @Test("HEAD on a streamed response sends the head only and the connection stays usable")
    func headOfStream() throws {
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv")]), body: .stream { write in
                try write(Array("a,b\n".utf8))
            })
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /export HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse(isHead: true).status == 200)
            try client.send("GET /export HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "a,b\n")
        }
    }

    @Test("a large response is gzipped when the client accepts it, not otherwise, and small ones never")
    func gzip() throws {
        let big = String(repeating: "{\"participant\":12,\"status\":\"active\"},", count: 200)
        try withServer(handler: { request in
            let text = request.path == "/small" ? "{}" : big
            return HTTPResponse(status: 200, contentType: "application/json", body: Array(text.utf8))
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /big HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br, gzip\r\n\r\n")
            let compressed = try client.readResponse()
            #expect(compressed.header("Content-Encoding") == "gzip")
            #expect(compressed.header("Vary") == "Accept-Encoding")
            #expect(compressed.rawBody.count < big.utf8.count / 4)
            #expect(compressed.text == big)

            try client.send("GET /big HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip;q=0\r\n\r\n")
            let plain = try client.readResponse()
            #expect(plain.header("Content-Encoding") == nil)
            #expect(plain.text == big)

            try client.send("GET /small HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n")
            #expect(try client.readResponse().header("Content-Encoding") == nil)
        }
    }

    @Test("a streamed body arrives chunked and complete, gzipped on the fly when accepted")
    func streamedBody() throws {
        let rows = (0..<5000).map { "row \($0),value\n" }
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv")]), body: .stream { write in
                for row in rows { try write(Array(row.utf8)) }
            })
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /export HTTP/1.1\r\nHost: a\r\n\r\n")
            let plain = try client.readResponse()
            #expect(plain.header("Transfer-Encoding") == "chunked")
            #expect(plain.text == rows.joined())
            try client.send("GET /export HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n")
            let compressed = try client.readResponse()
            #expect(compressed.header("Content-Encoding") == "gzip")
            #expect(compressed.text == rows.joined())
        }
    }

    @Test("a stream whose producer fails before writing anything is answered 500, then closed")
    func streamProducerFails() throws {
        struct ExportFailed: Error {}
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv")]), body: .stream { _ in
                throw ExportFailed()
            })
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /export HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 500)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test("a stream whose producer fails midway ends the connection without the final chunk")
    func streamProducerFailsMidway() throws {
        struct ExportFailed: Error {}
        let big = [UInt8](repeating: 97, count: 64 * 1024)
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv")]), body: .stream { write in
                try write(big)
                throw ExportFailed()
            })
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /export HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(throws: RawClient.Failure.self) { try client.readResponse() }
        }
    }

    @Test("a streamed body to an HTTP/1.0 client is sent raw and ends with the connection")
    func streamedBodyHTTP10() throws {
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv")]), body: .stream { write in
                try write(Array("a,b\n".utf8))
                try write(Array("c,d\n".utf8))
            })
        }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /export HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.text == "a,b\nc,d\n")
        }
    }

    @Test("smuggling attempts get 400 with Connection: close, and the connection is closed")
    func smuggling() throws {
        let attacks = [
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd",
            "GET / HTTP/1.1\nHost: a\n\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\nabcd",
            "GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n",
        ]
        try withServer { server in
            for attack in attacks {
                let client = try RawClient(port: server.port)
                try client.send(attack)
                let response = try client.readResponse()
                #expect(response.status == 400, "\(attack.debugDescription)")
                #expect(response.header("Connection") == "close")
                #expect(response.text.contains("\"status\":400"))
                // Nothing after the error is answered: the smuggled request stays unread.
                #expect(client.readUntilClose() == [], "\(attack.debugDescription)")
            }
        }
    }

    @Test("protocol errors are reported as events")
    func events() throws {
        let recorded = EventLog()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: ClosureResponder(handler: echoHandler)) { recorded.add($0) }
        try server.start()
        defer { server.shutdown(timeout: 1) }
        let client = try RawClient(port: server.port)
        try client.send("GET / HTTP/2.0\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 505)
        #expect(client.waitForClose())
        Thread.sleep(forTimeInterval: 0.1)
        #expect(recorded.statuses.contains(505))
    }

    @Test("a client leaving in the middle of a large response does not bring the server down (SIGPIPE)")
    func clientLeavesMidResponse() throws {
        let chunk = [UInt8](repeating: 120, count: 64 * 1024)
        try withServer(handler: { _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]), body: .stream { write in
                for _ in 0..<2000 { try write(chunk) }
            })
        }) { server in
            for _ in 0..<3 {
                let client = try RawClient(port: server.port)
                try client.send("GET /huge HTTP/1.1\r\nHost: a\r\n\r\n")
                _ = try client.fill()
                // The client object is dropped here: its socket closes with unread data.
            }
            Thread.sleep(forTimeInterval: 0.2)
            let client = try RawClient(port: server.port)
            try client.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse(isHead: true).status == 200)
        }
    }
}

/// Collects server events from any thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [HTTPServerEvent] = []

    func add(_ event: HTTPServerEvent) { lock.withLock { events.append(event) } }

    var statuses: [Int] {
        lock.withLock {
            events.compactMap { if case .protocolError(let status, _, _) = $0 { return status } else { return nil } }
        }
    }
}
