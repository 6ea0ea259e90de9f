import Domain

/// RFC 3339 timestamps given by clients (`2026-03-02T09:30:00+01:00`), read as seconds since
/// 1970 in UTC; stored and served again in the server's own form (`Clock.timestamp`, UTC).
enum Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z, or nil when the text is not a full RFC 3339
    /// date-time (an offset or `Z` is required: a time without zone would be ambiguous).
    static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count >= 20, let day = Day(String(decoding: b[0..<10], as: UTF8.self)),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let h = number(b[11..<13]), let m = number(b[14..<16]), let s = number(b[17..<19]),
              h < 24, m < 60, s < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { fraction += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard b.count == i + 6, b[i + 3] == UInt8(ascii: ":"),
                  let oh = number(b[(i + 1)..<(i + 3)]), let om = number(b[(i + 4)..<(i + 6)]), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = day.daysSinceEpoch * 86_400 + h * 3600 + m * 60 + min(s, 59) - offset
        return Double(seconds) + fraction
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for d in digits { guard d >= 48, d <= 57 else { return nil }; v = v * 10 + Int(d - 48) }
        return v
    }
}
