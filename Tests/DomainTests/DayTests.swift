import Domain
import PropertyBased
import Testing

@Suite("Calendar days")
struct DayTests {
    @Test("only real dates written YYYY-MM-DD parse")
    func parsing() {
        #expect(Day("2026-02-28")?.description == "2026-02-28")
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2026-02-29") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(Day("2026-1-01") == nil)
        #expect(Day("+026-01-01") == nil)
        #expect(Day("2026-01-01T00:00:00Z") == nil)
    }

    @Test("days since the epoch round-trip for any day")
    func epochRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int(in: -200_000...200_000)) { n in
            let d = Day(daysSinceEpoch: n)
            #expect(d.daysSinceEpoch == n)
            #expect(Day(d.description) == d)
            #expect(d.adding(days: 1) > d)
        }
    }

    @Test("adding months clamps to the end of a shorter month")
    func addingMonths() {
        #expect(Day("2026-08-31")!.adding(months: 6).description == "2027-02-28")
        #expect(Day("2027-08-31")!.adding(months: 6).description == "2028-02-29")
        #expect(Day("2026-01-15")!.adding(months: 6).description == "2026-07-15")
        #expect(Day("2026-11-30")!.adding(months: 3).description == "2027-02-28")
        #expect(Day("2026-03-31")!.adding(months: -1).description == "2026-02-28")
    }

    @Test("the first and last day of a month")
    func monthBounds() {
        #expect(Day("2024-02-10")!.lastOfMonth.description == "2024-02-29")
        #expect(Day("2026-12-10")!.firstOfMonth.description == "2026-12-01")
    }
}
