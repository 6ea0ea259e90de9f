/// Where a writer sends its bytes: typically the HTTP response body, piece by piece.
///
/// Writers call it with pieces of about 64 KiB (the last one smaller), never with the
/// whole file, so an export of any size goes to the socket without being held in memory.
/// An error thrown by the sink (client gone) stops the writer and is rethrown to the caller.
public typealias ByteSink = (_ bytes: [UInt8]) throws -> Void

/// A format that turns a header and rows of typed cells into bytes, streaming.
///
/// Call ``begin(columns:)`` once, ``append(_:)`` per row, then ``finish()`` once; the sink
/// has received the whole file when `finish` returns. A row must have one cell per column.
///
/// ```swift
/// let writer = CSVWriter { bytes in try connection.send(bytes) }
/// try writer.begin(columns: [Column("Nom"), Column("Entrée")])
/// for participant in participants {
///     try writer.append([.text(participant.name), .date(participant.entry)])
/// }
/// try writer.finish()
/// ```
public protocol TableWriter: AnyObject {
    func begin(columns: [Column]) throws
    func append(_ row: [Cell]) throws
    func finish() throws
}

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
