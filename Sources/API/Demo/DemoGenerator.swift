import Crypto
import Domain
import Foundation
import GRDB

/// `parcours demo`: fills a new database with a realistic synthetic PLIE.
///
/// Why it writes straight through SQL: the routes would append an audit row per write and run
/// one transaction per request, which for two million interviews takes hours. The demo is not
/// anybody's work, so it bypasses the per-row audit **by design** and records one `demo` audit
/// row that says what was generated, with which seed and reference day.
///
/// Deterministic: the same seed, participant count and `today` give the same rows (timestamps
/// included: they derive from the domain dates, never from the clock).
///
/// ```swift
/// let pool = try openDatabase(StorageConfiguration(path: "data/demo.sqlite"))
/// _ = try Migrations.apply(files, to: pool)
/// let report = try DemoGenerator.run(pool: pool, options: DemoOptions(participants: 2000, seed: 1, today: Day("2026-11-23")!))
/// print(report.adminToken)
/// ```
public enum DemoGenerator {
    /// Participants written per transaction: big enough to be fast, small enough to keep the WAL modest.
    static let batchSize = 5000

    /// Generates the programme, the participants and an admin token; refuses a non-empty database.
    public static func run(pool: DatabasePool, options: DemoOptions, settings: Settings = Settings(),
                           progress: (String) -> Void = { _ in }) throws -> DemoReport {
        let started = Date().timeIntervalSince1970
        let used = try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM structures) + (SELECT count(*) FROM participants) + (SELECT count(*) FROM tokens)") ?? 0
        }
        guard used == 0 else { throw DemoError.notEmpty }
        guard options.participants >= 0 else { throw DemoError.invalid("--participants must be 0 or more") }

        let start = options.today.adding(days: -3 * 365)
        var rng = SplitMix64(seed: options.seed)
        let programme = try pool.write { db in try DemoProgramme.build(db, rng: &rng, start: start, today: options.today) }
        progress("programme: " + programme.counts.map { "\($0.1) \($0.0)" }.joined(separator: ", "))

        var pathway = DemoPathway(programme: programme, settings: settings, today: options.today, start: start)
        var done = 0
        while done < options.participants {
            let upper = min(done + batchSize, options.participants)
            try pool.write { db in
                let writer = try DemoWriter(db)
                for index in done..<upper { try pathway.write(index: index, seed: options.seed, into: writer) }
            }
            done = upper
            progress("participants: \(done) / \(options.participants) (interviews so far: \(pathway.counts["interviews", default: 0]))")
        }

        let counts = programme.counts + pathway.counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let now = Clock.timestamp(Date().timeIntervalSince1970)
        let secret = try pool.write { db -> String in
            let (id, secret) = try TokenStore.create(db, name: "demo admin", role: .admin, referentId: nil, structureId: nil, createdBy: nil, at: now)
            try Audit.append(db, at: now, principal: nil, requestId: "demo", action: "demo", entity: "database", entityId: nil, participantId: nil,
                             before: nil, after: .object([
                                ("seed", .string(String(options.seed))), ("today", .string(options.today.description)),
                                ("participants", .int(options.participants)), ("admin_token_id", .string(String(id))),
                                ("note", .string("synthetic data written straight through SQL: no per-row audit by design")),
                                ("counts", .object(counts.map { ($0.0, .int($0.1)) })),
                             ]))
            return secret
        }
        try pool.writeWithoutTransaction { db in _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        return DemoReport(counts: counts, adminToken: secret, seconds: Date().timeIntervalSince1970 - started)
    }

    /// A timestamp on `day` at `minute` past midnight UTC.
    static func timestamp(_ day: Day, minute: Int) -> String {
        Clock.timestamp(Double(day.daysSinceEpoch) * 86_400 + Double(minute) * 60)
    }

    /// A French mobile number.
    static func phone(_ rng: inout SplitMix64) -> String {
        func two() -> String { let v = rng.int(0...99); return v < 10 ? "0\(v)" : "\(v)" }
        return "0\(rng.chance(0.5) ? 6 : 7) \(two()) \(two()) \(two()) \(two())"
    }

    /// The SHA-256 of the placeholder evidence bytes, hex.
    static let placeholderDigest = TokenStore.hex(Array(SHA256.hash(data: DemoPathway.placeholder)))
}

/// What `parcours demo` was asked for.
public struct DemoOptions: Sendable {
    public var participants: Int
    public var seed: UInt64
    /// The reference day: the pathways run up to it.
    public var today: Day
    public init(participants: Int, seed: UInt64, today: Day) { self.participants = participants; self.seed = seed; self.today = today }
}

/// What the demo wrote.
public struct DemoReport: Sendable {
    /// Rows written, by table.
    public let counts: [(String, Int)]
    /// The secret of the admin token created for the demo (shown once).
    public let adminToken: String
    public let seconds: Double
}

/// Why the demo refused to run.
public enum DemoError: Error, CustomStringConvertible {
    case notEmpty
    case invalid(String)

    public var description: String {
        switch self {
        case .notEmpty: return "the database already holds data: the demo only fills a new, empty database"
        case .invalid(let message): return message
        }
    }
}
