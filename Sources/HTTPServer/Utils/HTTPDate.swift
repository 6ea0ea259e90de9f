#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header value (RFC 9110 §5.6.7 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"),
/// formatted by hand once a second and shared by every response of that second.
///
/// `DateFormatter` is neither thread-safe on Linux nor cheap; a response needs only this one
/// fixed format.
final class HTTPDateCache: @unchecked Sendable {
    private let lock = Lock()
    private var second: time_t = -1
    private var bytes: [UInt8] = []

    /// The current date as header-value bytes.
    func current() -> [UInt8] {
        let now = time(nil)
        lock.lock()
        defer { lock.unlock() }
        if now != second {
            second = now
            bytes = HTTPDateCache.format(now)
        }
        return bytes
    }

    private static let days: [String] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months: [String] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats seconds since 1970 as an IMF-fixdate.
    static func format(_ seconds: time_t) -> [UInt8] {
        var t = seconds
        var tm = tm()
        gmtime_r(&t, &tm)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: days[Int(tm.tm_wday) % 7].utf8)
        out.append(contentsOf: ", ".utf8)
        appendTwoDigits(Int(tm.tm_mday), to: &out)
        out.append(32)
        out.append(contentsOf: months[Int(tm.tm_mon) % 12].utf8)
        out.append(32)
        let year = Int(tm.tm_year) + 1900
        appendTwoDigits(year / 100, to: &out)
        appendTwoDigits(year % 100, to: &out)
        out.append(32)
        appendTwoDigits(Int(tm.tm_hour), to: &out)
        out.append(58)
        appendTwoDigits(Int(tm.tm_min), to: &out)
        out.append(58)
        appendTwoDigits(Int(tm.tm_sec), to: &out)
        out.append(contentsOf: " GMT".utf8)
        return out
    }

    @inline(__always)
    private static func appendTwoDigits(_ n: Int, to out: inout [UInt8]) {
        out.append(UInt8(48 + (n / 10) % 10))
        out.append(UInt8(48 + n % 10))
    }
}
