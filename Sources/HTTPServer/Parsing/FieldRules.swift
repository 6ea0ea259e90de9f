/// The header fields that decide framing and routing, checked byte by byte (RFC 9112 §6,
/// RFC 9110 §7.2). Lenient parsing of these is what request smuggling relies on.
enum FieldRules {
    /// Content-Length = 1*DIGIT, possibly as a list of identical values ("5, 5").
    /// Returns nil when the syntax is wrong; throws when the list holds differing values.
    /// Never `Int(String)`: it accepts "+5".
    static func contentLength(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(HTTPParseError) -> Int {
        var result: Int?
        for element in ByteClass.listElements(bytes, range) {
            guard !element.isEmpty else { throw .badRequest("empty Content-Length") }
            var value = 0
            for i in element {
                let c = bytes[i]
                guard c >= 48, c <= 57 else { throw .badRequest("Content-Length is not a decimal number") }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(c - 48))
                guard !o1, !o2 else { throw .badRequest("Content-Length is too large") }
                value = a
            }
            if let r = result, r != value { throw .badRequest("Content-Length lists differing values") }
            result = value
        }
        guard let result else { throw .badRequest("empty Content-Length") }
        return result
    }

    /// What a Transfer-Encoding field (or several, joined) declares.
    struct TransferCodings {
        var count = 0
        var lastIsChunked = false
        var chunkedCount = 0
        var hasOtherCoding = false

        /// Adds the codings of one field value. An empty element (", chunked") is refused
        /// although RFC 9110 §5.6.1 tolerates it: h11 refuses it too, and a framing field is
        /// no place for leniency.
        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(HTTPParseError) {
            for element in ByteClass.listElements(bytes, range) {
                guard !element.isEmpty else { throw .badRequest("empty element in Transfer-Encoding") }
                count += 1
                if ByteClass.equalsIgnoringCase(bytes, element, "chunked") {
                    chunkedCount += 1
                    lastIsChunked = true
                } else {
                    hasOtherCoding = true
                    lastIsChunked = false
                }
            }
        }

        /// Only `chunked`, once, last. A body whose end cannot be found is 400 (RFC 9112
        /// §6.3); a coding we do not implement in front of chunked is 501.
        func validate() throws(HTTPParseError) {
            guard count > 0 else { throw .badRequest("empty Transfer-Encoding") }
            guard lastIsChunked, chunkedCount == 1 else {
                throw .badRequest("Transfer-Encoding must end with chunked, applied once")
            }
            if hasOtherCoding {
                throw HTTPParseError(status: 501, reason: "only the chunked transfer coding is supported")
            }
        }
    }

    /// chunk-ext = *( ";" ext-name [ "=" ext-val ] ), ext-name a token, ext-val a token or a
    /// quoted-string (RFC 9112 §7.1.1). The optional whitespace the RFC allows around ";" and
    /// "=" is refused, as llhttp does: nothing needs it and parsers disagree on it.
    static func isValidChunkExtension(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            guard bytes[i] == 59 else { return false }  // ';'
            i += 1
            let nameStart = i
            while i < end, ByteClass.isToken(bytes[i]) { i += 1 }
            guard i > nameStart else { return false }
            guard i < end, bytes[i] == 61 else { continue }  // '='
            i += 1
            if i < end, bytes[i] == 34 {  // quoted-string
                i += 1
                var closed = false
                while i < end {
                    let c = bytes[i]
                    if c == 34 {
                        closed = true
                        i += 1
                        break
                    }
                    if c == 92 {  // quoted-pair
                        i += 1
                        guard i < end, ByteClass.isFieldValue(bytes[i]) else { return false }
                    } else if !ByteClass.isFieldValue(c) {
                        return false
                    }
                    i += 1
                }
                guard closed else { return false }
            } else {
                let valueStart = i
                while i < end, ByteClass.isToken(bytes[i]) { i += 1 }
                guard i > valueStart else { return false }
            }
        }
        return true
    }

    /// Host = uri-host [ ":" port ] (RFC 9110 §7.2): an IP-literal in brackets or a reg-name,
    /// then an optional decimal port. No userinfo, no spaces. An empty value is allowed.
    static func isValidHost(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        if range.isEmpty { return true }
        var i = range.lowerBound
        let end = range.upperBound
        if bytes[i] == 91 {  // '['
            i += 1
            let start = i
            while i < end, bytes[i] != 93 {
                let c = bytes[i]
                guard hexValue(c) != nil || c == 58 || c == 46 || c == 118 || c == 86 else { return false }
                i += 1
            }
            guard i < end, i > start else { return false }
            i += 1  // ']'
        } else {
            while i < end, bytes[i] != 58 {
                guard isRegNameByte(bytes[i]) else { return false }
                i += 1
            }
        }
        guard i < end else { return true }
        guard bytes[i] == 58 else { return false }
        i += 1
        while i < end {
            guard bytes[i] >= 48, bytes[i] <= 57 else { return false }
            i += 1
        }
        return true
    }

    /// unreserved / pct-encoded / sub-delims (RFC 3986 §3.2.2).
    @inline(__always)
    private static func isRegNameByte(_ c: UInt8) -> Bool {
        switch c {
        case 48...57, 65...90, 97...122: return true
        case 45, 46, 95, 126: return true  // - . _ ~
        case 37: return true  // %
        case 33, 36, 38, 39, 40, 41, 42, 43, 44, 59, 61: return true  // sub-delims
        default: return false
        }
    }
}
