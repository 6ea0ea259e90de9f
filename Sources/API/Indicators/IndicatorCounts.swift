import Domain

/// The additive counts behind the indicators of one group of participants. The SQL returns
/// them per (referent, operation) cell; a referent's, a structure's, an operation's and the
/// overall block are sums of cells (each participant lies in exactly one cell).
struct IndicatorCounts {
    var exits = 0, positiveExits = 0, administrativeExits = 0, otherExits = 0
    /// Sum of pathway days and number of exits with a known entry, by slot of
    /// `Contribution.categories` (inline: cells are summed a thousand times per answer).
    var pathwayDaySums = SIMD3<Double>(repeating: 0)
    var pathwayExitCounts = SIMD3<Int>(repeating: 0)
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
        a.pathwayDaySums += b.pathwayDaySums
        a.pathwayExitCounts &+= b.pathwayExitCounts
        a.entries += b.entries; a.caseload += b.caseload
        a.complianceMonths += b.complianceMonths; a.compliantMonths += b.compliantMonths
        a.followUpsInProgress += b.followUpsInProgress; a.followUpsCompleted += b.followUpsCompleted
        a.overdueContacts += b.overdueContacts
        a.gaps += b.gaps; a.contractDelays += b.contractDelays; a.pendingPositionings += b.pendingPositionings
        a.followed += b.followed
        a.members += b.members
        for (k, v) in b.ids { a.ids[k, default: []].formUnion(v) }
    }

    /// Participants whose contribution is summed here (a cell with none is not in the answer).
    var members = 0

    /// Adds (or, with `sign` -1, takes back) one participant's contribution.
    mutating func add(_ c: Contribution, participant: Int64, sign: Int = 1, detail: Bool = false) {
        members += sign
        exits += sign * Int(c.exits.total)
        positiveExits += sign * Int(c.exits[0]); administrativeExits += sign * Int(c.exits[1]); otherExits += sign * Int(c.exits[2])
        pathwayDaySums += Double(sign) * SIMD3<Double>(Double(c.pathwayDays[0]), Double(c.pathwayDays[1]), Double(c.pathwayDays[2]))
        pathwayExitCounts &+= sign &* SIMD3<Int>(Int(c.pathwayExits[0]), Int(c.pathwayExits[1]), Int(c.pathwayExits[2]))
        entries += sign * Int(c.entries)
        followed += (c.inPathway || c.exitedEarlierPathway) ? sign : 0
        caseload += c.onTo ? sign : 0
        complianceMonths += sign * Int(c.months); compliantMonths += sign * Int(c.compliant)
        gaps += c.gap ? sign : 0
        followUpsInProgress += sign * Int(c.followUpsInProgress); overdueContacts += sign * Int(c.overdueContacts)
        followUpsCompleted += sign * Int(c.followUpsCompleted)
        contractDelays += c.contractLate ? sign : 0
        pendingPositionings += sign * Int(c.pendingPositionings)
        guard detail else { return }
        func note(_ name: String, _ condition: Bool) { if condition { ids[name, default: []].insert(participant) } }
        note("exits", c.exits.total > 0)
        note("positive_exits", c.exits[0] > 0); note("administrative_exits", c.exits[1] > 0); note("other_exits", c.exits[2] > 0)
        note("entries", c.entries > 0)
        note("followed", c.inPathway || c.exitedEarlierPathway)
        note("active_caseload", c.onTo)
        note("interview_compliance", c.compliant < c.months)
        note("pathway_gaps", c.gap)
        note("follow_ups_in_progress", c.followUpsInProgress > 0); note("overdue_contacts", c.overdueContacts > 0)
        note("follow_ups_completed", c.followUpsCompleted > 0)
        note("contract_delays", c.contractLate)
        note("pending_positionings", c.pendingPositionings > 0)
    }

    /// The sum of pathway days and the exits with a known entry of a category.
    func pathwayDays(_ category: ExitCategory) -> (sum: Double, count: Int) {
        guard let slot = Contribution.categories.firstIndex(of: category) else { return (0, 0) }
        return (pathwayDaySums[slot], pathwayExitCounts[slot])
    }

    /// The average pathway length of a category, nil when no exit of it.
    func averageDays(_ category: ExitCategory) -> Double? {
        let v = pathwayDays(category)
        return v.count > 0 ? v.sum / Double(v.count) : nil
    }
}

