/// Reads `Accept-Encoding` (RFC 9110 §12.5.3) for the one coding we produce.
enum AcceptEncoding {
    /// Whether the field accepts gzip: "gzip" or "x-gzip" with a non-zero q-value, or "*"
    /// with a non-zero q-value when gzip is not named. "gzip;q=0" is a refusal.
    static func acceptsGzip(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        var utf8 = Array(value.utf8)
        return utf8.withUnsafeMutableBufferPointer { mutable in
            let buf = UnsafeBufferPointer(mutable)
            var gzip: Bool?
            var star: Bool?
            for element in ByteClass.listElements(buf, 0..<buf.count) where !element.isEmpty {
                var nameEnd = element.lowerBound
                while nameEnd < element.upperBound, buf[nameEnd] != 59 { nameEnd += 1 }  // ';'
                let name = ByteClass.trimmed(buf, element.lowerBound..<nameEnd)
                let accepted = qualityIsPositive(buf, nameEnd..<element.upperBound)
                if ByteClass.equalsIgnoringCase(buf, name, "gzip") || ByteClass.equalsIgnoringCase(buf, name, "x-gzip") {
                    gzip = accepted
                } else if ByteClass.equalsIgnoringCase(buf, name, "*") {
                    star = accepted
                }
            }
            return gzip ?? star ?? false
        }
    }

    /// Parameters ";q=0.5": only whether q is zero matters. A malformed q counts as 1, as
    /// if absent (a lenient reading is safe here: the worst outcome is an uncompressed body).
    private static func qualityIsPositive(_ buf: UnsafeBufferPointer<UInt8>, _ params: Range<Int>) -> Bool {
        var i = params.lowerBound
        while i < params.upperBound {
            // Skip ';' and whitespace, read "name=value".
            while i < params.upperBound, buf[i] == 59 || ByteClass.isWhitespace(buf[i]) { i += 1 }
            let nameStart = i
            while i < params.upperBound, buf[i] != 61, buf[i] != 59 { i += 1 }
            let name = ByteClass.trimmed(buf, nameStart..<i)
            guard i < params.upperBound, buf[i] == 61 else { continue }
            i += 1
            let valueStart = i
            while i < params.upperBound, buf[i] != 59 { i += 1 }
            let value = ByteClass.trimmed(buf, valueStart..<i)
            if ByteClass.equalsIgnoringCase(buf, name, "q") {
                // q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ): zero only if all digits are 0.
                guard !value.isEmpty, buf[value.lowerBound] == 48 else { return true }
                return value.contains { buf[$0] != 48 && buf[$0] != 46 }
            }
        }
        return true
    }
}
