/// The codes of the domain, exactly as API.md spells them.
public protocol DomainCode: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension DomainCode {
    /// "a, b or c": for error messages.
    public static var choices: String {
        let all = allCases.map(\.rawValue)
        return all.count <= 1 ? all.joined() : all.dropLast().joined(separator: ", ") + " or " + (all.last ?? "")
    }
}

public enum Role: String, DomainCode {
    case admin, coordinator, structureManager = "structure_manager", referent, auditor
}

public enum Gender: String, DomainCode { case woman, man, nonBinary = "non_binary" }

public enum Prescriber: String, DomainCode {
    case franceTravail = "france_travail", commissionRSA = "commission_rsa", structure, otherPartner = "other_partner"
}

public enum Eligibility: String, DomainCode {
    case brsa, deld, rqth, youthLowQualification = "youth_low_qualification", senior, qpv
    case singleParent = "single_parent", other
}

public enum EmploymentSituation: String, DomainCode {
    case unemployed, longTermUnemployed = "long_term_unemployed", inactive, employed
}

public enum EducationLevel: String, DomainCode {
    case isced0to2 = "isced_0_2", isced3to4 = "isced_3_4", isced5to8 = "isced_5_8"
}

public enum BarrierKind: String, DomainCode {
    case mobility, housing, health, childcareFamily = "childcare_family"
    case languageLiteracy = "language_literacy", digital, financesDebt = "finances_debt"
    case administrativeLegal = "administrative_legal", qualification, other
}

public enum BarrierStatus: String, DomainCode { case open, lifted }

public enum CommitteeKind: String, DomainCode { case agrement, suivi, formation }

public enum DecisionSubject: String, DomainCode {
    case admission, exit, invalidation, caseReview = "case_review"
}

public enum DecisionOutcome: String, DomainCode { case approved, rejected, deferred }

public enum StepType: String, DomainCode {
    case informationMeeting = "information_meeting", diagnosis, jobSearchWorkshop = "job_search_workshop"
    case skillsAssessment = "skills_assessment", preQualifyingTraining = "pre_qualifying_training"
    case qualifyingTraining = "qualifying_training", immersion, siae
    case subsidisedContract = "subsidised_contract", employment, businessCreation = "business_creation"
    case mobilityAid = "mobility_aid", socialSupport = "social_support", other

    /// Rule 7: starting one of these opens the in-work (or qualifying-training) follow-up.
    public var opensFollowUp: Bool {
        switch self {
        case .employment, .subsidisedContract, .businessCreation, .qualifyingTraining: return true
        default: return false
        }
    }
}

public enum StepStatus: String, DomainCode { case planned, ongoing, completed, abandoned }

public enum ObjectivesMet: String, DomainCode { case yes, partly, no }

public enum InterviewKind: String, DomainCode { case individual, phone, partner, workplace, collective }

public enum PositioningResult: String, DomainCode {
    case hired, notSelected = "not_selected", withdrawn, noAnswer = "no_answer"
}

public enum ContactWith: String, DomainCode { case participant, employer }

public enum DocumentKind: String, DomainCode {
    case exitCertificate = "exit_certificate", employmentContract = "employment_contract", payslip
    case trainingEnrolment = "training_enrolment", participantStatement = "participant_statement"
    case contractOfEngagement = "contract_of_engagement", other
}

public enum ExitSituation: String, DomainCode {
    case inEmployment = "in_employment", inEducationOrTraining = "in_education_or_training"
    case jobSearching = "job_searching", other
}

/// The three families of exits; the positive-exit rate is computed over them.
public enum ExitCategory: String, DomainCode { case positive, administrative, other }

public enum ExitType: String, DomainCode {
    case cdi, cdd6mPlus = "cdd_6m_plus", interim6mPlus = "interim_6m_plus", contratAide = "contrat_aide"
    case alternance, creationEntreprise = "creation_entreprise", formationQualifiante = "formation_qualifiante"
    case demenagement, deces, retraite, sante
    case abandon, interruption, reorientation

    public var category: ExitCategory {
        switch self {
        case .cdi, .cdd6mPlus, .interim6mPlus, .contratAide, .alternance, .creationEntreprise, .formationQualifiante:
            return .positive
        case .demenagement, .deces, .retraite, .sante:
            return .administrative
        case .abandon, .interruption, .reorientation:
            return .other
        }
    }

    /// Exits to work or training, for the subsidised-contract action's second target.
    public var isWorkOrTraining: Bool { category == .positive }
}

public enum ExitStatus: String, DomainCode { case proposed, validated, rejected }
