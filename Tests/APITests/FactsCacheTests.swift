@testable import API
import Domain
import Foundation
import GRDB
import PropertyBased
import Testing

/// The whole PLIE's pathway facts kept between indicator calls (FactsCache, migrations/0006)
/// must give, after any writes, exactly what a computation from scratch gives on the same snapshot.
@Suite("Indicator facts cache")
struct FactsCacheTests {
    enum Write: CaseIterable {
        case interview, deleteInterview, step, closeSteps, reassign, changeOperation, operationMinimum, merge, exit, validateExit,
             newParticipant, enter, contract, followUp, interruptFollowUp, contact, positioning, positioningResult, admit, admissionDate
    }

    /// Every count of every cell, to compare two answers field by field.
    static func summary(_ cells: [IndicatorCell: IndicatorCounts]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (cell, c) in cells {
            var days: [Double] = []
            for category in ExitCategory.allCases { days += [c.pathwayDays(category).sum, Double(c.pathwayDays(category).count)] }
            out["\(cell.referentId)/\(cell.operationId.map(String.init) ?? "-")"] = [
                c.exits, c.positiveExits, c.administrativeExits, c.otherExits, c.entries, c.caseload, c.complianceMonths, c.compliantMonths,
                c.followUpsInProgress, c.followUpsCompleted, c.overdueContacts, c.gaps, c.contractDelays, c.pendingPositionings, c.followed,
            ].map(Double.init) + days
        }
        return out
    }

    @Test("after random writes between calls, the cached facts equal a computation from scratch, and most calls are updates")
    func randomWrites() async throws {
        let outcomes = OutcomeLog()
        await propertyCheck(count: 15, input: Gen.int(in: 0...(Write.allCases.count - 1)).array(of: 1...30), Gen.int(in: 0...10_000).array(of: 30)) { writes, picks in
            do { outcomes.add(try Self.check(writes.map { Write.allCases[$0] }, picks)) } catch { Issue.record("\(error)") }
        }
        let all = outcomes.all
        #expect(all.contains("updated"), "the cache never updated in place: \(Set(all))")
        #expect(all.contains("full"))
    }

