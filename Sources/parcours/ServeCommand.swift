import API
#if os(Linux)
import CParcoursMalloc
#endif
import ArgumentParser
import Dispatch
import Domain
import Foundation
import GRDB
import HTTPServer
import Logging
import Storage

/// `parcours serve`: migrates, then serves until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the HTTP server (migrates the database first).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (env PARCOURS_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on, 0 for any (env PARCOURS_PORT; default 8080).") var port: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env PARCOURS_LOG_LEVEL; default info).")
    var logLevel: String?
    @Option(help: "Threads running requests (env PARCOURS_WORKERS; default 2 per core, at least 4).") var workers: Int?

    func run() throws {
        #if os(Linux)
        // Blocks of 128 KiB and more (the indicators' per-participant tables, an export's
        // buffers) are mapped on their own and given back to the system when freed. glibc raises
        // that threshold after each such free (up to 32 MiB), after which the same tables come
        // from the heap and stay in the process once freed: +70 MiB after two indicator periods
        // on the 100k demo database (docs/PERFORMANCE.md). Setting it fixes it.
        _ = parcours_fix_mmap_threshold(128 * 1024)
        #endif
        let level = try Env.logLevel(logLevel ?? Env.string("PARCOURS_LOG_LEVEL") ?? "info")
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        var logger = Logger(label: "parcours")
        logger.logLevel = level

        var http = HTTPServerConfiguration()
        http.host = host ?? Env.string("PARCOURS_HOST") ?? http.host
        http.port = try port ?? Env.int("PARCOURS_PORT") ?? http.port
        // 2 per core, at least 4: enough that a request blocked on SQLite (or a long export)
        // leaves others running, few enough that threads do not just hand the CPU to each
        // other. On the 2-core bench machine, 8 workers cost ~20 % more CPU per request than 4
        // (futex wake-ups and context switches; docs/PERFORMANCE.md).
        http.workerThreads = try workers ?? Env.int("PARCOURS_WORKERS") ?? max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        if let v = try Env.double("PARCOURS_HEADER_TIMEOUT") { http.headerTimeout = v }
        if let v = try Env.double("PARCOURS_KEEPALIVE_TIMEOUT") { http.keepAliveTimeout = v }
        if let v = try Env.double("PARCOURS_BODY_TIMEOUT") { http.bodyIdleTimeout = v }
        if let v = try Env.int("PARCOURS_MAX_CONNECTIONS") { http.maxConnections = v }

        let started = DispatchTime.now().uptimeNanoseconds
        // A reader per worker, and more for the indicators' full computation, which reads on one
        // connection per core at once (AppEnvironment.parallelism).
        let (pool, applied) = try database.openMigrated(readers: http.workerThreads + ProcessInfo.processInfo.activeProcessorCount)
        for m in applied { logger.notice("applied migration", metadata: ["file": .string(m.fileName)]) }
        if !applied.isEmpty {
            // A migration's pages (an index dropped or built over every participant) are no use
            // to the server: without this it kept 4 MiB more when idle after 0007 on the 100k
            // demo database.
            pool.releaseMemory()
            #if os(Linux)
            parcours_trim_heap()
            #endif
        }

        // WAL checkpoints on a thread of their own instead of inside a request's commit.
        let checkpointer = try Checkpointer(pool: pool)
        try checkpointer.start()
        let env = AppEnvironment(pool: pool, settings: try Env.settings(), logger: logger)
        try printFirstAdminToken(pool: pool)
        let app = Application(env: env)
        let server = HTTPServer(configuration: http, responder: app) { event in
            if case .protocolError(let status, _, _) = event { env.metrics.recordProtocolError(status: status) }
        }
        env.metrics.openConnections = { [weak server] in server?.openConnections ?? 0 }
        env.metrics.checkpoints = { let s = checkpointer.status; return (s.runs, s.restarts, s.errors, s.walFrames) }
        try server.start()
        let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        logger.notice("listening", metadata: ["address": .string("http://\(http.host):\(server.port)"), "db": .string(database.path),
                                              "startup_ms": .string(String(format: "%.1f", ms))])
        print("parcours listening on http://\(http.host):\(server.port) (pid \(getpid()))")
        fflush(stdout)

        let maintenance = Maintenance(env: env)
        maintenance.start()

        // SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database.
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                logger.notice("shutting down", metadata: ["signal": .stringConvertible(sig)])
                maintenance.stop()
                server.shutdown(timeout: 10)
                checkpointer.stop()
                try? pool.close()
                done.signal()
            }
            source.resume()
            sources.append(source)
        }
        done.wait()
        logger.notice("stopped")
    }

    /// On the first start with no token at all, creates an admin token and prints it once.
    func printFirstAdminToken(pool: DatabasePool) throws {
        let now = Clock().timestamp()
        let secret = try pool.write { db -> String? in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM tokens") == 0 else { return nil }
            let (id, secret) = try TokenStore.create(db, name: "first admin", role: .admin, referentId: nil, structureId: nil, createdBy: nil, at: now)
            try Audit.append(db, at: now, principal: nil, requestId: "startup", action: "create", entity: "token", entityId: String(id),
                             participantId: nil, before: nil, after: .object([("id", .string(String(id))), ("role", .string("admin")), ("via", .string("first start"))]))
            return secret
        }
        if let secret {
            print("""
                ------------------------------------------------------------------
                First start: an admin token was created. It is shown only once:
                  \(secret)
                Use it as: Authorization: Bearer <token>
                ------------------------------------------------------------------
                """)
            fflush(stdout)
        }
    }
}

