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
/// copies what no reader still needs.
///
/// The WAL only starts over when, as a write begins, every frame is copied and no reader still
/// reads from the WAL: with writes every few milliseconds and reads all the time, that moment
/// rarely comes, and the file would grow to the safety threshold below. So once the WAL holds
/// more than `restartFrames` frames, the tick tries a RESTART checkpoint that gives up at once
/// (no busy wait) when a write is under way or a reader is on an older snapshot: when it
/// succeeds, the next write starts the WAL over (until that write the WAL keeps its length, and
/// no RESTART is tried again). It holds the write lock only while it copies the last frames and
/// syncs the database file. Only a busy RESTART is let go: any other error is counted and kept
/// in `status`, which /metrics shows.
///
/// A RESTART holds the write lock while it copies the frames left and syncs the database file
/// (6–12 ms on the bench machine, up to 65 ms when the disk stalls), even when it then gives up
/// on a reader, and its sync competes with the commits', so it is tried only past 8,000 frames
/// (about 32 MB of WAL with 4 KiB pages). On the reference comparison's mix (2,000
/// participants), from 2,000 to 8,000 frames: p99 16.3/16.6/39.0 → 12.1/11.7/15.2 ms in three
/// rounds alternated. On the 100k demo database two rounds gave a higher p99 and a lower max
/// (docs/PERFORMANCE.md, runs U and V): not settled there.
///
/// The writer's automatic checkpoint stays on at a higher threshold, `safetyPages`, in case this
/// one falls behind (a long read pinning old pages, a stopped timer): the WAL never grows
/// without bound. Command-line tools do not use this: they keep SQLite's default.
///
/// ```swift
/// let checkpointer = try Checkpointer(pool: pool)
/// try checkpointer.start()
/// ...
/// checkpointer.stop()
/// ```
public final class Checkpointer: @unchecked Sendable {
    private let connection: DatabaseQueue
    private let pool: DatabasePool
    private let interval: Double
    private let safetyPages: Int
    private let restartFrames: Int
    private let lock = NSLock()
    /// Under `lock`. The timer exists from `start()` on: Dispatch traps on a timer source
    /// released without ever having been resumed.
    private var timer: DispatchSourceTimer?
    private var lastError: String?
    private var runs = 0
    private var restarts = 0
    private var errors = 0
    private var walFrames = 0
    /// The WAL's frames when it last started over: until the next write the WAL keeps its
    /// length, and a RESTART then would only take the locks again for nothing.
    private var framesAtRestart: Int?

    /// - interval: seconds between checkpoints.
    /// - restartFrames: WAL frames past which a tick also tries to have the WAL start over.
    /// - safetyPages: WAL pages past which the writer checkpoints by itself after all.
    public init(pool: DatabasePool, interval: Double = 0.25, restartFrames: Int = 8_000, safetyPages: Int = 20_000) throws {
        var configuration = pool.configuration
        configuration.label = "parcours.checkpointer"
        // Never wait for the writer or a reader: a checkpoint that cannot finish now tries again
        // at the next tick.
        configuration.busyMode = .immediateError
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA busy_timeout = 0") }
        self.connection = try DatabaseQueue(path: pool.path, configuration: configuration)
        self.pool = pool
        self.interval = interval
        self.restartFrames = restartFrames
        self.safetyPages = safetyPages
    }

    deinit { timer?.cancel() }

    /// Moves the writer's automatic checkpoint to `safetyPages` and starts the timer (once: a
    /// second call does nothing).
    public func start() throws {
        guard lock.withLock({ self.timer == nil }) else { return }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(safetyPages)") }
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "parcours.checkpointer", qos: .utility))
        let nanoseconds = Int(interval * 1e9)
        source.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds), leeway: .milliseconds(20))
        // An error is kept in `status` (and counted in /metrics); the next tick tries again.
        source.setEventHandler { [weak self] in _ = try? self?.checkpoint() }
        lock.withLock { self.timer = source }
        source.resume()
    }

    /// Stops the timer and gives the writer back SQLite's default threshold (1,000 pages).
    public func stop() {
        let running: DispatchSourceTimer? = lock.withLock {
            defer { self.timer = nil }
            return self.timer
        }
        guard let running else { return }
        running.cancel()
        try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
    }

    /// One PASSIVE checkpoint now, and a RESTART one when the WAL is long: the WAL's frames, and
    /// how many of them are in the database (after a restart, the frames it had: the next write
    /// starts it over).
    @discardableResult
    public func checkpoint() throws -> (walFrames: Int, checkpointed: Int) {
        do {
            var result = try connection.inDatabase { db in try db.checkpoint(.passive) }
            var restarted = false
            let unchanged = lock.withLock { framesAtRestart == result.walFrameCount }
            if result.walFrameCount > restartFrames && !unchanged {
                do {
                    result = try connection.inDatabase { db in try db.checkpoint(.restart) }
                    restarted = true
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                    // A write under way, or a reader on an older snapshot: SQLite did what a
                    // passive checkpoint would; the next tick tries again.
                }
            }
            lock.withLock {
                runs += 1
                if restarted { restarts += 1; framesAtRestart = result.walFrameCount }
                if result.walFrameCount < (framesAtRestart ?? 0) { framesAtRestart = nil }
                walFrames = result.walFrameCount
                lastError = nil
            }
            return (result.walFrameCount, result.checkpointedFrameCount)
        } catch {
            lock.withLock { errors += 1; lastError = String(describing: error) }
            throw error
        }
    }

    /// Checkpoints run since the start, those that made the WAL start over, those that failed,
    /// the WAL's frames at the last one, and the last one's error if it failed (for the tests
    /// and /metrics).
    public var status: (runs: Int, restarts: Int, errors: Int, walFrames: Int, lastError: String?) {
        lock.withLock { (runs, restarts, errors, walFrames, lastError) }
    }
}
