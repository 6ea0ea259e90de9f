@testable import API
import Domain
import Foundation
import GRDB
import Testing

/// `current_pathways.first_month` and `last_month` (migrations/0008) are generated from the dates
/// by SQLite: they must be `Indicators.firstWholeMonth` and `lastWholeMonth`, which the
/// compliance indicator's definition is written with, for every day.
@Suite("Whole months stored with the current pathway")
struct PathwayMonthsTests {
    @Test("every day of four years, leap day and month ends included, gives the domain's first and last whole months")
    func everyDay() throws {
        let t = try TestApp(today: "2026-03-10")
        let data = IndicatorData(t.pool)
        let referent = data.referent(data.structure())
        let participant = data.participant(referent, entry: "2024-01-01")
        let first = Day("2023-01-01")!
        let days = (0..<(4 * 366)).map { first.adding(days: $0) }
        let stored: [(Int, Int?, Int?)] = try t.pool.write { db in
            var out: [(Int, Int?, Int?)] = []
            for day in days {
                // The rows the triggers of migrations/0003 write; the columns come from SQLite alone.
                try db.execute(sql: "UPDATE current_pathways SET entry_date = ?, exit_date = ? WHERE participant_id = ?",
                               arguments: [day.description, day.description, participant])
                let row = try Row.fetchOne(db, sql: "SELECT first_month, last_month FROM current_pathways WHERE participant_id = ?", arguments: [participant])!
                out.append((row[0], row[1], nil))
                try db.execute(sql: "UPDATE current_pathways SET exit_date = NULL WHERE participant_id = ?", arguments: [participant])
                out[out.count - 1].2 = try Int.fetchOne(db, sql: "SELECT last_month FROM current_pathways WHERE participant_id = ?", arguments: [participant])
            }
            return out
        }
        for (day, (firstMonth, lastMonth, openLast)) in zip(days, stored) {
            #expect(firstMonth == Indicators.firstWholeMonth(entry: day), "\(day)")
            #expect(lastMonth == Indicators.lastWholeMonth(exit: day), "\(day)")
            #expect(openLast == nil, "an open pathway has no last month")
        }
        #expect(stored.count == days.count && days.contains(Day("2024-02-29")!))
    }
}
