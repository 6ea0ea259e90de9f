/// The indicators of DOMAIN.md, defined once. The SQL of `GET /v1/indicators` and
/// `GET /v1/alerts` computes exactly these definitions (it takes its thresholds from the
/// functions below), and the tests check it against a day-by-day reference of the same text.
///
/// Vocabulary (docs/INDICATORS.md repeats it for auditors):
///
/// - **Current pathway** of a participant: from `participants.entry_date` (the signature of
///   the current contract) to their **current exit**, the earliest *validated* exit dated on
///   or after that entry date (exits dated before it closed an earlier pathway).
/// - **In pathway on day D**: entered (`entry_date <= D`) and not exited before D (no current
///   exit, or its date `>= D`). The exit day itself is still a day in pathway.
/// - **Period**: `from`...`to`, both inclusive.
public enum Indicators {
    /// Whether a pathway that started on `entry` and (when set) ended on `exit` is running on `day`.
    public static func isInPathway(entry: Day?, exit: Day?, on day: Day) -> Bool {
        guard let entry, entry <= day else { return false }
        return exit.map { $0 >= day } ?? true
    }

    /// The current exit: the earliest validated exit dated on or after the current entry.
    public static func currentExit(entry: Day?, validatedExits: [Day]) -> Day? {
        guard let entry else { return nil }
        return validatedExits.filter { $0 >= entry }.min()
    }

    /// Whether the pathway overlaps the period (in pathway on at least one of its days).
    public static func isInPathway(entry: Day?, exit: Day?, during period: IndicatorPeriod) -> Bool {
        guard let entry, entry <= period.to else { return false }
        return exit.map { $0 >= period.from } ?? true
    }

    // MARK: Rates and targets

    /// A fraction 0...1, or nil when the denominator is 0 (a rate over nothing is unknown, not 0).
    public static func rate(_ numerator: Int, over denominator: Int) -> Double? {
        denominator == 0 ? nil : Double(numerator) / Double(denominator)
    }

    /// Whether a value reaches its target (`>=`); nil when either is unknown.
    public static func met(_ value: Double?, target: Double?) -> Bool? {
        guard let value, let target else { return nil }
        return value >= target
    }

    /// The positive-exit rate: positive exits over all validated exits of the period.
    public static func positiveExitRate(positive: Int, all: Int) -> Double? { rate(positive, over: all) }

    /// The same with administrative exits (moved away, death, retirement, long illness) left out
    /// of the denominator: they say nothing of the pathway's quality.
    public static func neutralisedPositiveExitRate(positive: Int, all: Int, administrative: Int) -> Double? {
        rate(positive, over: all - administrative)
    }

    /// The positive-exit target of a group: its operation's own target when it has one.
    public static func positiveExitTarget(operationTarget: Double?, settings: Settings) -> Double {
        operationTarget ?? settings.positiveExitTarget
    }

    /// The expected entries of a referent over the period: the yearly rhythm prorated to the
    /// period's days (`expected × days / 365`). Nil when no rhythm is set.
    public static func expectedEntries(perYear: Int?, period: IndicatorPeriod) -> Double? {
        perYear.map { Double($0) * Double(period.days) / 365 }
    }

    /// Caseload per full-time equivalent; nil when there is no FTE to divide by.
    public static func perFTE(_ caseload: Int, fte: Double) -> Double? {
        fte > 0 ? Double(caseload) / fte : nil
    }

    // MARK: Interview compliance (rule 5)

    /// Whether calendar month `month` (given by any of its days) counts for interview compliance:
    /// it lies wholly within the period and the participant was in pathway on each of its days
    /// (entered on or before its first day, current exit, if any, on or after its last day).
    public static func countsForCompliance(entry: Day?, exit: Day?, month: Day, period: IndicatorPeriod) -> Bool {
        let first = month.firstOfMonth, last = month.lastOfMonth
        guard first >= period.from, last <= period.to else { return false }
        return isInPathway(entry: entry, exit: exit, on: first) && isInPathway(entry: entry, exit: exit, on: last)
    }

    /// A calendar month as one integer, `year * 12 + month - 1`, so month ranges are integer ranges.
    public static func monthNumber(_ day: Day) -> Int { day.year * 12 + day.month - 1 }

    /// The first month wholly in pathway for an entry on `entry`: its own month when it starts on
    /// the 1st, else the next one. With `lastWholeMonth`, the months M for which
    /// `countsForCompliance` holds are exactly those from `max(firstWholeMonth, period's first)`
    /// to `min(lastWholeMonth, period's last)` (the SQL counts them this way).
    public static func firstWholeMonth(entry: Day) -> Int { monthNumber(entry) + (entry.day == 1 ? 0 : 1) }

    /// The last month wholly in pathway for a current exit on `exit`: its own month when the exit
    /// falls on its last day, else the month before.
    public static func lastWholeMonth(exit: Day) -> Int { monthNumber(exit) - (exit == exit.lastOfMonth ? 0 : 1) }

    /// A counted month complies when it holds at least the minimum of interviews dated in it
    /// (`Interviews.minimumPerMonth`: the operation's own, else the setting).
    public static func monthComplies(interviews: Int, minimum: Int) -> Bool { interviews >= minimum }
}

/// The period of the indicators: `from` and `to`, both inclusive.
public struct IndicatorPeriod: Equatable, Sendable {
    public let from: Day
    public let to: Day

    public init(from: Day, to: Day) { self.from = from; self.to = to }

    /// The default: from the 1st of January of today's year to today.
    public static func yearToDate(today: Day) -> IndicatorPeriod {
        IndicatorPeriod(from: Day(year: today.year, month: 1, day: 1) ?? today, to: today)
    }

    /// Number of days, both ends included.
    public var days: Int { from.days(until: to) + 1 }

    /// The month numbers (`Indicators.monthNumber`) of the first and last months lying wholly
    /// within the period; first > last when there is none.
    public var wholeMonthNumbers: (first: Int, last: Int) {
        let months = wholeMonths
        guard let first = months.first, let last = months.last else { return (1, 0) }
        return (Indicators.monthNumber(first.first), Indicators.monthNumber(last.first))
    }

    /// The calendar months lying wholly within the period, as (first day, last day).
    public var wholeMonths: [(first: Day, last: Day)] {
        var out: [(Day, Day)] = []
        var m = from.day == 1 ? from : from.lastOfMonth.adding(days: 1)
        while m.lastOfMonth <= to {
            out.append((m, m.lastOfMonth))
            m = m.lastOfMonth.adding(days: 1)
        }
        return out
    }
}
