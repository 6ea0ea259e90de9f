#if os(Linux)
import CParcoursMalloc
#endif
import Dispatch
import Domain
import Storage
import GRDB

/// The SQL of `GET /v1/indicators`: seven statements, each answering one row per participant
/// (or per exit, follow-up, positioning... of a participant), summed in Swift into the
/// participant's `Contribution` and then into (referent, operation) cells.
///
/// Per participant, so that the whole PLIE's contributions can be kept between calls and only
/// the participants changed since recomputed (`FactsCache`, migrations/0006): a call then costs
/// what changed, not the period's tens of thousands of participants.
///
/// The pathway facts (caseload, interview compliance, gaps, followed) are computed once per
/// participant whose current pathway overlaps the period; exits, entries, follow-ups, late
/// contracts and pending positionings come from range scans of their own indexes.
struct IndicatorQuery {
    let period: IndicatorPeriod
    let scope: CaseloadScope
    let settings: Settings
    /// Whether to collect the participant ids behind each count.
    let detail: Bool
    /// The whole PLIE's contributions kept between calls (nil: always computed).
    var cache: FactsCache? = nil

    /// The statements' arguments: the scope's, the period's and the settings'.
    var arguments: [String: DatabaseValueConvertible?] {
        var args = scope.arguments  // named: a fragment may name a day several times
        args["from"] = period.from.description
        args["to"] = period.to.description
        args["min_interviews"] = settings.minInterviewsPerMonth
        for (k, v) in PathwaySQL.cutoffs(on: period.to, settings: settings) { args[k] = v }
        return args
    }

    /// The whole PLIE's query for the same period and settings, its arguments, and the cache's
    /// key for them. The scope's arguments are left out of the key: every other argument is a
    /// function of the period and the settings.
    var wholeProgramme: (query: IndicatorQuery, arguments: [String: DatabaseValueConvertible?], key: String) {
        let wholeArgs = arguments.filter { scope.arguments[$0.key] == nil }
        let key = wholeArgs.keys.sorted().map { k in "\(k)=\(wholeArgs[k].flatMap { $0 }.map { String(describing: $0.databaseValue) } ?? "nil")" }
            .joined(separator: ";")
        return (IndicatorQuery(period: period, scope: .wholeProgramme, settings: settings, detail: false), wholeArgs, key)
    }

    /// The statements of `contributions`. Each sets fields of a participant's contribution that
    /// no other sets, so the contributions of different statements add up (`Contribution.absorb`).
    enum Statement: CaseIterable {
        case exits, entries, pathway, followUpsInProgress, followUpsCompleted, contractsLate, positionings
    }

    /// The pieces a full computation is cut into, to run on several connections at once: the
    /// pathway statement (half of the work, per participant in pathway) in `parts` shares of the
    /// participants, the others whole, in about equal groups. Why not every statement in shares:
    /// the others read a range of an index (exits of the period, follow-ups not ended...) that
    /// each share would read in full to keep its part of it. The longest pieces come first.
    static func pieces(parts: Int) -> [(statements: Set<Statement>, part: (index: Int, count: Int)?)] {
        let count = max(1, parts)
        return (0..<count).map { ([.pathway], (index: $0, count: count)) }
            + [([.exits], nil), ([.followUpsInProgress], nil), ([.entries, .followUpsCompleted], nil), ([.positionings, .contractsLate], nil)]
    }

    /// Before a read transaction that will ask the cache: when the whole PLIE's figures for this
    /// period and settings are not kept, computes them on `parts` connections at once, in the
    /// `pieces` (`FactsCache.prime`). A no-op without a cache, or with detail.
    func primeCache(_ readers: ReadConnections, parts: Int) throws {
        guard let cache, !detail else { return }
        let (query, args, key) = wholeProgramme
        let pieces = Self.pieces(parts: parts)
        let computed = try cache.prime(key: key, pieces: pieces.count, shares: max(1, parts), width: parts) { i in
            // The pathway statement reads its tables in order, and a larger cache only costs it
            // the allocation; the others seek the participants' facts (and follow-ups, current
            // pathways) in the order of an index, and reread what a small cache let go: 30-40 %
            // of their time (docs/PERFORMANCE.md). Either way the cache is emptied after: the
            // next write would make it useless.
            let cacheKiB: Int? = pieces[i].statements.contains(.pathway) ? nil : 32_768
            return try readers.scratchRead(cacheKiB: cacheKiB) { db in
                (try FactsCache.position(db),
                 try query.piece(db, args, part: pieces[i].part, statements: pieces[i].statements))
            }
        }
        // The pieces' tables and page caches were freed, most of them inside glibc's heap, which
        // keeps the pages: 12 MiB of the process after a first call on the 100k database
        // (docs/PERFORMANCE.md). Only after a computation (a kept period frees nothing), and on
        // another thread: the caller holds the cache's turn, which other callers wait for.
        #if os(Linux)
        if computed { DispatchQueue.global(qos: .utility).async { parcours_trim_heap() } }
        #else
        _ = computed
        #endif
    }