    static func check(_ writes: [Write], _ picks: [Int]) throws -> [String] {
        let t = try TestApp(today: "2026-06-30")
        let data = Self.dataset(t)
        let cache = FactsCache()
        let scope = CaseloadScope.wholeProgramme
        let query = { (cache: FactsCache?) in
            IndicatorQuery(period: IndicatorPeriod(from: Day("2026-01-01")!, to: Day("2026-06-30")!), scope: scope,
                           settings: Settings(), detail: false, cache: cache)
        }
        var outcomes: [String] = []
        func scoped(_ condition: String, _ name: String, _ id: Int64) -> IndicatorQuery {
            var narrow = scope
            narrow.conditions.append(condition)
            narrow.arguments[name] = id
            if name == "structure_id" { narrow.needsReferent = true }
            return IndicatorQuery(period: IndicatorPeriod(from: Day("2026-01-01")!, to: Day("2026-06-30")!), scope: narrow,
                                  settings: Settings(), detail: false, cache: cache)
        }
        func compare(_ after: String) throws {
            let (cached, fresh) = try t.pool.read { db in (try query(cache).run(db), try query(nil).run(db)) }
            outcomes.append(cache.lastOutcome)
            #expect(summary(cached) == summary(fresh), "after \(after)")
            // A referent's, an operation's and a structure's figures: cells of the cached whole.
            for narrow in [scoped("p.referent_id = :referent_id", "referent_id", data.referents[1].id),
                           scoped("p.operation_id = :operation_id", "operation_id", data.operations[1].id),
                           scoped("r.structure_id = :structure_id", "structure_id", data.structures[0])] {
                var uncached = narrow
                uncached.cache = nil
                let (a, b) = try t.pool.read { db in (try narrow.run(db), try uncached.run(db)) }
                #expect(summary(a) == summary(b), "scope \(narrow.scope.conditions) after \(after)")
            }
        }
        try compare("the first call")
        let participants = data.participants.map(\.id)
        let referents = data.referents.map(\.id)
        let operations = data.operations.map(\.id)
        for (n, write) in writes.enumerated() {
            let k = picks[n % picks.count]
            let p = participants[k % participants.count]
            let month = 1 + k % 6
            switch write {
            case .interview: data.interview(p, "2026-0\(month)-1\(k % 9)")
            case .newParticipant: data.participant(referents[k % referents.count], operation: operations[k % operations.count], entry: "2026-0\(month)-02")
            case .step: data.step(p, status: ["planned", "ongoing", "completed"][k % 3], plannedEnd: "2026-0\(month)-20")
            case .contract: data.contract(p, "2026-0\(month)-0\(1 + k % 9)")
            case .followUp: data.followUp(p, starts: "2026-0\(month)-0\(1 + k % 9)")
            case .positioning: data.positioning(p, proposed: "2026-0\(month)-1\(k % 9)")
            default:
                try t.pool.write { db in
                    switch write {
                    case .deleteInterview:
                        try db.execute(sql: "DELETE FROM interviews WHERE id = (SELECT max(id) FROM interviews WHERE participant_id = ?)", arguments: [p])
                    case .closeSteps:
                        try db.execute(sql: "UPDATE steps SET status = 'completed', actual_end = ? WHERE participant_id = ?", arguments: ["2026-0\(month)-05", p])
                    case .reassign:
                        try db.execute(sql: "UPDATE participants SET referent_id = ? WHERE id = ?", arguments: [referents[k % referents.count], p])
                    case .changeOperation:
                        try db.execute(sql: "UPDATE participants SET operation_id = ? WHERE id = ?", arguments: [k % 2 == 0 ? nil : operations[k % operations.count], p])
                    case .operationMinimum:
                        try db.execute(sql: "UPDATE operations SET min_interviews_per_month = ? WHERE id = ?", arguments: [k % 4, operations[k % operations.count]])
                    case .merge:
                        let kept = participants[(k + 1) % participants.count]
                        if kept != p { try db.execute(sql: "UPDATE participants SET merged_into = ? WHERE id = ? AND merged_into IS NULL", arguments: [kept, p]) }
                    case .exit:
                        try db.execute(sql: """
                            INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, created_at, updated_at)
                            VALUES (?, 'cdi', 'positive', ?, 'in_employment', 'proposed', 'active', 'x', 'x')
                            """, arguments: [p, "2026-0\(month)-15"])
                    case .validateExit:
                        try db.execute(sql: "UPDATE exits SET status = 'validated' WHERE participant_id = ? AND status = 'proposed'", arguments: [p])
                    case .enter:
                        try db.execute(sql: "UPDATE participants SET entry_date = ?, status = 'active' WHERE id = ?", arguments: ["2026-0\(month)-01", p])
                    case .interruptFollowUp:
                        try db.execute(sql: "UPDATE follow_ups SET interrupted_on = ? WHERE participant_id = ? AND interrupted_on IS NULL",
                                       arguments: ["2026-0\(month)-25", p])
                    case .contact:
                        try db.execute(sql: """
                            INSERT INTO follow_up_contacts (follow_up_id, date, with_whom, summary, created_at)
                            SELECT id, ?, 'employer', 'ok', 'x' FROM follow_ups WHERE participant_id = ? ORDER BY id DESC LIMIT 1
                            """, arguments: ["2026-0\(month)-2\(k % 8)", p])
                    case .positioningResult:
                        try db.execute(sql: "UPDATE positionings SET result = 'hired', result_on = ?, reason = 'Embauche' WHERE participant_id = ? AND result IS NULL",
                                       arguments: ["2026-0\(month)-28", p])
                    case .admit:
                        try db.execute(sql: "UPDATE participants SET status = 'admitted', admitted_on = ?, entry_date = NULL WHERE id = ?",
                                       arguments: ["2026-0\(month)-03", p])
                    case .admissionDate:
                        // Only the admission date: "contract late" moves, nothing else the facts read.
                        try db.execute(sql: "UPDATE participants SET admitted_on = ? WHERE status = 'admitted'", arguments: ["2026-0\(month)-2\(k % 8)"])
                    case .interview, .newParticipant, .step, .contract, .followUp, .positioning: break
                    }
                }
            }
            // Not after every write: a call then sees several changes at once.
            if k % 3 == 0 || n == writes.count - 1 { try compare("\(writes[...n])") }
        }
        return outcomes
    }

