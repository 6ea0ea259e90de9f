import Foundation
import Testing
@testable import Exports

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("an ISO date is parsed and printed the French way")
    func isoAndFrench() {
        let day = CalendarDate(iso: "2024-03-01")
        #expect(day?.year == 2024 && day?.month == 3 && day?.day == 1)
        #expect(day?.iso == "2024-03-01")
        #expect(day?.french == "01/03/2024")
        #expect(day?.basic == "20240301")
    }

    @Test("days that do not exist and malformed text are refused",
          arguments: ["2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-1-01", "24-01-01",
                      "2024/01/01", "2024-01-01T00:00", "", "abcd-ef-gh", "+024-01-01"])
    func refused(_ text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test("29 February exists in leap years only, 1900 excluded and 2000 included")
    func leapYears() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
    }

    @Test("day numbers count from 1970-01-01 and convert back")
    func dayNumbers() {
        #expect(date("1970-01-01").daysSinceUnixEpoch == 0)
        #expect(date("1969-12-31").daysSinceUnixEpoch == -1)
        #expect(date("2000-03-01").daysSinceUnixEpoch == 11_017)
        let first = date("0001-01-01").daysSinceUnixEpoch
        let last = date("9999-12-31").daysSinceUnixEpoch
        for days in stride(from: first, through: last, by: 997) + [first, last] {
            let day = CalendarDate(daysSinceUnixEpoch: days)
            #expect(day?.daysSinceUnixEpoch == days)
        }
        #expect(CalendarDate(daysSinceUnixEpoch: first - 1) == nil)
        #expect(CalendarDate(daysSinceUnixEpoch: last + 1) == nil)
    }

    @Test("dates compare in calendar order")
    func ordering() {
        #expect(date("2023-12-31") < date("2024-01-01"))
        #expect(date("2024-02-01") > date("2024-01-31"))
    }
}
