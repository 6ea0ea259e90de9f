import Foundation
import Domain
import GRDB
import Logging
import Storage

/// What every request shares: the database, the rules' settings, the clock, the token store,
/// the metrics and the logger.
public final class AppEnvironment: @unchecked Sendable {
    /// The writer, and the readers of work outside requests (exports' producers, maintenance).
    public let pool: DatabasePool
    /// The connections requests read through (`RequestContext.read`): as many as the pool's readers.
    public let readers: ReadConnections
    /// Where requests write (`Application`, `RequestContext.write`): a savepoint each in group commits.
    public let writes: GroupCommit
    public let settings: Settings
    public let clock: Clock
    public let tokens: TokenStore
    public let metrics: Metrics
    /// The whole PLIE's pathway facts between indicator calls (API/Indicators/FactsCache.swift).
    let factsCache = FactsCache()
    /// Connections a long computation may read on at once (a full indicators computation): the cores.
    let parallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
    public let logger: Logger
    /// Largest JSON body (1 MiB) and largest document (20 MiB).
    public let maxJSONBody: Int
    public let maxDocumentBody: Int

    public init(pool: DatabasePool, settings: Settings = Settings(), clock: Clock = Clock(), logger: Logger,
                maxJSONBody: Int = 1 << 20, maxDocumentBody: Int = 20 << 20) {
        self.pool = pool; self.settings = settings; self.clock = clock; self.logger = logger
        self.readers = ReadConnections(pool: pool, maxCount: pool.configuration.maximumReaderCount)
        self.writes = GroupCommit(pool: pool)
        self.tokens = TokenStore(readers: readers)
        self.metrics = Metrics()
        let writes = self.writes
        metrics.writeGroups = { let s = writes.statistics; return (s.groups, s.writes) }
        self.maxJSONBody = maxJSONBody; self.maxDocumentBody = maxDocumentBody
    }
}
