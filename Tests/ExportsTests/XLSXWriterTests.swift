import Domain
import Foundation
import TestSupport
import Testing
import ZIPFoundation
@testable import Exports

@Suite("XLSX")
struct XLSXWriterTests {
    static let columns = [Column("Prénom"), Column("Entrée dans le PLIE"), Column("Heures"),
                          Column("Montant (€)"), Column("Actif"), Column("Commentaire", width: 40)]

    /// Row `n` of the 1,000-row sample: every kind of cell, some empty.
    static func row(_ n: Int) -> [Cell] {
        let entry = Day(daysSinceEpoch: 19_000 + n)
        return [
            .text("Zoé-\(n) & <Çà> \"ŒÜ\" 日本"),
            .date(entry),
            .integer(n * 7 - 300),
            n % 10 == 0 ? .empty : .decimal(Double(n) / 4),
            .boolean(n % 2 == 0),
            n % 3 == 0 ? .text("  espaces gardés  ") : .text("ligne 1\nligne 2\u{1}\u{FFFE}"),
        ]
    }

    /// What a reader must find for `row(n)`: (type attribute, style attribute, value).
    static func expected(_ n: Int) -> [String: (t: String?, s: String?, value: String)] {
        let letters = ["A", "B", "C", "D", "E", "F"]
        var cells: [String: (t: String?, s: String?, value: String)] = [:]
        for (index, cell) in row(n).enumerated() {
            let ref = "\(letters[index])\(n + 1)"
            switch cell {
            case .text(let text):
                let clean = text.replacingOccurrences(of: "\u{1}", with: "").replacingOccurrences(of: "\u{FFFE}", with: "")
                cells[ref] = ("inlineStr", nil, clean)
            case .date(let day): cells[ref] = (nil, "2", String(day.daysSinceEpoch + 25_569))
            case .integer(let value): cells[ref] = (nil, nil, String(value))
            case .decimal(let value): cells[ref] = (nil, nil, String(describing: value))
            case .boolean(let value): cells[ref] = ("b", nil, value ? "1" : "0")
            case .empty: break
            }
        }
        return cells
    }

    private func writeSample(rows: Int = 1_000, to scratch: ScratchDirectory) throws -> URL {
        let collected = CollectingSink()
        let writer = XLSXWriter(sheetName: "Participants", temporaryDirectory: scratch.url, sink: collected.sink)
        try writer.begin(columns: Self.columns)
        for n in 1...rows { try writer.append(Self.row(n)) }
        try writer.finish()
        #expect(collected.pieceSizes.allSatisfy { $0 <= 64 * 1024 })
        return try scratch.write(collected.bytes, named: "sample.xlsx")
    }

    private func entry(_ path: String, in archive: Archive) throws -> Data {
        let entry = try #require(archive[path], "missing \(path)")
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }

    /// Cells of the sheet by reference, with the text of `<v>` or of the inline `<is><t>`.
    private func cells(of sheet: XMLElementNode) -> [String: (t: String?, s: String?, value: String)] {
        var result: [String: (t: String?, s: String?, value: String)] = [:]
        for cell in sheet.descendants("c") {
            let value = cell.child("v")?.text ?? cell.child("is")?.child("t")?.text ?? ""
            result[cell.attributes["r"] ?? "?"] = (cell.attributes["t"], cell.attributes["s"], value)
        }
        return result
    }

    @Test("every cell of a 1,000-row workbook reads back with its value and its type")
    func cellsReadBack() throws {
        let scratch = try ScratchDirectory()
        let file = try writeSample(to: scratch)
        let archive = try Archive(url: file, accessMode: .read)
        let sheet = try XMLElementNode.parse(entry("xl/worksheets/sheet1.xml", in: archive))
        let found = cells(of: sheet)

        let header = ["A1": "Prénom", "B1": "Entrée dans le PLIE", "C1": "Heures", "D1": "Montant (€)",
                      "E1": "Actif", "F1": "Commentaire"]
        for (ref, name) in header {
            #expect(found[ref]?.value == name)
            #expect(found[ref]?.t == "inlineStr")
            #expect(found[ref]?.s == "1")
        }
        var expectedCount = header.count
        for n in 1...1_000 {
            for (ref, want) in Self.expected(n) {
                expectedCount += 1
                let got = try #require(found[ref], "missing cell \(ref)")
                #expect(got.t == want.t && got.s == want.s && got.value == want.value, "cell \(ref): \(got) ≠ \(want)")
            }
        }
        #expect(found.count == expectedCount)  // empty cells are absent, nothing else is
        #expect(sheet.descendants("row").count == 1_001)
    }

    @Test("the header is bold on a fill, frozen, and dates use a dd/mm/yyyy format")
    func stylesAndView() throws {
        let scratch = try ScratchDirectory()
        let archive = try Archive(url: writeSample(rows: 3, to: scratch), accessMode: .read)
        let styles = try XMLElementNode.parse(entry("xl/styles.xml", in: archive))

        let xfs = try #require(styles.child("cellXfs")).all("xf")
        let fonts = try #require(styles.child("fonts")).all("font")
        let fills = try #require(styles.child("fills")).all("fill")
        let header = xfs[1]
        let headerFont = fonts[Int(header.attributes["fontId"] ?? "") ?? 0]
        #expect(headerFont.child("b") != nil)
        let headerFill = fills[Int(header.attributes["fillId"] ?? "") ?? 0]
        #expect(headerFill.child("patternFill")?.attributes["patternType"] == "solid")
        #expect(fonts[Int(xfs[0].attributes["fontId"] ?? "") ?? 0].child("b") == nil)

        let dateFormatID = xfs[2].attributes["numFmtId"]
        let format = styles.descendants("numFmt").first { $0.attributes["numFmtId"] == dateFormatID }
        #expect(format?.attributes["formatCode"] == "dd/mm/yyyy")

        let sheet = try XMLElementNode.parse(entry("xl/worksheets/sheet1.xml", in: archive))
        let pane = try #require(sheet.descendants("pane").first)
        #expect(pane.attributes["state"] == "frozen" && pane.attributes["ySplit"] == "1")
        let widths = sheet.descendants("col").map { $0.attributes["width"] }
        #expect(widths.count == 6 && widths[5] == "40.0")

        let workbook = try XMLElementNode.parse(entry("xl/workbook.xml", in: archive))
        #expect(workbook.descendants("sheet").first?.attributes["name"] == "Participants")
    }

