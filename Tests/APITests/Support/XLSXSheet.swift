import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The first sheet of an XLSX file read back with ZIPFoundation and XMLParser: each row's
/// cell texts (inline strings, numbers, booleans), in order. Enough for rows written by
/// XLSXWriter, which omits empty cells (their column is read from the `r` reference).
enum XLSXSheet {
    struct Unreadable: Error { let reason: String }

    static func rows(_ bytes: [UInt8]) throws -> [[String: String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("parcours-xlsx-\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let archive = try Archive(url: file, accessMode: .read)
        guard let entry = archive["xl/worksheets/sheet1.xml"] else { throw Unreadable(reason: "no sheet1.xml") }
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        let reader = Reader()
        let parser = XMLParser(data: xml)
        parser.delegate = reader
        guard parser.parse() else { throw Unreadable(reason: String(describing: parser.parserError)) }
        return reader.rows
    }

    /// Collects `<row><c r="B2"><is><t>…</t></is></c>` or `<c><v>…</v></c>` as ["B": text].
    private final class Reader: NSObject, XMLParserDelegate {
        var rows: [[String: String]] = []
        var column: String?
        var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "row": rows.append([:])
            case "c": column = attributes["r"].map { String($0.prefix { $0.isLetter }) }; text = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if column != nil { text += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "c", let column, !rows.isEmpty { rows[rows.count - 1][column] = text; self.column = nil }
        }
    }
}
