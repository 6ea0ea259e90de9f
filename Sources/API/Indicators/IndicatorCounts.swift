import Domain

/// The additive counts behind the indicators of one group of participants. The SQL returns
/// them per (referent, operation) cell; a referent's, a structure's, an operation's and the
/// overall block are sums of cells (each participant lies in exactly one cell).
struct IndicatorCounts {
    var exits = 0, positiveExits = 0, administrativeExits = 0, otherExits = 0
    /// Sum of pathway days and number of exits with a known entry, per exit category.
    var pathwayDays: [ExitCategory: (sum: Double, count: Int)] = [:]
    var entries = 0
    var caseload = 0
    var complianceMonths = 0, compliantMonths = 0
    var followUpsInProgress = 0, followUpsCompleted = 0, overdueContacts = 0
    var gaps = 0, contractDelays = 0, pendingPositionings = 0
    /// Distinct participants in pathway at some day of the period, or exited within it.
    var followed = 0
    /// With `detail=true`: the participant ids behind each count, by the count's name.
    var ids: [String: Set<Int64>] = [:]

    static func += (a: inout IndicatorCounts, b: IndicatorCounts) {
        a.exits += b.exits; a.positiveExits += b.positiveExits
        a.administrativeExits += b.administrativeExits; a.otherExits += b.otherExits
        for (k, v) in b.pathwayDays {
            let cur = a.pathwayDays[k] ?? (0, 0)
            a.pathwayDays[k] = (cur.sum + v.sum, cur.count + v.count)
        }
        a.entries += b.entries; a.caseload += b.caseload
        a.complianceMonths += b.complianceMonths; a.compliantMonths += b.compliantMonths
        a.followUpsInProgress += b.followUpsInProgress; a.followUpsCompleted += b.followUpsCompleted
        a.overdueContacts += b.overdueContacts
        a.gaps += b.gaps; a.contractDelays += b.contractDelays; a.pendingPositionings += b.pendingPositionings
        a.followed += b.followed
        for (k, v) in b.ids { a.ids[k, default: []].formUnion(v) }
    }

    /// Adds (or, with `sign` -1, takes back) one participant's pathway facts.
    mutating func add(_ fact: PathwayFact, participant: Int64, sign: Int = 1, detail: Bool = false) {
        followed += sign; caseload += fact.onTo ? sign : 0
        complianceMonths += sign * fact.months; compliantMonths += sign * fact.compliant
        gaps += fact.gap ? sign : 0
        guard detail else { return }
        ids["followed", default: []].insert(participant)
        if fact.onTo { ids["active_caseload", default: []].insert(participant) }
        if fact.compliant < fact.months { ids["interview_compliance", default: []].insert(participant) }
        if fact.gap { ids["pathway_gaps", default: []].insert(participant) }
    }

    /// Adds the ids of a `group_concat` column under `name`.
    mutating func addIds(_ name: String, _ list: String?) {
        guard let list, !list.isEmpty else { return }
        ids[name, default: []].formUnion(list.split(separator: ",").compactMap { Int64($0) })
    }

    /// The average pathway length of a category, nil when no exit of it.
    func averageDays(_ category: ExitCategory) -> Double? {
        guard let v = pathwayDays[category], v.count > 0 else { return nil }
        return v.sum / Double(v.count)
    }
}

/// A (referent, operation) cell of the SQL aggregation.
struct IndicatorCell: Hashable {
    let referentId: Int64
    let operationId: Int64?
}

/// One participant's pathway facts over a period: the row of `IndicatorQuery.facts`.
struct PathwayFact: Equatable {
    let cell: IndicatorCell
    /// In pathway on the period's last day.
    let onTo: Bool
    /// Calendar months wholly in pathway and in the period, and those with the minimum of interviews.
    let months: Int
    let compliant: Int
    /// A gap on the period's last day (DOMAIN.md rule 4).
    let gap: Bool
}
