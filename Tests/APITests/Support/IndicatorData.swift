@testable import API
import Domain
import GRDB

/// Rows for the indicator and alert tests, written straight into the database with SQL (the
/// routes that create them belong to other parts of the API), and kept in memory so the tests'
/// reference can recompute every figure by brute force.
final class IndicatorData {
    struct Referent { let id: Int64; let structure: Int64; let fte: Double; let expected: Int? }
    struct Operation { let id: Int64; let minInterviews: Int?; let positiveTarget: Double?; let minFollowed: Int?; let workTarget: Double? }
    struct Participant {
        let id: Int64; let referent: Int64; let operation: Int64?
        let status: String; let entry: Day?; let admittedOn: Day?
    }
    struct Exit { let id: Int64; let participant: Int64; let type: ExitType; let date: Day; let status: String; let entry: Day? }
    struct Step { let participant: Int64; let status: String; let plannedEnd: Day?; let actualEnd: Day? }
    struct FollowUpRow { let id: Int64; let participant: Int64; let starts: Day; let ends: Day; let interrupted: Day?; var contacts: [Day] }
    struct Positioning { let id: Int64; let participant: Int64; let proposed: Day; let hasResult: Bool }

    let pool: DatabasePool
    var structures: [Int64] = []
    var referents: [Referent] = []
    var operations: [Operation] = []
    var participants: [Participant] = []
    var exits: [Exit] = []
    var contracts: [(participant: Int64, signed: Day)] = []
    var interviews: [(participant: Int64, date: Day)] = []
    var steps: [Step] = []
    var followUps: [FollowUpRow] = []
    var positionings: [Positioning] = []
    private var jobOffer: Int64?

    init(_ pool: DatabasePool) { self.pool = pool }

    static let now = "2026-01-01T00:00:00Z"

    /// The write transaction of `batch`, when one is running.
    private var current: Database?

    /// Writes the rows inserted by `body` in one transaction instead of one per row.
    func batch(_ body: () -> Void) {
        try! pool.write { db in
            current = db
            defer { current = nil }
            body()
        }
    }

