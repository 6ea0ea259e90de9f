import PropertyBased
import Testing
@testable import HTTPServer

/// Valid requests whose parse must not depend on how the bytes are split.
private let samples: [[UInt8]] = [
    "GET /a?b=c HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n",
    "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world",
    "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nT: v\r\n\r\n",
    "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
    "\r\nPUT /x HTTP/1.0\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nhiGET /y HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n",
].map { Array($0.utf8) }

/// Cuts `bytes` at the given offsets (taken modulo the length).
private func split(_ bytes: [UInt8], at cuts: [Int]) -> [[UInt8]] {
    guard !bytes.isEmpty else { return [bytes] }
    let points = Set(cuts.map { $0 % bytes.count }).sorted()
    var chunks: [[UInt8]] = []
    var last = 0
    for p in points where p > last {
        chunks.append(Array(bytes[last..<p]))
        last = p
    }
    chunks.append(Array(bytes[last...]))
    return chunks
}

/// Small limits, so that filler bytes always run into one.
private var smallLimits: HTTPServerConfiguration {
    var c = HTTPServerConfiguration()
    c.maxRequestLineBytes = 128
    c.maxHeaderBytes = 512
    c.maxHeaderCount = 16
    c.defaultMaxBodyBytes = 1024
    c.maxChunkExtensionBytes = 64
    c.maxTrailerBytes = 256
    return c
}

@Suite("Request parser: properties")
struct ParserPropertyTests {
    @Test("valid requests split at random points parse exactly as in one read")
    func splitsDoNotMatter() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0..<samples.count), Gen.int(in: 0...10_000).array(of: 0...12)) { index, cuts in
            let bytes = samples[index]
            let whole = parse(chunks: [bytes])
            #expect(whole.error == nil)
            #expect(!whole.messages.isEmpty)
            #expect(parse(chunks: split(bytes, at: cuts)) == whole)
            // One byte at a time, the worst case.
            #expect(parse(chunks: bytes.map { [$0] }) == whole)
        }
    }

    @Test("random bytes never crash the parser and always end in a request or an error")
    func randomBytes() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...255).array(of: 0...300), Gen.int(in: 0...400).array(of: 0...5)) { raw, cuts in
            let bytes = raw.map { UInt8($0) }
            // Filler runs into a limit whatever state the random bytes left the parser in.
            let filler = [UInt8](repeating: 120, count: 4096)
            let outcome = parse(chunks: split(bytes, at: cuts) + [filler], configuration: smallLimits)
            #expect(outcome.error != nil)
            #expect(parse(chunks: [bytes + filler], configuration: smallLimits) == outcome)
        }
    }

    @Test("a bare LF past the request-line or header limit gets the limit's status in one read as in many")
    func limitBeforeBareLF() {
        let longLine = Array("GET /".utf8) + [UInt8](repeating: 97, count: 200) + [10]
        let whole = parse(chunks: [longLine], configuration: smallLimits)
        #expect(whole.error?.status == 414)
        #expect(parse(chunks: [Array(longLine[0..<150]), Array(longLine[150...])], configuration: smallLimits) == whole)
        let longHeader = Array("GET / HTTP/1.1\r\nHost: x\r\nX-A: ".utf8) + [UInt8](repeating: 98, count: 4096) + [10]
        let wholeHeader = parse(chunks: [longHeader], configuration: smallLimits)
        #expect(wholeHeader.error?.status == 431)
        #expect(parse(chunks: [Array(longHeader[0..<2000]), Array(longHeader[2000...])], configuration: smallLimits) == wholeHeader)
    }

    @Test("mutated valid requests parse the same in any split, and end in a request or an error")
    func mutations() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0..<samples.count), Gen.int(in: 0...100_000).array(of: 1...4),
                            Gen.int(in: 0...255).array(of: 4), Gen.int(in: 0...10_000).array(of: 0...8)) { index, positions, values, cuts in
            var bytes = samples[index]
            for (p, v) in zip(positions, values) { bytes[p % bytes.count] = UInt8(v) }
            let whole = parse(chunks: [bytes], configuration: smallLimits)
            #expect(parse(chunks: split(bytes, at: cuts), configuration: smallLimits) == whole)
            let filler = [UInt8](repeating: 120, count: 4096)
            let ended = parse(chunks: [bytes, filler], configuration: smallLimits)
            #expect(ended.error != nil || !ended.messages.isEmpty)
        }
    }
}