    @Test("Python's zipfile finds a sound archive with the Office Open XML parts")
    func zipStructure() throws {
        let scratch = try ScratchDirectory()
        let file = try writeSample(rows: 10, to: scratch)
        let result = try Python.json([String: [String]].self, """
            import json, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            bad = z.testzip()
            print(json.dumps({"names": sorted(z.namelist()), "bad": [bad] if bad else [],
                              "methods": sorted({str(i.compress_type) for i in z.infolist()})}))
            """, [file.path])
        #expect(result["names"] == ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels",
                                    "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"])
        #expect(result["bad"] == [])
        #expect(result["methods"] == ["8"])  // deflate
    }

    @Test("openpyxl loads the workbook with typed values", .enabled(if: Python.hasModule("openpyxl")))
    func openpyxlLoads() throws {
        let scratch = try ScratchDirectory()
        let file = try writeSample(rows: 20, to: scratch)
        let rows = try Python.json([[String]].self, """
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            print(json.dumps([[type(c.value).__name__ + ":" + str(c.value) for c in row]
                              for row in ws.iter_rows(min_row=1, max_row=3)]))
            """, [file.path])
        #expect(rows[0][0] == "str:Prénom")
        #expect(rows[1][1] == "datetime:2022-01-09 00:00:00")
        #expect(rows[1][2] == "int:-293")
        #expect(rows[1][3] == "float:0.25")
        #expect(rows[1][4] == "bool:False")
    }

    @Test("text is escaped, stripped of characters XML forbids, and cut at Excel's cell limit")
    func textSafety() throws {
        var bytes: [UInt8] = []
        XMLText.append("a&b<c>\"d\u{0}\u{8}\u{B}\u{1F}\t\n\r\u{FFFF}\u{FFFD}é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "a&amp;b&lt;c&gt;&quot;d\t\n&#13;\u{FFFD}é")

        bytes = []
        XMLText.append(String(repeating: "😀", count: 20_000), to: &bytes, limit: XMLText.excelCellLimit)
        let cut = String(decoding: bytes, as: UTF8.self)
        #expect(cut.utf16.count == 32_766 && cut.unicodeScalars.allSatisfy { $0 == "😀" })
    }

    @Test("column letters and Excel serial days follow Excel's numbering")
    func coordinates() {
        #expect(SpreadsheetReference.columnLetters(0) == "A")
        #expect(SpreadsheetReference.columnLetters(25) == "Z")
        #expect(SpreadsheetReference.columnLetters(26) == "AA")
        #expect(SpreadsheetReference.columnLetters(701) == "ZZ")
        #expect(SpreadsheetReference.columnLetters(702) == "AAA")
        #expect(SpreadsheetReference.excelSerial(date("1900-01-01")) == 1)
        #expect(SpreadsheetReference.excelSerial(date("1900-02-28")) == 59)
        #expect(SpreadsheetReference.excelSerial(date("1900-03-01")) == 61)
        #expect(SpreadsheetReference.excelSerial(date("2024-03-01")) == 45_352)
        #expect(SpreadsheetReference.excelSerial(date("1899-12-31")) == nil)
    }

    @Test("temporary files are removed after finish, and when an unfinished writer is released")
    func temporaryFilesRemoved() throws {
        let scratch = try ScratchDirectory()
        let writer = XLSXWriter(temporaryDirectory: scratch.url) { _ in }
        try writer.begin(columns: [Column("a")])
        try writer.append([.integer(1)])
        #expect(scratch.contents.count == 1)
        try writer.finish()
        #expect(scratch.contents.isEmpty)

        var abandoned: XLSXWriter? = XLSXWriter(temporaryDirectory: scratch.url) { _ in }
        try abandoned?.begin(columns: [Column("a")])
        #expect(throws: ExportError.rowWidth(row: 1, expected: 1, actual: 2)) {
            try abandoned?.append([.empty, .empty])
        }
        #expect(scratch.contents.count == 1)
        abandoned = nil
        #expect(scratch.contents.isEmpty)
    }

    @Test("temporary files are removed when the sink fails")
    func temporaryFilesRemovedOnSinkError() throws {
        struct Gone: Error {}
        let scratch = try ScratchDirectory()
        let writer = XLSXWriter(temporaryDirectory: scratch.url) { _ in throw Gone() }
        try writer.begin(columns: [Column("a")])
        try writer.append([.text("x")])
        #expect(throws: Gone.self) { try writer.finish() }
        #expect(scratch.contents.isEmpty)
    }

    @Test("sheet names lose the characters Excel forbids and stay within 31 characters")
    func sheetNames() {
        #expect(XLSXParts.sheetName("Suivi [2024]: a/b?") == "Suivi 2024 ab")
        #expect(XLSXParts.sheetName("'''") == "Export")
        #expect(XLSXParts.sheetName(String(repeating: "x", count: 40)).count == 31)
    }
}
