import Testing
@testable import HTTPServer

@Suite("Request parser: framing and syntax rules")
struct ParserTests {
    @Test("a simple GET yields its method, decoded path, raw query, version and headers")
    func simpleGet() {
        let outcome = parse("GET /v1/a%20b?x=1&y=%41 HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n")
        #expect(outcome.error == nil)
        let message = outcome.messages.first
        #expect(message?.method == "GET")
        #expect(message?.path == "/v1/a b")
        #expect(message?.query == "x=1&y=%41")
        #expect(message?.version == .http1_1)
        #expect(message?.headers == ["Host: example.org", "Accept: */*"])
        #expect(message?.framing == HTTPRequestFraming(body: .none, keepAlive: true, expectation: .none))
    }

    @Test("header values are trimmed of surrounding whitespace")
    func trimsOWS() {
        let outcome = parse("GET / HTTP/1.1\r\nHost: a\r\nX-A: \t value  \t\r\n\r\n")
        #expect(outcome.messages.first?.headers.last == "X-A: value")
    }

    @Test("a Content-Length body is delivered whole")
    func contentLengthBody() {
        let outcome = parse("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        #expect(outcome.messages.first?.body == Array("hello".utf8))
        #expect(outcome.messages.first?.framing.body == .contentLength(5))
    }

    @Test("a chunked body is de-chunked and its trailers discarded")
    func chunkedBody() {
        let outcome = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.body == Array("hello world".utf8))
        #expect(outcome.messages.first?.headers.contains("X-Trailer: t") == false)
    }

    @Test("two pipelined requests are both parsed, in order")
    func pipelined() {
        let outcome = parse("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.messages.map(\.path) == ["/1", "/2"])
    }

    // MARK: Framing (smuggling)

    @Test("a request with both Content-Length and Transfer-Encoding is refused with 400")
    func contentLengthAndTransferEncoding() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n") == 400)
    }

