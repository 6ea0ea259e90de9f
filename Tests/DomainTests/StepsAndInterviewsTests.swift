import Domain
import Testing

@Suite("Steps (rule 4) and interviews (rule 5)")
struct StepsAndInterviewsTests {
    let today = Day("2026-06-30")!

    @Test("steps move planned → ongoing → completed or abandoned, never back")
    func transitions() throws {
        try Steps.checkTransition(from: .planned, to: .ongoing)
        try Steps.checkTransition(from: .ongoing, to: .completed)
        try Steps.checkTransition(from: .planned, to: .abandoned)
        #expect(throws: RuleViolation.self) { try Steps.checkTransition(from: .completed, to: .ongoing) }
        #expect(throws: RuleViolation.self) { try Steps.checkTransition(from: .abandoned, to: .planned) }
        #expect(throws: RuleViolation.self) { try Steps.checkTransition(from: .planned, to: .completed) }
    }

    @Test("a completed step needs its dates and its evaluation")
    func completedNeedsEvaluation() {
        let errors = Steps.validate(status: .completed, plannedStart: nil, plannedEnd: nil, actualStart: Day("2026-01-01"),
                                    actualEnd: Day("2026-02-01"), objectivesMet: nil, today: today)
        #expect(errors.map(\.field) == ["evaluation.objectives_met"])
    }

    @Test("step dates must be in order and not in the future")
    func dates() {
        let errors = Steps.validate(status: .ongoing, plannedStart: Day("2026-03-01"), plannedEnd: Day("2026-02-01"),
                                    actualStart: Day("2026-07-01"), actualEnd: nil, objectivesMet: nil, today: today)
        #expect(Set(errors.map(\.field)) == ["planned_end", "actual_start"])
    }

    @Test("the four step types that open the follow-up")
    func followUpTypes() {
        #expect(Set(StepType.allCases.filter(\.opensFollowUp)) == [.employment, .subsidisedContract, .businessCreation, .qualifyingTraining])
    }

    @Test("an interview summary is never empty and an interview is never in the future")
    func interviews() {
        #expect(Interviews.validate(date: today, durationMinutes: 45, summary: "Point sur la mobilité", today: today).isEmpty)
        #expect(Interviews.validate(date: today, durationMinutes: 45, summary: " \n\t", today: today).map(\.field) == ["summary"])
        #expect(Interviews.validate(date: today.adding(days: 1), durationMinutes: 0, summary: "x", today: today).map(\.field) == ["date", "duration_minutes"])
    }

    @Test("an operation's own interview minimum wins over the PLIE's")
    func minimum() {
        #expect(Interviews.minimumPerMonth(operationMinimum: 1, settings: Settings()) == 1)
        #expect(Interviews.minimumPerMonth(operationMinimum: nil, settings: Settings()) == 2)
    }
}
