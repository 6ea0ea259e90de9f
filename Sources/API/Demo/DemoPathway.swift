import Domain
import Foundation
import GRDB

/// One participant's whole story, following the rules of DOMAIN.md: candidature, agrément
/// decision (some rejected with an alternative), contract (mostly within the delay, some late or
/// never signed), steps without long gaps (mostly), about two interviews a month, positionings
/// with results, an employment step opening the 6-month-and-a-day follow-up with monthly
/// contacts, and an exit of some type validated by a comité de suivi, with its evidence.
///
/// Every choice comes from the participant's own generator, seeded from the demo seed and the
/// participant's number, so the database is the same whatever the batch size.
struct DemoPathway {
    let programme: DemoProgramme
    let settings: Settings
    let today: Day
    /// The first candidature day of the demo (three years before today).
    let start: Day
    /// Counts of rows written, by table.
    var counts: [String: Int] = [:]

    private static let positiveTypes = ["cdi", "cdd_6m_plus", "interim_6m_plus", "alternance"]
    private static let administrativeTypes: [(String, Int)] = [("demenagement", 6), ("sante", 4), ("retraite", 2), ("deces", 1)]
    private static let otherTypes: [(String, Int)] = [("abandon", 5), ("interruption", 3), ("reorientation", 3)]
    private static let pathwaySteps: [(String, Int)] = [
        ("job_search_workshop", 5), ("skills_assessment", 2), ("pre_qualifying_training", 3), ("immersion", 3), ("siae", 3),
        ("mobility_aid", 2), ("social_support", 2), ("information_meeting", 1), ("other", 1),
    ]
    private static let interviewKinds: [(String, Int)] = [("individual", 60), ("phone", 20), ("partner", 8), ("workplace", 5), ("collective", 7)]
    private static let barrierKinds: [(String, Int)] = [
        ("mobility", 6), ("housing", 4), ("health", 3), ("childcare_family", 3), ("language_literacy", 3), ("digital", 4),
        ("finances_debt", 3), ("administrative_legal", 2), ("qualification", 5), ("other", 1),
    ]
    /// The placeholder bytes of every evidence document (metadata is what the demo is about).
    static let placeholder = Array("%PDF-1.4\n% Parcours demo placeholder\n".utf8)
    static let placeholderData = Data(placeholder)

    private func ts(_ day: Day, _ rng: inout SplitMix64) -> String {
        DemoGenerator.timestamp(day, minute: rng.int(8 * 60...17 * 60))
    }

    private mutating func count(_ table: String, _ n: Int = 1) { counts[table, default: 0] += n }

