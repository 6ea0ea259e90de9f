import Foundation
import GRDB

/// Page cache per connection, in KiB (negative `cache_size` means KiB in SQLite).
let connectionCacheKiB = 16_384
/// Page cache of each of the request readers (`ReadConnections`).
let readerCacheKiB = 4_096

/// Opens (creating if needed) the database described by `config` as a WAL ``DatabasePool``.
///
/// Why: one writer and up to `maxReaders` concurrent readers, with the same pragmas on every
/// connection, so no request ever runs with foreign keys off or a different durability level.
/// Writes keep GRDB's default `BEGIN IMMEDIATE` transactions, so a write never fails half
/// way on a lock upgrade.
///
/// A lock held by another connection (the checkpointer's, another process') is waited for,
/// up to `busyTimeout`, by `busyWait`, on the writer and on the request readers (GRDB's own
/// pool readers, used by the command-line tools only, keep GRDB's 10 s).
///
/// Pragmas set on every connection (writer and readers):
/// - `foreign_keys = ON`: SQLite ships with them off;
/// - `synchronous = FULL`: every commit is on disk before it is acknowledged (the WAL is
///   synced at each commit), so a power loss or a kernel crash loses no answered write; with
///   `NORMAL` the last commits before such a crash could vanish. The server gathers the writes
///   waiting at the same moment into one commit (`GroupCommit`) so that they share the sync;
/// - `temp_store = MEMORY`: sorts and temporary tables stay off disk;
/// - `cache_size`: each connection's page cache;
/// - `mmap_size = 0`: no memory-mapped reads. In WAL mode a reader that finds the database
///   changed since its last transaction drops its page cache and its whole mapping; with a write
///   every few requests, every reader then paid `munmap` (a TLB shootdown on every core), a
///   new `mmap` and a page fault per page touched (2.3 faults per request of the bench mix,
///   13 % more CPU per request than reading pages with `pread`; docs/PERFORMANCE.md).
///
/// ```swift
/// let pool = try openDatabase(StorageConfiguration(path: "data/parcours.sqlite"))
/// try pool.write { db in try db.execute(sql: "INSERT INTO ...") }
/// ```
public func openDatabase(_ config: StorageConfiguration) throws -> DatabasePool {
    let parent = URL(fileURLWithPath: config.path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)

    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.busyMode = .callback(busyWait(timeout: config.busyTimeout))
    configuration.maximumReaderCount = max(1, config.maxReaders)
    configuration.prepareDatabase { db in
        // Runs for the writer and for each reader. (No `busy_timeout` here: that pragma would
        // put SQLite's own waiting back in place of `busyWait`.)
        try db.execute(sql: """
            PRAGMA foreign_keys = ON;
            PRAGMA synchronous = FULL;
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -\(connectionCacheKiB);
            PRAGMA mmap_size = 0;
            """)
    }
    // DatabasePool switches the file to WAL (journal_mode = WAL) when it opens it, and then sets
    // its writer to `synchronous = NORMAL`. The writer is the connection that commits: FULL again.
    let pool = try DatabasePool(path: config.path, configuration: configuration)
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    return pool
}

/// How a connection waits for a lock another connection holds: tries again every 100 µs for the
/// first 5 ms, then every millisecond, until `timeout` seconds have passed.
///
/// Why not SQLite's `busy_timeout`: it sleeps 1, 2, 5, 10, 15, 20... ms between tries, so a
/// write that found the write lock taken for a few milliseconds (the checkpointer copying the
/// last frames of the WAL and syncing the database file) slept 8 or 18 ms: the writes behind
/// it, and the worker threads they hold, with it. Measured on the bench mix: groups whose
/// `BEGIN IMMEDIATE` waited 8.3 or 18.3 ms, every few seconds (docs/PERFORMANCE.md).
func busyWait(timeout: Double) -> Database.BusyCallback {
    let shortTries = max(0, min(50, Int(timeout * 10_000)))
    let longTries = max(0, Int((timeout - 0.005) * 1000))
    return { tries in
        if tries < shortTries {
            usleep(100)
            return true
        }
        guard tries < shortTries + longTries else { return false }
        usleep(1000)
        return true
    }
}
