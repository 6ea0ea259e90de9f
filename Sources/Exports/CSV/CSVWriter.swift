/// Writes a table as CSV (RFC 4180), streamed to a sink, French Excel first.
///
/// Fields are quoted only when they hold the separator, a double quote, CR or LF; quotes
/// inside are doubled. The header row is the column names.
///
/// **Formula injection.** These files are opened in Excel by staff, and a participant's
/// free text (a name, a comment typed in a form) lands in them. Excel runs a cell starting
/// with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, DDE payloads), and a leading
/// tab or CR can hide such a start. So a *text* cell starting with one of those characters is
/// prefixed with a single quote, which Excel shows as plain text. Numbers are not touched:
/// `-12,5` stays a number.
public final class CSVWriter: TableWriter {
    private let options: CSVOptions
    private let output: ChunkedOutput
    private var progress = TableProgress()
    private let separator: [UInt8]
    private let lineEnding: [UInt8]
    private let decimalSeparator: [UInt8]
    private let trueText: [UInt8]
    private let falseText: [UInt8]

    /// - Parameter sink: receives the file in pieces of about 64 KiB.
    public init(options: CSVOptions = .french, sink: @escaping ByteSink) {
        self.options = options
        self.output = ChunkedOutput(sink: sink)
        self.separator = Array(String(options.separator).utf8)
        self.lineEnding = Array(options.lineEnding.utf8)
        self.decimalSeparator = Array(String(options.decimalSeparator).utf8)
        self.trueText = Array(options.trueText.utf8)
        self.falseText = Array(options.falseText.utf8)
    }

    public func begin(columns: [Column]) throws {
        try progress.begin(columnCount: columns.count)
        if options.byteOrderMark { try output.write([0xEF, 0xBB, 0xBF]) }
        try writeRecord(columns.map { Cell.text($0.name) })
    }

    public func append(_ row: [Cell]) throws {
        try progress.append(cellCount: row.count)
        try writeRecord(row)
    }

    public func finish() throws {
        try progress.finish()
        try output.flush()
    }

    private func writeRecord(_ cells: [Cell]) throws {
        for (index, cell) in cells.enumerated() {
            if index > 0 { try output.write(separator) }
            try write(cell)
        }
        try output.write(lineEnding)
    }

    private func write(_ cell: Cell) throws {
        switch cell {
        case .text(let text):
            try writeField(Array(text.utf8), guarding: options.guardsFormulas)
        case .integer(let value):
            try output.write(decimal: value)
        case .decimal(let value):
            guard value.isFinite else { return }
            var digits = Array(String(describing: value).utf8)
            if digits.count > 2, digits.suffix(2) == [UInt8(ascii: "."), UInt8(ascii: "0")] {
                digits.removeLast(2)  // 12.0 prints as "12", as Excel would show it
            }
            var field: [UInt8] = []
            field.reserveCapacity(digits.count + 1)
            for byte in digits {
                if byte == UInt8(ascii: ".") { field.append(contentsOf: decimalSeparator) } else { field.append(byte) }
            }
            try writeField(field, guarding: false)
        case .date(let date):
            let text = options.dateStyle == .french ? date.french : date.description
            try writeField(Array(text.utf8), guarding: false)
        case .boolean(let value):
            try writeField(value ? trueText : falseText, guarding: false)
        case .empty:
            return
        }
    }

    private func writeField(_ bytes: [UInt8], guarding: Bool) throws {
        let guarded = guarding && bytes.first.map(CSVWriter.startsFormula) == true
        guard needsQuoting(bytes) else {
            if guarded { try output.write(UInt8(ascii: "'")) }
            try output.write(bytes)
            return
        }
        try output.write(UInt8(ascii: "\""))
        if guarded { try output.write(UInt8(ascii: "'")) }
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { try output.write(byte) }
            try output.write(byte)
        }
        try output.write(UInt8(ascii: "\""))
    }

    private func needsQuoting(_ bytes: [UInt8]) -> Bool {
        for byte in bytes where byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A {
            return true
        }
        if separator.count == 1 {
            return bytes.contains(separator[0])
        }
        return !separator.isEmpty && bytes.count >= separator.count
            && (0...(bytes.count - separator.count)).contains { start in
                bytes[start..<(start + separator.count)].elementsEqual(separator)
            }
    }

    private static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        default:
            return false
        }
    }
}
