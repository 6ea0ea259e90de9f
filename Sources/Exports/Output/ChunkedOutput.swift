/// Collects small writes into pieces of about 64 KiB before handing them to a sink.
///
/// Writers produce a few bytes per cell; calling the sink (a socket write, a file write)
/// per cell would cost a system call each. 64 KiB is large enough to amortise that and
/// small enough to keep memory flat whatever the export size.
final class ChunkedOutput {
    static let defaultChunkSize = 64 * 1024

    private let sink: ByteSink
    private let chunkSize: Int
    private var buffer: [UInt8]

    init(chunkSize: Int = ChunkedOutput.defaultChunkSize, sink: @escaping ByteSink) {
        self.sink = sink
        self.chunkSize = max(1, chunkSize)
        self.buffer = []
        // A little headroom: a chunk is only sent after the write that crosses the limit.
        self.buffer.reserveCapacity(self.chunkSize + 4096)
    }

    func write(_ byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count >= chunkSize { try flush() }
    }

    func write<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    func write(_ text: String) throws {
        try write(text.utf8)
    }

    /// Writes an integer in decimal without building a String.
    func write(decimal value: Int) throws {
        buffer.appendDecimal(value)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Sends what is buffered, if anything.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        let piece = buffer
        buffer.removeAll(keepingCapacity: true)
        try sink(piece)
    }
}
