import Domain
import Testing

@Suite("FSE indicators")
struct FSETests {
    @Test("age bands change exactly on the birthday: 17/18, 29/30, 54/55")
    func ageBandEdges() {
        let entry = Day("2026-03-01")!
        let cases: [(String, Int, FSE.AgeBand)] = [
            ("2008-03-02", 17, .below18), ("2008-03-01", 18, .from18To29),
            ("1996-03-02", 29, .from18To29), ("1996-03-01", 30, .from30To54),
            ("1971-03-02", 54, .from30To54), ("1971-03-01", 55, .from55),
        ]
        for (birth, age, band) in cases {
            #expect(FSE.age(birthDate: Day(birth)!, on: entry) == age, "born \(birth)")
            #expect(FSE.ageBand(birthDate: Day(birth), on: entry) == band, "born \(birth)")
        }
    }

    @Test("someone born on 29 February is a year older on 1 March of a common year")
    func leapBirthday() {
        #expect(FSE.age(birthDate: Day("2008-02-29")!, on: Day("2026-02-28")!) == 17)
        #expect(FSE.age(birthDate: Day("2008-02-29")!, on: Day("2026-03-01")!) == 18)
    }

    @Test("the age band is unknown without a birth or entry date")
    func unknownAge() {
        #expect(FSE.ageBand(birthDate: nil, on: Day("2026-03-01")) == nil)
        #expect(FSE.ageBand(birthDate: Day("1990-01-01"), on: nil) == nil)
    }

    @Test("exactly one ESF+ employment situation is set; long-term unemployed people count as unemployed")
    func employmentOneHot() {
        for situation in EmploymentSituation.allCases {
            let f = FSE.employmentFlags(situation)
            #expect([f.unemployed, f.inactive, f.employed].filter { $0 }.count == 1, "\(situation)")
        }
        let ltu = FSE.employmentFlags(.longTermUnemployed)
        #expect(ltu.unemployed && ltu.longTermUnemployed)
        #expect(!FSE.employmentFlags(.unemployed).longTermUnemployed)
    }

    @Test("the results at exit follow the situation recorded on the exit")
    func exitResults() {
        #expect(FSE.exitResults(.inEmployment) == .init(jobSearching: false, inEducationOrTraining: false, inEmployment: true))
        #expect(FSE.exitResults(.jobSearching).jobSearching)
        #expect(FSE.exitResults(.inEducationOrTraining).inEducationOrTraining)
        #expect(FSE.exitResults(.other) == .init(jobSearching: false, inEducationOrTraining: false, inEmployment: false))
    }

    @Test("a qualification is gained by a qualifying training completed with its objectives met, up to the exit")
    func qualification() {
        let exit = Day("2026-06-30")!
        #expect(FSE.gainedQualification(stepType: .qualifyingTraining, status: .completed, objectivesMet: .yes, actualEnd: exit, exitDate: exit))
        #expect(!FSE.gainedQualification(stepType: .qualifyingTraining, status: .completed, objectivesMet: .yes,
                                         actualEnd: exit.adding(days: 1), exitDate: exit))
        #expect(!FSE.gainedQualification(stepType: .qualifyingTraining, status: .completed, objectivesMet: .partly, actualEnd: exit, exitDate: exit))
        #expect(!FSE.gainedQualification(stepType: .qualifyingTraining, status: .ongoing, objectivesMet: .yes, actualEnd: exit, exitDate: exit))
        #expect(!FSE.gainedQualification(stepType: .preQualifyingTraining, status: .completed, objectivesMet: .yes, actualEnd: exit, exitDate: exit))
    }

    @Test("the six-month result may be recorded from six months after the exit minus four weeks (settings)")
    func sixMonthWindow() {
        var settings = Settings()
        #expect(FSE.sixMonthResultEarliest(exitDate: Day("2026-01-31")!, settings: settings) == Day("2026-07-03"))
        settings.sixMonthResultToleranceDays = 0
        #expect(FSE.sixMonthResultEarliest(exitDate: Day("2026-01-31")!, settings: settings) == Day("2026-07-31"))
    }

    @Test("a participant is in a period when their entry or their exit falls in it, bounds included")
    func period() {
        let from = Day("2026-01-01")!, to = Day("2026-03-31")!
        #expect(FSE.inPeriod(entry: Day("2026-01-01"), exit: nil, from: from, to: to))
        #expect(FSE.inPeriod(entry: Day("2025-01-01"), exit: Day("2026-03-31"), from: from, to: to))
        #expect(!FSE.inPeriod(entry: Day("2025-01-01"), exit: Day("2025-12-31"), from: from, to: to))
        #expect(!FSE.inPeriod(entry: Day("2026-04-01"), exit: nil, from: from, to: to))
    }

    @Test("an interview's calendar title carries initials and the file number, never the name")
    func interviewTitle() {
        let title = Agenda.interviewTitle(firstName: "élodie", lastName: "Vandenberghe", participantId: 42)
        #expect(title == "Entretien É. V. (n° 42)")
        #expect(!title.contains("Vandenberghe"))
    }
}
