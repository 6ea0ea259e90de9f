import Foundation

/// "Bringing data in": how the columns and values of another tool's CSV export are understood.
///
/// PLIEs export their files from spreadsheets and other tools whose headers are French, with
/// accents, capitals and spaces ("Date de naissance", "N° Tél."), and whose values are written
/// for people ("Mme", "oui", "12/04/1990", "CDD 6 mois et plus"). Everything here is a pure
/// function from a cell's text to the API's code, so each synonym is tested directly.
public enum ImportFolding {
    /// A header or value with case, accents, spaces, underscores, hyphens, apostrophes and dots
    /// removed: "Date d'entrée" → "datedentree", "N° Tél." → "ntel", "isced_3_4" → "isced34".
    public static func key(_ text: String) -> String {
        Names.fold(text).replacingOccurrences(of: " ", with: "")
    }

    /// The column a header names, or nil for an unknown column (reported as a warning, ignored).
    public static func column(forHeader header: String) -> ImportColumn? {
        headerSynonyms[key(header)]
    }

    // MARK: Values

    /// F/H, femme/homme, Mme/M./Monsieur/Madame, or the API's codes.
    public static func gender(_ text: String) -> Gender? {
        switch key(text) {
        case "woman", "f", "femme", "mme", "madame", "mlle", "mademoiselle", "feminin": return .woman
        case "man", "h", "m", "homme", "mr", "monsieur", "masculin": return .man
        case "nonbinary", "nonbinaire", "nb", "autre": return .nonBinary
        default: return nil
        }
    }

    /// oui/non, o/n, x (a ticked box), 1/0, vrai/faux, yes/no, true/false.
    public static func bool(_ text: String) -> Bool? {
        switch key(text) {
        case "oui", "o", "x", "1", "vrai", "yes", "y", "true": return true
        case "non", "n", "0", "faux", "no", "false": return false
        default: return nil
        }
    }

