/// The numbers of the rules of DOMAIN.md. Each has the default the PLIE's texts give;
/// a PLIE changes them through the server's configuration, never in code.
public struct Settings: Sendable, Equatable {
    /// Rule 1: days after the admission decision within which the contract must be signed.
    public var contractDelayDays = 15
    /// Rule 4: more than this many days without an ongoing or planned step is a gap.
    public var pathwayGapDays = 30
    /// Rule 5: individual interviews per calendar month per active participant.
    public var minInterviewsPerMonth = 2
    /// Rule 6: a positioning without result after this many days is reported.
    public var positioningPendingDays = 30
    /// Rule 7: the follow-up lasts this many months and `followUpExtraDays` days.
    public var followUpMonths = 6
    public var followUpExtraDays = 1
    /// Rule 7: at least one follow-up contact per this many days.
    public var followUpContactIntervalDays = 31
    /// Rule 8: evidence of a positive exit must attest a date within this many days up to the exit date.
    public var exitEvidenceWindowDays = 31
    /// Rule 9: longest pathway, in months.
    public var maxPathwayMonths = 36
    /// Indicators: the positive-exit target (a fraction).
    public var positiveExitTarget = 0.5
    /// Personal data: years after the exit before a file is anonymised.
    public var retentionYears = 10
    /// Idempotency keys are kept at least this many hours.
    public var idempotencyRetentionHours = 48
    /// FSE reporting: the ESF+ result "six months after leaving" is observed this many months
    /// after the exit date...
    public var sixMonthResultMonths = 6
    /// ...and may be recorded up to this many days earlier (4 weeks).
    public var sixMonthResultToleranceDays = 28

    public init() {}
}
