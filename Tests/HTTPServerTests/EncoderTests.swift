import Testing
@testable import HTTPServer

private func encode(_ response: HTTPResponse, head: Bool = false, version: HTTPVersion = .http1_1,
                    keepAlive: Bool = true, gzip: Bool = false) -> (text: String, encoded: HTTPResponseEncoder.Encoded) {
    let context = HTTPResponseEncoder.Context(isHead: head, version: version, keepAlive: keepAlive, acceptEncoding: gzip ? "gzip" : nil)
    let encoded = HTTPResponseEncoder.encode(response, context: context, date: Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8),
                                             gzipMinimumBytes: 16, gzipLevel: 6)
    return (String(decoding: encoded.head, as: UTF8.self), encoded)
}

@Suite("Response encoder, date and gzip rules")
struct EncoderTests {
    @Test("the Date is an IMF-fixdate formatted by hand")
    func dateFormat() {
        #expect(String(decoding: HTTPDateCache.format(784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(String(decoding: HTTPDateCache.format(951_782_400), as: UTF8.self) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDateCache().current().count == 29)
    }

    @Test("a response carries its status line, Date and Content-Length")
    func basic() {
        let (text, encoded) = encode(HTTPResponse(status: 200, contentType: "text/plain", body: Array("ok".utf8)))
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"))
        #expect(text.contains("Content-Length: 2\r\n"))
        #expect(!text.contains("Connection"))
        #expect(!encoded.closeAfter)
    }

    @Test("204 and 304 carry no Content-Length and no body")
    func bodyless() {
        #expect(!encode(HTTPResponse(status: 204)).text.contains("Content-Length"))
        let notModified = encode(HTTPResponse(status: 304, contentType: "text/plain", body: Array("x".utf8)))
        #expect(!notModified.text.contains("Content-Length"))
        if case .none = notModified.encoded.body {} else { Issue.record("304 must have no body") }
    }

    @Test("HEAD keeps the GET Content-Length and sends no body")
    func head() {
        let (text, encoded) = encode(HTTPResponse(status: 200, contentType: "text/plain", body: Array("hello".utf8)), head: true)
        #expect(text.contains("Content-Length: 5\r\n"))
        if case .none = encoded.body {} else { Issue.record("HEAD must have no body") }
    }

    @Test("closing connections say Connection: close; HTTP/1.0 keep-alive says keep-alive")
    func connectionHeader() {
        #expect(encode(HTTPResponse(status: 200), keepAlive: false).text.contains("Connection: close\r\n"))
        #expect(encode(HTTPResponse(status: 200), version: .http1_0).text.contains("Connection: keep-alive\r\n"))
        var headers = HTTPHeaders()
        headers.add("Connection", "close")
        #expect(encode(HTTPResponse(status: 200, headers: headers)).encoded.closeAfter)
    }

    @Test("a streamed body is chunked on HTTP/1.1, raw and closing on HTTP/1.0")
    func streams() {
        let response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv")]), body: .stream { write in try write([1]) })
        let v11 = encode(response)
        #expect(v11.text.contains("Transfer-Encoding: chunked\r\n"))
        #expect(!v11.encoded.closeAfter)
        let v10 = encode(response, version: .http1_0)
        #expect(!v10.text.contains("Transfer-Encoding"))
        #expect(v10.encoded.closeAfter)
    }

    @Test("CR and LF in an application header value cannot split the response")
    func headerInjection() {
        let response = HTTPResponse(status: 200, headers: HTTPHeaders([("X-A", "a\r\nSet-Cookie: evil"), ("Bad Name", "v")]))
        let text = encode(response).text
        #expect(text.contains("X-A: a  Set-Cookie: evil\r\n"))
        #expect(!text.contains("Bad Name"))
    }

