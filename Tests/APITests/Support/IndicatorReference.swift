@testable import API
import Domain

/// The indicators recomputed by brute force from the rows of an `IndicatorData`, day by day,
/// straight from the text of docs/INDICATORS.md: the independent answer the SQL is checked against.
struct IndicatorReference {
    let data: IndicatorData
    let from: Day
    let to: Day
    let settings = Settings()
    /// The current exit of each participant, computed once (the day loops ask for it often).
    private let exits: [Int64: Day]

    init(data: IndicatorData, from: Day, to: Day) {
        self.data = data; self.from = from; self.to = to
        var exits: [Int64: Day] = [:]
        for p in data.participants {
            guard let entry = p.entry else { continue }
            exits[p.id] = data.exits.filter { $0.participant == p.id && $0.status == "validated" && $0.date >= entry }.map(\.date).min()
        }
        self.exits = exits
    }

    /// The figures of one block.
    struct Figures: Equatable, CustomStringConvertible {
        var exits = 0, positive = 0, administrative = 0, other = 0
        var days: [String: [Int]] = [:]
        var entries = 0, caseload = 0, months = 0, compliant = 0
        var inProgress = 0, completed = 0, overdue = 0
        var gaps = 0, delays = 0, pending = 0, followed = 0
        var description: String {
            "exits \(exits)/\(positive)/\(administrative)/\(other) entries \(entries) caseload \(caseload) months \(compliant)/\(months) "
                + "fu \(inProgress)/\(completed)/\(overdue) gaps \(gaps) delays \(delays) pending \(pending) followed \(followed) days \(days)"
        }
    }

    func days(_ a: Day, _ b: Day) -> [Day] {
        var out: [Day] = []
        var d = a
        while d <= b { out.append(d); d = d.adding(days: 1) }
        return out
    }

    /// The current exit: the earliest validated exit on or after the entry.
    func currentExit(_ p: IndicatorData.Participant) -> Day? { exits[p.id] }

    func inPathway(_ p: IndicatorData.Participant, _ day: Day) -> Bool {
        guard let entry = p.entry, entry <= day else { return false }
        if let exit = currentExit(p), exit < day { return false }
        return true
    }

    func minimum(_ p: IndicatorData.Participant) -> Int {
        data.operations.first { $0.id == p.operation }?.minInterviews ?? settings.minInterviewsPerMonth
    }

    /// The figures of a group of participants: the sum of each one's own (every figure is a count
    /// attributed to one participant).
    func figures(_ include: (IndicatorData.Participant) -> Bool) -> Figures {
        var total = Figures()
        for p in data.participants where include(p) {
            guard let f = perParticipant[p.id] else { continue }
            total.exits += f.exits; total.positive += f.positive; total.administrative += f.administrative; total.other += f.other
            for (k, v) in f.days { total.days[k, default: []] += v }
            total.entries += f.entries; total.caseload += f.caseload; total.months += f.months; total.compliant += f.compliant
            total.inProgress += f.inProgress; total.completed += f.completed; total.overdue += f.overdue
            total.gaps += f.gaps; total.delays += f.delays; total.pending += f.pending; total.followed += f.followed
        }
        return total
    }

