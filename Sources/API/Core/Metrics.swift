import Foundation

/// Prometheus counters: requests by route and status, a latency histogram by route, open
/// connections. One lock, held for a few additions per request.
public final class Metrics: @unchecked Sendable {
    public static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    private struct Key: Hashable { let method: String; let route: String; let status: Int }
    private struct Histogram { var counts = [Int](repeating: 0, count: Metrics.buckets.count); var sum = 0.0; var count = 0 }

    private let lock = NSLock()
    private var requests: [Key: Int] = [:]
    private var latency: [String: Histogram] = [:]
    private var protocolErrors: [Int: Int] = [:]
    public var openConnections: () -> Int = { 0 }
    /// Group commits and the writes they carried (`GroupCommit.statistics`).
    public var writeGroups: () -> (groups: Int, writes: Int) = { (0, 0) }
    /// Background WAL checkpoints, those that made the WAL start over, those that failed, and the
    /// WAL's frames at the last one (`Checkpointer.status`); nil when the server runs none.
    public var checkpoints: () -> (runs: Int, restarts: Int, errors: Int, walFrames: Int)? = { nil }

    public init() {}

    public func record(method: String, route: String, status: Int, seconds: Double) {
        lock.lock()
        requests[Key(method: method, route: route, status: status), default: 0] += 1
        var h = latency[route] ?? Histogram()
        if let i = Metrics.buckets.firstIndex(where: { seconds <= $0 }) { h.counts[i] += 1 }
        h.sum += seconds; h.count += 1
        latency[route] = h
        lock.unlock()
    }

    public func recordProtocolError(status: Int) {
        lock.lock(); protocolErrors[status, default: 0] += 1; lock.unlock()
    }

    /// The text exposition format (version 0.0.4).
    public func render() -> String {
        lock.lock()
        let req = requests, lat = latency, perr = protocolErrors
        lock.unlock()
        var out = "# HELP parcours_http_requests_total Requests answered, by route and status.\n# TYPE parcours_http_requests_total counter\n"
        for (k, v) in req.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "parcours_http_requests_total{method=\"\(k.method)\",route=\"\(escape(k.route))\",status=\"\(k.status)\"} \(v)\n"
        }
        out += "# HELP parcours_http_request_duration_seconds Time to produce a response, by route.\n# TYPE parcours_http_request_duration_seconds histogram\n"
        for (route, h) in lat.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (i, b) in Metrics.buckets.enumerated() {
                cumulative += h.counts[i]
                out += "parcours_http_request_duration_seconds_bucket{route=\"\(escape(route))\",le=\"\(b)\"} \(cumulative)\n"
            }
            out += "parcours_http_request_duration_seconds_bucket{route=\"\(escape(route))\",le=\"+Inf\"} \(h.count)\n"
            out += "parcours_http_request_duration_seconds_sum{route=\"\(escape(route))\"} \(h.sum)\n"
            out += "parcours_http_request_duration_seconds_count{route=\"\(escape(route))\"} \(h.count)\n"
        }
        out += "# HELP parcours_http_protocol_errors_total Requests refused by the HTTP layer before routing, by status.\n# TYPE parcours_http_protocol_errors_total counter\n"
        for (s, v) in perr.sorted(by: { $0.key < $1.key }) { out += "parcours_http_protocol_errors_total{status=\"\(s)\"} \(v)\n" }
        out += "# HELP parcours_open_connections Connections open now.\n# TYPE parcours_open_connections gauge\nparcours_open_connections \(openConnections())\n"
        let (groups, writes) = writeGroups()
        out += "# HELP parcours_write_groups_total Transactions that carried the writes of requests, committed or failed (each one or more writes).\n# TYPE parcours_write_groups_total counter\nparcours_write_groups_total \(groups)\n"
        out += "# HELP parcours_writes_total Writes of requests committed or refused in those groups.\n# TYPE parcours_writes_total counter\nparcours_writes_total \(writes)\n"
        if let c = checkpoints() {
            out += "# HELP parcours_wal_checkpoints_total Background WAL checkpoints.\n# TYPE parcours_wal_checkpoints_total counter\nparcours_wal_checkpoints_total \(c.runs)\n"
            out += "# HELP parcours_wal_restarts_total Background checkpoints after which the WAL started over.\n# TYPE parcours_wal_restarts_total counter\nparcours_wal_restarts_total \(c.restarts)\n"
            out += "# HELP parcours_wal_checkpoint_errors_total Background checkpoints that failed (other than a busy restart).\n# TYPE parcours_wal_checkpoint_errors_total counter\nparcours_wal_checkpoint_errors_total \(c.errors)\n"
            out += "# HELP parcours_wal_frames Frames in the WAL at the last background checkpoint (it starts over at the next write after a restart).\n# TYPE parcours_wal_frames gauge\nparcours_wal_frames \(c.walFrames)\n"
        }
        return out
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
