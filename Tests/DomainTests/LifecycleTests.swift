import Domain
import PropertyBased
import Testing

@Suite("Lifecycle (the diagram of DOMAIN.md)")
struct LifecycleTests {
    typealias S = ParticipantStatus

    /// The diagram, written out independently of `Lifecycle`: (from, event) → to.
    static func diagram(_ from: LifecycleState, _ event: LifecycleEvent) -> S? {
        switch (from.status, event) {
        case (.candidate, .submitCandidature), (.rejected, .submitCandidature), (.invalidated, .submitCandidature),
             (.exited, .submitCandidature), (.pendingCommittee, .submitCandidature): return .pendingCommittee
        case (.pendingCommittee, .admissionDecision(.approved)): return .admitted
        case (.pendingCommittee, .admissionDecision(.rejected)): return .rejected
        case (.pendingCommittee, .admissionDecision(.deferred)): return .pendingCommittee
        case (.admitted, .signContract): return .active
        case (.admitted, .invalidate): return .invalidated
        case (.active, .followUpOpened), (.inFollowUp, .followUpOpened): return .inFollowUp
        case (.exitProposed, .followUpOpened), (.exitProposed, .followUpInterrupted): return .exitProposed
        case (.inFollowUp, .followUpInterrupted): return .active
        case (.active, .followUpInterrupted): return .active
        case (.active, .proposeExit), (.inFollowUp, .proposeExit): return .exitProposed
        case (.exitProposed, .exitDecision(.approved)): return .exited
        case (.exitProposed, .exitDecision(.rejected)): return from.statusBeforeExit
        case (.exitProposed, .exitDecision(.deferred)): return .exitProposed
        default: return nil
        }
    }

    static let events: [LifecycleEvent] = [
        .submitCandidature, .admissionDecision(.approved), .admissionDecision(.rejected), .admissionDecision(.deferred),
        .signContract, .invalidate, .followUpOpened, .followUpInterrupted, .proposeExit,
        .exitDecision(.approved), .exitDecision(.rejected), .exitDecision(.deferred),
    ]

    @Test("random sequences of actions never reach a state the diagram does not allow")
    func randomSequences() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...(Self.events.count - 1)).array(of: 1...40)) { picks in
            var state = LifecycleState(status: .candidate)
            for pick in picks {
                let event = Self.events[pick]
                let expected = Self.diagram(state, event)
                do {
                    let next = try Lifecycle.apply(event, to: state)
                    #expect(next.status == expected, "\(state.status) --\(event)--> \(next.status), the diagram says \(String(describing: expected))")
                    // The way back from a refused exit is remembered exactly while an exit is proposed.
                    #expect((next.status == .exitProposed) == (next.statusBeforeExit != nil))
                    if let before = next.statusBeforeExit { #expect(before == .active || before == .inFollowUp) }
                    state = next
                } catch is RuleViolation {
                    #expect(expected == nil, "\(state.status) --\(event)--> refused, the diagram allows \(String(describing: expected))")
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
        }
    }

    @Test("a refused exit returns the participant to where they were")
    func refusedExitReturns() throws {
        for start in [S.active, .inFollowUp] {
            let proposed = try Lifecycle.apply(.proposeExit, to: LifecycleState(status: start))
            #expect(proposed.status == .exitProposed)
            #expect(try Lifecycle.apply(.exitDecision(.rejected), to: proposed).status == start)
        }
    }

    @Test("a contract only after admission; invalidation only while unsigned")
    func contractAndInvalidation() {
        #expect(throws: RuleViolation.self) { try Lifecycle.apply(.signContract, to: LifecycleState(status: .pendingCommittee)) }
        #expect(throws: RuleViolation.self) { try Lifecycle.apply(.invalidate, to: LifecycleState(status: .active)) }
        do {
            _ = try Lifecycle.apply(.invalidate, to: LifecycleState(status: .active))
        } catch let v as RuleViolation {
            #expect(v.rule == 3)
        } catch { Issue.record("\(error)") }
    }

    @Test("decisions are taken by the committee kind of their subject")
    func committeeKinds() {
        #expect(Lifecycle.committeeKind(for: .admission) == [.agrement])
        #expect(Lifecycle.committeeKind(for: .exit) == [.suivi])
        #expect(Lifecycle.committeeKind(for: .invalidation) == [.suivi])
    }
}
