/// Which files may still receive pathway records (barriers, steps, interviews, positionings).
///
/// A rejected, invalidated or exited file is closed (the diagram of DOMAIN.md): nothing more is
/// recorded on it until a new candidature, so the history the FSE auditors read stays true.
/// Positionings need an entered participant (rule 6: a proposal on a job offer is part of the pathway).
public enum PathwayRecording {
    /// Refuses a new record on a closed file, naming the rule that closed it.
    public static func checkOpen(_ status: ParticipantStatus, recording what: String) throws {
        guard status.isClosed else { return }
        let rule: Int
        switch status {
        case .rejected: rule = 2
        case .invalidated: rule = 3
        default: rule = 8
        }
        throw RuleViolation(rule: rule, code: "file_closed",
            message: "\(what) cannot be recorded: this participant's file is closed (\(status.rawValue)).",
            remedy: "Nothing is recorded on a closed file; propose a new candidature to reopen a pathway.")
    }

    /// Refuses a positioning for someone who has not entered the PLIE (or has left it).
    public static func checkEntered(_ status: ParticipantStatus, recording what: String, rule: Int) throws {
        guard !status.isInPathway else { return }
        throw RuleViolation(rule: rule, code: "requires_entered_participant",
            message: "\(what) is recorded for an entered participant (active, in follow-up or exit proposed); this participant is \(status.rawValue).",
            remedy: status.isClosed ? "Nothing is recorded on a closed file; propose a new candidature to reopen a pathway."
                : "Record the signed contract (entry) first.")
    }
}