    @Test("the application's Content-Length, Transfer-Encoding and Date are replaced by the server's")
    func serverOwnedFields() {
        let response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", "99"), ("Transfer-Encoding", "chunked"), ("Date", "x")]), body: .bytes([1, 2]))
        let text = encode(response).text
        #expect(text.contains("Content-Length: 2\r\n"))
        #expect(!text.contains("Content-Length: 99"))
        #expect(!text.contains("Transfer-Encoding"))
        #expect(!text.contains("Date: x"))
    }

    @Test("a large compressible body is gzipped when accepted, with Vary; not for HEAD or small bodies")
    func gzip() throws {
        let body = Array(String(repeating: "compressible ", count: 100).utf8)
        let response = HTTPResponse(status: 200, contentType: "application/json", body: body)
        let (text, encoded) = encode(response, gzip: true)
        #expect(text.contains("Content-Encoding: gzip\r\n"))
        #expect(text.contains("Vary: Accept-Encoding\r\n"))
        guard case .bytes(let compressed) = encoded.body else {
            Issue.record("expected bytes")
            return
        }
        #expect(try Inflate.gunzip(compressed) == body)
        #expect(!encode(response, gzip: false).text.contains("Content-Encoding"))
        #expect(encode(response, gzip: false).text.contains("Vary: Accept-Encoding"))
        #expect(!encode(response, head: true, gzip: true).text.contains("Content-Encoding"))
        #expect(!encode(HTTPResponse(status: 200, contentType: "application/json", body: [1, 2]), gzip: true).text.contains("Content-Encoding"))
        #expect(!encode(HTTPResponse(status: 200, contentType: "image/png", body: body), gzip: true).text.contains("Content-Encoding"))
    }

    @Test("Accept-Encoding is read with its q-values")
    func acceptEncoding() {
        #expect(AcceptEncoding.acceptsGzip("gzip"))
        #expect(AcceptEncoding.acceptsGzip("deflate, GZIP;q=0.5"))
        #expect(AcceptEncoding.acceptsGzip("*"))
        #expect(AcceptEncoding.acceptsGzip("br, x-gzip"))
        #expect(!AcceptEncoding.acceptsGzip("gzip;q=0"))
        #expect(!AcceptEncoding.acceptsGzip("gzip; q=0.000"))
        #expect(!AcceptEncoding.acceptsGzip("*;q=0"))
        #expect(!AcceptEncoding.acceptsGzip("gzip;q=0, *"))
        #expect(!AcceptEncoding.acceptsGzip("identity"))
        #expect(!AcceptEncoding.acceptsGzip(""))
        #expect(!AcceptEncoding.acceptsGzip(nil))
    }

    @Test("already compressed content types are not compressed again")
    func compressibleTypes() {
        for type in ["image/png", "video/mp4", "audio/ogg", "application/zip", "application/gzip", "application/pdf",
                     "application/octet-stream", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] {
            #expect(!GzipPolicy.isCompressibleType(type), "\(type)")
        }
        for type in ["application/json", "text/csv; charset=utf-8", "text/html", "application/problem+json"] {
            #expect(GzipPolicy.isCompressibleType(type), "\(type)")
        }
    }

    @Test("chunks are framed with a hexadecimal size")
    func chunkFraming() {
        var out: [UInt8] = []
        ChunkedEncoder.appendChunk([UInt8](repeating: 97, count: 255), to: &out)
        #expect(out.prefix(4) == Array("ff\r\n".utf8)[...])
        var empty: [UInt8] = []
        ChunkedEncoder.appendChunk([], to: &empty)
        #expect(empty.isEmpty)
    }

    @Test("a streamed gzip body inflates back to what the producer wrote")
    func streamedGzip() throws {
        let compressor = try GzipCompressor(level: 6)
        var out: [UInt8] = []
        var expected: [UInt8] = []
        for i in 0..<200 {
            let row = Array("row \(i),value,\(i * 7)\n".utf8)
            expected += row
            try compressor.compress(row, finish: false, into: &out)
        }
        try compressor.compress([], finish: true, into: &out)
        #expect(try Inflate.gunzip(out) == expected)
    }
}
