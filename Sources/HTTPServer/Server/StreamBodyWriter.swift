/// Writes a streamed body as the producer hands over pieces: gzip on the fly when chosen,
/// chunk framing on HTTP/1.1, buffered to ~16 KiB so a producer writing rows one by one
/// does not cost a syscall per row.
final class StreamBodyWriter {
    private let fd: Int32
    private let framing: HTTPResponseEncoder.Framing
    private let compressor: GzipCompressor?
    private let writeTimeout: Int64
    private var pending: [UInt8]
    private var compressed: [UInt8] = []
    private let flushThreshold = 16 * 1024
    /// Whether any byte (the head included) has gone to the socket.
    private(set) var hasSentBytes = false

    /// `head` is sent with the first flush, so a small stream costs one syscall.
    init(fd: Int32, head: [UInt8], framing: HTTPResponseEncoder.Framing, gzipLevel: Int32?, writeTimeout: Int64) throws {
        self.fd = fd
        self.framing = framing
        self.writeTimeout = writeTimeout
        self.compressor = try gzipLevel.map { try GzipCompressor(level: $0) }
        pending = head
        pending.reserveCapacity(flushThreshold + 1024)
    }

    func write(_ piece: [UInt8]) throws {
        guard !piece.isEmpty else { return }
        if let compressor {
            compressed.removeAll(keepingCapacity: true)
            try compressor.compress(piece, finish: false, into: &compressed)
            frame(compressed)
        } else {
            frame(piece)
        }
        if pending.count >= flushThreshold { try flush() }
    }

    func finish() throws {
        if let compressor {
            compressed.removeAll(keepingCapacity: true)
            try compressor.compress([], finish: true, into: &compressed)
            frame(compressed)
        }
        if framing == .chunked { pending.append(contentsOf: ChunkedEncoder.terminator) }
        try flush()
    }

    private func frame(_ data: [UInt8]) {
        if framing == .chunked {
            ChunkedEncoder.appendChunk(data, to: &pending)
        } else {
            pending.append(contentsOf: data)
        }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        hasSentBytes = true
        try SocketWriter.write(fd, pending, deadline: MonotonicClock.now() + writeTimeout)
        pending.removeAll(keepingCapacity: true)
    }
}
