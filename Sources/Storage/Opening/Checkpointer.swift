import Dispatch
import Foundation
import GRDB

/// Checkpoints the WAL from a connection and a thread of its own, so that no request pays for it.
///
/// Why: SQLite checkpoints automatically in the connection that commits past 1,000 WAL pages.
/// In the server that is a request's write: it copies the WAL's pages into the database and
/// syncs both files while holding the one write lock, so every write waiting behind it (and the
/// worker threads they hold) waits too — the tail of the bench mix (docs/PERFORMANCE.md).
/// Here a timer runs a PASSIVE checkpoint, which never blocks the writer nor the readers: it
/// copies what no reader still needs, and the writer starts the WAL over once it is all copied.
///
/// The writer's automatic checkpoint stays on at a higher threshold, `safetyPages`, in case this
/// one falls behind (a long read pinning old pages, a stopped timer): the WAL never grows
/// without bound. Command-line tools do not use this: they keep SQLite's default.
///
/// ```swift
/// let checkpointer = try Checkpointer(pool: pool)
/// checkpointer.start()
/// ...
/// checkpointer.stop()
/// ```
public final class Checkpointer: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let pool: DatabasePool
    private let interval: Double
    private let safetyPages: Int
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var lastError: String?
    private var runs = 0

    /// - interval: seconds between checkpoints.
    /// - safetyPages: WAL pages past which the writer checkpoints by itself after all.
    public init(pool: DatabasePool, interval: Double = 0.25, safetyPages: Int = 10_000) throws {
        var configuration = pool.configuration
        configuration.label = "parcours.checkpointer"
        self.connection = try DatabaseQueue(path: pool.path, configuration: configuration)
        self.pool = pool
        self.interval = interval
        self.safetyPages = safetyPages
        self.timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "parcours.checkpointer", qos: .utility))
    }

    /// Moves the writer's automatic checkpoint to `safetyPages` and starts the timer.
    public func start() throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(safetyPages)") }
        let nanoseconds = Int(interval * 1e9)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds), leeway: .milliseconds(20))
        timer.setEventHandler { [self] in _ = try? checkpoint() }
        timer.resume()
    }

    /// Stops the timer and gives the writer back SQLite's default threshold (1,000 pages).
    public func stop() {
        timer.cancel()
        try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
    }

    /// One PASSIVE checkpoint now: the WAL's frames, and how many of them are in the database.
    @discardableResult
    public func checkpoint() throws -> (walFrames: Int, checkpointed: Int) {
        do {
            let result = try connection.inDatabase { db in try db.checkpoint(.passive) }
            lock.withLock { runs += 1; lastError = nil }
            return (result.walFrameCount, result.checkpointedFrameCount)
        } catch {
            lock.withLock { lastError = String(describing: error) }
            throw error
        }
    }

    /// Checkpoints run since the start, and the error of the last one if it failed (for health
    /// and tests).
    public var status: (runs: Int, lastError: String?) { lock.withLock { (runs, lastError) } }
}
