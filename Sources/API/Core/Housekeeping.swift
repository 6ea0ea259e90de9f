import GRDB

/// Background maintenance the server runs on a timer.
public enum Housekeeping {
    /// Idempotency keys are kept the retention setting (at least 24 hours), then dropped.
    public static func purgeIdempotencyKeys(_ pool: DatabasePool, olderThan cutoff: String) throws {
        try pool.write { db in try Idempotency.purge(db, olderThan: cutoff) }
    }
}
