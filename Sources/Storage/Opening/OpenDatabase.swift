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
/// Pragmas set on every connection (writer and readers):
/// - `foreign_keys = ON`: SQLite ships with them off;
/// - `busy_timeout`: wait for another process' lock instead of failing at once;
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
    configuration.busyMode = .timeout(config.busyTimeout)
    configuration.maximumReaderCount = max(1, config.maxReaders)
    let busyMilliseconds = Int(config.busyTimeout * 1000)
    configuration.prepareDatabase { db in
        // Runs for the writer and for each reader. GRDB gives readers its own busy timeout;
        // ours replaces it so that every connection waits the same.
        try db.execute(sql: """
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = \(busyMilliseconds);
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
