@testable import API
import Foundation
import GRDB
import PropertyBased
import Testing

/// `participant_facts` (migrations/0004) is a copy kept by triggers: after any sequence of
/// writes it must equal what its definition computes from `participants` and `steps` afresh.
@Suite("Participant facts kept by triggers")
struct ParticipantFactsTests {
    /// The table's definition, as the migration first fills it.
    static let definition = """
        SELECT p.id, p.referent_id, p.operation_id, p.merged_into, p.entry_date,
               (SELECT count(*) FROM steps s WHERE s.participant_id = p.id AND s.status IN ('planned', 'ongoing')) AS open_steps,
               (SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = p.id) AS last_step_end
        FROM participants p ORDER BY p.id
        """
    static let kept = "SELECT id, referent_id, operation_id, merged_into, entry_date, open_steps, last_step_end FROM participant_facts ORDER BY id"

    enum Write: CaseIterable {
        case addParticipant, addStep, changeStepStatus, changeStepEnds, moveStep, deleteStep, reassign, changeOperation, merge, unmerge, enter
    }

    @Test("after random writes to participants and steps, the kept facts equal their definition")
    func randomWrites() async throws {
        await propertyCheck(count: 30, input: Gen.int(in: 0...(Write.allCases.count - 1)).array(of: 1...40), Gen.int(in: 0...1_000).array(of: 40)) { writes, picks in
            do { try Self.check(writes.map { Write.allCases[$0] }, picks) } catch { Issue.record("\(error)") }
        }
    }

    static func check(_ writes: [Write], _ picks: [Int]) throws {
        let t = try TestApp(today: "2026-03-10")
        let data = IndicatorData(t.pool)
        let structure = data.structure()
        let referents = [data.referent(structure), data.referent(structure)]
        let operations = [data.operation(), data.operation()]
        var participants = [data.participant(referents[0], operation: operations[0], entry: "2026-01-05"),
                            data.participant(referents[1], status: "admitted", entry: nil, admittedOn: "2026-02-01")]
        var steps: [Int64] = [data.step(participants[0], status: "ongoing", plannedEnd: "2026-04-01", actualStart: "2026-01-10")]
        let statuses = ["planned", "ongoing", "completed", "abandoned"]
        let days = [nil, "2026-01-31", "2026-02-15", "2026-03-01", "2026-05-20"]
        for (n, write) in writes.enumerated() {
            let k = picks[n % picks.count]
            let participant = participants[k % participants.count]
            let step = steps.isEmpty ? nil : steps[k % steps.count]
            // IndicatorData writes in a transaction of its own.
            switch write {
            case .addParticipant:
                participants.append(data.participant(referents[k % 2], operation: k % 3 == 0 ? nil : operations[k % 2], entry: k % 2 == 0 ? "2026-02-0\(1 + k % 9)" : nil))
                continue
            case .addStep:
                steps.append(data.step(participant, status: statuses[k % 4], plannedEnd: days[k % 5], actualEnd: days[(k / 5) % 5]))
                continue
            default: break
            }
            try t.pool.write { db in
                switch write {
                case .addParticipant, .addStep: break
                case .changeStepStatus:
                    if let step { try db.execute(sql: "UPDATE steps SET status = ? WHERE id = ?", arguments: [statuses[k % 4], step]) }
                case .changeStepEnds:
                    if let step { try db.execute(sql: "UPDATE steps SET actual_end = ?, planned_end = ? WHERE id = ?", arguments: [days[k % 5], days[(k / 5) % 5], step]) }
                case .moveStep:
                    if let step { try db.execute(sql: "UPDATE steps SET participant_id = ? WHERE id = ?", arguments: [participant, step]) }
                case .deleteStep:
                    if let step {
                        try db.execute(sql: "DELETE FROM steps WHERE id = ?", arguments: [step])
                        steps.removeAll { $0 == step }
                    }
                case .reassign:
                    try db.execute(sql: "UPDATE participants SET referent_id = ? WHERE id = ?", arguments: [referents[k % 2], participant])
                case .changeOperation:
                    try db.execute(sql: "UPDATE participants SET operation_id = ? WHERE id = ?", arguments: [k % 3 == 0 ? nil : operations[k % 2], participant])
                case .merge:
                    let kept = participants[(k + 1) % participants.count]
                    if kept != participant { try db.execute(sql: "UPDATE participants SET merged_into = ? WHERE id = ?", arguments: [kept, participant]) }
                case .unmerge:
                    try db.execute(sql: "UPDATE participants SET merged_into = NULL WHERE id = ?", arguments: [participant])
                case .enter:
                    try db.execute(sql: "UPDATE participants SET entry_date = ?, status = 'active' WHERE id = ?", arguments: ["2026-03-0\(1 + k % 9)", participant])
                }
            }
        }
        let (expected, actual) = try t.pool.read { db in
            (try Row.fetchAll(db, sql: definition), try Row.fetchAll(db, sql: kept))
        }
        #expect(actual == expected, "after \(writes)")
    }

    @Test("the migration fills the table from the rows already there")
    func backfill() throws {
        let t = try TestApp(today: "2026-03-10")
        let data = IndicatorData(t.pool)
        let referent = data.referent(data.structure())
        let p = data.participant(referent, entry: "2026-01-05")
        data.step(p, status: "completed", plannedEnd: "2026-02-01", actualEnd: "2026-02-03")
        data.step(p, status: "planned", plannedEnd: "2026-04-01")
        // Rebuild as the migration does, from an emptied table.
        let migration = try String(contentsOfFile: TestApp.migrationsDirectory + "/0004_participant_facts.sql", encoding: .utf8)
        let fill = try #require(migration.components(separatedBy: "\n\n").first { $0.hasPrefix("INSERT INTO participant_facts") })
        try t.pool.write { db in
            try db.execute(sql: "DELETE FROM participant_facts")
            try db.execute(sql: fill)
        }
        let row = try #require(try t.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM participant_facts WHERE id = ?", arguments: [p]) })
        #expect(row["open_steps"] as Int == 1)
        #expect(row["last_step_end"] as String == "2026-04-01")
        #expect(row["referent_id"] as Int64 == referent)
        #expect(row["entry_date"] as String == "2026-01-05")
    }
}
