import Foundation
import ZIPFoundation

/// Writes a table as an Excel workbook (Office Open XML, one sheet), with little memory.
///
/// The header row is bold on a light fill and frozen, so it stays visible while scrolling.
/// Numbers are stored as numbers and dates as day numbers with a "dd/mm/yyyy" format, so
/// staff can sort, filter and sum without converting text. Text uses inline strings:
/// the usual shared-strings table would have to be held in memory until the end.
///
/// A ZIP archive cannot be streamed before its content is known, so the writer works in
/// three steps, each bounded in memory whatever the row count:
/// 1. rows are written as XML, piece by piece, to a temporary `sheet1.xml`;
/// 2. `finish()` deflates the parts into a temporary `.xlsx` with ZIPFoundation;
/// 3. that file is passed to the sink in 64 KiB pieces.
///
/// The temporary folder is removed when `finish()` returns or throws, and when the writer
/// is released unfinished (for instance after a failed `append`). Only `finish()` calls
/// the sink.
public final class XLSXWriter: TableWriter {
    private let sink: ByteSink
    private let sheetName: String
    private let workDirectory: URL
    private var progress = TableProgress()
    private var sheetFile: FileHandle?
    private var sheet: ChunkedOutput?
    /// Each column's `<c r="B` opening, built once.
    private var cellOpenings: [[UInt8]] = []
    /// One row's XML, reused so each row costs no allocation.
    private var rowBuffer: [UInt8] = []

    private var sheetURL: URL { workDirectory.appendingPathComponent("sheet1.xml") }
    private var archiveURL: URL { workDirectory.appendingPathComponent("export.xlsx") }

    /// - Parameters:
    ///   - sheetName: the tab's name; characters Excel forbids are removed, 31 at most.
    ///   - temporaryDirectory: where the working folder is made; the system's by default.
    ///   - sink: receives the finished workbook in pieces of about 64 KiB.
    public init(sheetName: String = "Export",
                temporaryDirectory: URL = FileManager.default.temporaryDirectory,
                sink: @escaping ByteSink) {
        self.sink = sink
        self.sheetName = XLSXParts.sheetName(sheetName)
        self.workDirectory = temporaryDirectory
            .appendingPathComponent("parcours-xlsx-\(UUID().uuidString)", isDirectory: true)
    }

    deinit {
        try? sheetFile?.close()
        removeWorkDirectory()
    }

