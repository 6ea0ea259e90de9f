/// How a ``CSVWriter`` spells its file. The defaults suit Excel in French.
public struct CSVOptions: Sendable {
    /// How dates are printed.
    public enum DateStyle: Sendable {
        /// "JJ/MM/AAAA", which French Excel reads back as a date.
        case french
        /// "YYYY-MM-DD", for other programs.
        case iso
    }

    /// ";" by default: French Excel expects it, because "," is the decimal separator.
    public var separator: Character
    /// Writes the UTF-8 byte order mark first. Without it Excel reads the file as
    /// Windows-1252 and "Émilie" becomes "Ã‰milie".
    public var byteOrderMark: Bool
    /// CRLF, as RFC 4180 says and as Excel writes.
    public var lineEnding: String
    /// "," in French mode so Excel reads "12,5" as a number; "." otherwise.
    public var decimalSeparator: Character
    public var dateStyle: DateStyle
    public var trueText: String
    public var falseText: String
    /// Prefixes with "'" a text cell that Excel would run as a formula. See ``CSVWriter``.
    public var guardsFormulas: Bool

    public init(separator: Character = ";", byteOrderMark: Bool = true, lineEnding: String = "\r\n",
                decimalSeparator: Character = ",", dateStyle: DateStyle = .french,
                trueText: String = "oui", falseText: String = "non", guardsFormulas: Bool = true) {
        self.separator = separator
        self.byteOrderMark = byteOrderMark
        self.lineEnding = lineEnding
        self.decimalSeparator = decimalSeparator
        self.dateStyle = dateStyle
        self.trueText = trueText
        self.falseText = falseText
        self.guardsFormulas = guardsFormulas
    }

    /// The French defaults: ";", BOM, CRLF, "12,5", "01/03/2024", "oui"/"non".
    public static let french = CSVOptions()

    /// Comma-separated, ISO dates, "." decimals, "true"/"false", no BOM: for programs, not Excel.
    public static let international = CSVOptions(
        separator: ",", byteOrderMark: false, decimalSeparator: ".", dateStyle: .iso,
        trueText: "true", falseText: "false")
}
