import Domain
import GRDB

/// The SQL of `GET /v1/indicators`: six aggregations, each grouped by (referent, operation),
/// so the rows read stay in SQLite and Swift only sums a few hundred cells.
///
/// The pathway facts (caseload, interview compliance, gaps, followed) are computed once per
/// participant in the `span` CTE, over the participants whose current
/// pathway overlaps the period; exits, entries, completed follow-ups, late contracts and
/// pending positionings come from range scans of their own indexes.
struct IndicatorQuery {
    let period: IndicatorPeriod
    let scope: CaseloadScope
    let settings: Settings
    /// Whether to collect the participant ids behind each count.
    let detail: Bool
    /// The whole PLIE's pathway facts kept between calls (nil: always read them).
    var cache: FactsCache? = nil

    func run(_ db: Database) throws -> [IndicatorCell: IndicatorCounts] {
        var cells: [IndicatorCell: IndicatorCounts] = [:]
        var args = scope.arguments  // named: a fragment may name a day several times
        args["from"] = period.from.description
        args["to"] = period.to.description
        args["min_interviews"] = settings.minInterviewsPerMonth
        for (k, v) in PathwaySQL.cutoffs(on: period.to, settings: settings) { args[k] = v }
        let whole = period.wholeMonthNumbers
        args["first_month"] = whole.first
        args["last_month"] = whole.last
        let arguments = StatementArguments(args)

        func each(_ sql: String, _ body: (Row, inout IndicatorCounts) -> Void) throws {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() {
                let cell = IndicatorCell(referentId: row["rid"], operationId: row["oid"])
                body(row, &cells[cell, default: IndicatorCounts()])
            }
        }
        // group_concat only when the ids are asked for: it is the costly part.
        func ids(_ expression: String) -> String { detail ? "group_concat(\(expression))" : "NULL" }
        let scoped = "JOIN \(PathwaySQL.facts) p ON p.id = x.participant_id JOIN referents r ON r.id = p.referent_id"

        // Validated exits dated in the period. Pathway days from the exit's recorded entry, else the
        // participant's entry when it precedes the exit (the same pathway).
        try each("""
            SELECT rid, oid, count(*) AS n,
                   sum(cat = 'positive') AS pos, sum(cat = 'administrative') AS adm, sum(cat = 'other') AS oth,
                   sum(CASE WHEN cat = 'positive' THEN d END) AS dpos, count(CASE WHEN cat = 'positive' THEN d END) AS npos,
                   sum(CASE WHEN cat = 'administrative' THEN d END) AS dadm, count(CASE WHEN cat = 'administrative' THEN d END) AS nadm,
                   sum(CASE WHEN cat = 'other' THEN d END) AS doth, count(CASE WHEN cat = 'other' THEN d END) AS noth,
                   count(DISTINCT CASE WHEN outside THEN pid END) AS extra,
                   \(ids("pid")) AS i_all, \(ids("CASE WHEN cat = 'positive' THEN pid END")) AS i_pos,
                   \(ids("CASE WHEN cat = 'administrative' THEN pid END")) AS i_adm, \(ids("CASE WHEN cat = 'other' THEN pid END")) AS i_oth,
                   \(ids("CASE WHEN outside THEN pid END")) AS i_extra
            FROM (SELECT p.referent_id AS rid, p.operation_id AS oid, p.id AS pid, x.category AS cat,
                         julianday(x.date) - julianday(coalesce(x.entry_date, CASE WHEN p.entry_date <= x.date THEN p.entry_date END)) AS d,
                         (p.entry_date IS NULL OR p.entry_date > :to) AS outside
                  FROM exits x \(scoped)
                  WHERE x.status = 'validated' AND x.date BETWEEN :from AND :to AND \(scope.sql))
            GROUP BY rid, oid
            """) { row, c in
            c.exits += row["n"]; c.positiveExits += row["pos"]; c.administrativeExits += row["adm"]; c.otherExits += row["oth"]
            c.pathwayDays[.positive] = (row["dpos"] ?? 0, row["npos"])
            c.pathwayDays[.administrative] = (row["dadm"] ?? 0, row["nadm"])
            c.pathwayDays[.other] = (row["doth"] ?? 0, row["noth"])
            // Exited in the period from an earlier pathway (re-entered since, after `to`): still followed.
            c.followed += row["extra"]
            c.addIds("exits", row["i_all"]); c.addIds("positive_exits", row["i_pos"])
            c.addIds("administrative_exits", row["i_adm"]); c.addIds("other_exits", row["i_oth"]); c.addIds("followed", row["i_extra"])
        }

        // Entries: contracts signed in the period.
        try each("""
            SELECT p.referent_id AS rid, p.operation_id AS oid, count(*) AS n, \(ids("p.id")) AS i
            FROM contracts x \(scoped) WHERE x.signed_on BETWEEN :from AND :to AND \(scope.sql) GROUP BY 1, 2
            """) { row, c in c.entries += row["n"]; c.addIds("entries", row["i"]) }

        // The pathway facts (followed, caseload, interview compliance, gaps), one row per participant
        // in pathway at some day of the period. For the whole PLIE without ids they come from the
        // cache, brought up to date with the participants changed since (FactsCache); otherwise
        // they are read here.
        if let cache, !detail, !scope.narrowsParticipants, !scope.needsReferent {
            let key = ["from", "to", "min_interviews", "first_month", "last_month", "gap_cutoff"]
                .map { "\($0)=\(args[$0].flatMap { $0 }.map { String(describing: $0.databaseValue) } ?? "nil")" }.joined(separator: ";")
            for (cell, counts) in try cache.cells(db, key: key, compute: { try facts(db, args, only: $0) }) {
                cells[cell, default: IndicatorCounts()] += counts
            }
        } else {
            for (pid, fact) in try facts(db, args, only: nil) {
                cells[fact.cell, default: IndicatorCounts()].add(fact, participant: pid, detail: detail)
            }
        }

        // Follow-ups in progress on `to` of participants in pathway on `to`, and those with a contact
        // overdue: a range of `follow_ups_ends` (those not ended by `to`), a few thousand rows, rather
        // than two seeks per participant of the period.
        try each("""
            SELECT p.referent_id AS rid, p.operation_id AS oid, count(*) AS fu, sum(\(PathwaySQL.contactOverdue(on: ":to"))) AS overdue,
                   \(ids("DISTINCT p.id")) AS i_fu, \(ids("DISTINCT CASE WHEN \(PathwaySQL.contactOverdue(on: ":to")) THEN p.id END")) AS i_overdue
            FROM follow_ups f JOIN current_pathways cp ON cp.participant_id = f.participant_id
                 JOIN \(PathwaySQL.facts) p ON p.id = f.participant_id JOIN referents r ON r.id = p.referent_id
            WHERE f.ends_on > :to AND \(PathwaySQL.followUpInProgress(on: ":to"))
              AND cp.entry_date <= :to AND (cp.exit_date IS NULL OR cp.exit_date >= :to) AND \(scope.sql)
            GROUP BY 1, 2
            """) { row, c in
            c.followUpsInProgress += row["fu"]; c.overdueContacts += row["overdue"]
            c.addIds("follow_ups_in_progress", row["i_fu"]); c.addIds("overdue_contacts", row["i_overdue"])
        }

        // Follow-ups completed in the period.
        try each("""
            SELECT p.referent_id AS rid, p.operation_id AS oid, count(*) AS n, \(ids("p.id")) AS i
            FROM follow_ups f JOIN \(PathwaySQL.facts) p ON p.id = f.participant_id JOIN referents r ON r.id = p.referent_id
            WHERE f.ends_on BETWEEN :from AND :to AND \(PathwaySQL.followUpCompleted(by: ":to")) AND \(scope.sql) GROUP BY 1, 2
            """) { row, c in c.followUpsCompleted += row["n"]; c.addIds("follow_ups_completed", row["i"]) }

        // Contracts still unsigned after the delay.
        try each("""
            SELECT p.referent_id AS rid, p.operation_id AS oid, count(*) AS n, \(ids("p.id")) AS i
            FROM participants p JOIN referents r ON r.id = p.referent_id
            WHERE \(PathwaySQL.contractLate) AND \(scope.sql) GROUP BY 1, 2
            """) { row, c in c.contractDelays += row["n"]; c.addIds("contract_delays", row["i"]) }

        // Positionings without result after the delay.
        try each("""
            SELECT p.referent_id AS rid, p.operation_id AS oid, count(*) AS n, \(ids("p.id")) AS i
            FROM positionings x \(scoped) WHERE \(PathwaySQL.positioningPending) AND \(scope.sql) GROUP BY 1, 2
            """) { row, c in c.pendingPositionings += row["n"]; c.addIds("pending_positionings", row["i"]) }
        return cells
    }

