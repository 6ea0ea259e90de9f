/// Rule 7: the in-work (or qualifying-training) follow-up of 6 months and one day.
public enum FollowUp {
    /// The last day of the follow-up that starts on `start`: start + 6 months + 1 day (settings).
    ///
    ///     FollowUp.endDate(starting: Day("2026-01-15")!, settings: Settings())   // 2026-07-16
    public static func endDate(starting start: Day, settings: Settings) -> Day {
        start.adding(months: settings.followUpMonths).adding(days: settings.followUpExtraDays)
    }

    /// `in_progress` until the end date is reached, then `completed`; `interrupted` when the
    /// step that opened it was abandoned before.
    public static func status(endsOn: Day, interrupted: Bool, today: Day) -> String {
        if interrupted { return "interrupted" }
        return today >= endsOn ? "completed" : "in_progress"
    }

    /// The day from which a follow-up in progress is missing a contact: the last contact
    /// (or the start) plus the interval.
    public static func contactDueSince(start: Day, lastContact: Day?, settings: Settings) -> Day {
        (lastContact.map { max($0, start) } ?? start).adding(days: settings.followUpContactIntervalDays)
    }
}