    private func insert(_ sql: String, _ args: [DatabaseValueConvertible?]) -> Int64 {
        // Tests only: a failed insert is a broken fixture.
        let body = { (db: Database) throws -> Int64 in
            try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(args))
            return db.lastInsertedRowID
        }
        if let current { return try! body(current) }
        return try! pool.write(body)
    }

    @discardableResult func structure(_ name: String = "Structure") -> Int64 {
        let id = insert("INSERT INTO structures (name, created_at, updated_at) VALUES (?, ?, ?)", [name, Self.now, Self.now])
        structures.append(id)
        return id
    }

    @discardableResult func referent(_ structure: Int64, fte: Double = 1, expected: Int? = nil, name: String = "Anne") -> Int64 {
        let id = insert("""
            INSERT INTO referents (structure_id, first_name, last_name, fte, expected_entries_per_year, created_at, updated_at)
            VALUES (?, ?, 'Martin', ?, ?, ?, ?)
            """, [structure, name, fte, expected, Self.now, Self.now])
        referents.append(Referent(id: id, structure: structure, fte: fte, expected: expected))
        return id
    }

    @discardableResult func operation(minInterviews: Int? = nil, positiveTarget: Double? = nil, minFollowed: Int? = nil, workTarget: Double? = nil) -> Int64 {
        let id = insert("""
            INSERT INTO operations (name, min_interviews_per_month, positive_exit_target, min_followed, work_or_training_exit_target, created_at, updated_at)
            VALUES ('Opération', ?, ?, ?, ?, ?, ?)
            """, [minInterviews, positiveTarget, minFollowed, workTarget, Self.now, Self.now])
        operations.append(Operation(id: id, minInterviews: minInterviews, positiveTarget: positiveTarget, minFollowed: minFollowed, workTarget: workTarget))
        return id
    }

    /// A participant; an entry date also records the signed contract of that day.
    @discardableResult func participant(_ referent: Int64, operation: Int64? = nil, status: String = "active", entry: String? = nil,
                                        admittedOn: String? = nil, contract: Bool = true) -> Int64 {
        let n = participants.count + 1
        let id = insert("""
            INSERT INTO participants (first_name, last_name, identity_key, referent_id, operation_id, status, entry_date, admitted_on, created_at, updated_at)
            VALUES ('P', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, ["N\(n)", "n\(n)|p|", referent, operation, status, entry, admittedOn, Self.now, Self.now])
        participants.append(Participant(id: id, referent: referent, operation: operation, status: status,
                                        entry: entry.flatMap(Day.init), admittedOn: admittedOn.flatMap(Day.init)))
        if contract, let entry { self.contract(id, entry) }
        return id
    }

    func contract(_ participant: Int64, _ signed: String) {
        _ = insert("INSERT INTO contracts (participant_id, signed_on, created_at) VALUES (?, ?, ?)", [participant, signed, Self.now])
        contracts.append((participant, Day(signed)!))
    }

    @discardableResult func exit(_ participant: Int64, _ type: ExitType, _ date: String, status: String = "validated", entry: String? = nil,
                                 createdAt: String = now) -> Int64 {
        let id = insert("""
            INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, entry_date, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'other', ?, 'active', ?, ?, ?)
            """, [participant, type.rawValue, type.category.rawValue, date, status, entry, createdAt, Self.now])
        exits.append(Exit(id: id, participant: participant, type: type, date: Day(date)!, status: status, entry: entry.flatMap(Day.init)))
        return id
    }

    func interview(_ participant: Int64, _ date: String) {
        _ = insert("INSERT INTO interviews (participant_id, date, kind, summary, created_at) VALUES (?, ?, 'individual', 'Point sur les freins', ?)",
                   [participant, date, Self.now])
        interviews.append((participant, Day(date)!))
    }

    @discardableResult func step(_ participant: Int64, status: String, plannedStart: String? = nil, plannedEnd: String? = nil,
                                 actualStart: String? = nil, actualEnd: String? = nil) -> Int64 {
        let id = insert("""
            INSERT INTO steps (participant_id, type, status, planned_start, planned_end, actual_start, actual_end, created_at, updated_at)
            VALUES (?, 'job_search_workshop', ?, ?, ?, ?, ?, ?, ?)
            """, [participant, status, plannedStart, plannedEnd, actualStart, actualEnd, Self.now, Self.now])
        steps.append(Step(participant: participant, status: status, plannedEnd: plannedEnd.flatMap(Day.init), actualEnd: actualEnd.flatMap(Day.init)))
        return id
    }

    @discardableResult func followUp(_ participant: Int64, starts: String, ends: String? = nil, interrupted: String? = nil) -> Int64 {
        let start = Day(starts)!
        let end = ends.flatMap(Day.init) ?? FollowUp.endDate(starting: start, settings: Settings())
        let id = insert("""
            INSERT INTO follow_ups (participant_id, starts_on, ends_on, interrupted_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [participant, starts, end.description, interrupted, Self.now, Self.now])
        followUps.append(FollowUpRow(id: id, participant: participant, starts: start, ends: end, interrupted: interrupted.flatMap(Day.init), contacts: []))
        return id
    }

    func contact(_ followUp: Int64, _ date: String) {
        _ = insert("INSERT INTO follow_up_contacts (follow_up_id, date, with_whom, summary, created_at) VALUES (?, ?, 'participant', 'Appel', ?)",
                   [followUp, date, Self.now])
        if let i = followUps.firstIndex(where: { $0.id == followUp }) { followUps[i].contacts.append(Day(date)!) }
    }

    @discardableResult func positioning(_ participant: Int64, proposed: String, result: String? = nil) -> Int64 {
        let offer = jobOffer ?? insert("INSERT INTO job_offers (title, employer, created_at, updated_at) VALUES ('Agent', 'Mairie', ?, ?)", [Self.now, Self.now])
        jobOffer = offer
        let id = insert("""
            INSERT INTO positionings (participant_id, job_offer_id, proposed_on, result, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [participant, offer, proposed, result, result == nil ? nil : "Entretien", Self.now, Self.now])
        positionings.append(Positioning(id: id, participant: participant, proposed: Day(proposed)!, hasResult: result != nil))
        return id
    }

    /// Runs SQL on the database (to resolve an alert, say).
    func execute(_ sql: String, _ args: [DatabaseValueConvertible?] = []) {
        try! pool.write { db in try db.execute(sql: sql, arguments: StatementArguments(args)) }
    }
}