    /// The pathway facts of each participant in pathway at some day of the period, within the
    /// scope, or of the participants `only` names (the cache's update). Interview compliance reads
    /// the monthly counts of `interview_months` between the first and last months wholly in
    /// pathway and in the period.
    func facts(_ db: Database, _ args: [String: DatabaseValueConvertible?], only: [Int64]?) throws -> [Int64: PathwayFact] {
        let joinReferent = scope.needsReferent ? "JOIN referents r ON r.id = p.referent_id" : ""
        // For the whole PLIE, current_pathways is read in rowid order (NOT INDEXED still seeks by rowid):
        // every later seek (facts, interview months) then moves forward through its table, several
        // times faster than in the random order of the period index. A referent's or an operation's
        // scope starts from the facts' index instead, and a list of ids from those ids.
        let pathways = scope.narrowsParticipants || only != nil ? "current_pathways cp" : "current_pathways cp NOT INDEXED"
        var arguments = args
        var restriction = ""
        if let only {
            arguments["only"] = "[" + only.map(String.init).joined(separator: ",") + "]"
            restriction = "AND cp.participant_id IN (SELECT value FROM json_each(:only))"
        }
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            WITH span AS MATERIALIZED (
                SELECT p.id, p.referent_id, p.operation_id, p.open_steps, p.last_step_end, cp.entry_date, cp.exit_date,
                       (cp.exit_date IS NULL OR cp.exit_date >= :to) AS on_to,
                       coalesce((SELECT o.min_interviews_per_month FROM operations o WHERE o.id = p.operation_id), :min_interviews) AS minimum,
                       max(\(PathwaySQL.firstWholeMonth(entry: "cp.entry_date")), :first_month) AS fm,
                       CASE WHEN cp.exit_date IS NULL THEN :last_month ELSE min(\(PathwaySQL.lastWholeMonth(exit: "cp.exit_date")), :last_month) END AS lm
                FROM \(pathways) JOIN \(PathwaySQL.facts) p ON p.id = cp.participant_id \(joinReferent)
                WHERE \(PathwaySQL.overlapsPeriod) AND \(scope.sql) \(restriction))
            SELECT p.id, p.referent_id, p.operation_id, p.on_to, max(0, p.lm - p.fm + 1) AS months,
                   CASE WHEN p.lm < p.fm THEN 0 WHEN p.minimum <= 0 THEN p.lm - p.fm + 1
                        ELSE (SELECT count(*) FROM interview_months im
                              WHERE im.participant_id = p.id AND im.month BETWEEN p.fm AND p.lm AND im.count >= p.minimum) END AS compliant,
                   CASE WHEN p.on_to THEN \(PathwaySQL.hasGap) ELSE 0 END AS gap
            FROM span p
            """), arguments: StatementArguments(arguments))
        var out: [Int64: PathwayFact] = [:]
        while let row = try rows.next() {
            out[row[0]] = PathwayFact(cell: IndicatorCell(referentId: row[1], operationId: row[2]), onTo: row[3],
                                      months: row[4], compliant: row[5], gap: row[6])
        }
        return out
    }
}