    /// `JJ/MM/AAAA` (also with `-` or `.`, one-digit day or month, and a midnight time that
    /// spreadsheets append) or ISO `YYYY-MM-DD`. Two-digit years are refused: 01/02/03 is ambiguous.
    public static func date(_ text: String) -> Day? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let space = t.firstIndex(of: " ") {
            let time = t[space...].trimmingCharacters(in: .whitespaces)
            guard ["00:00", "00:00:00", "0:00", "0:00:00"].contains(time) else { return nil }
            t = String(t[..<space])
        }
        if let iso = Day(t) { return iso }
        let parts = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ part in part.allSatisfy { $0.isASCII && $0.isNumber } }),
              let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// An exit type by its code or its French label ("CDI", "CDD 6 mois et plus", "Déménagement").
    public static func exitType(_ text: String) -> ExitType? {
        let k = key(text)
        if let code = ExitType.allCases.first(where: { key($0.rawValue) == k }) { return code }
        return exitLabels[k]
    }

    public static func prescriber(_ text: String) -> Prescriber? {
        let k = key(text)
        if let code = Prescriber.allCases.first(where: { key($0.rawValue) == k }) { return code }
        switch k {
        case "francetravail", "poleemploi", "ft", "pe": return .franceTravail
        case "commissionrsa", "rsa", "conseildepartemental", "departement", "cd": return .commissionRSA
        case "structure", "structuredaccueil", "structurereferente": return .structure
        case "autrepartenaire", "autre", "partenaire", "missionlocale", "capemploi": return .otherPartner
        default: return nil
        }
    }

    public static func employmentSituation(_ text: String) -> EmploymentSituation? {
        let k = key(text)
        if let code = EmploymentSituation.allCases.first(where: { key($0.rawValue) == k }) { return code }
        switch k {
        case "demandeurdemploi", "de", "chomeur", "chomeuse", "chomage", "sansemploi": return .unemployed
        case "deld", "demandeurdemploidelongueduree", "chomeurdelongueduree", "chomagedelongueduree", "chomeurlongueduree":
            return .longTermUnemployed
        case "inactif", "inactive": return .inactive
        case "salarie", "salariee", "enemploi", "employe", "employee", "actifoccupe", "independant", "independante": return .employed
        default: return nil
        }
    }

    /// ISCED bands from the codes or French diplomas and levels. Arabic numerals are the 2019
    /// nomenclature (niveau 3 = CAP, 4 = bac, 5 = bac+2); Roman numerals the former one
    /// (V = CAP, IV = bac, III = bac+2).
    public static func educationLevel(_ text: String) -> EducationLevel? {
        let k = key(text)
        if let code = EducationLevel.allCases.first(where: { key($0.rawValue) == k }) { return code }
        switch k {
        case "sansdiplome", "aucundiplome", "aucun", "nondiplome", "brevet", "bepc", "cfg", "dnb", "primaire", "college",
             "niveau1", "niveau2", "infra3", "niveauinfra3", "vi", "niveauvi", "vbis", "niveauvbis", "isced0", "isced1", "isced2":
            return .isced0to2
        case "cap", "bep", "capbep", "bac", "baccalaureat", "bacpro", "bacprofessionnel", "lycee", "niveau3", "niveau4",
             "v", "niveauv", "iv", "niveauiv", "isced3", "isced4":
            return .isced3to4
        case "bac2", "bac3", "bac4", "bac5", "bac8", "bts", "dut", "but", "deug", "licence", "licencepro", "master", "doctorat",
             "superieur", "niveau5", "niveau6", "niveau7", "niveau8", "iii", "niveauiii", "ii", "niveauii", "i", "niveaui",
             "isced5", "isced6", "isced7", "isced8":
            return .isced5to8
        default: return nil
        }
    }

    /// One eligibility criterion by its code or French label.
    public static func eligibility(_ text: String) -> Eligibility? {
        let k = key(text)
        if let code = Eligibility.allCases.first(where: { key($0.rawValue) == k }) { return code }
        switch k {
        case "rsa", "beneficiairersa", "beneficiairedursa": return .brsa
        case "jeune", "jeunepeuqualifie", "jeunesansqualification", "jeunesansdiplome": return .youthLowQualification
        case "plusde50ans", "50ansetplus", "senior": return .senior
        case "quartierprioritaire": return .qpv
        case "parentisole", "familiemonoparentale", "monoparental": return .singleParent
        case "autre": return .other
        default: return nil
        }
    }

    /// A list of criteria in one cell, separated by `,` `;` `|` `/` or `+`; a failure names the
    /// first unknown item.
    public static func eligibilityList(_ text: String) -> Result<[Eligibility], UnknownValue> {
        var out: [Eligibility] = []
        for item in text.split(whereSeparator: { ",;|/+".contains($0) }) {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let code = eligibility(trimmed) else { return .failure(UnknownValue(text: trimmed)) }
            if !out.contains(code) { out.append(code) }
        }
        return .success(out)
    }

    /// A value no synonym matches.
    public struct UnknownValue: Error, Equatable, Sendable {
        public let text: String
        public init(text: String) { self.text = text }
    }

    // MARK: Tables

    private static let exitLabels: [String: ExitType] = [
        "contratadureeindeterminee": .cdi,
        "cdd6moisetplus": .cdd6mPlus, "cdd6mois": .cdd6mPlus, "cdddeplusde6mois": .cdd6mPlus, "cdd6moisouplus": .cdd6mPlus,
        "cdddesixmoisetplus": .cdd6mPlus, "cdd6mplus": .cdd6mPlus,
        "interim6moisetplus": .interim6mPlus, "interim6mois": .interim6mPlus, "missiondinterim6moisetplus": .interim6mPlus,
        "interimdeplusde6mois": .interim6mPlus,
        "contrataide": .contratAide, "pec": .contratAide, "cui": .contratAide, "parcoursemploicompetences": .contratAide,
        "apprentissage": .alternance, "contratdapprentissage": .alternance, "contratdeprofessionnalisation": .alternance,
        "creationdentreprise": .creationEntreprise, "creation": .creationEntreprise, "creationdactivite": .creationEntreprise,
        "formationqualifiante": .formationQualifiante, "formation": .formationQualifiante,
        "demenagement": .demenagement, "deces": .deces, "retraite": .retraite,
        "sante": .sante, "maladie": .sante, "longuemaladie": .sante, "raisondesante": .sante,
        "abandon": .abandon, "abandonduparticipant": .abandon,
        "interruption": .interruption, "interruptionparleplie": .interruption, "exclusion": .interruption,
        "reorientation": .reorientation,
    ]

    private static let headerSynonyms: [String: ImportColumn] = {
        let table: [ImportColumn: [String]] = [
            .lastName: ["lastname", "nom", "nomdefamille", "nomdusage", "nomdenaissance", "patronyme"],
            .firstName: ["firstname", "prenom", "prenoms"],
            .birthDate: ["birthdate", "datedenaissance", "datenaissance", "naissance", "ddn", "nele", "nee"],
            .gender: ["gender", "genre", "sexe", "sex", "civilite"],
            .phone: ["phone", "telephone", "tel", "portable", "mobile", "telportable", "telephoneportable", "ntel", "numerodetelephone"],
            .email: ["email", "mail", "courriel", "adressemail", "adresseemail", "adressecourriel", "emailaddress"],
            .address: ["address", "adresse", "adressepostale", "rue"],
            .postalCode: ["postalcode", "codepostal", "cp"],
            .city: ["city", "ville", "commune", "localite"],
            .referent: ["referentid", "referent", "referentdeparcours", "referentemail", "emailreferent", "conseiller", "conseillere"],
            .operation: ["operationid", "operation", "ficheaction"],
            .prescriber: ["prescriber", "prescripteur", "orientepar", "orienteur"],
            .eligibility: ["eligibility", "eligibilite", "criteres", "criteresdeligibilite", "public", "publics"],
            .employmentSituation: ["employmentsituation", "situation", "situationprofessionnelle", "situationalentree", "situationemploi"],
            .educationLevel: ["educationlevel", "niveau", "diplome", "niveaudeformation", "niveaudediplome", "niveaudetudes", "niveauscolaire"],
            .disability: ["disability", "handicap", "situationdehandicap", "travailleurhandicape"],
            .rqth: ["rqth"],
            .thirdCountryNational: ["thirdcountrynational", "ressortissantpaystiers", "paystiers", "horsue", "nationalitehorsue"],
            .foreignBackground: ["foreignbackground", "origineetrangere"],
            .minority: ["minority", "minorite"],
            .housingExclusion: ["housingexclusion", "sansdomicile", "sdf", "sanslogement", "exclusionlogement"],
            .ruralArea: ["ruralarea", "zonerurale", "rural"],
            .qpv: ["qpv", "quartierprioritaire", "residentqpv"],
            .brsa: ["brsa", "rsa", "beneficiairersa", "beneficiairedursa"],
            .deld: ["deld"],
            .professionalGoal: ["professionalgoal", "projetprofessionnel", "projet", "objectifprofessionnel"],
            .entryDate: ["entrydate", "datedentree", "dateentree", "entree", "datedesignature", "datesignaturecontrat"],
            .exitDate: ["exitdate", "datedesortie", "datesortie"],
            .exitType: ["exittype", "typedesortie", "typesortie", "motifdesortie", "motifsortie"],
        ]
        var out: [String: ImportColumn] = [:]
        for (column, names) in table { for n in names { out[n] = column } }
        return out
    }()
}

