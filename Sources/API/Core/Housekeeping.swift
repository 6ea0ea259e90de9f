import Domain
import GRDB

/// Background maintenance the server runs on a timer.
public enum Housekeeping {
    /// Idempotency keys are kept the retention setting (at least 24 hours), then dropped.
    public static func purgeIdempotencyKeys(_ pool: DatabasePool, olderThan cutoff: String) throws {
        try pool.write { db in try Idempotency.purge(db, olderThan: cutoff) }
    }

    /// Brings the whole PLIE's indicators of the default period (year to date) up to date in the
    /// cache, so that the first call of a day does not compute everything while a user waits.
    /// Only once indicators were asked for since the start: an idle server keeps its memory.
    public static func refreshIndicators(_ env: AppEnvironment) throws {
        guard !env.factsCache.isEmpty else { return }
        let query = IndicatorQuery(period: IndicatorPeriod.yearToDate(today: env.clock.today), scope: .wholeProgramme,
                                   settings: env.settings, detail: false, cache: env.factsCache)
        _ = try env.factsCache.serialized {
            try query.primeCache(env.readers, parts: env.parallelism)
            return try env.readers.read { db in try query.run(db) }
        }
    }
}
