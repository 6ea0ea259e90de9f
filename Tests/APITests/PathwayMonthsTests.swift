@testable import API
import Domain
import Foundation
import GRDB
import Testing

/// `current_pathways.first_month` and `last_month` (migrations/0008) are generated from the dates
/// by SQLite: they must be `Indicators.firstWholeMonth` and `lastWholeMonth`, which the
/// compliance indicator's definition is written with, for every day. Its interview masks
/// (migrations/0010) are kept by triggers: after any writes they must equal their definition
/// over `interview_months`, and compliance read from them must equal the count of months.
@Suite("Whole months and interview masks stored with the current pathway")
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

    /// The masks as migrations/0010 defines them, computed afresh for every current pathway.
    static let definition = """
        SELECT cp.participant_id,
               coalesce(sum(CASE WHEN im.count >= 1 THEN 1 << (im.month - cp.first_month) END), 0) AS months_1,
               coalesce(sum(CASE WHEN im.count >= 2 THEN 1 << (im.month - cp.first_month) END), 0) AS months_2,
               coalesce(sum(CASE WHEN im.count >= 3 THEN 1 << (im.month - cp.first_month) END), 0) AS months_3
        FROM current_pathways cp
        LEFT JOIN interview_months im ON im.participant_id = cp.participant_id AND im.month BETWEEN cp.first_month AND cp.first_month + 62
        GROUP BY cp.participant_id ORDER BY cp.participant_id
        """
    static let kept = "SELECT participant_id, months_1, months_2, months_3 FROM current_pathways ORDER BY participant_id"

    @Test("after random interviews added, deleted, moved to another day or participant, entries moved and re-entries, the masks equal their definition")
    func masksFollowWrites() throws {
        for seed in UInt64(1)...6 {
            var rng = SplitMix64(seed: seed)
            let t = try TestApp(today: "2026-06-30")
            let data = IndicatorData(t.pool)
            let referent = data.referent(data.structure())
            let days = (0..<900).map { Day("2023-06-01")!.adding(days: $0 * 1 + 0) }
            var people = (0..<6).map { _ in data.participant(referent, entry: days[Int.random(in: 0..<300, using: &rng)].description) }
            people.append(data.participant(referent, status: "admitted", entry: nil, admittedOn: "2024-01-10"))
            for _ in 0..<120 { data.interview(people.randomElement(using: &rng)!, days.randomElement(using: &rng)!.description) }
            for step in 0..<80 {
                let who = people.randomElement(using: &rng)!, other = people.randomElement(using: &rng)!
                let day = days.randomElement(using: &rng)!.description
                try t.pool.write { db in
                    let interview = try Int64.fetchOne(db, sql: "SELECT id FROM interviews ORDER BY random() LIMIT 1")
                    switch Int.random(in: 0..<6, using: &rng) {
                    case 0: try db.execute(sql: "DELETE FROM interviews WHERE id = ?", arguments: [interview])
                    case 1: try db.execute(sql: "UPDATE interviews SET date = ? WHERE id = ?", arguments: [day, interview])
                    case 2: try db.execute(sql: "UPDATE interviews SET participant_id = ? WHERE id = ?", arguments: [other, interview])
                    case 3: try db.execute(sql: "UPDATE participants SET entry_date = ? WHERE id = ?", arguments: [day, who])
                    default:
                        try db.execute(sql: "INSERT INTO interviews (participant_id, date, kind, summary, created_at) VALUES (?, ?, 'individual', 'Point', ?)",
                                       arguments: [who, day, IndicatorData.now])
                    }
                }
                if step % 20 == 19 || step == 79 {
                    let (kept, defined) = try t.pool.read { db in (try Row.fetchAll(db, sql: Self.kept), try Row.fetchAll(db, sql: Self.definition)) }
                    #expect(kept == defined, "seed \(seed) step \(step)")
                }
            }
            let masked = try t.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM current_pathways WHERE months_1 <> 0") }
            #expect((masked ?? 0) > 0, "seed \(seed): no mask was ever set")
        }
    }

    @Test("compliance from the masks equals the months counted, with minimums 0 to 4 and pathways longer than the 63 months of a mask")
    func maskedCompliance() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = IndicatorData(t.pool)
        let referent = data.referent(data.structure())
        var rng = SplitMix64(seed: 42)
        // Entries from 2019 (more than 63 whole months before the period's end) to 2026.
        var people: [Int64] = []
        for minimum in [nil, 0, 1, 2, 3, 4] as [Int?] {
            let operation = data.operation(minInterviews: minimum)
            for entry in ["2019-01-15", "2020-03-01", "2021-06-30", "2024-02-29", "2025-11-02", "2026-01-01"] {
                let p = data.participant(referent, operation: operation, entry: entry)
                people.append(p)
                for _ in 0..<60 { data.interview(p, Day(entry)!.adding(days: Int.random(in: 0...900, using: &rng)).description) }
            }
        }
        for (from, to) in [("2025-01-01", "2025-12-31"), ("2024-03-15", "2026-06-30"), ("2026-01-01", "2026-01-31"), ("2019-01-01", "2026-06-30")] {
            let period = IndicatorPeriod(from: Day(from)!, to: Day(to)!)
            let query = IndicatorQuery(period: period, scope: .wholeProgramme, settings: Settings(), detail: false)
            let args = query.arguments
            let whole = period.wholeMonthNumbers
            try t.pool.read { db in
                let got = try query.contributions(db, args, only: nil, statements: [.pathway])
                for p in people {
                    // The definition: months wholly in pathway and in the period with the minimum.
                    let row = try Row.fetchOne(db, sql: """
                        SELECT cp.first_month, cp.last_month, coalesce(o.min_interviews_per_month, ?) FROM current_pathways cp
                        JOIN participants x ON x.id = cp.participant_id LEFT JOIN operations o ON o.id = x.operation_id
                        WHERE cp.participant_id = ?
                        """, arguments: [Settings().minInterviewsPerMonth, p])!
                    let first = max(row[0] as Int, whole.first), last = min((row[1] as Int?) ?? whole.last, whole.last)
                    let minimum: Int = row[2]
                    var expected = 0
                    if first <= last {
                        for month in first...last {
                            let n = try Int.fetchOne(db, sql: "SELECT count FROM interview_months WHERE participant_id = ? AND month = ?", arguments: [p, month]) ?? 0
                            if n >= minimum { expected += 1 }
                        }
                    }
                    // Out of pathway in the period: no contribution, and no month either.
                    #expect(Int(got[p]?.compliant ?? 0) == expected, "\(p) \(from)...\(to) minimum \(minimum)")
                }
            }
        }
    }

    @Test("keeping the masks journals nothing of its own: an interview is one journal entry, an entry moved one")
    func journalOnce() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = IndicatorData(t.pool)
        let p = data.participant(data.referent(data.structure()), entry: "2026-01-05")
        func journaled(_ write: () throws -> Void) throws -> [Int64?] {
            let before = try t.pool.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM indicator_changes") ?? 0 }
            try write()
            return try t.pool.read { db in try Int64?.fetchAll(db, sql: "SELECT participant_id FROM indicator_changes WHERE seq > ?", arguments: [before]) }
        }
        #expect(try journaled { data.interview(p, "2026-03-10") } == [p])
        #expect(try journaled { data.interview(p, "2026-03-11") } == [p])
        let masks = try t.pool.read { db in try Int.fetchOne(db, sql: "SELECT months_2 FROM current_pathways WHERE participant_id = ?", arguments: [p]) }
        #expect(masks == 1 << 1, "March 2026 is the second whole month from a 5 January entry")
        // The entry moves: the pathway row (and with it the masks) changes, journaled once.
        let moved = try journaled { try t.pool.write { db in try db.execute(sql: "UPDATE participants SET entry_date = '2026-03-01' WHERE id = ?", arguments: [p]) } }
        #expect(moved.allSatisfy { $0 == p } && !moved.isEmpty)
        let after = try t.pool.read { db in try Int.fetchOne(db, sql: "SELECT months_2 FROM current_pathways WHERE participant_id = ?", arguments: [p]) }
        #expect(after == 1 << 0, "March is the first whole month from a 1 March entry")
    }

    @Test("the bits of a mask are counted from an offset, never past the 63rd")
    func bitCounting() {
        #expect(IndicatorQuery.monthsInMask(0b1011, from: 0, count: 4) == 3)
        #expect(IndicatorQuery.monthsInMask(0b1011, from: 1, count: 2) == 1)
        #expect(IndicatorQuery.monthsInMask(Int64.max, from: 0, count: 63) == 63)
        #expect(IndicatorQuery.monthsInMask(Int64.max, from: 60, count: 3) == 3)
        #expect(IndicatorQuery.monthsInMask(-1, from: 0, count: 0) == 0)
    }
}
