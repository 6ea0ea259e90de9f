/// A day in the proleptic Gregorian calendar, without time or time zone.
///
/// Birth dates, entry dates and committee dates are days, not instants: carrying them as
/// `Date` would let a time zone shift them by one day. Parse the database's ISO form with
/// ``init(iso:)``; show the French form with ``french``.
///
/// ```swift
/// let entry = CalendarDate(iso: "2024-03-01")   // Optional(2024-03-01)
/// entry?.french                                  // "01/03/2024"
/// ```
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A date, or nil when the day does not exist (31 April, 29 February 2023, month 13).
    /// Years are limited to 1...9999 so every output format keeps four digits.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly "YYYY-MM-DD" (the SQLite and JSON form); anything else is nil.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = CalendarDate.number(bytes[0..<4]),
              let month = CalendarDate.number(bytes[5..<7]),
              let day = CalendarDate.number(bytes[8..<10]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// "YYYY-MM-DD".
    public var iso: String {
        "\(CalendarDate.pad(year, 4))-\(CalendarDate.pad(month, 2))-\(CalendarDate.pad(day, 2))"
    }

    /// "JJ/MM/AAAA", the form French staff read and type.
    public var french: String {
        "\(CalendarDate.pad(day, 2))/\(CalendarDate.pad(month, 2))/\(CalendarDate.pad(year, 4))"
    }

    /// "YYYYMMDD", the compact form of iCalendar DATE values.
    public var basic: String {
        "\(CalendarDate.pad(year, 4))\(CalendarDate.pad(month, 2))\(CalendarDate.pad(day, 2))"
    }

    public var description: String { iso }

    /// Days from 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`:
    /// plain arithmetic, so no `Calendar` or time zone can move the day.
    public var daysSinceUnixEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day that is `days` after 1970-01-01: Hinnant's `civil_from_days`, the inverse of
    /// ``daysSinceUnixEpoch``. Nil outside years 1...9999.
    public init?(daysSinceUnixEpoch days: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