    /// Writes participant number `index` and everything that happened to them.
    mutating func write(index: Int, seed: UInt64, into w: DemoWriter) throws {
        var rng = SplitMix64(seed: seed ^ (UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03))
        let span = start.days(until: today.adding(days: -3))
        let candidature = start.adding(days: rng.int(0...span))

        // Identity and FSE entry data.
        let gender = rng.weighted([("woman", 52), ("man", 47), ("non_binary", 1)])
        let first = rng.pick(gender == "woman" ? DemoVocabulary.womenFirstNames : gender == "man" ? DemoVocabulary.menFirstNames : DemoVocabulary.otherFirstNames)
        let last = rng.pick(DemoVocabulary.lastNames)
        let age = rng.weighted([(0, 25), (1, 55), (2, 20)]) == 0 ? rng.int(18...25) : rng.chance(0.73) ? rng.int(26...54) : rng.int(55...63)
        let birth = candidature.adding(days: -(age * 365 + rng.int(0...364)))
        let city = rng.pick(DemoVocabulary.cities)
        let referentIndex = programme.referentDraw[rng.int(0...programme.referentDraw.count - 1)]
        let referent = programme.referents[referentIndex].id
        let education = rng.weighted([("isced_0_2", 50), ("isced_3_4", 38), ("isced_5_8", 12)])
        let ops = programme.operations
        let operation = age < 26 && rng.chance(0.5) ? ops.youth : rng.weighted([(ops.general, 80), (ops.subsidisedContracts, 11), (ops.socialClause, 9)])
        let disability = rng.chance(0.1)
        var eligibility: [String] = []
        if rng.chance(0.4) { eligibility.append("brsa") }
        if rng.chance(0.3) { eligibility.append("deld") }
        if disability { eligibility.append("rqth") }
        if age < 26, education == "isced_0_2" { eligibility.append("youth_low_qualification") }
        if age >= 50 { eligibility.append("senior") }
        if rng.chance(0.3) { eligibility.append("qpv") }
        if rng.chance(0.15) { eligibility.append("single_parent") }
        let eligibilityJSON = "[" + eligibility.map { "\"\($0)\"" }.joined(separator: ",") + "]"

        // The pathway's dates, decided before anything is written.
        var status = "pending_committee"
        var statusBeforeExit: String?
        var admittedOn: Day?, entry: Day?, exitDay: Day?, exitType: String?, jobStart: Day?
        var exitCategory = "other"
        var validatedBy: DemoProgramme.Sitting?
        var rejected = false, invalidatedBy: DemoProgramme.Sitting?
        let agrement = DemoProgramme.next(programme.agrement, onOrAfter: candidature.daysSinceEpoch + 2)
        if let agrement, agrement.day <= today.daysSinceEpoch {
            if rng.chance(0.1) {
                rejected = true
                status = "rejected"
            } else {
                let admitted = Day(daysSinceEpoch: agrement.day)
                admittedOn = admitted
                status = "admitted"
                let u = rng.unit()
                let delay: Int? = u < 0.82 ? rng.int(2...14) : u < 0.93 ? rng.int(16...45) : nil
                if let delay, admitted.adding(days: delay) <= today {
                    let e = admitted.adding(days: delay)
                    entry = e
                    status = "active"
                    let category = rng.weighted([("positive", 50), ("administrative", 12), ("other", 38)])
                    exitCategory = category
                    var x: Day
                    switch category {
                    case "positive":
                        let job = e.adding(days: rng.chance(0.7) ? rng.int(60...420) : rng.int(420...800))
                        jobStart = job
                        x = FollowUp.endDate(starting: job, settings: settings).adding(days: rng.int(0...20))
                        let jobType = rng.weighted([("employment", 60), ("subsidised_contract", 15), ("qualifying_training", 18), ("business_creation", 7)])
                        exitType = jobType == "subsidised_contract" ? "contrat_aide" : jobType == "qualifying_training" ? "formation_qualifiante"
                            : jobType == "business_creation" ? "creation_entreprise" : rng.pick(DemoPathway.positiveTypes)
                    case "administrative":
                        x = e.adding(days: rng.int(30...600))
                        exitType = rng.weighted(DemoPathway.administrativeTypes)
                    default:
                        // A few run past the maximum length before the PLIE interrupts them.
                        x = rng.chance(0.04) ? e.adding(months: settings.maxPathwayMonths).adding(days: rng.int(10...90)) : e.adding(days: rng.int(60...900))
                        exitType = rng.weighted(DemoPathway.otherTypes)
                    }
                    if let job = jobStart, job <= today { status = "in_follow_up" }
                    if x <= today.adding(days: -1) {
                        exitDay = x
                        statusBeforeExit = status
                        let committee = DemoProgramme.next(programme.suivi, onOrAfter: x.daysSinceEpoch + 3)
                        if let committee, committee.day <= today.daysSinceEpoch {
                            validatedBy = committee
                            status = "exited"
                        } else {
                            status = "exit_proposed"
                        }
                    } else {
                        x = today
                        exitType = nil
                    }
                } else if delay == nil, let s = DemoProgramme.next(programme.suivi, onOrAfter: admitted.daysSinceEpoch + 30),
                          s.day <= today.daysSinceEpoch, rng.chance(0.7) {
                    invalidatedBy = s
                    status = "invalidated"
                }
            }
        }

        let created = ts(candidature, &rng)
        let pid = try w.participant.run([
            first, last, birth.description, Names.identityKey(lastName: last, firstName: first, birthDate: birth), gender,
            DemoGenerator.phone(&rng), rng.chance(0.6) ? "\(Names.fold(first)).\(Names.fold(last))\(index)@exemple.fr".split(separator: " ").joined(separator: "-") : nil,
            "\(rng.int(1...150)) \(rng.pick(DemoVocabulary.streets))", city.postalCode, city.name, referent, operation,
            rng.weighted([("france_travail", 50), ("commission_rsa", 25), ("structure", 15), ("other_partner", 10)]), eligibilityJSON,
            rng.weighted([("long_term_unemployed", 45), ("unemployed", 35), ("inactive", 15), ("employed", 5)]), education,
            disability, rng.chance(0.08), rng.chance(0.15), rng.chance(0.02), rng.chance(0.07), city.rural,
            rng.pick(DemoVocabulary.professionalGoals), status, statusBeforeExit, admittedOn?.description, entry?.description,
            validatedBy == nil ? nil : exitDay?.description, validatedBy == nil ? nil : exitType, created, created,
        ])
        count("participants")

        // Diagnosis: the barriers found at the candidature.
        var barriers = 0
        for _ in 0..<rng.int(1...3) {
            let kind = rng.weighted(DemoPathway.barrierKinds)
            let lifted: Day? = entry.flatMap { e in rng.chance(0.4) ? e.adding(days: rng.int(20...300)) : nil }.flatMap { $0 <= today ? $0 : nil }
            try w.barrier.run([pid, kind, rng.pick(DemoVocabulary.barrierDetails[kind] ?? ["À préciser"]), lifted == nil ? "open" : "lifted",
                               candidature.description, lifted?.description, created, created])
            barriers += 1
        }
        count("barriers", barriers)

        // Candidature and the agrément's decision.
        if let agrement {
            let decided = agrement.day <= today.daysSinceEpoch
            var decisionId: Int64?
            if decided {
                let day = Day(daysSinceEpoch: agrement.day)
                decisionId = try w.decision.run([agrement.id, pid, "admission", rejected ? "rejected" : "approved", day.description,
                                                 rejected ? "Projet professionnel à construire avant une entrée dans le PLIE." : "Entrée validée : motivation et freins identifiés.",
                                                 rejected ? rng.pick(DemoVocabulary.rejectionAlternatives) : nil, nil, ts(day, &rng)])
                count("decisions")
            }
            try w.candidature.run([pid, agrement.id, candidature.description, "Proposition de la référente après diagnostic.",
                                   decided ? (rejected ? "rejected" : "approved") : "pending", decisionId, created])
            count("candidatures")
        }
        if let s = invalidatedBy {
            let day = Day(daysSinceEpoch: s.day)
            try w.decision.run([s.id, pid, "invalidation", "approved", day.description, "Contrat d'engagement jamais signé malgré les relances.",
                                nil, nil, ts(day, &rng)])
            count("decisions")
        }
        guard let entry else { return }
        try w.contract.run([pid, entry.description, ts(entry, &rng)])
        count("contracts")

        // The pathway: steps from the entry to the job (or the exit, or today).
        let end = exitDay ?? today
        let stepsUntil = min(jobStart ?? end, end)
        var cursor = entry
        var steps = 0
        var firstStep = true
        while cursor < stepsUntil {
            let gap = firstStep ? 0 : rng.chance(0.05) ? rng.int(35...60) : rng.int(0...7)
            let s = cursor.adding(days: gap)
            if s >= stepsUntil { break }
            let type = firstStep ? "diagnosis" : rng.weighted(DemoPathway.pathwaySteps)
            let e = min(s.adding(days: firstStep ? rng.int(7...21) : rng.int(14...120)), stepsUntil)
            firstStep = false
            let ongoing = e >= today
            let abandoned = !ongoing && rng.chance(0.08)
            let met: String? = ongoing || abandoned ? nil : rng.weighted([("yes", 6), ("partly", 3), ("no", 1)])
            try w.step.run([pid, type, rng.pick(DemoVocabulary.operators), s.description, e.description, s.description,
                            ongoing ? nil : e.description, ongoing ? "ongoing" : abandoned ? "abandoned" : "completed",
                            met, met == nil ? nil : "Objectifs travaillés avec la personne ; bilan fait avec l'opérateur.", ts(s, &rng), ts(min(e, today), &rng)])
            steps += 1
            cursor = e
        }
        if exitDay == nil, jobStart.map({ $0 > today }) ?? true {
            let s = cursor.adding(days: rng.int(1...20))
            try w.step.run([pid, rng.weighted(DemoPathway.pathwaySteps), rng.pick(DemoVocabulary.operators), s.description,
                            s.adding(days: rng.int(14...60)).description, nil, nil, "planned", nil, nil, ts(today, &rng), ts(today, &rng)])
            steps += 1
        }

        // The job or qualifying training, and its follow-up of 6 months and a day.
        if let job = jobStart, job <= today {
            let type = exitType == "contrat_aide" ? "subsidised_contract" : exitType == "formation_qualifiante" ? "qualifying_training"
                : exitType == "creation_entreprise" ? "business_creation" : "employment"
            let done = exitDay != nil
            let stepId = try w.step.run([pid, type, rng.pick(DemoVocabulary.employers), job.description, job.adding(months: 6).description,
                                         job.description, done ? end.description : nil, done ? "completed" : "ongoing",
                                         done ? "yes" : nil, done ? "Emploi tenu sur toute la période." : nil, ts(job, &rng), ts(min(end, today), &rng)])
            steps += 1
            let ends = FollowUp.endDate(starting: job, settings: settings)
            let answered = ends <= today && rng.chance(0.7)
            let fid = try w.followUp.run([pid, stepId, job.description, ends.description, answered ? ends.description : nil,
                                         answered ? #"{"satisfaction":"\#(rng.int(2...5))","parcours_utile":"oui"}"# : nil, ts(job, &rng), ts(min(ends, today), &rng)])
            count("follow_ups")
            var contactDay = job.adding(days: rng.int(10...25))
            var contacts = 0
            while contactDay <= min(ends, today) {
                if !rng.chance(0.05) {
                    try w.contact.run([fid, contactDay.description, rng.chance(0.6) ? "participant" : "employer", rng.chance(0.7) ? "phone" : "visit",
                                       rng.pick(DemoVocabulary.contactSummaries), ts(contactDay, &rng)])
                    contacts += 1
                }
                contactDay = contactDay.adding(days: rng.int(24...31))
            }
            count("follow_up_contacts", contacts)
        }
        count("steps", steps)

        // Interviews: about two a calendar month while active, one during the follow-up
        // (monthly contacts carry the rest), fewer for the subsidised-contract operation.
        var month = entry.firstOfMonth
        var interviews = 0
        let lastDay = min(end, today)
        while month <= lastDay {
            let from = max(month, entry), to = min(month.lastOfMonth, lastDay)
            let inFollowUp = jobStart.map { month >= $0.firstOfMonth } ?? false
            var n = inFollowUp ? 1 : operation == ops.subsidisedContracts ? rng.weighted([(1, 7), (2, 3)])
                : rng.weighted([(2, 55), (3, 30), (1, 12), (0, 3)])
            let share = Double(from.days(until: to) + 1) / Double(month.days(until: month.lastOfMonth) + 1)
            if share < 1 { n = Int((Double(n) * share).rounded()) }
            for _ in 0..<n {
                let day = from.adding(days: rng.int(0...from.days(until: to)))
                let kind = rng.weighted(DemoPathway.interviewKinds)
                let summary = rng.pick(DemoVocabulary.summaryOpenings) + " " + rng.pick(DemoVocabulary.summaryWork) + " " + rng.pick(DemoVocabulary.summaryNext)
                try w.interview.run([pid, referent, day.description, kind, rng.int(2...12) * 5, summary,
                                     kind != "phone" && rng.chance(0.95), ts(day, &rng)])
                interviews += 1
            }
            month = month.adding(months: 1)
        }
        count("interviews", interviews)

        // Positionings on job offers, with their results (recent ones may still be pending).
        var positionings = 0
        for _ in 0..<rng.weighted([(0, 3), (1, 3), (2, 3), (3, 2), (4, 1)]) {
            let proposed = entry.adding(days: rng.int(0...max(0, entry.days(until: lastDay))))
            let pending = proposed.days(until: today) < 45 && rng.chance(0.6)
            let result: String? = pending ? nil : rng.weighted([("not_selected", 55), ("no_answer", 20), ("withdrawn", 10), ("hired", 15)])
            let resultOn = result == nil ? nil : min(proposed.adding(days: rng.int(5...25)), today)
            let reason: String? = switch result ?? "" {
            case "not_selected": "Profil retenu plus expérimenté ; retour de l'employeur transmis."
            case "no_answer": "Aucune réponse de l'employeur malgré deux relances."
            case "withdrawn": "La personne s'est retirée : horaires incompatibles avec la garde des enfants."
            case "hired": "Embauche confirmée par l'employeur."
            default: nil
            }
            try w.positioning.run([pid, programme.jobOffers[rng.int(0...programme.jobOffers.count - 1)], proposed.description, result,
                                   resultOn?.description, reason, ts(proposed, &rng), ts(resultOn ?? proposed, &rng)])
            positionings += 1
        }
        count("positionings", positionings)

        // The exit: proposal with evidence, validation by the comité de suivi.
        guard let x = exitDay, let type = exitType else { return }
        let proposedAt = ts(min(x.adding(days: rng.int(0...2)), today), &rng)
        var documentIds: [Int64] = []
        if exitCategory == "positive" {
            let situationKind = type == "formation_qualifiante" ? "training_enrolment" : type == "creation_entreprise" ? "participant_statement"
                : rng.chance(0.7) ? "employment_contract" : "payslip"
            for (kind, attests) in [("exit_certificate", x), (situationKind, x.adding(days: -rng.int(0...20)))] {
                let id = try w.document.run([pid, kind, attests.description, "application/pdf", "\(kind)-\(pid).pdf",
                                             DemoPathway.placeholder.count, DemoGenerator.placeholderDigest, proposedAt])
                try w.documentContent.run([id, DemoPathway.placeholderData])
                documentIds.append(id)
            }
            count("documents", 2)
        }
        var decisionId: Int64?
        var letter: String?
        if let s = validatedBy {
            let day = Day(daysSinceEpoch: s.day)
            letter = exitCategory == "other" ? "PLIE-\(day.year)-\(pid)" : nil
            decisionId = try w.decision.run([s.id, pid, "exit", "approved", day.description, "Sortie validée au vu des pièces.", nil, letter, ts(day, &rng)])
            count("decisions")
        }
        let situation = exitCategory == "positive" ? (type == "formation_qualifiante" ? "in_education_or_training" : "in_employment")
            : exitCategory == "administrative" ? "other" : type == "reorientation" ? "other" : "job_searching"
        let sixMonths = validatedBy != nil && x.adding(months: settings.sixMonthResultMonths) <= today
        let employed = sixMonths ? (exitCategory == "positive" ? rng.chance(0.8) : rng.chance(0.25)) : nil
        let exitId = try w.exit.run([
            pid, type, exitCategory, x.description, situation,
            exitCategory == "positive" ? "Situation attestée à la date de sortie." : nil,
            exitCategory == "other" ? "Demande de sortie de la référente : \(type == "abandon" ? "la personne ne se présente plus aux rendez-vous" : "absences répétées et plus d'engagement dans le parcours")." : nil,
            validatedBy == nil ? "proposed" : "validated", statusBeforeExit ?? "active", entry.description, decisionId,
            validatedBy.map { Day(daysSinceEpoch: $0.day).description }, letter,
            employed, employed.map { $0 || rng.chance(0.3) }, proposedAt, proposedAt,
        ])
        for id in documentIds { try w.exitDocument.run([exitId, id]) }
        count("exits")
    }
}