    /// Two referents, two operations (one with its own minimum), eight participants entered at
    /// different times, with interviews, steps and one validated exit.
    static func dataset(_ t: TestApp) -> IndicatorData {
        let data = IndicatorData(t.pool)
        let s = data.structure()
        let referents = [data.referent(s), data.referent(s, name: "Paul")]
        let operations = [data.operation(), data.operation(minInterviews: 1)]
        for n in 0..<8 {
            let p = data.participant(referents[n % 2], operation: n % 3 == 0 ? nil : operations[n % 2], entry: "2025-1\(n % 3)-0\(1 + n)")
            for m in 0..<(n % 4) { data.interview(p, "2026-0\(m + 1)-1\(n)") }
            if n % 2 == 0 { data.step(p, status: "ongoing", plannedEnd: "2026-07-01") }
            if n == 5 { data.exit(p, .cdi, "2026-04-30") }
        }
        return data
    }

    @Test("the maintenance refresh computes a new day's default period before the first call, once indicators were asked for")
    func refresh() throws {
        let t = try TestApp(today: "2026-06-30")
        _ = Self.dataset(t)
        let env = t.app.env
        try Housekeeping.refreshIndicators(env)
        #expect(env.factsCache.isEmpty, "an idle server keeps its memory")
        #expect(t.get("/v1/indicators").status == 200)
        #expect(env.factsCache.primes == 1, "the first call computes its period (in shares)")
        t.setToday("2026-07-01")
        try Housekeeping.refreshIndicators(env)
        #expect(env.factsCache.primes == 2, "the refresh computes the new day's period")
        let first = t.get("/v1/indicators")
        #expect(first.status == 200)
        #expect(env.factsCache.primes == 2 && env.factsCache.lastOutcome == "hit", "the first call of the day finds its figures computed")
        #expect(first.json["period"]?["to"] == "2026-07-01")
    }

    @Test("a dictionary's value changed in place: an existing one changed where it lies, a missing one built, changed and inserted")
    func modifyInPlace() {
        let cell = IndicatorCell(referentId: 1, operationId: nil)
        var table: [Int64: Contribution] = [7: Contribution(cell: cell)]
        var built = 0
        table.modify(7, default: { built += 1; return Contribution(cell: cell) }()) { $0.entries += 2 }
        table.modify(7, default: { built += 1; return Contribution(cell: cell) }()) { $0.entries += 1 }
        table.modify(9, default: { built += 1; return Contribution(cell: IndicatorCell(referentId: 2, operationId: 4)) }()) { $0.months = 5 }
        #expect(built == 1, "the default is built for the missing key only")
        #expect(table.count == 2 && table[7]?.entries == 3 && table[7]?.cell == cell)
        #expect(table[9]?.months == 5 && table[9]?.cell == IndicatorCell(referentId: 2, operationId: 4))
    }

    @Test("slots hold a share's contributions by id: in id order, growing past the ids made, the rest (too large, negative, another share's) beside them")
    func slots() {
        func c(_ n: Int32) -> Contribution { var c = Contribution(cell: IndicatorCell(referentId: Int64(n), operationId: nil)); c.entries = n; return c }
        var share = ContributionSlots(stride: 3, residue: 1, ids: 10)
        share[7] = c(7); share[1] = c(1); share[4] = c(4)
        share[40] = c(40)  // past the ids made at first
        share[Int64(ContributionSlots.maxSlots) * 3 + 1] = c(99)  // past the slots
        share[-2] = c(-2)  // negative: beside
        share[5] = c(5)  // of another residue: beside
        share.modify(4, default: c(0)) { $0.entries += 10 }
        share.modify(10, default: c(10)) { $0.months = 1 }
        share[7] = nil
        var seen: [(Int64, Int32)] = []
        share.forEach { pid, x in seen.append((pid, x.entries)) }
        let inSlots = Array(seen.prefix(4))
        #expect(inSlots.map(\.0) == [1, 4, 10, 40] && inSlots.map(\.1) == [1, 14, 10, 40])
        #expect(Set(seen.dropFirst(4).map(\.0)) == [Int64(ContributionSlots.maxSlots) * 3 + 1, -2, 5])
        #expect(share[7] == nil && share[13] == nil && share[1_000_000] == nil && share[5]?.entries == 5)
        #expect(seen.count == 7 && share[10]?.months == 1)
        #expect(MemoryLayout<Contribution?>.stride <= 96, "a slot takes no more than the contribution")
    }

