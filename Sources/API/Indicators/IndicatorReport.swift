import Domain
import GRDB

/// Builds the answer of `GET /v1/indicators` from the cells of `IndicatorQuery`: the overall
/// block and the blocks by referent, structure and operation, each with targets and `met`.
struct IndicatorReport {
    let period: IndicatorPeriod
    let scope: CaseloadScope
    let settings: Settings
    let detail: Bool
    let operationFilter: Int64?
    let structureFilter: Int64?
    let referentFilter: Int64?
    /// The whole PLIE's pathway facts kept between calls (nil: computed afresh).
    var cache: FactsCache? = nil

    /// A referent as the report needs it.
    struct Referent {
        let id: Int64, structureId: Int64, name: String, fte: Double, active: Bool, expectedPerYear: Int?
    }

    /// What a block's targets depend on, besides the settings.
    struct Targets {
        var positiveExit: Double
        var expectedEntries: Double?
        var fte: Double?
        var operation: Row?
    }

    /// `figuresRead` is called once the figures are read (from the cache): the caller's turn of
    /// the cache may end there.
    func build(_ db: Database, figuresRead: () -> Void = {}) throws -> JSON {
        let cells = try IndicatorQuery(period: period, scope: scope, settings: settings, detail: detail, cache: cache).run(db)
        figuresRead()

        var referentConditions = ["1"]
        var referentArgs: [DatabaseValueConvertible?] = []
        if let only = scope.referentOnly { referentConditions.append("r.id = ?"); referentArgs.append(only) }
        if let only = scope.structureOnly { referentConditions.append("r.structure_id = ?"); referentArgs.append(only) }
        if let id = referentFilter { referentConditions.append("r.id = ?"); referentArgs.append(id) }
        if let id = structureFilter { referentConditions.append("r.structure_id = ?"); referentArgs.append(id) }
        // The conditions come from a few scope combinations: a bounded set of texts, each prepared once.
        let referents = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT r.id, r.structure_id, r.first_name, r.last_name, r.fte, r.active, r.expected_entries_per_year
            FROM referents r WHERE \(referentConditions.joined(separator: " AND ")) ORDER BY r.id
            """), arguments: StatementArguments(referentArgs)).map {
            Referent(id: $0["id"], structureId: $0["structure_id"], name: "\($0["first_name"] as String) \($0["last_name"] as String)",
                     fte: $0["fte"], active: ($0["active"] as Int64) != 0, expectedPerYear: $0["expected_entries_per_year"])
        }
        // A referent appears when active or when they have figures (a former referent's exits still count).
        let withFigures = Set(cells.keys.map(\.referentId))
        let listed = referents.filter { $0.active || withFigures.contains($0.id) }
        let activeFTE = { (rs: [Referent]) in rs.filter(\.active).reduce(0) { $0 + $1.fte } }
        func expected(_ rs: [Referent]) -> Double? {
            let values = rs.compactMap { Indicators.expectedEntries(perYear: $0.expectedPerYear, period: period) }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        func sum(_ include: (IndicatorCell) -> Bool) -> IndicatorCounts {
            var total = IndicatorCounts()
            for (cell, counts) in cells where include(cell) { total += counts }
            return total
        }
        let defaultTarget = Indicators.positiveExitTarget(operationTarget: nil, settings: settings)

        var byReferent: [JSON] = []
        for r in listed {
            let counts = sum { $0.referentId == r.id }
            let targets = Targets(positiveExit: defaultTarget, expectedEntries: expected([r]), fte: r.fte)
            byReferent.append(block([("referent_id", .id(r.id)), ("name", .string(r.name)), ("structure_id", .id(r.structureId)),
                                     ("fte", .double(r.fte))], counts, targets))
        }

        var byStructure: [JSON] = []
        if scope.referentOnly == nil {
            let structureIds = Array(Set(listed.map(\.structureId))).sorted()
            let names = try Dictionary(Row.fetchAll(db.cachedStatement(sql: "SELECT id, name FROM structures")).map { ($0["id"] as Int64, $0["name"] as String) },
                                       uniquingKeysWith: { a, _ in a })
            for s in structureIds {
                let members = listed.filter { $0.structureId == s }
                let memberIds = Set(members.map(\.id))
                let counts = sum { memberIds.contains($0.referentId) }
                let targets = Targets(positiveExit: defaultTarget, expectedEntries: expected(members), fte: activeFTE(members))
                byStructure.append(block([("structure_id", .id(s)), ("name", .string(names[s])), ("fte", .double(activeFTE(members)))],
                                         counts, targets))
            }
        }

        var byOperation: [JSON] = []
        var operationSQL = "SELECT * FROM operations"
        var operationArgs: [DatabaseValueConvertible?] = []
        if let op = operationFilter { operationSQL += " WHERE id = ?"; operationArgs.append(op) }
        for op in try Row.fetchAll(db.cachedStatement(sql: operationSQL + " ORDER BY id"), arguments: StatementArguments(operationArgs)) {
            let id: Int64 = op["id"]
            let counts = sum { $0.operationId == id }
            let targets = Targets(positiveExit: Indicators.positiveExitTarget(operationTarget: op["positive_exit_target"], settings: settings),
                                  expectedEntries: nil, fte: nil, operation: op)
            byOperation.append(block([("operation_id", .id(id)), ("name", .string(op["name"] as String?))], counts, targets))
        }

        let overall = block([], sum { _ in true },
                            Targets(positiveExit: defaultTarget, expectedEntries: expected(listed), fte: activeFTE(listed)))
        return .object([
            ("period", .object([("from", .string(period.from.description)), ("to", .string(period.to.description))])),
            ("overall", overall),
            ("by_referent", .array(byReferent)),
            ("by_structure", .array(byStructure)),
            ("by_operation", .array(byOperation)),
        ])
    }

    /// `{value, target, met}`: the shape of every indicator.
    static func indicator(_ value: JSON, target: JSON, met: Bool?) -> JSON {
        .object([("value", value), ("target", target), ("met", .bool(met))])
    }

    /// A "none" indicator: target 0, met when the count is 0.
    static func none(_ count: Int) -> JSON { indicator(.int(count), target: .int(0), met: count == 0) }

    func block(_ head: [(String, JSON)], _ c: IndicatorCounts, _ t: Targets) -> JSON {
        var o = JSONObject()
        for (k, v) in head { o.set(k, v) }
        o.set("exits", .int(c.exits))
        o.set("positive_exits", .int(c.positiveExits))
        o.set("administrative_exits", .int(c.administrativeExits))
        o.set("other_exits", .int(c.otherExits))
        let rate = Indicators.positiveExitRate(positive: c.positiveExits, all: c.exits)
        o.set("positive_exit_rate", Self.indicator(.double(rate), target: .double(t.positiveExit), met: Indicators.met(rate, target: t.positiveExit)))
        let neutralised = Indicators.neutralisedPositiveExitRate(positive: c.positiveExits, all: c.exits, administrative: c.administrativeExits)
        o.set("positive_exit_rate_neutralised", Self.indicator(.double(neutralised), target: .double(t.positiveExit),
                                                               met: Indicators.met(neutralised, target: t.positiveExit)))
        o.set("entries", Self.indicator(.int(c.entries), target: .double(t.expectedEntries),
                                        met: Indicators.met(Double(c.entries), target: t.expectedEntries)))
        o.set("active_caseload", Self.indicator(.int(c.caseload), target: .null, met: nil))
        o.set("caseload_per_fte", Self.indicator(.double(t.fte.flatMap { Indicators.perFTE(c.caseload, fte: $0) }), target: .null, met: nil))
        let compliance = Indicators.rate(c.compliantMonths, over: c.complianceMonths)
        o.set("interview_compliance", .object([
            ("value", .double(compliance)), ("compliant_months", .int(c.compliantMonths)), ("months", .int(c.complianceMonths)),
            ("target", .double(1.0)), ("met", .bool(Indicators.met(compliance, target: 1.0))),
        ]))
        o.set("follow_ups", .object([
            ("in_progress", .int(c.followUpsInProgress)), ("completed", .int(c.followUpsCompleted)),
            ("overdue_contacts", .int(c.overdueContacts)), ("target", .int(0)), ("met", .bool(c.overdueContacts == 0)),
        ]))
        o.set("pathway_gaps", Self.none(c.gaps))
        o.set("contract_delays", Self.none(c.contractDelays))
        o.set("pending_positionings", Self.none(c.pendingPositionings))
        o.set("average_pathway_days", .object(ExitCategory.allCases.map { ($0.rawValue, .double(c.averageDays($0))) }))
        var action = false
        if let op = t.operation {
            let minFollowed: Int? = op["min_followed"]
            let exitTarget: Double? = op["work_or_training_exit_target"]
            if minFollowed != nil || exitTarget != nil {
                action = true
                let workRate = Indicators.rate(c.positiveExits, over: c.exits)
                o.set("subsidised_contract_action", .object([
                    ("followed", Self.indicator(.int(c.followed), target: .int(minFollowed),
                                                met: minFollowed.map { c.followed >= $0 })),
                    ("work_or_training_exit_rate", Self.indicator(.double(workRate), target: .double(exitTarget),
                                                                  met: Indicators.met(workRate, target: exitTarget))),
                ]))
            }
        }
        if detail {
            var names = ["exits", "positive_exits", "administrative_exits", "other_exits", "entries", "active_caseload",
                         "interview_compliance", "follow_ups_in_progress", "follow_ups_completed", "overdue_contacts",
                         "pathway_gaps", "contract_delays", "pending_positionings"]
            if action { names.append("followed") }
            o.set("detail", .object(names.map { name in
                (name, .array((c.ids[name] ?? []).sorted().map { JSON.id($0) }))
            }))
        }
        return o.json
    }
}
