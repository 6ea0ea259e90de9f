import Domain
import Foundation

/// The spelling rules of RFC 5545 content lines: TEXT escaping, folding, UTC time stamps.
enum ContentLine {
    /// RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
    static let maximumOctets = 75

    /// Escapes a TEXT value (§3.3.11): backslash, semicolon, comma, and any line break as
    /// `\n`. Other control characters are not allowed in TEXT and are dropped.
    static func escapedText(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r": result += "\\n"
            case "\n": if !previousWasCR { result += "\\n" }  // CRLF is one break
            case "\t": result.unicodeScalars.append(scalar)
            case "\u{00}"..."\u{1F}", "\u{7F}": break
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The line followed by CRLF, folded (§3.1) into pieces of at most 75 octets, each
    /// continuation starting with one space. A cut never falls inside a UTF-8 sequence,
    /// which would leave invalid bytes on both sides.
    static func folded(_ line: String) -> [UInt8] {
        let bytes = Array(line.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 70 * 3 + 2)
        var start = 0
        var limit = maximumOctets  // the first line has no leading space
        while bytes.count - start > limit {
            var cut = start + limit
            while cut > start, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }  // back to a lead byte
            output.append(contentsOf: bytes[start..<cut])
            output.append(contentsOf: [0x0D, 0x0A, 0x20])
            start = cut
            limit = maximumOctets - 1
        }
        output.append(contentsOf: bytes[start...])
        output.append(contentsOf: [0x0D, 0x0A])
        return output
    }

    /// "YYYYMMDDTHHMMSSZ", by arithmetic on the Unix time: no DateFormatter (not thread-safe
    /// on Linux) and no time zone that could shift the value. Fractions of a second are dropped.
    static func utcStamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let day = Day(daysSinceEpoch: days).basic
        return day + "T" + twoDigits(secondOfDay / 3600) + twoDigits(secondOfDay / 60 % 60)
            + twoDigits(secondOfDay % 60) + "Z"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