    @Test("rows keep one entry per row read, in order, even for the same participant")
    func rows() {
        let cell = IndicatorCell(referentId: 3, operationId: nil)
        var rows = ContributionRows()
        rows.modify(8, default: Contribution(cell: cell)) { $0.exits[0] += 1 }
        rows.modify(2, default: Contribution(cell: cell)) { $0.entries = 1 }
        rows.modify(8, default: Contribution(cell: cell)) { $0.exits[0] += 1; $0.exitedEarlierPathway = true }
        var seen: [(Int64, Int32, Bool)] = []
        rows.forEach { pid, c in seen.append((pid, c.exits[0] + c.entries, c.exitedEarlierPathway)) }
        #expect(rows.count == 3)
        #expect(seen.map(\.0) == [8, 2, 8] && seen.map(\.1) == [1, 1, 1] && seen.map(\.2) == [false, false, true])
    }

    @Test("a participant's kept contribution takes 96 bytes, and its category slots keep each slot apart")
    func contributionSize() {
        // The cache keeps one per participant and period: 100,000 participants, two periods.
        #expect(MemoryLayout<Contribution>.stride <= 96)
        var slots = CategorySlots()
        slots[0] += 3; slots[1] += 5; slots[2] -= 2
        #expect((slots[0], slots[1], slots[2], slots.total) == (3, 5, -2, 6))
        #expect(slots != CategorySlots())
    }

    /// The whole PLIE's query for the first half of 2026 over `dataset`, and its contributions
    /// computed at once, for tests that compute them in parts.
    private static func withWhole(_ body: (Database, IndicatorQuery, [Int64: Contribution]) throws -> Void) throws {
        let t = try TestApp(today: "2026-06-30")
        _ = Self.dataset(t)
        let query = IndicatorQuery(period: IndicatorPeriod(from: Day("2026-01-01")!, to: Day("2026-06-30")!), scope: .wholeProgramme,
                                   settings: Settings(), detail: false)
        try t.pool.read { db in try body(db, query, try query.contributions(db, query.arguments, only: nil)) }
    }

    @Test("shares of the participants (id modulo the number of shares) together are exactly the whole")
    func sharesAddUp() throws {
        try Self.withWhole { db, query, whole in
            for count in [2, 3] {
                var union: [Int64: Contribution] = [:]
                for i in 0..<count {
                    let share = try query.contributions(db, query.arguments, only: nil, part: (i, count))
                    #expect(share.keys.allSatisfy { $0 % Int64(count) == Int64(i) })
                    union.merge(share) { a, _ in Issue.record("participant in two shares"); return a }
                }
                #expect(union == whole, "\(count) shares")
            }
            #expect(whole.count > 4)
        }
    }

    @Test("the pieces of a first computation (the pathway statement in shares, the others whole) add up to the whole")
    func piecesAddUp() throws {
        try Self.withWhole { db, query, whole in
            for parts in [1, 2, 3] {
                let pieces = IndicatorQuery.pieces(parts: parts)
                // Every statement is in exactly one piece, the pathway statement in every share.
                for statement in IndicatorQuery.Statement.allCases {
                    let holding = pieces.filter { $0.statements.contains(statement) }
                    #expect(holding.count == (statement == .pathway ? parts : 1), "\(statement)")
                }
                var sum: [Int64: Contribution] = [:]
                for piece in pieces {
                    // As `FactsCache.prime` gets them: a share's slots, or the rows of the others.
                    let facts = try query.piece(db, query.arguments, part: piece.part, statements: piece.statements)
                    switch facts {
                    case .share(let slots): #expect(piece.part != nil && slots.stride == parts)
                    case .rows: #expect(piece.part == nil)
                    }
                    facts.forEach { pid, c in sum.modify(pid, default: Contribution(cell: c.cell)) { $0.absorb(c) } }
                }
                #expect(sum == whole, "\(parts) shares")
            }
            // Each statement alone leaves the others' fields zero: a piece without the pathway
            // statement puts nobody in pathway.
            let exitsOnly = try query.contributions(db, query.arguments, only: nil, statements: [.exits])
            #expect(!exitsOnly.isEmpty && exitsOnly.values.allSatisfy { !$0.inPathway && $0.months == 0 && $0.entries == 0 })
        }
    }

