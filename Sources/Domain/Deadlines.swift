/// The deadlines behind the "none" indicators and the alerts: each is a day computed from a
/// record, and the situation is reported on every day *after* it (`deadline < day`). The
/// alert's `since` is that deadline. Indicators evaluate them on the period's `to`, alerts on today.
///
/// The SQL compares raw dates with a cutoff (`record date < cutoff`) instead of doing date
/// arithmetic per row; each `...Cutoff(on:)` below is the exact equivalent of its deadline test.
public enum Deadlines {
    // MARK: Rule 1: contract delay

    /// An admitted person's contract is due by the admission decision + the contract delay.
    public static func contractDue(admittedOn: Day, settings: Settings) -> Day {
        admittedOn.adding(days: settings.contractDelayDays)
    }

    /// Still admitted (no contract signed) after the delay.
    public static func isContractLate(admittedOn: Day, on day: Day, settings: Settings) -> Bool {
        contractDue(admittedOn: admittedOn, settings: settings) < day
    }

    /// `admitted_on < cutoff` ⟺ `isContractLate`.
    public static func contractCutoff(on day: Day, settings: Settings) -> Day { day.adding(days: -settings.contractDelayDays) }

    // MARK: Rule 6: pending positionings

    public static func positioningDue(proposedOn: Day, settings: Settings) -> Day {
        proposedOn.adding(days: settings.positioningPendingDays)
    }

    /// A positioning without result after the delay.
    public static func isPositioningPending(proposedOn: Day, hasResult: Bool, on day: Day, settings: Settings) -> Bool {
        !hasResult && positioningDue(proposedOn: proposedOn, settings: settings) < day
    }

    /// `proposed_on < cutoff` ⟺ the delay has passed.
    public static func positioningCutoff(on day: Day, settings: Settings) -> Day { day.adding(days: -settings.positioningPendingDays) }

    // MARK: Rule 4: pathway gaps

    /// The last known activity of a pathway: the latest of the entry date and every step's end
    /// (its actual end, else its planned end; steps with neither give nothing).
    public static func lastActivity(entry: Day, stepEnds: [Day]) -> Day { stepEnds.reduce(entry, max) }

    /// The day after which a pathway without an open step is a gap: last activity + the gap days.
    public static func gapStarts(lastActivity: Day, settings: Settings) -> Day { lastActivity.adding(days: settings.pathwayGapDays) }

    /// A participant in pathway on `day` has a gap when none of their steps is `planned` or
    /// `ongoing` and their last activity is more than `pathwayGapDays` before `day`.
    public static func hasGap(hasOpenStep: Bool, lastActivity: Day, on day: Day, settings: Settings) -> Bool {
        !hasOpenStep && gapStarts(lastActivity: lastActivity, settings: settings) < day
    }

    /// `last activity < cutoff` ⟺ the gap days have passed.
    public static func gapCutoff(on day: Day, settings: Settings) -> Day { day.adding(days: -settings.pathwayGapDays) }

    // MARK: Rule 7: follow-up contacts

    /// A follow-up is in progress on `day` from its start until the day before its end
    /// (`FollowUp.status`: completed once the end is reached), unless interrupted on or before `day`.
    public static func isFollowUpInProgress(startsOn: Day, endsOn: Day, interruptedOn: Day?, on day: Day) -> Bool {
        guard startsOn <= day, day < endsOn else { return false }
        return interruptedOn.map { $0 > day } ?? true
    }

    /// Completed: its end was reached without an interruption before it.
    public static func isFollowUpCompleted(endsOn: Day, interruptedOn: Day?, on day: Day) -> Bool {
        guard endsOn <= day else { return false }
        return interruptedOn.map { $0 >= endsOn } ?? true
    }

    /// A follow-up in progress is overdue on `day` when its last contact up to `day` (or its start,
    /// when later or when there is none) is more than `followUpContactIntervalDays` before `day`:
    /// the due day (`FollowUp.contactDueSince`) has passed.
    public static func isContactOverdue(startsOn: Day, lastContact: Day?, on day: Day, settings: Settings) -> Bool {
        FollowUp.contactDueSince(start: startsOn, lastContact: lastContact, settings: settings) < day
    }

    /// `max(start, last contact) < cutoff` ⟺ `isContactOverdue`.
    public static func contactCutoff(on day: Day, settings: Settings) -> Day { day.adding(days: -settings.followUpContactIntervalDays) }

    // MARK: Rule 9: pathway length

    /// The day a pathway reaches its maximum length: entry + `maxPathwayMonths` (end of month clamped).
    public static func maxLengthReached(entry: Day, settings: Settings) -> Day { entry.adding(months: settings.maxPathwayMonths) }

    /// Over the maximum on `day`: the maximum length was reached before it.
    public static func isOverMaxLength(entry: Day, on day: Day, settings: Settings) -> Bool {
        maxLengthReached(entry: entry, settings: settings) < day
    }

    /// The latest entry date that is over the maximum on `day` (`entry_date <= cutoff` ⟺
    /// `isOverMaxLength`). Month arithmetic clamps the day, so it is found by search, not subtraction.
    public static func maxLengthCutoff(on day: Day, settings: Settings) -> Day {
        var entry = day.adding(months: -settings.maxPathwayMonths).adding(days: 3)
        while !isOverMaxLength(entry: entry, on: day, settings: settings) { entry = entry.adding(days: -1) }
        return entry
    }
}
