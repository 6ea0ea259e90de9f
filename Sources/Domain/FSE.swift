/// The ESF+ common indicators (Regulation (EU) 2021/1057, Annex I) as DOMAIN.md's "FSE
/// reporting" asks them, defined once here so the export and any report agree.
///
///     FSE.ageBand(birthDate: Day("2000-03-01"), on: Day("2018-03-01"))   // .from18To29
///     FSE.employmentFlags(.longTermUnemployed).unemployed                 // true
public enum FSE {
    /// The age bands of ESF+: below 18, 18–29, 55 and above; 30–54 is the rest, kept so every
    /// participant has one band.
    public enum AgeBand: String, DomainCode {
        case below18 = "below_18", from18To29 = "18_29", from30To54 = "30_54", from55 = "55_plus"

        public init(age: Int) {
            switch age {
            case ..<18: self = .below18
            case 18...29: self = .from18To29
            case 30...54: self = .from30To54
            default: self = .from55
            }
        }
    }

    /// Age in whole years on a day (a birthday counts from that day; someone born on 29 February
    /// has their birthday on 1 March in other years).
    public static func age(birthDate: Day, on day: Day) -> Int {
        var years = day.year - birthDate.year
        if (day.month, day.day) < (birthDate.month, birthDate.day) { years -= 1 }
        return years
    }

    /// The band of the age at entry; nil when either date is unknown.
    public static func ageBand(birthDate: Day?, on day: Day?) -> AgeBand? {
        guard let birthDate, let day else { return nil }
        return AgeBand(age: age(birthDate: birthDate, on: day))
    }

    /// ESF+ employment situation at entry as one-hot flags: exactly one of unemployed, inactive,
    /// employed is true; long-term unemployed people are also counted as unemployed.
    public struct EmploymentFlags: Equatable, Sendable {
        public let unemployed: Bool
        public let longTermUnemployed: Bool
        public let inactive: Bool
        public let employed: Bool

        public init(unemployed: Bool, longTermUnemployed: Bool, inactive: Bool, employed: Bool) {
            self.unemployed = unemployed; self.longTermUnemployed = longTermUnemployed
            self.inactive = inactive; self.employed = employed
        }
    }

    public static func employmentFlags(_ situation: EmploymentSituation) -> EmploymentFlags {
        EmploymentFlags(unemployed: situation == .unemployed || situation == .longTermUnemployed,
                        longTermUnemployed: situation == .longTermUnemployed,
                        inactive: situation == .inactive,
                        employed: situation == .employed)
    }

    /// The results "at exit" (within 4 weeks of leaving), read from the situation recorded on
    /// the validated exit. `gainedQualification` comes from the pathway, see `qualificationStep`.
    public struct ExitResults: Equatable, Sendable {
        public let jobSearching: Bool
        public let inEducationOrTraining: Bool
        public let inEmployment: Bool

        public init(jobSearching: Bool, inEducationOrTraining: Bool, inEmployment: Bool) {
            self.jobSearching = jobSearching; self.inEducationOrTraining = inEducationOrTraining; self.inEmployment = inEmployment
        }
    }

    public static func exitResults(_ situation: ExitSituation) -> ExitResults {
        ExitResults(jobSearching: situation == .jobSearching,
                    inEducationOrTraining: situation == .inEducationOrTraining,
                    inEmployment: situation == .inEmployment)
    }

    /// "Gained a qualification": a step of this type, completed with its objectives met, ending
    /// on or before the exit date.
    public static let qualificationStep = StepType.qualifyingTraining
    public static let qualificationObjectives = ObjectivesMet.yes

    public static func gainedQualification(stepType: StepType, status: StepStatus, objectivesMet: ObjectivesMet?,
                                           actualEnd: Day?, exitDate: Day) -> Bool {
        guard stepType == qualificationStep, status == .completed, objectivesMet == qualificationObjectives,
              let actualEnd else { return false }
        return actualEnd <= exitDate
    }

    /// The first day the result "six months after leaving" may be recorded: the exit date plus
    /// the months of the setting, minus its tolerance (ESF+ allows collecting it a little early).
    public static func sixMonthResultEarliest(exitDate: Day, settings: Settings) -> Day {
        exitDate.adding(months: settings.sixMonthResultMonths).adding(days: -settings.sixMonthResultToleranceDays)
    }

    /// Whether a participant belongs to the export of a period: entry or exit date within it,
    /// bounds included. (The SQL of the export applies the same test.)
    public static func inPeriod(entry: Day?, exit: Day?, from: Day, to: Day) -> Bool {
        if let entry, from <= entry, entry <= to { return true }
        if let exit, from <= exit, exit <= to { return true }
        return false
    }
}
