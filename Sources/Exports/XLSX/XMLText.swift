/// Text made safe for XML 1.0 element content and attribute values, on UTF-8 bytes.
///
/// Escapes `&`, `<`, `>` and `"`; keeps CR as `&#13;` (a parser would otherwise turn it
/// into LF); drops what XML 1.0 forbids outright: control characters other than tab, LF and
/// CR, and U+FFFE / U+FFFF. A single such character from a pasted form would otherwise make
/// Excel refuse the whole workbook. (Swift strings hold no lone surrogates, the other
/// forbidden range.)
enum XMLText {
    /// Excel's limit for a cell's text, in UTF-16 code units; longer text makes Excel
    /// "repair" the file, so it is cut, never in the middle of a character.
    static let excelCellLimit = 32_767

    static func append(_ text: String, to bytes: inout [UInt8], limit: Int = .max) {
        var text = text
        text.withUTF8 { utf8 in
            var units = 0
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                // Count UTF-16 units on lead bytes: 4-byte sequences are surrogate pairs.
                if byte & 0xC0 != 0x80 {
                    units += byte >= 0xF0 ? 2 : 1
                    if units > limit { return }
                }
                switch byte {
                case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
                case 0x0D: bytes.append(contentsOf: "&#13;".utf8)
                case 0x09, 0x0A: bytes.append(byte)
                case 0x00..<0x20: break
                case 0xEF where index + 2 < count && utf8[index + 1] == 0xBF
                    && (utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF):
                    index += 2  // U+FFFE or U+FFFF: skip the whole sequence
                default: bytes.append(byte)
                }
                index += 1
            }
        }
    }

    static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a spreadsheet reader would trim this text unless told to keep its spaces.
    static func needsPreserve(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        return first.properties.isWhitespace || last.properties.isWhitespace
    }
}