    func run(_ db: Database) throws -> [IndicatorCell: IndicatorCounts] {
        let args = arguments
        if let cache, !detail {
            // The whole PLIE's cells, kept between calls; a referent's, a structure's or an operation's
            // figures are some of those cells.
            let (wholeQuery, wholeArgs, key) = wholeProgramme
            let cells = try cache.cells(db, key: key, compute: { try wholeQuery.contributions(db, wholeArgs, only: $0) })
            guard scope.narrowsParticipants else { return cells }
            let keep = try scope.cellFilter(db)
            return cells.filter { keep($0.key) }
        }
        var cells: [IndicatorCell: IndicatorCounts] = [:]
        for (pid, c) in try contributions(db, args, only: nil) {
            cells.modify(c.cell, default: IndicatorCounts()) { $0.add(c, participant: pid, detail: detail) }
        }
        return cells
    }

    /// The bits set in `mask` from bit `offset` on, `count` of them (at most 63 in all: the
    /// months of migrations/0010's masks).
    static func monthsInMask(_ mask: Int64, from offset: Int, count: Int) -> Int32 {
        guard count > 0, offset >= 0, offset + count <= 63 else { return 0 }
        let window = (UInt64(bitPattern: mask) >> UInt64(offset)) & ((1 << UInt64(count)) - 1)
        return Int32(window.nonzeroBitCount)
    }

    /// Each participant's contribution to the figures, within the scope, or for the participants
    /// `only` names (the cache's update), or for one `part` of `count` (participants whose id is
    /// `part` modulo `count`: shares computed at once on several connections); from every
    /// statement, or from those of `statements` only (the fields the others set are left zero).
    func contributions(_ db: Database, _ args: [String: DatabaseValueConvertible?], only: [Int64]?,
                       part: (index: Int, count: Int)? = nil,
                       statements: Set<Statement> = Set(Statement.allCases)) throws -> [Int64: Contribution] {
        var out: [Int64: Contribution] = [:]
        if let only { out.reserveCapacity(only.count) }
        try collect(db, args, only: only, part: part, statements: statements, into: &out)
        return out
    }

    /// The same for everybody (of the scope), as one piece of a full computation
    /// (`FactsCache.prime`): for a share `part`, in slots (`ContributionSlots`) made at once for
    /// every id of `participant_facts` of that share; without one, as the list of rows read
    /// (`ContributionRows`: those statements touch a few of the participants).
    func piece(_ db: Database, _ args: [String: DatabaseValueConvertible?],
               part: (index: Int, count: Int)? = nil,
               statements: Set<Statement> = Set(Statement.allCases)) throws -> PieceFacts {
        guard let part else {
            var rows = ContributionRows()
            try collect(db, args, only: nil, part: nil, statements: statements, into: &rows)
            return .rows(rows)
        }
        let ids = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(id) FROM \(PathwaySQL.facts)")) ?? 0
        var out = ContributionSlots(stride: part.count, residue: part.index, ids: ids)
        try collect(db, args, only: nil, part: part, statements: statements, into: &out)
        return .share(out)
    }

