import Foundation
import TestSupport
import Testing
@testable import Exports

@Suite("CSV")
struct CSVWriterTests {
    static let readBack = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
            print(json.dumps(list(csv.reader(f, delimiter=';'))))
        """

    private func csv(_ columns: [Column], _ rows: [[Cell]], options: CSVOptions = .french) throws -> CollectingSink {
        let collected = CollectingSink()
        let writer = CSVWriter(options: options, sink: collected.sink)
        try writer.begin(columns: columns)
        for row in rows { try writer.append(row) }
        try writer.finish()
        return collected
    }

    @Test("Python's csv module reads back every field: separators, quotes, line breaks, accents")
    func roundTripThroughPython() throws {
        let rows: [[Cell]] = [
            [.text("Dupont; Jean"), .text("Il a dit \"bonjour\""), .text("ligne 1\nligne 2\r\nligne 3"),
             .integer(42), .decimal(12.5)],
            [.text("Émilie Çà ŒÜ ß 日本"), .text(""), .empty, .integer(-7), .decimal(-0.25)],
            [.date(date("2024-03-01")), .boolean(true), .boolean(false), .integer(0), .decimal(3)],
            [.text("\"\""), .text(";"), .text("\r"), .text("fin de ligne\n"), .decimal(.nan)],
        ]
        let collected = try csv(["Nom", "Citation", "Commentaire", "Nombre", "Montant (€)"].map { Column($0) }, rows)
        let scratch = try ScratchDirectory()
        let file = try scratch.write(collected.bytes, named: "export.csv")

        let parsed = try Python.json([[String]].self, Self.readBack, [file.path])
        #expect(parsed == [
            ["Nom", "Citation", "Commentaire", "Nombre", "Montant (€)"],
            ["Dupont; Jean", "Il a dit \"bonjour\"", "ligne 1\nligne 2\r\nligne 3", "42", "12,5"],
            ["Émilie Çà ŒÜ ß 日本", "", "", "-7", "-0,25"],
            ["01/03/2024", "oui", "non", "0", "3"],
            ["\"\"", ";", "'\r", "fin de ligne\n", ""],  // a leading CR is guarded too
        ])
    }

    @Test("the file starts with the UTF-8 byte order mark, and records end with CRLF")
    func bomAndLineEndings() throws {
        let collected = try csv([Column("Prénom")], [[.text("Zoé")]])
        #expect(Array(collected.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(Array(collected.bytes.dropFirst(3)) == Array("Prénom\r\nZoé\r\n".utf8))
    }

    @Test("without the BOM option the file starts with the header")
    func noBOM() throws {
        var options = CSVOptions.french
        options.byteOrderMark = false
        let collected = try csv([Column("a")], [], options: options)
        #expect(collected.text == "a\r\n")
    }

    @Test("a text cell Excel would run as a formula is prefixed with a quote, and read back so")
    func formulaInjectionGuard() throws {
        let dangerous = ["=HYPERLINK(\"http://x\")", "+33 6 12", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=1;2"]
        let rows = dangerous.map { [Cell.text($0)] } + [[.text("a=b")], [.integer(-5)], [.decimal(-1.5)]]
        let collected = try csv([Column("Valeur")], rows)
        let scratch = try ScratchDirectory()
        let file = try scratch.write(collected.bytes, named: "injection.csv")

        let parsed = try Python.json([[String]].self, Self.readBack, [file.path])
        #expect(parsed.dropFirst().map { $0[0] } ==
            dangerous.map { "'" + $0 } + ["a=b", "-5", "-1,5"])
    }

    @Test("a header starting with = is guarded too, and the guard can be turned off")
    func guardOptions() throws {
        let guarded = try csv([Column("=A1")], [])
        #expect(guarded.text.hasSuffix("'=A1\r\n"))

        var options = CSVOptions.french
        options.guardsFormulas = false
        options.byteOrderMark = false
        let open = try csv([Column("=A1")], [[.text("-x")]], options: options)
        #expect(open.text == "=A1\r\n-x\r\n")
    }

    @Test("international options: comma separator, ISO dates, point decimals, true/false")
    func internationalOptions() throws {
        let collected = try csv([Column("a"), Column("b")],
                                [[.date(date("2024-12-31")), .decimal(1.5)], [.boolean(true), .text("x,y")]],
                                options: .international)
        #expect(collected.text == "a,b\r\n2024-12-31,1.5\r\ntrue,\"x,y\"\r\n")
    }

    @Test("custom boolean words are used")
    func booleanWords() throws {
        var options = CSVOptions.french
        options.byteOrderMark = false
        options.trueText = "X"
        options.falseText = ""
        let collected = try csv([Column("a"), Column("b")], [[.boolean(true), .boolean(false)]], options: options)
        #expect(collected.text == "a;b\r\nX;\r\n")
    }

    @Test("the sink receives pieces of at most about 64 KiB, and the whole file at finish")
    func chunking() throws {
        let row: [Cell] = [.text(String(repeating: "é", count: 500)), .integer(123_456)]
        let collected = try csv([Column("a"), Column("b")], Array(repeating: row, count: 1_000))
        #expect(collected.pieceSizes.count > 10)
        #expect(collected.pieceSizes.allSatisfy { $0 <= 64 * 1024 + 2_048 })
        #expect(collected.bytes.count == 3 + 5 + 1_000 * (1_000 + 1 + 6 + 2))
    }

    @Test("rows of the wrong width and calls out of order are refused")
    func misuse() throws {
        let writer = CSVWriter { _ in }
        #expect(throws: ExportError.outOfOrder("append before begin")) { try writer.append([]) }
        try writer.begin(columns: [Column("a"), Column("b")])
        #expect(throws: ExportError.rowWidth(row: 1, expected: 2, actual: 1)) { try writer.append([.integer(1)]) }
        try writer.finish()
        #expect(throws: ExportError.outOfOrder("append after finish")) { try writer.append([.empty, .empty]) }
    }

    @Test("an error thrown by the sink stops the export and reaches the caller")
    func sinkErrors() throws {
        struct Gone: Error {}
        let writer = CSVWriter { _ in throw Gone() }
        try writer.begin(columns: [Column("a")])
        #expect(throws: Gone.self) { try writer.finish() }
    }
}
