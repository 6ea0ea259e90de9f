/// A misuse of a writer or a failure of its temporary storage.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// `begin`, `append` and `finish` were not called in that order.
    case outOfOrder(String)
    /// A row's cell count differs from the column count given to `begin`.
    case rowWidth(row: Int, expected: Int, actual: Int)
    /// The temporary file of an XLSX export could not be written or read.
    case temporaryStorage(String)
    /// A calendar event that RFC 5545 readers would reject.
    case invalidEvent(uid: String, reason: String)

    public var description: String {
        switch self {
        case .outOfOrder(let detail):
            return "export writer used out of order: \(detail)"
        case .rowWidth(let row, let expected, let actual):
            return "row \(row) has \(actual) cells, expected \(expected) (one per column)"
        case .temporaryStorage(let detail):
            return "export temporary storage failed: \(detail)"
        case .invalidEvent(let uid, let reason):
            return "calendar event \(uid): \(reason)"
        }
    }
}
