import Domain
/// Spreadsheet coordinates: column letters and the day numbers Excel stores dates as.
enum SpreadsheetReference {
    /// 0 → "A", 25 → "Z", 26 → "AA": the bijective base-26 of cell references.
    static func columnLetters(_ index: Int) -> String {
        var number = index + 1
        var letters: [UInt8] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.insert(UInt8(ascii: "A") + UInt8(remainder), at: 0)
            number = (number - 1) / 26
        }
        return String(decoding: letters, as: UTF8.self)
    }

    /// Excel's serial day number (1900 date system), or nil before 1900-01-01, which Excel
    /// cannot store as a date. Serial 25569 is 1970-01-01. Excel counts a 29 February 1900
    /// that never existed (a Lotus 1-2-3 bug it keeps), so dates before March 1900 are one less.
    static func excelSerial(_ date: Day) -> Int? {
        let serial = date.daysSinceEpoch + 25_569
        if serial >= 61 { return serial }           // 1900-03-01 and later
        if serial >= 2 { return serial - 1 }        // 1900-01-01 ... 1900-02-28
        return nil
    }
}
