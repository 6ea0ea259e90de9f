/// What `GET /v1/alerts` reports: situations that need someone to act now. Each kind is
/// defined by the same functions as the matching indicator (`Deadlines`, `Indicators`).
public enum AlertKind: String, DomainCode {
    /// In pathway today, fewer interviews dated this calendar month than the minimum (rule 5).
    case interviewsBelowMinimum = "interviews_below_minimum"
    /// A follow-up in progress with no contact for more than the interval (rule 7).
    case followUpContactOverdue = "follow_up_contact_overdue"
    /// A follow-up reached its end and the participant is still in follow-up: an exit to propose.
    case followUpEnded = "follow_up_ended"
    /// Admitted and the contract still unsigned after the delay (rule 1).
    case contractUnsigned = "contract_unsigned"
    /// A positioning still without result after the delay (rule 6).
    case positioningPending = "positioning_pending"
    /// In pathway with a gap (rule 4).
    case pathwayGap = "pathway_gap"
    /// An exit proposal waiting for the comité de suivi (rule 8).
    case exitAwaitingCommittee = "exit_awaiting_committee"
    /// In pathway past the maximum length (rule 9).
    case pathwayOverMaxLength = "pathway_over_max_length"
}
