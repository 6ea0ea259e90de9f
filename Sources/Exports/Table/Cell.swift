import Domain
/// One typed value of a table row, as every writer understands it.
///
/// Types are kept rather than pre-formatted strings so each format can do the right thing:
/// XLSX stores numbers and dates as numbers (staff can sum and sort them), CSV prints them
/// the French way, JSON keeps them machine-readable.
public enum Cell: Hashable, Sendable {
    case text(String)
    case integer(Int)
    /// A non-finite value (NaN, infinity) has no place in a spreadsheet or in JSON:
    /// every writer writes it as an empty cell.
    case decimal(Double)
    case date(Day)
    case boolean(Bool)
    case empty
}

extension Cell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(floatLiteral value: Double) { self = .decimal(value) }
}

extension Cell {
    /// `.text`, or `.empty` when the value is nil: the shape of an optional SQL column.
    public static func text(orEmpty value: String?) -> Cell { value.map(Cell.text) ?? .empty }
    /// `.date` parsed from "YYYY-MM-DD", or `.empty` when nil or not a valid date.
    public static func date(iso value: String?) -> Cell {
        value.flatMap(Day.init(_:)).map(Cell.date) ?? .empty
    }
}
