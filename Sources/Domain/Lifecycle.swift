/// Where a person stands in the PLIE (the diagram of DOMAIN.md).
public enum ParticipantStatus: String, DomainCode {
    case candidate
    case pendingCommittee = "pending_committee"
    case admitted
    case rejected
    case invalidated
    case active
    case inFollowUp = "in_follow_up"
    case exitProposed = "exit_proposed"
    case exited

    /// Entered the PLIE (contract signed) and not yet exited: counts in the active caseload.
    public var isInPathway: Bool { self == .active || self == .inFollowUp || self == .exitProposed }

    /// Nothing more happens to this file until a new candidature.
    public var isClosed: Bool { self == .rejected || self == .invalidated || self == .exited }
}

/// The events that move a participant, one per arrow of the diagram.
public enum LifecycleEvent: Equatable, Sendable {
    case submitCandidature
    case admissionDecision(DecisionOutcome)
    case signContract
    case invalidate
    case followUpOpened
    case followUpInterrupted
    case proposeExit
    case exitDecision(DecisionOutcome)
}

/// The state the lifecycle needs: the status, and where to return when an exit is refused.
public struct LifecycleState: Equatable, Sendable {
    public var status: ParticipantStatus
    /// Set while an exit is proposed: `active` or `in_follow_up`.
    public var statusBeforeExit: ParticipantStatus?

    public init(status: ParticipantStatus, statusBeforeExit: ParticipantStatus? = nil) {
        self.status = status; self.statusBeforeExit = statusBeforeExit
    }
}

/// The transitions of DOMAIN.md, in one function: every route that moves a participant calls it,
/// and anything the diagram does not allow is a `RuleViolation`.
public enum Lifecycle {
    public static func apply(_ event: LifecycleEvent, to state: LifecycleState) throws -> LifecycleState {
        let s = state.status
        switch event {
        case .submitCandidature:
            // A rejected or invalidated person may be proposed again; an exited one re-enters the same way.
            guard s == .candidate || s == .rejected || s == .invalidated || s == .exited || s == .pendingCommittee else {
                throw RuleViolation(rule: 1, code: "candidature_not_allowed",
                    message: "A candidature is submitted for a candidate (or a person rejected, invalidated or exited); this participant is \(s.rawValue).",
                    remedy: "Only a person outside the PLIE can be proposed to an agrément committee.")
            }
            return LifecycleState(status: .pendingCommittee)

        case .admissionDecision(let outcome):
            guard s == .pendingCommittee else {
                throw RuleViolation(rule: 1, code: "no_pending_candidature",
                    message: "An admission decision needs a pending candidature; this participant is \(s.rawValue).",
                    remedy: "Submit a candidature to this committee first (POST /v1/participants/{id}/candidature).")
            }
            switch outcome {
            case .approved: return LifecycleState(status: .admitted)
            case .rejected: return LifecycleState(status: .rejected)
            case .deferred: return state
            }

        case .signContract:
            guard s == .admitted else {
                throw RuleViolation(rule: 1, code: "contract_requires_admission",
                    message: "The tripartite contract is signed only after an admission; this participant is \(s.rawValue).",
                    remedy: "Have the agrément committee approve the candidature first.")
            }
            return LifecycleState(status: .active)

        case .invalidate:
            guard s == .admitted else {
                throw RuleViolation(rule: 3, code: "invalidation_requires_unsigned_admission",
                    message: "Invalidation applies only to someone admitted whose contract was never signed; this participant is \(s.rawValue).",
                    remedy: s.isInPathway ? "An entered participant leaves by an exit, proposed then validated by the comité de suivi." : "Nothing to invalidate.")
            }
            return LifecycleState(status: .invalidated)

        case .followUpOpened:
            switch s {
            case .active: return LifecycleState(status: .inFollowUp)
            case .inFollowUp: return state
            case .exitProposed: return LifecycleState(status: .exitProposed, statusBeforeExit: .inFollowUp)
            default:
                throw RuleViolation(rule: 7, code: "follow_up_requires_entry",
                    message: "A follow-up opens for an entered participant; this participant is \(s.rawValue).",
                    remedy: "Record the signed contract (entry) before starting a job or qualifying training step.")
            }

        case .followUpInterrupted:
            switch s {
            case .inFollowUp: return LifecycleState(status: .active)
            case .exitProposed: return LifecycleState(status: .exitProposed, statusBeforeExit: .active)
            // A follow-up recorded late (already over when its step was entered) left the participant active.
            case .active: return state
            default:
                throw RuleViolation(rule: 7, code: "no_follow_up_to_interrupt",
                    message: "Only the follow-up of an entered participant can be interrupted; this participant is \(s.rawValue).",
                    remedy: "Nothing to interrupt.")
            }

        case .proposeExit:
            guard s == .active || s == .inFollowUp else {
                throw RuleViolation(rule: 8, code: "exit_requires_entered_participant",
                    message: s == .exitProposed ? "An exit is already proposed and awaits the comité de suivi."
                        : "An exit is proposed for an entered participant (active or in follow-up); this participant is \(s.rawValue).",
                    remedy: s == .admitted ? "A person admitted who never signed is invalidated by the comité de suivi, not exited."
                        : s == .exitProposed ? "Wait for the committee's decision on the pending proposal." : "Sign the contract first.")
            }
            return LifecycleState(status: .exitProposed, statusBeforeExit: s)

        case .exitDecision(let outcome):
            guard s == .exitProposed else {
                throw RuleViolation(rule: 8, code: "no_pending_exit",
                    message: "An exit decision acts on a pending exit proposal; this participant is \(s.rawValue).",
                    remedy: "The referent proposes the exit first (POST /v1/participants/{id}/exit).")
            }
            switch outcome {
            case .approved: return LifecycleState(status: .exited)
            case .rejected: return LifecycleState(status: state.statusBeforeExit ?? .active)
            case .deferred: return state
            }
        }
    }

    /// The committee kind that may take a decision on a subject.
    public static func committeeKind(for subject: DecisionSubject) -> [CommitteeKind] {
        switch subject {
        case .admission: return [.agrement]
        case .exit, .invalidation: return [.suivi]
        case .caseReview: return [.agrement, .suivi, .formation]
        }
    }
}