    private func collect<Sink: ContributionSink>(_ db: Database, _ args: [String: DatabaseValueConvertible?], only: [Int64]?,
                                                 part: (index: Int, count: Int)?, statements: Set<Statement>,
                                                 into out: inout Sink) throws {
        var arguments = args
        var restriction = ""
        if let only {
            arguments["only"] = "[" + only.map(String.init).joined(separator: ",") + "]"
            restriction = "AND p.id IN (SELECT value FROM json_each(:only))"
        }
        var share = ""
        if let part, part.count > 1 {
            arguments["part"] = part.index
            arguments["parts"] = part.count
            share = "AND %@ % :parts = :part"
        }
        let statementArguments = StatementArguments(arguments)
        /// Reads `sql` (first columns: participant, referent, operation) into the participants'
        /// contributions, when `statement` is asked for.
        func each(_ statement: Statement, _ sql: @autoclosure () -> String, _ body: (Row, inout Contribution) throws -> Void) throws {
            guard statements.contains(statement) else { return }
            let sql = sql()
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: statementArguments)
            while let row = try rows.next() {
                let pid: Int64 = row[0]
                try out.modify(pid, default: Contribution(cell: IndicatorCell(referentId: row[1], operationId: row[2]))) { try body(row, &$0) }
            }
        }
        let scoped = PathwaySQL.ownerOf("x", referent: scope.needsReferent)
        /// The scope and the restriction, and the share on the column that drives the statement
        /// (tested as each of its rows is read, before any join).
        func filter(_ driving: String) -> String {
            "\(scope.sql) \(restriction) \(share.replacingOccurrences(of: "%@", with: driving))"
        }

        // Validated exits dated in the period. Pathway days from the exit's recorded entry, else the
        // participant's entry when it precedes the exit (the same pathway).
        try each(.exits, """
            SELECT p.id, p.referent_id, p.operation_id, x.category,
                   julianday(x.date) - julianday(coalesce(x.entry_date, CASE WHEN p.entry_date <= x.date THEN p.entry_date END)) AS d,
                   (p.entry_date IS NULL OR p.entry_date > :to) AS outside
            FROM exits x \(scoped)
            WHERE x.status = 'validated' AND x.date BETWEEN :from AND :to AND \(filter("x.participant_id"))
            """) { row, c in
            let slot = Contribution.categories.firstIndex(of: ExitCategory(rawValue: row[3]) ?? .other) ?? 2
            c.exits[slot] += 1
            // Whole days: the difference of two dates' julian days.
            if let days = row[4] as Double? { c.pathwayDays[slot] += Int32(days.rounded()); c.pathwayExits[slot] += 1 }
            // Exited in the period from an earlier pathway (re-entered since, after `to`): still followed.
            if row[5] as Bool { c.exitedEarlierPathway = true }
        }

        // Entries: contracts signed in the period.
        try each(.entries, """
            SELECT p.id, p.referent_id, p.operation_id FROM contracts x \(scoped)
            WHERE x.signed_on BETWEEN :from AND :to AND \(filter("x.participant_id"))
            """) { _, c in c.entries += 1 }