    @Test("shares computed at different moments, with writes between, give the exact answer once brought forward")
    func primedAcrossWrites() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = Self.dataset(t)
        let period = IndicatorPeriod(from: Day("2026-01-01")!, to: Day("2026-06-30")!)
        let cache = FactsCache()
        let query = IndicatorQuery(period: period, scope: .wholeProgramme, settings: Settings(), detail: false, cache: cache)
        let (_, args, key) = query.wholeProgramme
        let pieces = IndicatorQuery.pieces(parts: 2)
        func piece(_ i: Int) throws -> (seq: Int64, facts: PieceFacts) {
            try t.pool.read { db in
                (try FactsCache.position(db), try query.piece(db, args, part: pieces[i].part, statements: pieces[i].statements))
            }
        }
        // Share 0 of the pathway statement before the writes (interviews for a participant of each
        // share), every other piece after them.
        let first = try piece(0)
        let ids = data.participants.map(\.id)
        for p in [ids.first { $0 % 2 == 0 }!, ids.first { $0 % 2 == 1 }!] { data.interview(p, "2026-05-12"); data.interview(p, "2026-05-13") }
        let later = try (1..<pieces.count).map(piece)
        #expect(later.allSatisfy { first.seq < $0.seq })
        try cache.prime(key: key, pieces: pieces.count, shares: 2, width: 2) { $0 == 0 ? first : later[$0 - 1] }
        #expect(cache.primes == 1)
        let (cached, fresh) = try t.pool.read { db in
            (try query.run(db), try IndicatorQuery(period: period, scope: .wholeProgramme, settings: Settings(), detail: false).run(db))
        }
        #expect(cache.lastOutcome == "updated")
        #expect(Self.summary(cached) == Self.summary(fresh))
        // A kept period is not computed again.
        try cache.prime(key: key, pieces: pieces.count, shares: 2, width: 2) { _ in Issue.record("computed again"); return first }
        #expect(cache.primes == 1)
    }

    @Test("a turn ended early lets the next caller in while the first goes on")
    func turnEndsEarly() throws {
        let cache = FactsCache()
        let order = OutcomeLog()
        let inside = DispatchSemaphore(value: 0), finish = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        done.enter()
        Thread {
            cache.turn { end in
                order.add(["first in"])
                end()
                inside.signal()
                finish.wait()  // still in its body, turn over
                order.add(["first out"])
            }
            done.leave()
        }.start()
        inside.wait()
        cache.turn { _ in order.add(["second"]) }
        finish.signal()
        done.wait()
        #expect(order.all == ["first in", "second", "first out"])
        // A turn not ended by its body ends when it returns.
        cache.turn { _ in }
        cache.serialized { order.add(["after"]) }
        #expect(order.all.last == "after")
    }

    @Test("the journal is bounded and a cache older than its oldest entry computes everything again")
    func boundedJournal() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = Self.dataset(t)
        let cache = FactsCache()
        let scope = CaseloadScope.wholeProgramme
        let query = IndicatorQuery(period: IndicatorPeriod(from: Day("2026-01-01")!, to: Day("2026-06-30")!), scope: scope,
                                   settings: Settings(), detail: false, cache: cache)
        _ = try t.pool.read { db in try query.run(db) }
        #expect(cache.lastOutcome == "full")
        _ = try t.pool.read { db in try query.run(db) }
        #expect(cache.lastOutcome == "hit")
        data.interview(data.participants[0].id, "2026-03-03")
        _ = try t.pool.read { db in try query.run(db) }
        #expect(cache.lastOutcome == "updated")
        // Entries dropped since the cache's position: it sees the gap.
        data.interview(data.participants[0].id, "2026-03-04")
        data.interview(data.participants[0].id, "2026-03-05")
        try t.pool.write { db in try db.execute(sql: "DELETE FROM indicator_changes WHERE seq < (SELECT max(seq) FROM indicator_changes)") }
        _ = try t.pool.read { db in try query.run(db) }
        #expect(cache.lastOutcome == "full")
        // The bound itself: 100,000 entries at most.
        try t.pool.write { db in
            for _ in 0..<100_010 { try db.execute(sql: "INSERT INTO indicator_changes (participant_id) VALUES (1)") }
        }
        #expect(try t.count("indicator_changes") == 100_000)
    }
}

final class OutcomeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [String] = []
    func add(_ more: [String]) { lock.lock(); outcomes += more; lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return outcomes }
}
