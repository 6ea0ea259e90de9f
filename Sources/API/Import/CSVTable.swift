/// A CSV file as spreadsheets write it, read leniently: the text encoding is detected (UTF-8
/// with or without BOM, else Windows-1252 as French Excel saves "CSV (séparateur: point-virgule)"),
/// the separator is `;` or `,` (whichever the header line uses outside quotes), fields may be
/// quoted with `""` for a quote and may hold separators and line breaks.
///
/// Each record keeps the line of the file it starts on (1 = the header), so a report can say
/// "line 7" and the person finds it in their spreadsheet's editor.
struct CSVTable {
    /// One record: its first line in the file and its cells, untrimmed.
    struct Record {
        let line: Int
        let cells: [String]
        /// Set when the record's quote was never closed: it ran to the end of the file.
        let unterminatedQuote: Bool

        /// A line with nothing but separators and spaces: skipped, as spreadsheets leave them.
        var isBlank: Bool { cells.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
    }

    enum Encoding: String { case utf8 = "utf-8", utf8BOM = "utf-8-bom", windows1252 = "windows-1252" }

    let encoding: Encoding
    let separator: Character
    /// The header record (line 1, or the first non-blank line) and the data records after it.
    let header: Record?
    let records: [Record]

    init(bytes: [UInt8]) {
        let (text, encoding) = CSVTable.decode(bytes)
        self.encoding = encoding
        let separator = CSVTable.detectSeparator(text)
        self.separator = separator
        var all = CSVTable.parse(text, separator: separator)
        while let first = all.first, first.isBlank { all.removeFirst() }
        header = all.first
        records = Array(all.dropFirst())
    }

    // MARK: Encoding

    static func decode(_ bytes: [UInt8]) -> (String, Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8BOM)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x80 && b <= 0x9F, let s = Unicode.Scalar(windows1252High[Int(b - 0x80)]) {
                scalars.append(s)
            } else {
                // 0x00–0x7F and 0xA0–0xFF are Latin-1, which is Unicode's first 256 code points.
                scalars.append(Unicode.Scalar(b))
            }
        }
        return (String(scalars), .windows1252)
    }

    /// Windows-1252 for 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ); the five
    /// bytes it leaves undefined map to the C1 controls of the same value, as browsers do.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    // MARK: Separator and records

    /// `;` or `,`: the one the first line uses more often outside quotes (`;` on a tie or when neither).
    static func detectSeparator(_ text: String) -> Character {
        var semicolons = 0, commas = 0, inQuotes = false
        for s in text.unicodeScalars {
            if s == "\"" { inQuotes.toggle() }
            else if !inQuotes {
                if s == "\n" || s == "\r" { if semicolons + commas > 0 { break } else { continue } }
                if s == ";" { semicolons += 1 } else if s == "," { commas += 1 }
            }
        }
        return commas > semicolons ? "," : ";"
    }

    static func parse(_ text: String, separator: Character) -> [Record] {
        let sep = separator.unicodeScalars.first ?? ";"
        var records: [Record] = []
        var cells: [String] = []
        var cell = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endCell() { cells.append(String(cell)); cell = String.UnicodeScalarView(); wasQuoted = false }
        func endRecord(unterminated: Bool = false) {
            endCell()
            records.append(Record(line: recordLine, cells: cells, unterminatedQuote: unterminated))
            cells = []
        }

        while let s = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if s == "\"" {
                    let next = scalars.next()
                    if next == "\"" { cell.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if s == "\n" { line += 1 }
                    else if s == "\r" {
                        line += 1
                        let next = scalars.next()
                        if next != "\n" { pending = next }
                        cell.append("\r")
                        if next == "\n" { cell.append("\n") }
                        continue
                    }
                    cell.append(s)
                }
                continue
            }
            switch s {
            case "\"" where cell.allSatisfy({ $0 == " " }) && !wasQuoted:
                // A quote opens a quoted field only at its start (spaces before it are dropped).
                cell = String.UnicodeScalarView()
                inQuotes = true; wasQuoted = true
            case sep:
                endCell()
            case "\n", "\r":
                if s == "\r" { let next = scalars.next(); if next != "\n" { pending = next } }
                endRecord()
                line += 1
                recordLine = line
            default:
                cell.append(s)
            }
        }
        if inQuotes { endRecord(unterminated: true) }
        else if !cells.isEmpty || !cell.isEmpty { endRecord() }
        return records
    }
}
