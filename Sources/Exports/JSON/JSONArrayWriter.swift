/// Writes a table as a JSON array of objects, one per row, keyed by column name, streamed.
///
/// `[{"Nom":"Dupont","Entrée":"2024-03-01","Heures":12.5,"Actif":true,"Sortie":null}, ...]`:
/// dates as "YYYY-MM-DD", empty cells (and non-finite decimals) as `null`. One row per line
/// so a large export stays readable with `head`. Column names should be distinct: a repeated
/// name gives a repeated key, which most parsers resolve to the last value.
public final class JSONArrayWriter: TableWriter {
    private let output: ChunkedOutput
    private var progress = TableProgress()
    /// Each column's `"name":`, escaped once rather than per row.
    private var keys: [[UInt8]] = []

    /// - Parameter sink: receives the document in pieces of about 64 KiB.
    public init(sink: @escaping ByteSink) {
        self.output = ChunkedOutput(sink: sink)
    }

    public func begin(columns: [Column]) throws {
        try progress.begin(columnCount: columns.count)
        keys = columns.map { JSONString.quoted($0.name) + [UInt8(ascii: ":")] }
        try output.write(UInt8(ascii: "["))
    }

    public func append(_ row: [Cell]) throws {
        try progress.append(cellCount: row.count)
        try output.write(progress.rowCount == 1 ? "\n{" : ",\n{")
        for (index, cell) in row.enumerated() {
            if index > 0 { try output.write(UInt8(ascii: ",")) }
            try output.write(keys[index])
            try write(cell)
        }
        try output.write(UInt8(ascii: "}"))
    }

    public func finish() throws {
        try progress.finish()
        try output.write(progress.rowCount == 0 ? "]\n" : "\n]\n")
        try output.flush()
    }

    private func write(_ cell: Cell) throws {
        switch cell {
        case .text(let text):
            try output.write(JSONString.quoted(text))
        case .integer(let value):
            try output.write(decimal: value)
        case .decimal(let value):
            try output.write(value.isFinite ? String(describing: value) : "null")
        case .date(let date):
            try output.write("\"\(date.description)\"")
        case .boolean(let value):
            try output.write(value ? "true" : "false")
        case .empty:
            try output.write("null")
        }
    }
}