    public func begin(columns: [Column]) throws {
        try progress.begin(columnCount: columns.count)
        do {
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: sheetURL.path, contents: nil) else {
                throw ExportError.temporaryStorage("cannot create \(sheetURL.path)")
            }
            let file = try FileHandle(forWritingTo: sheetURL)
            sheetFile = file
            sheet = ChunkedOutput { bytes in try file.write(contentsOf: bytes) }
        } catch {
            removeWorkDirectory()
            throw error
        }
        cellOpenings = columns.indices.map { Array("<c r=\"\(SpreadsheetReference.columnLetters($0))".utf8) }
        try writeSheetStart(columns: columns)
    }

    public func append(_ row: [Cell]) throws {
        try progress.append(cellCount: row.count)
        // Row 1 is the header.
        try writeRow(number: progress.rowCount + 1, cells: row)
    }

    public func finish() throws {
        try progress.finish()
        defer { removeWorkDirectory() }
        guard let sheet, let sheetFile else { throw ExportError.outOfOrder("finish without a sheet") }
        try sheet.write("</sheetData></worksheet>")
        try sheet.flush()
        try sheetFile.close()
        self.sheetFile = nil
        try buildArchive()
        try sendArchive()
    }

    // MARK: - Sheet XML

    private func writeSheetStart(columns: [Column]) throws {
        guard let sheet else { return }
        try sheet.write("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(XLSXParts.mainNamespace)" xmlns:r="\(XLSXParts.relationshipsNamespace)">\
            <sheetViews><sheetView workbookViewId="0">\
            <pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            <selection pane="bottomLeft" activeCell="A2" sqref="A2"/>\
            </sheetView></sheetViews>\
            <sheetFormatPr defaultRowHeight="15"/>
            """)
        if !columns.isEmpty {
            var cols = "<cols>"
            for (index, column) in columns.enumerated() {
                let width = column.width ?? XLSXWriter.defaultWidth(header: column.name)
                cols += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
            }
            try sheet.write(cols + "</cols>")
        }
        try sheet.write("<sheetData>")
        try writeRow(number: 1, cells: columns.map { .text($0.name) }, style: XLSXParts.headerStyle)
    }

    /// Wide enough for the bold header, within reason: a long header wraps in the reader's
    /// head better than a column half a screen wide.
    private static func defaultWidth(header: String) -> Double {
        min(60, max(10, Double(header.count) * 1.2 + 2))
    }

    private func writeRow(number: Int, cells: [Cell], style: Int? = nil) throws {
        guard let sheet else { throw ExportError.outOfOrder("append before begin") }
        rowBuffer.removeAll(keepingCapacity: true)
        rowBuffer.append(contentsOf: "<row r=\"".utf8)
        rowBuffer.appendDecimal(number)
        rowBuffer.append(contentsOf: "\">".utf8)
        for (index, cell) in cells.enumerated() {
            appendCell(cell, column: index, row: number, style: style)
        }
        rowBuffer.append(contentsOf: "</row>".utf8)
        try sheet.write(rowBuffer)
    }

    private func appendCell(_ cell: Cell, column: Int, row: Int, style: Int?) {
        switch cell {
        case .empty:
            return  // an absent cell is an empty cell, and costs nothing
        case .decimal(let value) where !value.isFinite:
            return
        case .date(let date) where SpreadsheetReference.excelSerial(date) == nil:
            // Before 1900 Excel has no date: keep the day readable as text.
            appendCell(.text(date.french), column: column, row: row, style: style)
            return
        default:
            break
        }
        rowBuffer.append(contentsOf: cellOpenings[column])
        rowBuffer.appendDecimal(row)
        rowBuffer.append(UInt8(ascii: "\""))
        let cellStyle: Int?
        if case .date = cell { cellStyle = style ?? XLSXParts.dateStyle } else { cellStyle = style }
        if let cellStyle {
            rowBuffer.append(contentsOf: " s=\"".utf8)
            rowBuffer.appendDecimal(cellStyle)
            rowBuffer.append(UInt8(ascii: "\""))
        }
        switch cell {
        case .text(let text):
            rowBuffer.append(contentsOf: " t=\"inlineStr\"><is>".utf8)
            rowBuffer.append(contentsOf: XMLText.needsPreserve(text) ? "<t xml:space=\"preserve\">".utf8 : "<t>".utf8)
            XMLText.append(text, to: &rowBuffer, limit: XMLText.excelCellLimit)
            rowBuffer.append(contentsOf: "</t></is></c>".utf8)
        case .integer(let value):
            rowBuffer.append(contentsOf: "><v>".utf8)
            rowBuffer.appendDecimal(value)
            rowBuffer.append(contentsOf: "</v></c>".utf8)
        case .decimal(let value):
            rowBuffer.append(contentsOf: "><v>".utf8)
            rowBuffer.append(contentsOf: String(describing: value).utf8)
            rowBuffer.append(contentsOf: "</v></c>".utf8)
        case .date(let date):
            rowBuffer.append(contentsOf: "><v>".utf8)
            rowBuffer.appendDecimal(SpreadsheetReference.excelSerial(date) ?? 0)
            rowBuffer.append(contentsOf: "</v></c>".utf8)
        case .boolean(let value):
            rowBuffer.append(contentsOf: " t=\"b\"><v>".utf8)
            rowBuffer.append(value ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            rowBuffer.append(contentsOf: "</v></c>".utf8)
        case .empty:
            break
        }
    }

    // MARK: - Package

    private func buildArchive() throws {
        // The archive is closed (and its buffers flushed) when it goes out of scope,
        // which is the end of this function: only then is the file read back.
        let archive: Archive
        do {
            archive = try Archive(url: archiveURL, accessMode: .create)
        } catch {
            throw ExportError.temporaryStorage("cannot create the archive: \(error)")
        }
        let parts: [(String, String)] = [
            ("[Content_Types].xml", XLSXParts.contentTypes),
            ("_rels/.rels", XLSXParts.packageRelationships),
            ("xl/workbook.xml", XLSXParts.workbook(sheetName: sheetName)),
            ("xl/_rels/workbook.xml.rels", XLSXParts.workbookRelationships),
            ("xl/styles.xml", XLSXParts.styles),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetURL,
                             compressionMethod: .deflate, bufferSize: ChunkedOutput.defaultChunkSize)
    }

    private func sendArchive() throws {
        let file = try FileHandle(forReadingFrom: archiveURL)
        defer { try? file.close() }
        while let data = try file.read(upToCount: ChunkedOutput.defaultChunkSize), !data.isEmpty {
            try sink([UInt8](data))
        }
    }

    private func removeWorkDirectory() {
        try? FileManager.default.removeItem(at: workDirectory)
    }
}
