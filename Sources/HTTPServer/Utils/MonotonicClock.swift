#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on a clock that never jumps, for deadlines. Wall-clock time would make every
/// timeout fire at once when NTP steps the clock.
enum MonotonicClock {
    @inline(__always)
    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    @inline(__always)
    static func nanoseconds(_ seconds: Double) -> Int64 {
        Int64(seconds * 1_000_000_000)
    }
}
