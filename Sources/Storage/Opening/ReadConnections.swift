import Foundation
import GRDB

/// Read-only connections for the server's request reads, handed out last-in first-out.
///
/// Why not `DatabasePool.read`: a read there takes a reader through a concurrent dispatch
/// queue, a semaphore, a dispatch group and a read-write lock, then runs `BEGIN` and `COMMIT`
/// as statements parsed anew each time. On the bench mix that machinery was a third of the
/// cost of `GET /v1/participants/{id}` (docs/PERFORMANCE.md). Here a read costs one mutex to
/// take a connection and one to give it back, and `BEGIN`/`COMMIT` are prepared once per
/// connection. Last-in first-out keeps the warmest connection (page and statement caches) busy.
///
/// The connections are opened with `SQLITE_OPEN_READONLY` and the pool's own pragmas, so a read
/// can never write, and each read is one transaction: one snapshot of the database, as with
/// the pool. At most `maxCount` are open; a caller beyond that waits for one to be given back.
///
/// ```swift
/// let readers = ReadConnections(pool: pool, maxCount: 4)
/// let name = try readers.read { db in try String.fetchOne(db, sql: "SELECT name FROM structures WHERE id = ?", arguments: [1]) }
/// ```
public final class ReadConnections: @unchecked Sendable {
    private let path: String
    private let configuration: Configuration
    private let maxCount: Int
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var idle: [DatabaseQueue] = []
    private var openCount = 0

    /// Connections to the database of `pool`, with its configuration (pragmas, busy timeout), read only.
    public init(pool: DatabasePool, maxCount: Int) {
        var configuration = pool.configuration
        configuration.readonly = true
        configuration.label = "parcours.reader"
        // A smaller page cache than the writer's: in WAL mode a reader empties its cache whenever
        // the database changed since its last read, so with writes every few requests a large one
        // mostly holds pages it will throw away, in as many copies as there are readers.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(readerCacheKiB)") }
        self.path = pool.path
        self.configuration = configuration
        self.maxCount = max(1, maxCount)
    }

    /// Runs `body` in a read transaction of its own on one of the connections.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        let connection = try take()
        defer { giveBack(connection) }
        return try connection.inDatabase { db in try transaction(db, body) }
    }

    /// `read` for a long computation: with a page cache of `cacheKiB` for its length (nil: the
    /// usual one), emptied after it, so the connection goes back with its usual cache and the
    /// pages are given back to the allocator. Why: a statement that seeks a table in random
    /// order rereads, through a system call each, the pages a small cache let go (the
    /// indicators' first computation of a period, `IndicatorQuery.primeCache`).
    public func scratchRead<T>(cacheKiB: Int?, _ body: (Database) throws -> T) throws -> T {
        let connection = try take()
        defer { giveBack(connection) }
        return try connection.inDatabase { db in
            if let cacheKiB { try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)") }
            defer {
                if cacheKiB != nil { try? db.execute(sql: "PRAGMA cache_size = -\(readerCacheKiB)") }
                try? db.execute(sql: "PRAGMA shrink_memory")
            }
            return try transaction(db, body)
        }
    }

    /// `body` between BEGIN and COMMIT (prepared once per connection), rolled back when it throws.
    private func transaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
        let value: T
        do {
            value = try body(db)
            try db.cachedStatement(sql: "COMMIT").execute()
        } catch {
            // Also when COMMIT failed: GRDB refuses to give back a connection left in a transaction.
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
            throw error
        }
        return value
    }

    /// Connections open now (for the tests).
    public var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return openCount
    }

    private func take() throws -> DatabaseQueue {
        condition.lock()
        while idle.isEmpty && openCount >= maxCount { condition.wait() }
        if let connection = idle.popLast() {
            condition.unlock()
            return connection
        }
        openCount += 1
        condition.unlock()
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func giveBack(_ connection: DatabaseQueue) {
        condition.lock()
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }
}
