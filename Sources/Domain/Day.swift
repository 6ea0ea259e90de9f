/// A calendar date without time or zone: the unit of every rule of the domain
/// ("15 days", "6 months and one day", "a calendar month").
///
/// Pure arithmetic on the proleptic Gregorian calendar, so it is thread-safe and fast, unlike
/// Foundation's formatters on Linux.
///
///     let start = Day("2026-08-31")!
///     start.adding(months: 6).adding(days: 1)   // 2027-03-01
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (2026-02-30 is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard b[i] >= 48, b[i] <= 57 else { return nil }; v = v * 10 + Int(b[i] - 48) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (negative before).
    public init(daysSinceEpoch n: Int) {
        // Howard Hinnant's civil_from_days.
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public func adding(days n: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + n) }

    /// Calendar months; the day is clamped to the end of a shorter month (08-31 + 6 months = 02-28).
    public func adding(months n: Int) -> Day {
        let total = year * 12 + (month - 1) + n
        let y = total / 12, m = total % 12 + 1
        return Day(uncheckedYear: y, month: m, day: min(day, Day.daysIn(month: m, year: y)))
    }

    /// Days from `self` to `other` (positive when other is later).
    public func days(until other: Day) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// The first day of this date's month.
    public var firstOfMonth: Day { Day(uncheckedYear: year, month: month, day: 1) }
    /// The last day of this date's month.
    public var lastOfMonth: Day { Day(uncheckedYear: year, month: month, day: Day.daysIn(month: month, year: year)) }

    /// Today in UTC.
    public static func today(now seconds: Double) -> Day {
        Day(daysSinceEpoch: Int((seconds / 86_400).rounded(.down)))
    }

    public var description: String {
        var out = [UInt8](repeating: 48, count: 10)
        var y = year
        for i in stride(from: 3, through: 0, by: -1) { out[i] = UInt8(48 + y % 10); y /= 10 }
        out[4] = 45; out[5] = UInt8(48 + month / 10); out[6] = UInt8(48 + month % 10)
        out[7] = 45; out[8] = UInt8(48 + day / 10); out[9] = UInt8(48 + day % 10)
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private init(uncheckedYear y: Int, month m: Int, day d: Int) {
        year = y; month = m; day = d
    }
}
