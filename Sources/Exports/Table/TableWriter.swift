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
