import Domain
import Testing

@Suite("Indicator definitions")
struct IndicatorsDomainTests {
    @Test("in pathway from the entry day through the exit day, and not after")
    func inPathway() {
        let entry = Day("2025-01-10")!, exit = Day("2025-03-31")!
        #expect(!Indicators.isInPathway(entry: entry, exit: exit, on: Day("2025-01-09")!))
        #expect(Indicators.isInPathway(entry: entry, exit: exit, on: entry))
        #expect(Indicators.isInPathway(entry: entry, exit: exit, on: exit))
        #expect(!Indicators.isInPathway(entry: entry, exit: exit, on: Day("2025-04-01")!))
        #expect(!Indicators.isInPathway(entry: nil, exit: nil, on: exit))
        #expect(Indicators.isInPathway(entry: entry, exit: exit, during: IndicatorPeriod(from: exit, to: Day("2025-12-31")!)))
        #expect(!Indicators.isInPathway(entry: entry, exit: exit, during: IndicatorPeriod(from: Day("2025-04-01")!, to: Day("2025-12-31")!)))
        #expect(Indicators.monthComplies(interviews: Interviews.minimumPerMonth(operationMinimum: nil, settings: Settings()), minimum: 2))
    }

    @Test("the current exit ignores exits of an earlier pathway")
    func currentExit() {
        let exits = [Day("2024-05-01")!, Day("2025-06-01")!, Day("2025-07-01")!]
        #expect(Indicators.currentExit(entry: Day("2025-01-01")!, validatedExits: exits) == Day("2025-06-01")!)
        #expect(Indicators.currentExit(entry: Day("2025-08-01")!, validatedExits: exits) == nil)
    }

    @Test("rates are null over zero, the neutralised rate drops administrative exits")
    func rates() {
        #expect(Indicators.rate(0, over: 0) == nil)
        #expect(Indicators.positiveExitRate(positive: 1, all: 4) == 0.25)
        #expect(Indicators.neutralisedPositiveExitRate(positive: 1, all: 4, administrative: 2) == 0.5)
        #expect(Indicators.neutralisedPositiveExitRate(positive: 0, all: 2, administrative: 2) == nil)
        #expect(Indicators.met(nil, target: 0.5) == nil)
        #expect(Indicators.met(0.5, target: 0.5) == true)
    }

    @Test("whole months of a period, and which of them count for compliance")
    func wholeMonths() {
        let period = IndicatorPeriod(from: Day("2025-01-02")!, to: Day("2025-04-30")!)
        #expect(period.wholeMonths.map { $0.first.description } == ["2025-02-01", "2025-03-01", "2025-04-01"])
        #expect(IndicatorPeriod(from: Day("2025-02-01")!, to: Day("2025-02-27")!).wholeMonths.isEmpty)
        #expect(Indicators.countsForCompliance(entry: Day("2025-02-01")!, exit: Day("2025-02-28")!, month: Day("2025-02-10")!, period: period))
        #expect(!Indicators.countsForCompliance(entry: Day("2025-02-01")!, exit: Day("2025-02-27")!, month: Day("2025-02-10")!, period: period))
        #expect(!Indicators.countsForCompliance(entry: Day("2025-02-02")!, exit: nil, month: Day("2025-02-10")!, period: period))
        #expect(IndicatorPeriod.yearToDate(today: Day("2026-06-30")!) == IndicatorPeriod(from: Day("2026-01-01")!, to: Day("2026-06-30")!))
    }

    @Test("each SQL cutoff is exactly its deadline test, over many days")
    func cutoffsMatchDeadlines() {
        let settings = Settings()
        let base = Day("2023-01-01")!
        for offset in stride(from: 0, to: 1500, by: 7) {
            let day = base.adding(days: offset + 1000)
            for back in stride(from: 0, to: 1200, by: 13) {
                let record = day.adding(days: -back)
                #expect(Deadlines.isContractLate(admittedOn: record, on: day, settings: settings) == (record < Deadlines.contractCutoff(on: day, settings: settings)))
                #expect(Deadlines.isPositioningPending(proposedOn: record, hasResult: false, on: day, settings: settings)
                        == (record < Deadlines.positioningCutoff(on: day, settings: settings)))
                #expect(Deadlines.hasGap(hasOpenStep: false, lastActivity: record, on: day, settings: settings) == (record < Deadlines.gapCutoff(on: day, settings: settings)))
                #expect(Deadlines.isContactOverdue(startsOn: record, lastContact: nil, on: day, settings: settings)
                        == (record < Deadlines.contactCutoff(on: day, settings: settings)))
                #expect(Deadlines.isOverMaxLength(entry: record, on: day, settings: settings) == (record <= Deadlines.maxLengthCutoff(on: day, settings: settings)))
            }
        }
    }

    @Test("month-end entries: 36 months from 2023-02-28 and from a leap day")
    func maxLengthClamping() {
        let settings = Settings()
        #expect(Deadlines.maxLengthReached(entry: Day("2024-02-29")!, settings: settings) == Day("2027-02-28")!)
        #expect(Deadlines.maxLengthCutoff(on: Day("2027-03-01")!, settings: settings) == Day("2024-02-29")!)
        #expect(Deadlines.maxLengthCutoff(on: Day("2027-02-28")!, settings: settings) == Day("2024-02-27")!)
    }

    @Test("follow-up in progress until the day before its end; completed unless interrupted before the end")
    func followUps() {
        let start = Day("2025-01-15")!, end = Day("2025-07-16")!
        #expect(Deadlines.isFollowUpInProgress(startsOn: start, endsOn: end, interruptedOn: nil, on: Day("2025-07-15")!))
        #expect(!Deadlines.isFollowUpInProgress(startsOn: start, endsOn: end, interruptedOn: nil, on: end))
        #expect(Deadlines.isFollowUpCompleted(endsOn: end, interruptedOn: nil, on: end))
        #expect(!Deadlines.isFollowUpCompleted(endsOn: end, interruptedOn: Day("2025-03-01")!, on: end))
        #expect(!Deadlines.isFollowUpInProgress(startsOn: start, endsOn: end, interruptedOn: Day("2025-03-01")!, on: Day("2025-03-01")!))
    }

    @Test("the whole months between firstWholeMonth and lastWholeMonth are exactly those that count for compliance")
    func wholeMonthBounds() {
        let period = IndicatorPeriod(from: Day("2024-01-15")!, to: Day("2025-12-31")!)
        let whole = period.wholeMonthNumbers
        for entryOffset in stride(from: 0, to: 800, by: 3) {
            let entry = Day("2023-12-01")!.adding(days: entryOffset)
            for exitOffset in [nil, 0, 1, 27, 28, 29, 30, 31, 45, 59, 60, 61, 300] as [Int?] {
                let exit = exitOffset.map { entry.adding(days: $0) }
                let first = max(Indicators.firstWholeMonth(entry: entry), whole.first)
                let last = min(exit.map { Indicators.lastWholeMonth(exit: $0) } ?? whole.last, whole.last)
                var month = period.from.firstOfMonth
                var expected: [Int] = []
                while month <= period.to {
                    if Indicators.countsForCompliance(entry: entry, exit: exit, month: month, period: period) { expected.append(Indicators.monthNumber(month)) }
                    month = month.lastOfMonth.adding(days: 1)
                }
                #expect(Array(first...max(first, last)).filter { $0 <= last } == expected, "entry \(entry) exit \(String(describing: exit))")
            }
        }
    }
}
