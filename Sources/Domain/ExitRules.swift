/// Rule 8: what an exit proposal needs before it can go to the comité de suivi.
public enum ExitRules {
    /// A piece of evidence as the exit rule sees it.
    public struct Evidence: Equatable, Sendable {
        public var id: String
        public var kind: DocumentKind
        public var attestsOn: Day?
        public init(id: String, kind: DocumentKind, attestsOn: Day?) {
            self.id = id; self.kind = kind; self.attestsOn = attestsOn
        }
    }

    /// The kinds of which a positive exit needs at least one, besides the signed exit certificate.
    public static let situationEvidenceKinds: Set<DocumentKind> = [
        .employmentContract, .payslip, .trainingEnrolment, .participantStatement,
    ]

    /// Checks a proposal. The exit date must not precede the entry nor lie in the future; a
    /// positive exit needs a signed exit certificate plus one piece attesting the situation,
    /// each attesting a date within the window up to the exit date (not a past period); an
    /// "other" exit needs the referent's written request.
    public static func check(type: ExitType, date: Day, entryDate: Day?, today: Day, evidence: [Evidence],
                             referentRequest: String?, settings: Settings) throws {
        var fields: [FieldError] = []
        if date > today { fields.append(FieldError("date", "an exit date cannot be in the future (today is \(today))")) }
        if let entryDate, date < entryDate {
            fields.append(FieldError("date", "the exit date \(date) is before the entry date \(entryDate)"))
        }
        if type.category == .other, (referentRequest ?? "").allSatisfy(\.isWhitespace) {
            fields.append(FieldError("referent_request", "an \"other\" exit (\(type.rawValue)) needs the referent's written request"))
        }
        if !fields.isEmpty { throw ValidationFailure(fields) }

        guard type.category == .positive else { return }
        let windowStart = date.adding(days: -settings.exitEvidenceWindowDays)
        func attestsAtExit(_ e: Evidence) -> Bool {
            guard let on = e.attestsOn else { return false }
            return on >= windowStart && on <= date
        }
        let certificate = evidence.contains { $0.kind == .exitCertificate && attestsAtExit($0) }
        let situation = evidence.contains { situationEvidenceKinds.contains($0.kind) && attestsAtExit($0) }
        if certificate && situation { return }

        var missing: [String] = []
        if !certificate { missing.append("a signed exit certificate (kind exit_certificate)") }
        if !situation { missing.append("one of employment_contract, payslip, training_enrolment or participant_statement") }
        let stale = evidence.filter { !attestsAtExit($0) }.map { "\($0.id) attests \($0.attestsOn.map(String.init(describing:)) ?? "no date")" }
        throw RuleViolation(rule: 8, code: "positive_exit_requires_evidence",
            message: "A positive exit (\(type.rawValue)) needs evidence attesting the situation at the exit date \(date): missing "
                + missing.joined(separator: " and ") + "."
                + (stale.isEmpty ? "" : " Outside the window: " + stale.joined(separator: ", ") + "."),
            remedy: "Upload the missing documents with attests_on between \(windowStart) and \(date) and list them in document_ids.")
    }
}
