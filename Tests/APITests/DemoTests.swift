@testable import API
import Domain
import Foundation
import GRDB
import Storage
import Testing

@Suite("Demo data")
struct DemoTests {
    static func freshPool() throws -> DatabasePool {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parcours-demo-\(UUID().uuidString)")
        let pool = try openDatabase(StorageConfiguration(path: dir.appendingPathComponent("demo.sqlite").path, maxReaders: 2))
        try TestApp.migrate(pool)
        return pool
    }

    static func dump(_ pool: DatabasePool) throws -> [String] {
        try pool.read { db in
            try ["participants", "interviews", "steps", "exits", "decisions", "follow_ups", "documents"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY id").map { "\(table) \($0)" }
            }
        }
    }

    @Test("the same seed and reference day give the same database")
    func deterministic() throws {
        let options = DemoOptions(participants: 150, seed: 7, today: Day("2026-11-23")!)
        let a = try Self.freshPool(), b = try Self.freshPool()
        _ = try DemoGenerator.run(pool: a, options: options)
        _ = try DemoGenerator.run(pool: b, options: options)
        #expect(try Self.dump(a) == Self.dump(b))
        let c = try Self.freshPool()
        _ = try DemoGenerator.run(pool: c, options: DemoOptions(participants: 150, seed: 8, today: Day("2026-11-23")!))
        #expect(try Self.dump(a) != Self.dump(c))
    }

    @Test("the pathways follow the rules: rejections offer an alternative, summaries are never empty, positive exits carry evidence")
    func followsTheRules() throws {
        let pool = try Self.freshPool()
        let report = try DemoGenerator.run(pool: pool, options: DemoOptions(participants: 400, seed: 3, today: Day("2026-11-23")!))
        #expect(report.adminToken.hasPrefix("pct_"))
        func count(_ sql: String) throws -> Int { try pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 } }
        #expect(try count("SELECT count(*) FROM participants") == 400)
        #expect(try count("SELECT count(*) FROM interviews WHERE length(trim(summary)) = 0") == 0)
        #expect(try count("SELECT count(*) FROM decisions WHERE subject = 'admission' AND outcome = 'rejected' AND coalesce(alternative_proposal, '') = ''") == 0)
        #expect(try count("SELECT count(*) FROM exits WHERE category = 'positive' AND status = 'validated'") > 0)
        #expect(try count("SELECT count(*) FROM exits WHERE category = 'positive' AND id NOT IN (SELECT exit_id FROM exit_documents)") == 0)
        #expect(try count("SELECT count(*) FROM participants WHERE status = 'exited' AND (exit_date IS NULL OR exit_type IS NULL)") == 0)
        #expect(try count("SELECT count(*) FROM participants WHERE status IN ('active', 'in_follow_up', 'exited') AND entry_date IS NULL") == 0)
        #expect(try count("SELECT count(*) FROM audit_log WHERE action = 'demo'") == 1)
        #expect(try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count } == 0)
    }

    @Test("a database that already holds data is refused")
    func refusesNonEmpty() throws {
        let pool = try Self.freshPool()
        _ = try DemoGenerator.run(pool: pool, options: DemoOptions(participants: 5, seed: 1, today: Day("2026-11-23")!))
        #expect(throws: DemoError.self) {
            try DemoGenerator.run(pool: pool, options: DemoOptions(participants: 5, seed: 1, today: Day("2026-11-23")!))
        }
    }
}
