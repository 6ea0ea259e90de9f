import Foundation
import Testing
@testable import Exports

@Suite("Large exports")
struct LargeExportTests {
    @Test("100,000 rows of 30 columns go through XLSX to a counting sink in 64 KiB pieces")
    func largeWorkbook() throws {
        let scratch = try ScratchDirectory()
        var total = 0
        var largestPiece = 0
        var pieces = 0
        let writer = XLSXWriter(temporaryDirectory: scratch.url) { bytes in
            total += bytes.count
            largestPiece = max(largestPiece, bytes.count)
            pieces += 1
        }
        let columns = (1...30).map { Column("Colonne \($0)") }
        try writer.begin(columns: columns)
        let day = date("2024-03-01")
        var row: [Cell] = []
        for n in 1...100_000 {
            row.removeAll(keepingCapacity: true)
            for column in 0..<30 {
                switch column % 5 {
                case 0: row.append(.text("Participant \(n)"))
                case 1: row.append(.integer(n * column))
                case 2: row.append(.decimal(Double(n) / 8))
                case 3: row.append(.date(day))
                default: row.append(.boolean(n % 2 == 0))
                }
            }
            try writer.append(row)
        }
        try writer.finish()
        #expect(total > 1_000_000)
        #expect(largestPiece <= 64 * 1024)
        #expect(pieces == (total + 64 * 1024 - 1) / (64 * 1024))
        #expect(scratch.contents.isEmpty)
        // Memory is not asserted: other tests run in parallel in this process. Measured alone
        // (`ParcoursPackageTests.xctest --filter LargeExportTests`): about 31 MiB peak RSS,
        // for a sheet XML of about 115 MB.
    }
}
