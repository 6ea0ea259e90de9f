/// Character classes of RFC 9110 §5.6, on bytes.
enum ByteClass {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let sp: UInt8 = 32
    static let htab: UInt8 = 9
    static let colon: UInt8 = 58

    /// tchar: what a method or a header name is made of.
    @inline(__always)
    static func isToken(_ c: UInt8) -> Bool {
        switch c {
        case 48...57, 65...90, 97...122: return true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: return true
        default: return false
        }
    }

    /// field-vchar, SP or HTAB: what a header value may contain. obs-text (0x80-0xFF) is
    /// allowed as the RFC says; NUL, CR, LF, DEL and other controls are not.
    @inline(__always)
    static func isFieldValue(_ c: UInt8) -> Bool {
        c == htab || (c >= 0x20 && c != 0x7F)
    }

    /// A visible ASCII character, what a request target is made of.
    @inline(__always)
    static func isVisibleASCII(_ c: UInt8) -> Bool { c >= 0x21 && c <= 0x7E }

    @inline(__always)
    static func isWhitespace(_ c: UInt8) -> Bool { c == sp || c == htab }

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c | 0x20 : c }

    /// Whether `bytes[range]` equals the lowercase ASCII `name`, ignoring case.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let n = name.utf8Start
        var i = 0
        for j in range {
            if lower(bytes[j]) != n[i] { return false }
            i += 1
        }
        return true
    }

    /// The range without leading and trailing SP/HTAB (OWS).
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var a = range.lowerBound, b = range.upperBound
        while a < b, isWhitespace(bytes[a]) { a += 1 }
        while b > a, isWhitespace(bytes[b - 1]) { b -= 1 }
        return a..<b
    }

    /// Splits a comma-separated list (RFC 9110 §5.6.1) into trimmed elements, empty ones included.
    static func listElements(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var s = range.lowerBound
        for i in range where bytes[i] == 44 {
            out.append(trimmed(bytes, s..<i))
            s = i + 1
        }
        out.append(trimmed(bytes, s..<range.upperBound))
        return out
    }
}
