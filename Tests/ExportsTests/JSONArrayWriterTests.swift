import Foundation
import TestSupport
import Testing
@testable import Exports

@Suite("JSON array")
struct JSONArrayWriterTests {
    private func json(_ columns: [Column], _ rows: [[Cell]]) throws -> CollectingSink {
        let collected = CollectingSink()
        let writer = JSONArrayWriter(sink: collected.sink)
        try writer.begin(columns: columns)
        for row in rows { try writer.append(row) }
        try writer.finish()
        return collected
    }

    @Test("rows become objects keyed by column, with typed values and null for empty")
    func objects() throws {
        let collected = try json(
            [Column("Nom"), Column("Entrée"), Column("Heures"), Column("Taux"), Column("Actif"), Column("Sortie")],
            [[.text("Dupont \"Jo\"\\\n\t\u{1}é"), .date(date("2024-03-01")), .integer(12), .decimal(0.5),
              .boolean(true), .empty],
             [.text(""), .empty, .integer(-1), .decimal(.infinity), .boolean(false), .date(date("1999-12-31"))]])

        let parsed = try JSONSerialization.jsonObject(with: Data(collected.bytes)) as? [[String: Any]]
        let rows = try #require(parsed)
        #expect(rows.count == 2)
        #expect(rows[0]["Nom"] as? String == "Dupont \"Jo\"\\\n\t\u{1}é")
        #expect(rows[0]["Entrée"] as? String == "2024-03-01")
        #expect(rows[0]["Heures"] as? Int == 12)
        #expect(rows[0]["Taux"] as? Double == 0.5)
        #expect(rows[0]["Actif"] as? Bool == true)
        #expect(rows[0]["Sortie"] is NSNull)
        #expect(rows[1]["Taux"] is NSNull)
        #expect(rows[1]["Sortie"] as? String == "1999-12-31")
        #expect(collected.text.contains("\\u0001"))
    }

    @Test("Python's json module reads the same document")
    func pythonReads() throws {
        let collected = try json([Column("a;b"), Column("n")], [[.text("x\u{7}y\u{2028}"), .decimal(1e-7)]])
        let scratch = try ScratchDirectory()
        let file = try scratch.write(collected.bytes, named: "export.json")
        let echoed = try Python.run("import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))",
                                    [file.path])
        #expect(echoed == "[{\"a;b\": \"x\\u0007y\\u2028\", \"n\": 1e-07}]\n")
    }

    @Test("an export without rows is an empty array")
    func empty() throws {
        #expect(try json([Column("a")], []).text == "[]\n")
    }
}
