import Domain

/// The written forms of a calendar day that exports need, besides ISO (`Day.description`).
extension Day {
    /// "JJ/MM/AAAA", the form French staff read and type (CSV exports, spreadsheets).
    public var french: String {
        let iso = description
        return "\(iso.suffix(2))/\(iso.dropFirst(5).prefix(2))/\(iso.prefix(4))"
    }

    /// "YYYYMMDD", the compact form of iCalendar DATE values.
    public var basic: String { description.replacingOccurrences(of: "-", with: "") }
}
