import CParcoursZlib

/// Decompresses gzip with zlib, to check what the server compressed.
enum Inflate {
    struct Failure: Error { var code: Int32 }

    static func gunzip(_ data: [UInt8]) throws -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { inflateEnd(stream); stream.deallocate() }
        guard parcours_inflateInit2_auto(stream) == Z_OK else { throw Failure(code: -1) }
        var out: [UInt8] = []
        var input = data
        var buffer = [UInt8](repeating: 0, count: 65536)
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = uInt(inBuf.count)
            while true {
                let (rc, produced) = buffer.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int) in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = uInt(outBuf.count)
                    let rc = inflate(stream, Z_NO_FLUSH)
                    return (rc, outBuf.count - Int(stream.pointee.avail_out))
                }
                out.append(contentsOf: buffer[0..<produced])
                if rc == Z_STREAM_END { break }
                guard rc == Z_OK else { throw Failure(code: rc) }
            }
        }
        return out
    }
}
