import Domain
import Foundation

/// The time of the server, injectable so tests can move it.
public struct Clock: Sendable {
    public var now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) { self.now = now }

    public var today: Day { Day.today(now: now()) }

    /// RFC 3339 UTC with milliseconds, formatted by hand (no DateFormatter: not thread-safe on Linux).
    public func timestamp() -> String { Clock.timestamp(now()) }

    public static func timestamp(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded(.down))
        let days = Int((Double(ms) / 86_400_000).rounded(.down))
        let inDay = ms - days * 86_400_000
        let day = Day(daysSinceEpoch: days)
        let h = inDay / 3_600_000, m = inDay / 60_000 % 60, s = inDay / 1000 % 60, milli = inDay % 1000
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let frac = milli < 10 ? "00\(milli)" : milli < 100 ? "0\(milli)" : "\(milli)"
        return "\(day)T\(two(h)):\(two(m)):\(two(s)).\(frac)Z"
    }
}
