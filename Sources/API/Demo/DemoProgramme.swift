import Foundation
import Domain
import GRDB

/// The PLIE around the participants: structures, referents (some half-time), FSE operations,
/// committees twice a month and job offers. Built first, in one transaction; the pathways then
/// draw their referents, committees and offers from it.
struct DemoProgramme {
    /// A committee of one kind on its date.
    struct Sitting { let day: Int; let id: Int64 }

    struct Referent { let id: Int64; let fte: Double }

    /// The operations by role in the demo.
    struct Operations {
        let general: Int64, subsidisedContracts: Int64, youth: Int64, socialClause: Int64
    }

    var referents: [Referent] = []
    /// Referent indexes repeated by full-time equivalent: a half-time referent is drawn half as often.
    var referentDraw: [Int] = []
    var operations = Operations(general: 0, subsidisedContracts: 0, youth: 0, socialClause: 0)
    var agrement: [Sitting] = []
    var suivi: [Sitting] = []
    var jobOffers: [Int64] = []
    var counts: [(String, Int)] = []

    /// The first sitting of `sittings` on or after `day` (days since the epoch), if any.
    static func next(_ sittings: [Sitting], onOrAfter day: Int) -> Sitting? {
        var lo = 0, hi = sittings.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sittings[mid].day < day { lo = mid + 1 } else { hi = mid }
        }
        return lo < sittings.count ? sittings[lo] : nil
    }

    /// Writes the programme for the period [start, today] plus a month of planned committees.
    static func build(_ db: Database, rng: inout SplitMix64, start: Day, today: Day) throws -> DemoProgramme {
        var p = DemoProgramme()
        let created = DemoGenerator.timestamp(start.adding(days: -30), minute: 9 * 60)

        var structureIds: [Int64] = []
        for (name, kind) in DemoVocabulary.structures.prefix(8) {
            let city = rng.pick(DemoVocabulary.cities)
            try db.execute(sql: """
                INSERT INTO structures (name, kind, address, postal_code, city, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, kind, "\(rng.int(1...120)) \(rng.pick(DemoVocabulary.streets))", city.postalCode, city.name, created, created])
            structureIds.append(db.lastInsertedRowID)
        }

        for n in 0..<60 {
            let structure = structureIds[n % structureIds.count]
            let woman = rng.chance(0.7)
            let first = rng.pick(woman ? DemoVocabulary.womenFirstNames : DemoVocabulary.menFirstNames)
            let last = rng.pick(DemoVocabulary.lastNames)
            let fte = n % 6 == 5 ? 0.5 : 1.0
            let email = "\(Names.fold(first)).\(Names.fold(last))\(n)@plie-demo.fr".replacingOccurrences(of: " ", with: "-")
            try db.execute(sql: """
                INSERT INTO referents (structure_id, first_name, last_name, email, phone, fte, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [structure, first, last, email, DemoGenerator.phone(&rng), fte, created, created])
            p.referents.append(Referent(id: db.lastInsertedRowID, fte: fte))
            p.referentDraw += Array(repeating: n, count: fte < 1 ? 1 : 2)
        }

        let opStart = Day(year: start.year, month: 1, day: 1)?.description
        let opEnd = Day(year: today.year + 1, month: 12, day: 31)?.description
        func operation(_ name: String, _ code: String, minFollowed: Int?, positive: Double?, workOrTraining: Double?, minInterviews: Int?) throws -> Int64 {
            try db.execute(sql: """
                INSERT INTO operations (name, code, starts_on, ends_on, min_followed, positive_exit_target, work_or_training_exit_target,
                                        min_interviews_per_month, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, code, opStart, opEnd, minFollowed, positive, workOrTraining, minInterviews, created, created])
            return db.lastInsertedRowID
        }
        p.operations = Operations(
            general: try operation("Accompagnement renforcé vers l'emploi", "PLIE-AR", minFollowed: 1500, positive: 0.5, workOrTraining: nil, minInterviews: nil),
            subsidisedContracts: try operation("Accompagnement des contrats aidés", "PLIE-CA", minFollowed: 75, positive: nil, workOrTraining: 0.15, minInterviews: 1),
            youth: try operation("Parcours jeunes peu qualifiés", "PLIE-JE", minFollowed: 200, positive: 0.5, workOrTraining: nil, minInterviews: nil),
            socialClause: try operation("Clauses sociales des marchés publics", "PLIE-CS", minFollowed: 100, positive: 0.5, workOrTraining: nil, minInterviews: nil))

        // Agrément on the 5th and 19th, suivi on the 12th and 26th, formation on the 8th.
        var month = start.firstOfMonth
        let last = today.adding(months: 1).firstOfMonth
        var committees = 0
        while month <= last {
            for (kind, days, title) in [("agrement", [5, 19], "Comité d'agrément"), ("suivi", [12, 26], "Comité de suivi"),
                                        ("formation", [8], "Comité de validation formation")] {
                for d in days {
                    guard let day = Day(year: month.year, month: month.month, day: d) else { continue }
                    try db.execute(sql: "INSERT INTO committees (kind, date, title, location, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [kind, day.description, title, "Maison de l'emploi, salle du conseil", created, created])
                    let sitting = Sitting(day: day.daysSinceEpoch, id: db.lastInsertedRowID)
                    if kind == "agrement" { p.agrement.append(sitting) } else if kind == "suivi" { p.suivi.append(sitting) }
                    committees += 1
                }
            }
            month = month.adding(months: 1)
        }

        for _ in 0..<400 {
            let status = rng.weighted([("open", 3), ("filled", 5), ("closed", 2)])
            try db.execute(sql: """
                INSERT INTO job_offers (title, employer, contract_type, location, description, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [rng.pick(DemoVocabulary.jobTitles), rng.pick(DemoVocabulary.employers),
                                 rng.weighted([("CDI", 3), ("CDD 6 mois", 4), ("Intérim", 2), ("PEC", 2)]),
                                 rng.pick(DemoVocabulary.cities).name, "Offre recueillie par la chargée de relation entreprise.",
                                 status, created, created])
            p.jobOffers.append(db.lastInsertedRowID)
        }
        p.counts = [("structures", structureIds.count), ("referents", p.referents.count), ("operations", 4),
                    ("committees", committees), ("job_offers", p.jobOffers.count)]
        return p
    }
}
