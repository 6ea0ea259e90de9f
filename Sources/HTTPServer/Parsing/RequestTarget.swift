/// The request target (RFC 9112 §3.2): which forms are accepted and how the path is decoded.
enum RequestTarget {
    /// Splits and checks a target, returning the decoded path and the raw query.
    ///
    /// origin-form ("/a?b") is the norm; absolute-form ("http://host/a?b") must be accepted
    /// by servers, and its path is used; asterisk-form ("*") only with OPTIONS. The
    /// authority-form of CONNECT is refused: this server is not a proxy.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, isOptions: Bool)
        throws(HTTPParseError) -> (path: String, query: String?)
    {
        var pathStart = range.lowerBound
        let end = range.upperBound
        if range.contains(where: { bytes[$0] == 35 }) {  // '#'
            throw .badRequest("a fragment is not allowed in the request target")
        }
        if bytes[pathStart] == 42 {  // '*'
            guard range.count == 1, isOptions else {
                throw .badRequest("the asterisk-form target is only allowed with OPTIONS")
            }
            return ("*", nil)
        }
        if bytes[pathStart] != 47 {  // not '/': absolute-form or nothing
            let afterScheme: Int
            if ByteClass.equalsIgnoringCase(bytes, pathStart..<min(pathStart + 7, end), "http://") {
                afterScheme = pathStart + 7
            } else if ByteClass.equalsIgnoringCase(bytes, pathStart..<min(pathStart + 8, end), "https://") {
                afterScheme = pathStart + 8
            } else {
                throw .badRequest("the request target must start with \"/\" or be an absolute http URI")
            }
            var i = afterScheme
            while i < end, bytes[i] != 47, bytes[i] != 63 { i += 1 }
            guard i > afterScheme, FieldRules.isValidHost(bytes, afterScheme..<i) else {
                throw .badRequest("the absolute-form target has no valid authority")
            }
            pathStart = i
        }
        var queryStart = end
        for i in pathStart..<end where bytes[i] == 63 {  // '?'
            queryStart = i
            break
        }
        let path: String
        if pathStart == queryStart {
            path = "/"
        } else {
            guard bytes[pathStart] == 47 else { throw .badRequest("the path must start with \"/\"") }
            path = try decodePath(bytes, pathStart..<queryStart)
        }
        let query = queryStart < end
            ? String(decoding: UnsafeBufferPointer(rebasing: bytes[(queryStart + 1)..<end]), as: UTF8.self)
            : nil
        return (path, query)
    }

    /// Percent-decodes a path. A decoded NUL, a ".." segment (encoded or not) or bytes that
    /// are not UTF-8 are refused: they only serve to confuse whatever maps paths to things.
    /// A decoded "/" (%2F) is kept; the ".." check runs after decoding so "..%2F" cannot hide.
    static func decodePath(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(HTTPParseError) -> String {
        let hasEscape = range.contains { bytes[$0] == 37 }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let c = bytes[i]
            if c == 37 {
                guard i + 2 < range.upperBound,
                      let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) else {
                    throw .badRequest("invalid percent-encoding in the path")
                }
                let v = h << 4 | l
                guard v != 0 else { throw .badRequest("an encoded NUL is not allowed in the path") }
                decoded.append(v)
                i += 3
            } else {
                decoded.append(c)
                i += 1
            }
        }
        // ".." segments, after decoding.
        var segmentStart = 0
        for j in 0...decoded.count where j == decoded.count || decoded[j] == 47 {
            if j - segmentStart == 2, decoded[segmentStart] == 46, decoded[segmentStart + 1] == 46 {
                throw .badRequest("\"..\" segments are not allowed in the path")
            }
            segmentStart = j + 1
        }
        if !hasEscape { return String(decoding: decoded, as: UTF8.self) }
        guard let s = String(validating: decoded, as: UTF8.self) else {
            throw .badRequest("the decoded path is not UTF-8")
        }
        return s
    }
}