    /// The figures of one participant, by brute force.
    static func compute(_ data: IndicatorData, _ people: [IndicatorData.Participant], from: Day, to: Day,
                        exitOf: [Int64: Day], settings: Settings) -> Figures {
        var f = Figures()
        func inPathway(_ p: IndicatorData.Participant, _ day: Day) -> Bool {
            guard let entry = p.entry, entry <= day else { return false }
            if let exit = exitOf[p.id], exit < day { return false }
            return true
        }
        func minimum(_ p: IndicatorData.Participant) -> Int {
            data.operations.first { $0.id == p.operation }?.minInterviews ?? settings.minInterviewsPerMonth
        }
        func days(_ a: Day, _ b: Day) -> [Day] {
            var out: [Day] = []
            var d = a
            while d <= b { out.append(d); d = d.adding(days: 1) }
            return out
        }
        let ids = Set(people.map(\.id))
        let period = days(from, to)
        for e in data.exits where ids.contains(e.participant) && e.status == "validated" && e.date >= from && e.date <= to {
            f.exits += 1
            switch e.type.category {
            case .positive: f.positive += 1
            case .administrative: f.administrative += 1
            case .other: f.other += 1
            }
            let p = people.first { $0.id == e.participant }!
            let entry = e.entry ?? p.entry.flatMap { $0 <= e.date ? $0 : nil }
            if let entry { f.days[e.type.category.rawValue, default: []].append(entry.days(until: e.date)) }
        }
        f.entries = data.contracts.filter { ids.contains($0.participant) && $0.signed >= from && $0.signed <= to }.count
        for p in people {
            let onTo = inPathway(p, to)
            if onTo { f.caseload += 1 }
            // Followed: in pathway on some day of the period, or exited (validated) within it.
            if period.contains(where: { inPathway(p, $0) })
                || data.exits.contains(where: { $0.participant == p.id && $0.status == "validated" && $0.date >= from && $0.date <= to }) {
                f.followed += 1
            }
            // Whole calendar months of the period, in pathway on each of their days.
            var month = from
            while month <= to {
                let monthDays = days(month.firstOfMonth, month.lastOfMonth)
                if monthDays.allSatisfy({ $0 >= from && $0 <= to }) && monthDays.allSatisfy({ inPathway(p, $0) }) {
                    f.months += 1
                    let n = data.interviews.filter { $0.participant == p.id && $0.date >= month.firstOfMonth && $0.date <= month.lastOfMonth }.count
                    if n >= minimum(p) { f.compliant += 1 }
                }
                month = month.lastOfMonth.adding(days: 1)
            }
            if onTo {
                for fu in data.followUps where fu.participant == p.id && fu.starts <= to && to < fu.ends && (fu.interrupted.map { $0 > to } ?? true) {
                    f.inProgress += 1
                    let last = fu.contacts.filter { $0 <= to }.max()
                    let base = max(fu.starts, last ?? fu.starts)
                    if base.days(until: to) > settings.followUpContactIntervalDays { f.overdue += 1 }
                }
                let mine = data.steps.filter { $0.participant == p.id }
                let open = mine.contains { $0.status == "planned" || $0.status == "ongoing" }
                let last = mine.compactMap { $0.actualEnd ?? $0.plannedEnd }.reduce(p.entry!, max)
                if !open && last.days(until: to) > settings.pathwayGapDays { f.gaps += 1 }
            }
            if p.status == "admitted", let admitted = p.admittedOn, admitted.days(until: to) > settings.contractDelayDays { f.delays += 1 }
        }
        f.completed = data.followUps.filter { fu in
            ids.contains(fu.participant) && fu.ends >= from && fu.ends <= to && (fu.interrupted.map { $0 >= fu.ends } ?? true)
        }.count
        f.pending = data.positionings.filter {
            ids.contains($0.participant) && !$0.hasResult && $0.proposed.days(until: to) > settings.positioningPendingDays
        }.count
        return f
    }

    /// Each participant's figures, computed once.
    private var perParticipant: [Int64: Figures] {
        if let cached = cache.value { return cached }
        var out: [Int64: Figures] = [:]
        for p in data.participants {
            out[p.id] = Self.compute(data, [p], from: from, to: to, exitOf: exits, settings: settings)
        }
        cache.value = out
        return out
    }
    private let cache = Cache()
    private final class Cache { var value: [Int64: Figures]? }

    /// Reads the same figures from a block of the API's answer.
    static func read(_ block: JSON) -> Figures {
        var f = Figures()
        func int(_ path: String...) -> Int {
            var v: JSON? = block
            for key in path { v = v?[key] }
            return v?.intValue ?? -1
        }
        f.exits = int("exits"); f.positive = int("positive_exits"); f.administrative = int("administrative_exits"); f.other = int("other_exits")
        f.entries = int("entries", "value"); f.caseload = int("active_caseload", "value")
        f.months = int("interview_compliance", "months"); f.compliant = int("interview_compliance", "compliant_months")
        f.inProgress = int("follow_ups", "in_progress"); f.completed = int("follow_ups", "completed"); f.overdue = int("follow_ups", "overdue_contacts")
        f.gaps = int("pathway_gaps", "value"); f.delays = int("contract_delays", "value"); f.pending = int("pending_positionings", "value")
        return f
    }
}
