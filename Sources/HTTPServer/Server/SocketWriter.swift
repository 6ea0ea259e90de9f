#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking-style writes on a non-blocking socket, from a worker thread: `sendmsg` with
/// `MSG_NOSIGNAL` (a vanished client must not kill the process with SIGPIPE), and `poll`
/// while the socket is full, up to a deadline.
enum SocketWriter {
    enum Failure: Error {
        /// EPIPE, ECONNRESET...: the client left.
        case clientGone
        /// The client did not read for `writeTimeout`.
        case timedOut
    }

    /// Writes `first` then `second` completely, in one syscall when the socket has room.
    static func write(_ fd: Int32, _ first: [UInt8], _ second: [UInt8] = [], deadline: Int64) throws(Failure) {
        var sent = 0
        let total = first.count + second.count
        while sent < total {
            let n: Int = first.withUnsafeBytes { a in
                second.withUnsafeBytes { b in
                    var iov = (iovec(), iovec())
                    var count = 0
                    withUnsafeMutableBytes(of: &iov) { raw in
                        let vec = raw.bindMemory(to: iovec.self)
                        // The unsent tail of `first`, then of `second`; empty buffers are skipped
                        // (their base address may be nil).
                        if sent < a.count, let base = a.baseAddress {
                            vec[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + sent), iov_len: a.count - sent)
                            count += 1
                        }
                        let offset = max(0, sent - a.count)
                        if offset < b.count, let base = b.baseAddress {
                            vec[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + offset), iov_len: b.count - offset)
                            count += 1
                        }
                    }
                    return withUnsafeMutablePointer(to: &iov) { ptr in
                        ptr.withMemoryRebound(to: iovec.self, capacity: 2) { vecs in
                            var msg = msghdr()
                            msg.msg_iov = vecs
                            msg.msg_iovlen = count
                            return sendmsg(fd, &msg, Int32(MSG_NOSIGNAL))
                        }
                    }
                }
            }
            if n >= 0 {
                sent += n
                continue
            }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK {
                try waitWritable(fd, deadline: deadline)
                continue
            }
            throw .clientGone
        }
    }

    /// Waits until the socket accepts bytes again, or the deadline passes.
    static func waitWritable(_ fd: Int32, deadline: Int64) throws(Failure) {
        while true {
            let remaining = deadline - MonotonicClock.now()
            guard remaining > 0 else { throw .timedOut }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let rc = poll(&pfd, 1, Int32(min(remaining / 1_000_000 + 1, Int64(Int32.max))))
            if rc > 0 {
                if pfd.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 && pfd.revents & Int16(POLLOUT) == 0 {
                    throw .clientGone
                }
                return
            }
            if rc < 0 && errno != EINTR { throw .clientGone }
        }
    }
}