        // The pathway facts, once per participant in pathway at some day of the period. For the whole
        // PLIE, current_pathways is read in rowid order (NOT INDEXED still seeks by rowid): every later
        // seek (facts) then moves forward through its table, several times faster than in the random
        // order of the period index. A referent's or an operation's scope starts from the facts'
        // index instead, and a list of ids from those ids. Nothing here is computed from a date: the
        // pathway's whole months are stored with it (migrations/0008).
        //
        // Interview compliance counts the months from `firstMonth` to `lastMonth` that hold the
        // minimum of interviews. For a minimum of 1 to 3 and months within the pathway's first 63,
        // the pathway keeps those months as the bits of a mask (migrations/0010), and the bits are
        // counted here. Otherwise the rows of `interview_months` are counted (`compliantMonths`).
        // The statement answers the pathway's stored months and the minimum as they are, and the
        // months of the period are worked out here: as SQL, each use of `firstMonth` or
        // `lastMonth` evaluated its expression again, a quarter of the statement's cost.
        let joinReferent = scope.needsReferent ? "JOIN referents r ON r.id = p.referent_id" : ""
        let pathways = scope.narrowsParticipants || only != nil ? "current_pathways cp" : "current_pathways cp NOT INDEXED"
        let onTo = "(cp.exit_date IS NULL OR cp.exit_date >= :to)"
        let minimum = PathwaySQL.minimumInterviews(operation: "o")
        let whole = period.wholeMonthNumbers
        /// The months from `first` to `last` with at least `minimum` interviews, from `interview_months`.
        func compliantMonths(_ pid: Int64, _ first: Int, _ last: Int, _ minimum: Int) throws -> Int32 {
            try Int32.fetchOne(db.cachedStatement(sql: """
                SELECT count(*) FROM interview_months WHERE participant_id = ? AND month BETWEEN ? AND ? AND count >= ?
                """), arguments: [pid, first, last, minimum]) ?? 0
        }
        try each(.pathway, """
            SELECT p.id, p.referent_id, p.operation_id, \(onTo) AS on_to, cp.first_month, cp.last_month, \(minimum) AS minimum,
                   CASE WHEN \(onTo) THEN \(PathwaySQL.hasGap) ELSE 0 END AS gap,
                   CASE \(minimum) WHEN 1 THEN cp.months_1 WHEN 2 THEN cp.months_2 WHEN 3 THEN cp.months_3 ELSE 0 END AS mask
            FROM \(pathways) JOIN \(PathwaySQL.facts) p ON p.id = cp.participant_id \(joinReferent)
                 LEFT JOIN operations o ON o.id = p.operation_id
            WHERE \(PathwaySQL.overlapsPeriod) AND \(filter("cp.participant_id"))
            """) { row, c in
            c.inPathway = true
            c.onTo = row[3]
            c.gap = row[7]
            // The whole months in pathway and in the period (the pathway's last is nil while open).
            let stored: Int = row[4]
            let first = max(stored, whole.first)
            let last = (row[5] as Int?).map { min($0, whole.last) } ?? whole.last
            guard last >= first else { return }
            let months = last - first + 1
            let minimum: Int = row[6]
            c.months = Int32(months)
            if minimum <= 0 {
                c.compliant = Int32(months)
            } else if minimum <= 3 && last <= stored + 62 {
                c.compliant = Self.monthsInMask(row[8], from: first - stored, count: months)
            } else {
                c.compliant = try compliantMonths(row[0], first, last, minimum)
            }
        }

        // Follow-ups in progress on `to` of participants in pathway on `to`, and those with a contact
        // overdue: a range of `follow_ups_ends` (those not ended by `to`), a few thousand rows.
        try each(.followUpsInProgress, """
            SELECT p.id, p.referent_id, p.operation_id, \(PathwaySQL.contactOverdue(on: ":to")) AS overdue
            FROM follow_ups f JOIN current_pathways cp ON cp.participant_id = f.participant_id
                 \(PathwaySQL.ownerOf("f", referent: scope.needsReferent))
            WHERE f.ends_on > :to AND \(PathwaySQL.followUpInProgress(on: ":to"))
              AND cp.entry_date <= :to AND (cp.exit_date IS NULL OR cp.exit_date >= :to) AND \(filter("f.participant_id"))
            """) { row, c in
            c.followUpsInProgress += 1
            if row[3] as Bool { c.overdueContacts += 1 }
        }

        // Follow-ups completed in the period.
        try each(.followUpsCompleted, """
            SELECT p.id, p.referent_id, p.operation_id
            FROM follow_ups f \(PathwaySQL.ownerOf("f", referent: scope.needsReferent))
            WHERE f.ends_on BETWEEN :from AND :to AND \(PathwaySQL.followUpCompleted(by: ":to")) AND \(filter("f.participant_id"))
            """) { _, c in c.followUpsCompleted += 1 }

        // Contracts still unsigned after the delay. For a list of ids, from those ids: the status
        // index would read every admitted participant to keep a handful.
        let admitted = only == nil ? "participants p" : "participants p NOT INDEXED"
        try each(.contractsLate, """
            SELECT p.id, p.referent_id, p.operation_id FROM \(admitted) \(joinReferent)
            WHERE \(PathwaySQL.contractLate) AND \(filter("p.id"))
            """) { _, c in c.contractLate = true }

        // Positionings without result after the delay.
        try each(.positionings, """
            SELECT p.id, p.referent_id, p.operation_id FROM positionings x \(scoped)
            WHERE \(PathwaySQL.positioningPending) AND \(filter("x.participant_id"))
            """) { _, c in c.pendingPositionings += 1 }
    }
}