    @Test("two Content-Length fields with differing values are refused with 400")
    func differingContentLengths() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") == 400)
    }

    @Test("repeated identical Content-Length values are accepted, as a list or as fields")
    func identicalContentLengths() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc").messages.first?.body == Array("abc".utf8))
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc").messages.first?.body == Array("abc".utf8))
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd") == 400)
    }

    @Test("a Content-Length with a sign, hex, inner space, negative or empty value is refused with 400")
    func malformedContentLength() {
        for value in ["+5", "-1", "0x5", "4 2", "5a", "", "1_0", "99999999999999999999999"] {
            #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\nhello") == 400, "Content-Length: \(value)")
        }
    }

    @Test("whitespace around a Content-Length value is optional whitespace and accepted")
    func contentLengthWithOWS() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  5 \r\n\r\nhello").messages.first?.body.count == 5)
    }

    @Test("a chunk size with 0x, a sign, trailing space, or over 16 digits is refused with 400")
    func malformedChunkSize() {
        for size in ["0x5", "+a", "5 ", " 5", "-5", "", "00000000000000005", "5_0", "g"] {
            let request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n"
            #expect(refusal(request) == 400, "chunk size \"\(size)\"")
        }
    }

    @Test("chunk data not followed by CRLF is refused with 400")
    func chunkWithoutCRLF() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n") == 400)
    }

    @Test("a chunk extension with a control character or over the limit is refused with 400")
    func chunkExtensions() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\u{0}\r\nhello\r\n0\r\n\r\n") == 400)
        var small = HTTPServerConfiguration()
        small.maxChunkExtensionBytes = 8
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;aaaaaaaaaaaaaaa\r\nhello\r\n0\r\n\r\n", configuration: small) == 400)
    }

    @Test("chunk extensions must be ;name or ;name=token or ;name=\"quoted\"")
    func chunkExtensionSyntax() {
        for ext in [";a", ";a=b", ";a=b;c", ";a=\"q s\"", ";a=\"q\\\"s\""] {
            let request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\(ext)\r\nhello\r\n0\r\n\r\n"
            #expect(refusal(request) == nil, "extension \(ext)")
        }
        for ext in [";", ";,=y", ";x:0", ";x=y/0", ";x=/", "; a", ";a =b", ";a=\"open", ";a=b c"] {
            let request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\(ext)\r\nhello\r\n0\r\n\r\n"
            #expect(refusal(request) == 400, "extension \(ext)")
        }
    }

    @Test("an empty element in Transfer-Encoding is refused with 400")
    func emptyTransferCoding() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n") == 400)
    }

    @Test("trailers over the limit are refused with 431")
    func trailersTooLarge() {
        var small = HTTPServerConfiguration()
        small.maxTrailerBytes = 32
        let trailer = "X-T: " + String(repeating: "a", count: 64)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\(trailer)\r\n\r\n", configuration: small) == 431)
    }

    @Test("Transfer-Encoding where chunked is not the final coding is refused with 400")
    func chunkedNotFinal() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n") == 400)
    }

    @Test("an unsupported transfer coding before chunked is refused with 501")
    func unsupportedCoding() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n") == 501)
    }

    @Test("Transfer-Encoding is matched case-insensitively")
    func chunkedCaseInsensitive() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n1\r\nx\r\n0\r\n\r\n").messages.first?.body == [120])
    }

    @Test("Transfer-Encoding on an HTTP/1.0 request is refused with 400")
    func transferEncodingOnHTTP10() {
        #expect(refusal("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400)
    }

    // MARK: Syntax

    @Test("obs-fold (a continuation line) is refused with 400")
    func obsFold() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n") == 400)
    }

    @Test("whitespace between a header name and its colon is refused with 400")
    func spaceBeforeColon() {
        #expect(refusal("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 1\r\n\r\nx") == 400)
    }

    @Test("a bare LF line ending is refused with 400")
    func bareLF() {
        #expect(refusal("GET / HTTP/1.1\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\n\n") == 400)
    }

    @Test("a bare CR is refused with 400")
    func bareCR() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\rHost: a\r\n\r\n") == 400)
    }

    @Test("a NUL or other control character in a header value is refused with 400")
    func controlInValue() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{1}b\r\n\r\n") == 400)
    }

    @Test("a header name that is not a token is refused with 400")
    func nonTokenName() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n") == 400)
    }

    @Test("an HTTP/1.1 request without Host is refused with 400")
    func missingHost() {
        #expect(refusal("GET / HTTP/1.1\r\n\r\n") == 400)
    }

    @Test("an HTTP/1.1 request with two Host fields is refused with 400")
    func twoHosts() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n") == 400)
    }

    @Test("a Host with invalid syntax is refused with 400; ports, IPv6 literals and empty values are accepted")
    func hostSyntax() {
        for host in ["a b", "user@host", "a/b", "[::1", "host:80x"] {
            #expect(refusal("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") == 400, "Host: \(host)")
        }
        for host in ["example.org:8080", "[::1]:80", "127.0.0.1", ""] {
            #expect(refusal("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") == nil, "Host: \(host)")
        }
    }

    @Test("an HTTP/1.0 request without Host is accepted")
    func http10WithoutHost() {
        #expect(parse("GET / HTTP/1.0\r\n\r\n").messages.first?.version == .http1_0)
    }

    @Test("the HTTP/2 connection preface is refused with 505")
    func http2Preface() {
        #expect(refusal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == 505)
    }

    @Test("versions other than 1.0 and 1.1 are refused with 505, malformed versions with 400")
    func versions() {
        #expect(refusal("GET / HTTP/1.2\r\nHost: a\r\n\r\n") == 505)
        #expect(refusal("GET / HTTP/3.0\r\nHost: a\r\n\r\n") == 505)
        #expect(refusal("GET / HTTP/1.1x\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / http/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/11\r\nHost: a\r\n\r\n") == 400)
    }

    @Test("an HTTP/0.9 style request line without a version is refused with 400")
    func http09() {
        #expect(refusal("GET /\r\n\r\n") == 400)
    }

    @Test("extra spaces in the request line are refused with 400")
    func requestLineSpaces() {
        #expect(refusal("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") == 400)
        #expect(refusal(" GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
    }

    @Test("one empty line before the request line is tolerated, two are refused")
    func leadingEmptyLine() {
        #expect(parse("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").messages.count == 1)
        #expect(refusal("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
    }

    // MARK: Limits

    @Test("a request line over the limit is refused with 414, even before it ends")
    func longRequestLine() {
        var config = HTTPServerConfiguration()
        config.maxRequestLineBytes = 64
        let target = "/" + String(repeating: "a", count: 100)
        #expect(refusal("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n", configuration: config) == 414)
        #expect(refusal("GET \(target)", configuration: config) == 414)
    }

    @Test("more header fields than the limit are refused with 431")
    func tooManyHeaders() {
        var config = HTTPServerConfiguration()
        config.maxHeaderCount = 10
        let fields = (0..<11).map { "X-\($0): v\r\n" }.joined()
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n", configuration: config) == 431)
    }

    @Test("a header section over the byte limit is refused with 431, even before it ends")
    func bigHeader() {
        var config = HTTPServerConfiguration()
        config.maxHeaderBytes = 256
        let big = "X-Big: " + String(repeating: "b", count: 300)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\n\(big)\r\n\r\n", configuration: config) == 431)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\n\(big)", configuration: config) == 431)
    }

    @Test("a method longer than the limit is refused with 501, even before the line ends")
    func longMethod() {
        #expect(refusal("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\nHost: a\r\n\r\n") == 501)
        #expect(refusal("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 501)
    }

    @Test("a method that is not a token is refused with 400")
    func nonTokenMethod() {
        #expect(refusal("G(T / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("\u{16}\u{3}\u{1}") == 400)  // a TLS handshake on the plain port
    }

    @Test("a Content-Length over the body limit is refused with 413 before any body byte")
    func contentLengthOverLimit() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n".utf8))
        guard case .head = try? parser.next() else {
            Issue.record("expected a head")
            return
        }
        parser.maxBodyBytes = 10
        #expect(throws: HTTPParseError(status: 413, reason: "the body is larger than 10 bytes")) { try parser.next() }
    }

    @Test("a chunked body growing past the limit is refused with 413")
    func chunkedOverLimit() {
        var config = HTTPServerConfiguration()
        config.defaultMaxBodyBytes = 8
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", configuration: config) == 413)
    }

    // MARK: Targets

    @Test("an absolute-form target is accepted and its path used")
    func absoluteForm() {
        let message = parse("GET http://example.org:8080/a/b?c=d HTTP/1.1\r\nHost: example.org:8080\r\n\r\n").messages.first
        #expect(message?.path == "/a/b")
        #expect(message?.query == "c=d")
        #expect(parse("GET http://example.org HTTP/1.1\r\nHost: example.org\r\n\r\n").messages.first?.path == "/")
    }

    @Test("the asterisk-form is accepted for OPTIONS only")
    func asteriskForm() {
        #expect(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").messages.first?.path == "*")
        #expect(refusal("GET * HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
    }

    @Test("a target that is not a path nor an http URI is refused with 400")
    func otherTargets() {
        #expect(refusal("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n") == 400)
        #expect(refusal("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
    }

    @Test("an encoded NUL, an invalid escape or a dot-dot segment in the path is refused with 400")
    func pathDecoding() {
        for path in ["/a%00b", "/a%zz", "/a%2", "/../etc", "/a/%2e%2e/b", "/a/..%2Fb", "/a/.."] {
            #expect(refusal("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n") == 400, "\(path)")
        }
    }

    @Test("an encoded slash stays inside its segment")
    func encodedSlash() {
        #expect(parse("GET /a%2Fb/c HTTP/1.1\r\nHost: a\r\n\r\n").messages.first?.path == "/a/b/c")
        #expect(parse("GET /a/..b/c. HTTP/1.1\r\nHost: a\r\n\r\n").messages.first?.path == "/a/..b/c.")
    }

    // MARK: Connection semantics

    @Test("HTTP/1.1 keeps the connection alive unless asked to close; HTTP/1.0 only when asked")
    func keepAlive() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n").messages.first?.framing.keepAlive == true)
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n").messages.first?.framing.keepAlive == false)
        #expect(parse("GET / HTTP/1.0\r\n\r\n").messages.first?.framing.keepAlive == false)
        #expect(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").messages.first?.framing.keepAlive == true)
    }

    @Test("Expect: 100-continue is recognised on HTTP/1.1, ignored on 1.0, other expectations flagged")
    func expectations() {
        let request = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-Continue\r\n\r\nx"
        #expect(parse(request).messages.first?.framing.expectation == .continue100)
        #expect(parse("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\nx").messages.first?.framing.expectation == HTTPExpectation.none)
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n").messages.first?.framing.expectation == .unsupported)
    }

    @Test("an error is final: the parser keeps refusing after it")
    func errorIsSticky() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test("an incomplete head asks for more bytes")
    func incompleteHead() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r".utf8))
        let first: HTTPParserEvent?
        do {
            first = try parser.next()
        } catch {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(first == nil)
        #expect(parser.isInsideMessage)
        parser.append([10])
        guard case .head = try? parser.next() else {
            Issue.record("expected a head after the final LF")
            return
        }
    }
}
