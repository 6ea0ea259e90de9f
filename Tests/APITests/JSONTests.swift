@testable import API
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
