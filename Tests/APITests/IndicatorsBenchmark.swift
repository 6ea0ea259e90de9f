@testable import API
import Domain
import Foundation
import GRDB
import Testing

/// The speed budget of the indicators (whole PLIE < 200 ms, one referent < 20 ms, in release) on
/// 100,000 participants over ten years. Slow to set up, so it runs only with PARCOURS_BENCH=1:
/// `PARCOURS_BENCH=1 swift test -c release --filter IndicatorsBenchmark`.
@Suite("IndicatorsBenchmark", .enabled(if: ProcessInfo.processInfo.environment["PARCOURS_BENCH"] == "1"))
struct IndicatorsBenchmark {
    @Test("indicators over 100,000 participants stay within budget")
    func hundredThousand() throws {
        let t = try TestApp(today: "2026-06-30")
        try t.pool.write { db in
            let now = "2026-01-01T00:00:00Z"
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
                INSERT INTO structures (id, name, created_at, updated_at) SELECT i, 'S' || i, '\(now)', '\(now)' FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                INSERT INTO referents (id, structure_id, first_name, last_name, fte, created_at, updated_at)
                SELECT i, 1 + i % 20, 'R', 'R' || i, CASE WHEN i % 3 = 0 THEN 0.5 ELSE 1 END, '\(now)', '\(now)' FROM n;
                INSERT INTO operations (id, name, min_followed, work_or_training_exit_target, created_at, updated_at)
                VALUES (1, 'Contrats aidés', 75, 0.15, '\(now)', '\(now)'), (2, 'Accompagnement', NULL, NULL, '\(now)', '\(now)');
                -- 100,000 participants entered over ten years; those entered more than ~2 years ago have exited.
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                INSERT INTO participants (id, first_name, last_name, identity_key, referent_id, operation_id, status, entry_date, created_at, updated_at)
                SELECT i, 'P', 'P' || i, 'p' || i, 1 + i % 200, CASE i % 3 WHEN 0 THEN 1 WHEN 1 THEN 2 END,
                       CASE WHEN i > 90000 THEN 'active' ELSE 'exited' END,
                       date('2016-07-01', '+' || (i * 3652 / 100000) || ' days'), '\(now)', '\(now)' FROM n;
                INSERT INTO contracts (participant_id, signed_on, created_at) SELECT id, entry_date, '\(now)' FROM participants;
                INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, entry_date, created_at, updated_at)
                SELECT id, CASE id % 3 WHEN 0 THEN 'cdi' WHEN 1 THEN 'demenagement' ELSE 'abandon' END,
                       CASE id % 3 WHEN 0 THEN 'positive' WHEN 1 THEN 'administrative' ELSE 'other' END,
                       date(entry_date, '+' || (200 + id % 500) || ' days'), 'other', 'validated', 'active', entry_date, '\(now)', '\(now)'
                FROM participants WHERE status = 'exited';
                -- Two interviews a month during each pathway (about 2.4 million rows).
                WITH RECURSIVE m(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM m WHERE k < 23)
                INSERT INTO interviews (participant_id, date, kind, summary, created_at)
                SELECT p.id, date(p.entry_date, '+' || (m.k * 30 + d.o) || ' days'), 'individual', 'x', '\(now)'
                FROM participants p, m, (SELECT 3 AS o UNION ALL SELECT 17) d WHERE date(p.entry_date, '+' || (m.k * 30 + d.o) || ' days') <= '2026-06-30';
                INSERT INTO steps (participant_id, type, status, planned_start, planned_end, actual_start, actual_end, created_at, updated_at)
                SELECT id, 'other', CASE WHEN id % 4 = 0 THEN 'ongoing' ELSE 'completed' END, entry_date, date(entry_date, '+90 days'),
                       entry_date, CASE WHEN id % 4 = 0 THEN NULL ELSE date(entry_date, '+90 days') END, '\(now)', '\(now)' FROM participants;
                INSERT INTO follow_ups (participant_id, starts_on, ends_on, created_at, updated_at)
                SELECT id, date(entry_date, '+100 days'), date(entry_date, '+100 days', '+6 months', '+1 day'), '\(now)', '\(now)'
                FROM participants WHERE id % 5 = 0;
                INSERT INTO follow_up_contacts (follow_up_id, date, with_whom, summary, created_at)
                SELECT id, date(starts_on, '+20 days'), 'participant', 'x', '\(now)' FROM follow_ups;
                ANALYZE;
                """)
        }
        func time(_ target: String) -> Double {
            var best = Double.infinity
            for _ in 0..<3 {
                let start = Date()
                let r = t.get(target)
                #expect(r.status == 200)
                best = min(best, Date().timeIntervalSince(start) * 1000)
            }
            print("\(target): \(Int(best)) ms")
            return best
        }
        let whole = time("/v1/indicators?from=2025-07-01&to=2026-06-30")
        let one = time("/v1/indicators?from=2025-07-01&to=2026-06-30&referent_id=7")
        _ = time("/v1/indicators?from=2025-07-01&to=2026-06-30&detail=true")
        _ = time("/v1/alerts")
        #expect(whole < 200)
        #expect(one < 20)
    }
}
