import CParcoursZlib

/// A gzip stream (zlib deflate with gzip framing), fed piece by piece.
///
/// The `z_stream` lives on the heap: zlib keeps a pointer back to it, so it must not move
/// the way a Swift struct may.
final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false

    enum Failure: Error { case zlib(Int32) }

    init(level: Int32) throws {
        stream = UnsafeMutablePointer.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = parcours_deflateInit2_gzip(stream, level)
        guard rc == Z_OK else {
            stream.deallocate()
            throw Failure.zlib(rc)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input`, appending what zlib emits to `output`. With `finish`, ends the
    /// gzip member (trailer included); nothing may be fed after.
    func compress(_ input: [UInt8], finish: Bool, into output: inout [UInt8]) throws {
        precondition(!finished, "gzip stream already finished")
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        let bound = Int(deflateBound(stream, uLong(input.count))) + 64
        var scratch = [UInt8](repeating: 0, count: max(4096, min(bound, 1 << 16)))
        try input.withUnsafeBufferPointer { inBuf in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.pointee.avail_in = uInt(inBuf.count)
            while true {
                let (rc, produced): (Int32, Int) = scratch.withUnsafeMutableBufferPointer { outBuf in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = uInt(outBuf.count)
                    let rc = deflate(stream, flush)
                    return (rc, outBuf.count - Int(stream.pointee.avail_out))
                }
                guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else { throw Failure.zlib(rc) }
                output.append(contentsOf: scratch[0..<produced])
                if finish {
                    if rc == Z_STREAM_END { break }
                } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                    break
                }
            }
            stream.pointee.next_in = nil
        }
        if finish { finished = true }
    }

    /// A whole body compressed at once.
    static func gzip(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
        let compressor = try GzipCompressor(level: level)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 3 + 64)
        try compressor.compress(bytes, finish: true, into: &out)
        return out
    }
}
