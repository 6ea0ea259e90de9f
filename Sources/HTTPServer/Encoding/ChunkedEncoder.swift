/// Frames pieces of a streamed body as HTTP/1.1 chunks (RFC 9112 §7.1).
enum ChunkedEncoder {
    /// Appends one chunk ("size-in-hex CRLF data CRLF"). Empty data is skipped: a zero-size
    /// chunk would end the body.
    static func appendChunk(_ data: [UInt8], to out: inout [UInt8]) {
        guard !data.isEmpty else { return }
        appendHex(data.count, to: &out)
        out.append(13)
        out.append(10)
        out.append(contentsOf: data)
        out.append(13)
        out.append(10)
    }

    /// The last chunk and an empty trailer section.
    static let terminator: [UInt8] = Array("0\r\n\r\n".utf8)

    private static func appendHex(_ value: Int, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        while shift >= 0 {
            out.append(hex[(value >> shift) & 0xF])
            shift -= 4
        }
    }
}
