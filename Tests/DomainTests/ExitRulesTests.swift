import Domain
import Testing

@Suite("Exit rules (rule 8)")
struct ExitRulesTests {
    let settings = Settings()
    let today = Day("2026-06-30")!
    let exitDate = Day("2026-06-15")!

    func check(_ type: ExitType, _ evidence: [ExitRules.Evidence], request: String? = nil, date: Day? = nil, entry: Day? = Day("2025-01-10")) throws {
        try ExitRules.check(type: type, date: date ?? exitDate, entryDate: entry, today: today, evidence: evidence,
                            referentRequest: request, settings: settings)
    }

    func doc(_ id: String, _ kind: DocumentKind, _ on: String?) -> ExitRules.Evidence {
        ExitRules.Evidence(id: id, kind: kind, attestsOn: on.flatMap(Day.init))
    }

    @Test("a positive exit with a certificate and a payslip attesting the exit date is accepted")
    func positiveWithEvidence() throws {
        try check(.cdi, [doc("1", .exitCertificate, "2026-06-15"), doc("2", .payslip, "2026-06-01")])
    }

    @Test("a positive exit needs the signed exit certificate")
    func certificateRequired() {
        #expect(throws: RuleViolation.self) { try check(.cdi, [doc("2", .payslip, "2026-06-01")]) }
    }

    @Test("a positive exit needs a document of the situation besides the certificate")
    func situationRequired() {
        #expect(throws: RuleViolation.self) { try check(.formationQualifiante, [doc("1", .exitCertificate, "2026-06-15")]) }
    }

    @Test("evidence of a past period (outside the 31-day window) does not count")
    func window() throws {
        // 31 days before the exit is the first day of the window; 32 days before is outside.
        try check(.cdi, [doc("1", .exitCertificate, "2026-05-15"), doc("2", .payslip, "2026-05-15")])
        #expect(throws: RuleViolation.self) { try check(.cdi, [doc("1", .exitCertificate, "2026-05-14"), doc("2", .payslip, "2026-06-01")]) }
        // Evidence dated after the exit does not attest the situation at the exit either.
        #expect(throws: RuleViolation.self) { try check(.cdi, [doc("1", .exitCertificate, "2026-06-16"), doc("2", .payslip, "2026-06-01")]) }
    }

    @Test("the violation names the rule and what would make the exit possible")
    func violationExplains() {
        do {
            try check(.cdi, [])
            Issue.record("expected a refusal")
        } catch let v as RuleViolation {
            #expect(v.rule == 8)
            #expect(v.message.contains("exit_certificate"))
            #expect(v.remedy.contains("2026-05-15"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("administrative exits need no evidence; other exits need the referent's written request")
    func otherCategories() throws {
        try check(.demenagement, [])
        #expect(throws: ValidationFailure.self) { try check(.abandon, []) }
        #expect(throws: ValidationFailure.self) { try check(.interruption, [], request: "   ") }
        try check(.reorientation, [], request: "Orientation vers l'EPIDE demandée par la personne")
    }

    @Test("an exit cannot be dated in the future nor before the entry")
    func dates() {
        #expect(throws: ValidationFailure.self) { try check(.demenagement, [], date: Day("2026-07-01")!) }
        #expect(throws: ValidationFailure.self) { try check(.demenagement, [], date: Day("2025-01-09")!) }
    }

    @Test("every exit type has the category of DOMAIN.md")
    func categories() {
        let positive: Set<ExitType> = [.cdi, .cdd6mPlus, .interim6mPlus, .contratAide, .alternance, .creationEntreprise, .formationQualifiante]
        let administrative: Set<ExitType> = [.demenagement, .deces, .retraite, .sante]
        for t in ExitType.allCases {
            let expected: ExitCategory = positive.contains(t) ? .positive : administrative.contains(t) ? .administrative : .other
            #expect(t.category == expected, "\(t)")
        }
    }
}