/// A (referent, operation) cell of the SQL aggregation.
struct IndicatorCell: Hashable {
    let referentId: Int64
    let operationId: Int64?
}

/// One participant's share of the figures over a period: what `IndicatorQuery.contributions`
/// reads of them, before it is summed into a cell.
struct Contribution: Equatable {
    /// The slots of `exits`, `pathwayDays` and `pathwayExits`.
    static let categories: [ExitCategory] = [.positive, .administrative, .other]

    // Kept for every participant of a period (tens of thousands, two periods): 32-bit counts,
    // whole days, the flags last, 96 bytes in all (a SIMD3<Int32> per slot triple aligned it to
    // 16 and took 128).
    let cell: IndicatorCell
    /// Validated exits in the period, by category slot; pathway days (whole days between two
    /// dates) and exits with a known entry.
    var exits = CategorySlots()
    var pathwayDays = CategorySlots()
    var pathwayExits = CategorySlots()
    var entries: Int32 = 0
    /// Calendar months wholly in pathway and in the period, and those with the minimum of interviews.
    var months: Int32 = 0
    var compliant: Int32 = 0
    var followUpsInProgress: Int32 = 0, overdueContacts: Int32 = 0, followUpsCompleted: Int32 = 0
    var pendingPositionings: Int32 = 0
    /// An exit in the period from an earlier pathway (re-entered after `to`): still followed.
    var exitedEarlierPathway = false
    /// In pathway at some day of the period, and on its last day.
    var inPathway = false
    var onTo = false
    /// A gap on the period's last day (DOMAIN.md rule 4).
    var gap = false
    var contractLate = false

    init(cell: IndicatorCell) { self.cell = cell }

    /// Adds what other statements read of the same participant (`IndicatorQuery.pieces`): each
    /// field is set by one statement only, so the sum of the pieces' contributions is the whole.
    mutating func absorb(_ o: Contribution) {
        exits.add(o.exits); pathwayDays.add(o.pathwayDays); pathwayExits.add(o.pathwayExits)
        entries += o.entries
        months += o.months; compliant += o.compliant
        followUpsInProgress += o.followUpsInProgress; overdueContacts += o.overdueContacts
        followUpsCompleted += o.followUpsCompleted
        pendingPositionings += o.pendingPositionings
        exitedEarlierPathway = exitedEarlierPathway || o.exitedEarlierPathway
        inPathway = inPathway || o.inPathway
        onTo = onTo || o.onTo
        gap = gap || o.gap
        contractLate = contractLate || o.contractLate
    }
}

/// Three 32-bit counts, one per slot of `Contribution.categories`, stored inline (12 bytes).
struct CategorySlots: Equatable {
    private var slots: (Int32, Int32, Int32) = (0, 0, 0)

    subscript(slot: Int) -> Int32 {
        get { slot == 0 ? slots.0 : slot == 1 ? slots.1 : slots.2 }
        set {
            switch slot {
            case 0: slots.0 = newValue
            case 1: slots.1 = newValue
            default: slots.2 = newValue
            }
        }
    }

    var total: Int32 { slots.0 &+ slots.1 &+ slots.2 }

    mutating func add(_ o: CategorySlots) { slots = (slots.0 + o.slots.0, slots.1 + o.slots.1, slots.2 + o.slots.2) }

    static func == (a: CategorySlots, b: CategorySlots) -> Bool { a.slots == b.slots }
}