/// The columns an import understands. The raw value is the API's field name used in reports.
public enum ImportColumn: String, CaseIterable, Sendable {
    case lastName = "last_name", firstName = "first_name", birthDate = "birth_date", gender, phone, email, address
    case postalCode = "postal_code", city, referent = "referent_id", operation = "operation_id", prescriber, eligibility
    case employmentSituation = "employment_situation", educationLevel = "education_level"
    case disability, rqth, thirdCountryNational = "third_country_national", foreignBackground = "foreign_background"
    case minority, housingExclusion = "housing_exclusion", ruralArea = "rural_area", qpv, brsa, deld
    case professionalGoal = "professional_goal", entryDate = "entry_date", exitDate = "exit_date", exitType = "exit_type"
}

/// "Bringing data in": the history an imported row may carry (entry, then exit), checked so
/// that the indicators over past years are right after the migration.
public enum ImportedHistory {
    /// Every problem of the history columns of one row.
    public static func check(birthDate: Day?, entryDate: Day?, exitDate: Day?, exitType: ExitType?, today: Day) -> [FieldError] {
        var errors: [FieldError] = []
        if let entryDate {
            if entryDate > today { errors.append(FieldError("entry_date", "cannot be in the future (today is \(today))")) }
            if let birthDate, entryDate <= birthDate { errors.append(FieldError("entry_date", "is not after the birth date")) }
        }
        if (exitDate == nil) != (exitType == nil) {
            errors.append(exitDate == nil ? FieldError("exit_date", "is required with an exit type")
                                          : FieldError("exit_type", "is required with an exit date"))
        }
        if let exitDate {
            if exitDate > today { errors.append(FieldError("exit_date", "cannot be in the future (today is \(today))")) }
            if let entryDate {
                if exitDate < entryDate { errors.append(FieldError("exit_date", "is before the entry date \(entryDate)")) }
            } else {
                errors.append(FieldError("entry_date", "is required with an exit: only an entered participant exits"))
            }
        }
        return errors
    }

    /// The situation at the exit, which an import does not carry: it follows from the type.
    public static func situation(for type: ExitType) -> ExitSituation {
        switch type {
        case .formationQualifiante, .alternance: return .inEducationOrTraining
        case _ where type.category == .positive: return .inEmployment
        default: return .other
        }
    }
}
