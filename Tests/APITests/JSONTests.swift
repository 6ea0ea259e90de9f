@testable import API
import Foundation
import PropertyBased
import Testing

@Suite("JSON serialisation")
struct JSONTests {
    @Test("quotes, backslashes and control characters are escaped; the rest is copied as UTF-8")
    func escapes() {
        let value = JSON.object([("a\"b", .string("x\\y\n\r\t\u{01}\u{1f} é € 😀")), ("n", .null), ("t", .bool(true)), ("f", .bool(false))])
        #expect(value.text == #"{"a\"b":"x\\y\n\r\t\u0001\u001f é € 😀","n":null,"t":true,"f":false}"#)
    }

    @Test("numbers: integers as written, whole doubles as integers, non-finite as null")
    func numbers() {
        #expect(JSON.array([.int(0), .int(-42), .int(Int.max), .double(2.0), .double(0.5), .double(.infinity)]).text
                == "[0,-42,\(Int.max),2,0.5,null]")
    }

    @Test("any string survives writing and parsing back")
    func roundTrip() async {
        // Bytes drawn around the ones that need escaping, plus multi-byte characters.
        let pieces: [String] = ["a", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{7}", "\u{1f}", " ", "é", "€", "😀", "/", "\u{7f}"]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40)) { picks in
            let s = picks.map { pieces[$0] }.joined()
            let parsed = try? JSONParser.parse(JSON.object([(s, .string(s))]).bytes)
            #expect(parsed == JSON.object([(s, .string(s))]))
        }
    }
}

@Suite("Trimming input")
struct TrimmingTests {
    @Test("white space is trimmed at both ends as Foundation trims whitespacesAndNewlines, inner space kept")
    func trimming() {
        for s in ["  a b  ", "\t\n x \r\n", "\u{a0}\u{2003}y\u{3000}", "z", "", "   ", "\u{85}é\u{2028}", "a\u{200b}"] {
            #expect(s.trimmingWhiteSpace() == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.unicodeScalars.map { $0.value })")
        }
        // Every character of the Basic Multilingual Plane, alone and around a letter.
        var differ: [UInt32] = []
        for v in UInt32(0)...0xFFFF {
            guard let c = Unicode.Scalar(v) else { continue }
            let s = String(c) + "x" + String(c)
            if s.trimmingWhiteSpace() != s.trimmingCharacters(in: .whitespacesAndNewlines) { differ.append(v) }
        }
        #expect(differ.isEmpty, "\(differ.prefix(10))")
    }
}