/// Periodic housekeeping inside the server: expired idempotency keys, and the daily retention
/// purge when PARCOURS_PURGE_DAILY=1 (off by default: anonymising is irreversible).
final class Maintenance: @unchecked Sendable {
    private let env: AppEnvironment
    private let timer: DispatchSourceTimer
    /// Every minute: the default period's indicators, so the first call of a day finds them (a
    /// minute without a change costs one query; after midnight the new day's period is computed).
    private let indicatorsTimer: DispatchSourceTimer
    private let purgeDaily = Env.string("PARCOURS_PURGE_DAILY") == "1"
    /// Touched only on the timer's serial queue.
    private var lastPurge: Day?

    init(env: AppEnvironment) {
        self.env = env
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "parcours.maintenance"))
        indicatorsTimer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "parcours.indicators"))
    }

    func start() {
        indicatorsTimer.schedule(deadline: .now() + 60, repeating: 60)
        indicatorsTimer.setEventHandler { [env] in
            do { try Housekeeping.refreshIndicators(env) } catch {
                env.logger.warning("indicators refresh failed", metadata: ["error": .string(String(describing: error))])
            }
        }
        indicatorsTimer.resume()
        timer.schedule(deadline: .now() + 60, repeating: 3600)
        timer.setEventHandler { [env, self] in
            let cutoff = Clock.timestamp(env.clock.now() - Double(env.settings.idempotencyRetentionHours) * 3600)
            do { try Housekeeping.purgeIdempotencyKeys(env.pool, olderThan: cutoff) } catch {
                env.logger.warning("idempotency purge failed", metadata: ["error": .string(String(describing: error))])
            }
            // The retention purge (docs/RETENTION.md), once a day, when PARCOURS_PURGE_DAILY=1.
            if self.purgeDaily, self.lastPurge != env.clock.today {
                self.lastPurge = env.clock.today
                do {
                    let report = try RetentionPurge.run(pool: env.pool, settings: env.settings, clock: env.clock, dryRun: false, requestId: "daily-purge")
                    env.logger.notice("retention purge", metadata: ["anonymised": .stringConvertible(report.participantIds.count)])
                } catch {
                    env.logger.warning("retention purge failed", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
        timer.resume()
    }

    func stop() { timer.cancel(); indicatorsTimer.cancel() }
}
