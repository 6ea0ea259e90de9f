import Domain
import Testing

@Suite("Import folding")
struct ImportFoldingTests {
    @Test("headers match whatever their case, accents, spaces, underscores, hyphens and apostrophes")
    func headers() {
        let cases: [(String, ImportColumn)] = [
            ("Nom", .lastName), ("NOM DE FAMILLE", .lastName), ("last_name", .lastName), ("Prénom", .firstName),
            ("Date de naissance", .birthDate), ("date_de_naissance", .birthDate), ("Sexe", .gender), ("Civilité", .gender),
            ("Téléphone", .phone), ("Tél.", .phone), ("N° Tél", .phone), ("Portable", .phone), ("E-mail", .email), ("Courriel", .email),
            ("Adresse", .address), ("Code postal", .postalCode), ("CP", .postalCode), ("Ville", .city), ("Commune", .city),
            ("Référent", .referent), ("referent_id", .referent), ("Opération", .operation), ("Prescripteur", .prescriber),
            ("Situation", .employmentSituation), ("Niveau", .educationLevel), ("Diplôme", .educationLevel), ("RQTH", .rqth),
            ("Handicap", .disability), ("QPV", .qpv), ("Date d'entrée", .entryDate), ("Date d’entrée", .entryDate),
            ("Date de sortie", .exitDate), ("Type de sortie", .exitType), ("  motif-de-sortie ", .exitType),
        ]
        for (header, column) in cases { #expect(ImportFolding.column(forHeader: header) == column, "\(header)") }
        #expect(ImportFolding.column(forHeader: "Couleur préférée") == nil)
    }

    @Test("genders, yes/no and dates fold from what people write")
    func values() {
        for w in ["F", "femme", "Mme", "Madame", "woman"] { #expect(ImportFolding.gender(w) == .woman, "\(w)") }
        for m in ["H", "homme", "M.", "M", "Monsieur", "man"] { #expect(ImportFolding.gender(m) == .man, "\(m)") }
        #expect(ImportFolding.gender("X") == nil)
        for y in ["oui", "OUI", "o", "x", "1", "vrai", "true"] { #expect(ImportFolding.bool(y) == true, "\(y)") }
        for n in ["non", "N", "0", "faux", "false"] { #expect(ImportFolding.bool(n) == false, "\(n)") }
        #expect(ImportFolding.bool("peut-être") == nil)
        #expect(ImportFolding.date("12/04/1990") == Day("1990-04-12"))
        #expect(ImportFolding.date("5/7/1988") == Day("1988-07-05"))
        #expect(ImportFolding.date("05.07.1988") == Day("1988-07-05"))
        #expect(ImportFolding.date("1990-04-12") == Day("1990-04-12"))
        #expect(ImportFolding.date("12/04/1990 00:00") == Day("1990-04-12"))
        #expect(ImportFolding.date("31/02/1980") == nil)
        #expect(ImportFolding.date("12/04/90") == nil)
        #expect(ImportFolding.date("12/04/1990 14:30") == nil)
    }

    @Test("exit types by code or French label, and the coded fields by their usual French names")
    func codes() {
        #expect(ImportFolding.exitType("cdd_6m_plus") == .cdd6mPlus)
        #expect(ImportFolding.exitType("CDD 6 mois et plus") == .cdd6mPlus)
        #expect(ImportFolding.exitType("CDI") == .cdi)
        #expect(ImportFolding.exitType("Déménagement") == .demenagement)
        #expect(ImportFolding.exitType("Création d'entreprise") == .creationEntreprise)
        #expect(ImportFolding.exitType("Réorientation") == .reorientation)
        #expect(ImportFolding.exitType("CDD de moins de 6 mois") == nil)
        #expect(ImportFolding.prescriber("Pôle emploi") == .franceTravail)
        #expect(ImportFolding.prescriber("Commission RSA") == .commissionRSA)
        #expect(ImportFolding.employmentSituation("Demandeur d'emploi") == .unemployed)
        #expect(ImportFolding.employmentSituation("DELD") == .longTermUnemployed)
        #expect(ImportFolding.educationLevel("CAP") == .isced3to4)
        #expect(ImportFolding.educationLevel("Niveau V") == .isced3to4)
        #expect(ImportFolding.educationLevel("niveau 5") == .isced5to8)
        #expect(ImportFolding.educationLevel("Sans diplôme") == .isced0to2)
        #expect(ImportFolding.educationLevel("Bac+2") == .isced5to8)
        #expect(ImportFolding.educationLevel("isced_0_2") == .isced0to2)
        #expect(ImportFolding.eligibilityList("RSA, QPV + parent isolé") == .success([.brsa, .qpv, .singleParent]))
        #expect(ImportFolding.eligibilityList("qpv; martien") == .failure(ImportFolding.UnknownValue(text: "martien")))
    }

    @Test("history: an exit needs an entry before it, both type and date, and nothing in the future")
    func history() {
        let today = Day("2026-03-01")!
        let d = { (s: String) in Day(s)! }
        #expect(ImportedHistory.check(birthDate: d("1980-01-01"), entryDate: d("2020-01-01"), exitDate: d("2021-01-01"), exitType: .cdi, today: today) == [])
        #expect(ImportedHistory.check(birthDate: nil, entryDate: nil, exitDate: d("2021-01-01"), exitType: .cdi, today: today)
                == [FieldError("entry_date", "is required with an exit: only an entered participant exits")])
        #expect(ImportedHistory.check(birthDate: nil, entryDate: d("2020-01-01"), exitDate: d("2021-01-01"), exitType: nil, today: today)
                == [FieldError("exit_type", "is required with an exit date")])
        #expect(ImportedHistory.check(birthDate: nil, entryDate: d("2027-01-01"), exitDate: nil, exitType: nil, today: today)
                == [FieldError("entry_date", "cannot be in the future (today is 2026-03-01)")])
        #expect(ImportedHistory.situation(for: .cdi) == .inEmployment)
        #expect(ImportedHistory.situation(for: .formationQualifiante) == .inEducationOrTraining)
        #expect(ImportedHistory.situation(for: .demenagement) == .other)
    }
}
