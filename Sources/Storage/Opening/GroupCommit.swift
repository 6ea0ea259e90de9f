import Foundation
import GRDB

/// The server's writes, committed in groups: each write runs in a savepoint of its own inside a
/// transaction shared with the writes waiting at the same moment, and is answered once that
/// transaction is on disk.
///
/// Why: every commit is synced to disk before it is acknowledged (`synchronous = FULL`), and a
/// sync costs as much as the write itself. Writes arriving while one is committing wait for the
/// writer anyway; gathered, they share one `BEGIN`, one `COMMIT` and one sync.
///
/// What each write keeps:
/// - **its own atomicity**: an error thrown by a write rolls back its savepoint, and only it;
///   the others of the group commit;
/// - **order**: writes run one after another in arrival order, each seeing the ones before it,
///   as if each had committed alone;
/// - **no early answer**: `write` returns (or throws) only after the group's `COMMIT`. If the
///   commit fails, or SQLite rolls the whole transaction back (an I/O error, a full disk),
///   every write of the group fails with that error and none of them is kept.
///
/// Leadership: the caller that finds no group running runs one with whatever is waiting (up to
/// `maxGroup` writes), then hands the next group to the oldest waiting caller and returns, so no
/// caller runs other people's writes for longer than one group. A waiting caller sleeps until it
/// is woken once, for its outcome or to lead: a group wakes its own writes and the next leader,
/// not every write waiting (with one condition for all, each group woke them all, and those
/// left waiting went back to sleep: context switches that cost the CPU of the mix's writes).
///
/// ```swift
/// let writes = GroupCommit(pool: pool)
/// let id = try writes.write { db -> Int64 in
///     try db.execute(sql: "INSERT INTO structures (name) VALUES (?)", arguments: ["Mission locale"])
///     return db.lastInsertedRowID
/// }
/// ```
public final class GroupCommit: @unchecked Sendable {
    private let pool: DatabasePool
    private let maxGroup: Int
    private let lock = NSLock()
    /// Under `lock`.
    private var waiting: [Ticket] = []
    private var running = false
    /// The thread running a group's writes, while it does.
    private var leader: pthread_t?
    private var stats = Stats()

    /// Groups run (committed or not) and writes in them, for the tests and the metrics.
    public struct Stats: Sendable, Equatable {
        public var groups = 0
        public var writes = 0
        public var largest = 0
    }

    public init(pool: DatabasePool, maxGroup: Int = 64) {
        self.pool = pool
        self.maxGroup = max(1, maxGroup)
    }

    /// Writes waiting for a group (for the tests).
    var waitingCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return waiting.count
    }

    public var statistics: Stats {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }

    /// Runs `body` in a savepoint of the next group transaction and returns its value once that
    /// transaction has committed. A body writes through the `Database` it is given: calling
    /// `write` again from inside one throws `GroupCommitError.reentrant` (it would wait for the
    /// group it runs in, and every write after it with it).
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var value: T?
            let ticket = Ticket { db in value = try body(db) }
            lock.lock()
            if let leader, pthread_equal(leader, pthread_self()) != 0 {
                lock.unlock()
                throw GroupCommitError.reentrant
            }
            waiting.append(ticket)
            let lead = !running
            if lead { running = true }
            lock.unlock()
            if !lead {
                // Woken once: with the outcome of the group that ran this write, or to lead the
                // next group (this write first in it).
                ticket.wake.wait()
            }
            lock.lock()
            let mustLead = lead || ticket.mustLead
            lock.unlock()
            if mustLead { runGroups(own: ticket) }
            // The ticket's outcome is set by whoever ran its group (this caller or another).
            lock.lock()
            let outcome = ticket.outcome
            lock.unlock()
            switch outcome {
            case .failure(let error)?: throw error
            case .success?:
                guard let value else { throw GroupCommitError.lost }
                return value
            case nil: throw GroupCommitError.lost
            }
        }
    }

    /// Runs the waiting writes as one group (`own` first among them), then wakes each of them,
    /// and the oldest write still waiting to lead the next group: only those, so a write waits
    /// through other groups asleep.
    private func runGroups(own: Ticket) {
        lock.lock()
        let group = Array(waiting.prefix(maxGroup))
        waiting.removeFirst(group.count)
        leader = pthread_self()
        lock.unlock()

        let outcomes = commit(group)

        lock.lock()
        leader = nil
        stats.groups += 1
        stats.writes += group.count
        stats.largest = max(stats.largest, group.count)
        for (ticket, outcome) in zip(group, outcomes) {
            ticket.outcome = outcome
            // The body borrows its caller's closure (`withoutActuallyEscaping`): let go of it
            // before the caller may return.
            ticket.body = nil
        }
        let next = waiting.first
        if let next {
            next.mustLead = true
        } else {
            running = false
        }
        lock.unlock()
        for ticket in group where ticket !== own { ticket.wake.signal() }
        next?.wake.signal()
    }

    /// One transaction, a savepoint per write; the outcome of each once the transaction is over.
    private func commit(_ group: [Ticket]) -> [Result<Void, Error>] {
        var outcomes: [Result<Void, Error>] = []
        do {
            try pool.write { db in
                // The savepoint's statements, prepared once per writer (GRDB's `inSavepoint`
                // prepares its SQL again at each call: 5 % of a write's CPU).
                let begin = try db.cachedStatement(sql: "SAVEPOINT group_write")
                let release = try db.cachedStatement(sql: "RELEASE SAVEPOINT group_write")
                let rollback = try db.cachedStatement(sql: "ROLLBACK TRANSACTION TO SAVEPOINT group_write")
                for ticket in group {
                    try begin.execute()
                    do {
                        try ticket.body?(db)
                        try release.execute()
                        outcomes.append(.success(()))
                    } catch {
                        // SQLite ends the whole transaction on some errors (I/O, full disk): the
                        // writes before this one are gone with it, so the group fails as a whole.
                        guard db.isInsideTransaction else { throw error }
                        // Undo this write alone; the rollback keeps the savepoint, the release
                        // takes it off the stack.
                        try rollback.execute()
                        try release.execute()
                        outcomes.append(.failure(error))
                    }
                }
            }
            return outcomes
        } catch {
            return group.map { _ in .failure(error) }
        }
    }

    private final class Ticket {
        /// Cleared under the lock once the group is over.
        var body: ((Database) throws -> Void)?
        /// Set under the group commit's lock.
        var outcome: Result<Void, Error>?
        var mustLead = false
        /// Signalled once for a write that did not lead at once: its outcome is set, or it leads.
        let wake = DispatchSemaphore(value: 0)
        init(_ body: @escaping (Database) throws -> Void) { self.body = body }
    }
}

/// Bugs, never expected: a write whose outcome was never set, or a write started from inside
/// another one's body.
public enum GroupCommitError: Error, CustomStringConvertible {
    case lost
    case reentrant
    public var description: String {
        switch self {
        case .lost: "the group commit lost the outcome of a write"
        case .reentrant: "GroupCommit.write called from inside a write: use the Database the body was given"
        }
    }
}
