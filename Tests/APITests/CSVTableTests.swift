@testable import API
import Testing

@Suite("CSV reading")
struct CSVTableTests {
    @Test("quoted fields keep separators, doubled quotes and line breaks; lines are counted in the file")
    func quotes() {
        let table = CSVTable(bytes: Array("a;b\n\"x;y\";\"say \"\"hi\"\"\"\n\"multi\nline\";z\nlast;row".utf8))
        #expect(table.header?.cells == ["a", "b"])
        #expect(table.records.map(\.cells) == [["x;y", "say \"hi\""], ["multi\nline", "z"], ["last", "row"]])
        #expect(table.records.map(\.line) == [2, 3, 5])
    }

    @Test("the separator is the one the header uses outside quotes; CR-only line ends are lines")
    func separators() {
        #expect(CSVTable(bytes: Array("\"a;b\",c,d\r1,2,3".utf8)).separator == ",")
        #expect(CSVTable(bytes: Array("a;b,c;d".utf8)).separator == ";")
        let cr = CSVTable(bytes: Array("a;b\r1;2\r3;4\r".utf8))
        #expect(cr.records.map(\.cells) == [["1", "2"], ["3", "4"]])
        #expect(cr.records.map(\.line) == [2, 3])
    }

    @Test("an unclosed quote is flagged on the line it opens; Windows-1252 maps 0x80–0x9F")
    func edges() {
        let table = CSVTable(bytes: Array("a;b\n1;\"open\n2;3\n".utf8))
        #expect(table.records.first?.unterminatedQuote == true)
        #expect(table.records.first?.line == 2)
        let (text, encoding) = CSVTable.decode([0x80, 0x8C, 0x9C, 0xE9, 0x92])
        #expect(text == "€Œœé’")
        #expect(encoding == .windows1252)
    }
}
