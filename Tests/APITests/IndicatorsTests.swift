@testable import API
import Domain
import Foundation
import GRDB
import Testing

@Suite("Indicators")
struct IndicatorsTests {
    // MARK: Random datasets against the brute-force reference

    /// A random PLIE: 3 structures, 6 referents (fte 1 or 0.5), an operation with its own targets,
    /// one without, participants in every status with entries, validated (and not) exits of every
    /// type, re-entries, interviews, steps, follow-ups with contacts, positionings.
    static func randomDataset(_ t: TestApp, seed: UInt64) -> IndicatorData {
        var rng = SplitMix64(seed: seed)
        let data = IndicatorData(t.pool)
        let base = Day("2024-09-01")!
        func day(_ lo: Int, _ hi: Int) -> Day { base.adding(days: Int.random(in: lo...hi, using: &rng)) }
        func maybe(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        data.batch {
            for s in 0..<3 { data.structure("S\(s)") }
            for i in 0..<6 {
                data.referent(data.structures[i % 3], fte: maybe(0.5) ? 0.5 : 1, expected: maybe(0.5) ? 12 : nil)
            }
            let subsidised = data.operation(minInterviews: 1, positiveTarget: 0.6, minFollowed: 5, workTarget: 0.15)
            let plain = data.operation()
            let horizon = 640  // days after base: up to mid-2026
            for _ in 0..<45 {
                let referent = data.referents.randomElement(using: &rng)!.id
                let operation = [subsidised, plain, nil].randomElement(using: &rng)!
                let kind = Int.random(in: 0..<10, using: &rng)
                if kind == 0 {
                    data.participant(referent, operation: operation, status: "admitted", admittedOn: day(300, horizon).description)
                    continue
                }
                if kind == 1 { data.participant(referent, operation: operation, status: "candidate"); continue }
                let entry = day(0, horizon - 30)
                let exited = maybe(0.45)
                let id = data.participant(referent, operation: operation, status: exited ? "exited" : ["active", "in_follow_up", "exit_proposed"].randomElement(using: &rng)!,
                                          entry: entry.description)
                if maybe(0.15) {
                    // An earlier pathway, closed before this entry.
                    let earlier = entry.adding(days: -Int.random(in: 40...300, using: &rng))
                    data.contract(id, earlier.description)
                    data.exit(id, ExitType.allCases.randomElement(using: &rng)!, entry.adding(days: -Int.random(in: 1...30, using: &rng)).description,
                              entry: maybe(0.5) ? earlier.description : nil)
                }
                if exited {
                    let date = entry.adding(days: Int.random(in: 0...400, using: &rng))
                    data.exit(id, ExitType.allCases.randomElement(using: &rng)!, date.description, entry: maybe(0.7) ? entry.description : nil)
                }
                if maybe(0.2) {
                    data.exit(id, ExitType.allCases.randomElement(using: &rng)!, entry.adding(days: Int.random(in: 0...300, using: &rng)).description,
                              status: ["proposed", "rejected"].randomElement(using: &rng)!)
                }
                for _ in 0..<Int.random(in: 0...25, using: &rng) {
                    data.interview(id, entry.adding(days: Int.random(in: -5...420, using: &rng)).description)
                }
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    let status = ["planned", "ongoing", "completed", "abandoned"].randomElement(using: &rng)!
                    let end = entry.adding(days: Int.random(in: 0...400, using: &rng))
                    data.step(id, status: status, plannedEnd: maybe(0.6) ? end.description : nil,
                              actualEnd: status == "completed" || (status == "abandoned" && maybe(0.5)) ? end.adding(days: -3).description : nil)
                }
                if maybe(0.35) {
                    let start = entry.adding(days: Int.random(in: 0...300, using: &rng))
                    let fu = data.followUp(id, starts: start.description,
                                           interrupted: maybe(0.2) ? start.adding(days: Int.random(in: 10...250, using: &rng)).description : nil)
                    for _ in 0..<Int.random(in: 0...4, using: &rng) { data.contact(fu, start.adding(days: Int.random(in: 0...200, using: &rng)).description) }
                }
                for _ in 0..<Int.random(in: 0...2, using: &rng) {
                    data.positioning(id, proposed: entry.adding(days: Int.random(in: 0...300, using: &rng)).description, result: maybe(0.5) ? "hired" : nil)
                }
            }
        }
        return data
    }

    /// Compares one block of the answer with the reference's figures, rates and averages included.
    static func check(_ block: JSON?, _ expected: IndicatorReference.Figures, _ label: String, fte: Double? = nil) {
        guard let block else { Issue.record("\(label): block missing"); return }
        var comparable = expected
        comparable.days = [:]; comparable.followed = 0
        #expect(IndicatorReference.read(block) == comparable, "\(label)")
        let rate = block["positive_exit_rate"]?["value"]
        let neutral = block["positive_exit_rate_neutralised"]?["value"]
        if expected.exits == 0 { #expect(rate == .null, "\(label)") } else {
            #expect(abs((rate?.doubleValue ?? -1) - Double(expected.positive) / Double(expected.exits)) < 1e-9, "\(label)")
        }
        let denominator = expected.exits - expected.administrative
        if denominator == 0 { #expect(neutral == .null, "\(label)") } else {
            #expect(abs((neutral?.doubleValue ?? -1) - Double(expected.positive) / Double(denominator)) < 1e-9, "\(label)")
        }
        let compliance = block["interview_compliance"]?["value"]
        if expected.months == 0 { #expect(compliance == .null, "\(label)") } else {
            #expect(abs((compliance?.doubleValue ?? -1) - Double(expected.compliant) / Double(expected.months)) < 1e-9, "\(label)")
        }
        for category in ["positive", "administrative", "other"] {
            let got = block["average_pathway_days"]?[category]
            let days = expected.days[category] ?? []
            if days.isEmpty { #expect(got == .null, "\(label) \(category)") } else {
                #expect(abs((got?.doubleValue ?? -1) - Double(days.reduce(0, +)) / Double(days.count)) < 1e-9, "\(label) \(category)")
            }
        }
        if let fte {
            #expect(abs((block["caseload_per_fte"]?["value"]?.doubleValue ?? -1) - Double(expected.caseload) / fte) < 1e-9, "\(label) per fte")
        }
    }

    @Test("every indicator matches a day-by-day reference on random datasets, overall and by referent, structure and operation")
    func randomDatasets() throws {
        for seed in UInt64(1)...12 {
            let t = try TestApp(today: "2026-06-30")
            let data = Self.randomDataset(t, seed: seed)
            var rng = SplitMix64(seed: seed &* 7919)
            let from = Day("2025-01-01")!.adding(days: Int.random(in: 0...300, using: &rng))
            let to = from.adding(days: Int.random(in: 0...420, using: &rng))
            let r = t.get("/v1/indicators?from=\(from)&to=\(to)")
            #expect(r.status == 200, "\(r.text)")
            let answer = r.json  // parsed once: the body is large
            let ref = IndicatorReference(data: data, from: from, to: to)
            let label = "seed \(seed) \(from)...\(to)"
            Self.check(answer["overall"], ref.figures { _ in true }, "\(label) overall",
                       fte: data.referents.reduce(0) { $0 + $1.fte })
            for referent in data.referents {
                let block = answer["by_referent"]?.arrayValue?.first { $0["referent_id"] == .string(String(referent.id)) }
                Self.check(block, ref.figures { $0.referent == referent.id }, "\(label) referent \(referent.id)", fte: referent.fte)
                let expected = referent.expected.map { Double($0) * Double(from.days(until: to) + 1) / 365 }
                #expect(block?["entries"]?["target"]?.doubleValue == expected, "\(label)")
            }
            for structure in data.structures {
                let members = Set(data.referents.filter { $0.structure == structure }.map(\.id))
                let block = answer["by_structure"]?.arrayValue?.first { $0["structure_id"] == .string(String(structure)) }
                Self.check(block, ref.figures { members.contains($0.referent) }, "\(label) structure \(structure)",
                           fte: data.referents.filter { members.contains($0.id) }.reduce(0) { $0 + $1.fte })
            }
            for operation in data.operations {
                let block = answer["by_operation"]?.arrayValue?.first { $0["operation_id"] == .string(String(operation.id)) }
                let figures = ref.figures { $0.operation == operation.id }
                Self.check(block, figures, "\(label) operation \(operation.id)")
                #expect(block?["positive_exit_rate"]?["target"]?.doubleValue == operation.positiveTarget ?? 0.5)
                if operation.minFollowed != nil {
                    let action = block?["subsidised_contract_action"]
                    #expect(action?["followed"]?["value"]?.intValue == figures.followed, "\(label) followed")
                    #expect(action?["followed"]?["met"]?.boolValue == (figures.followed >= 5))
                    #expect(action?["work_or_training_exit_rate"]?["value"] == (figures.exits == 0 ? .null : .double(Double(figures.positive) / Double(figures.exits))))
                } else {
                    #expect(block?["subsidised_contract_action"] == nil)
                }
            }
        }
    }

    @Test("with detail=true each block lists the participants behind its counts, and they agree with the counts")
    func detailIds() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = Self.randomDataset(t, seed: 42)
        let r = t.get("/v1/indicators?from=2025-01-01&to=2025-12-31&detail=true")
        #expect(r.status == 200)
        let overall = r.json["overall"]
        let ref = IndicatorReference(data: data, from: Day("2025-01-01")!, to: Day("2025-12-31")!)
        let caseload = Set(data.participants.filter { ref.inPathway($0, ref.to) }.map { String($0.id) })
        #expect(Set(overall?["detail"]?["active_caseload"]?.arrayValue?.compactMap(\.stringValue) ?? []) == caseload)
        let exited = Set(data.exits.filter { $0.status == "validated" && $0.date >= ref.from && $0.date <= ref.to }.map { String($0.participant) })
        #expect(Set(overall?["detail"]?["exits"]?.arrayValue?.compactMap(\.stringValue) ?? []) == exited)
        // Numbers stay numbers.
        #expect(overall?["exits"]?.intValue != nil)
        #expect(t.get("/v1/indicators").json["overall"]?["detail"] == nil)
    }

    // MARK: Edges

    /// One structure, one referent, and the referent's id.
    static func small(_ t: TestApp) -> (IndicatorData, Int64) {
        let data = IndicatorData(t.pool)
        let s = data.structure()
        return (data, data.referent(s))
    }

    @Test("an exit on the last day of the period counts; one the day after does not; the exit day is still in pathway")
    func exitOnPeriodEdge() throws {
        let t = try TestApp(today: "2026-06-30")
        let (data, referent) = Self.small(t)
        let a = data.participant(referent, status: "exited", entry: "2025-01-10")
        data.exit(a, .cdi, "2025-03-31")
        let b = data.participant(referent, status: "exited", entry: "2025-01-10")
        data.exit(b, .abandon, "2025-04-01")
        let overall = t.get("/v1/indicators?from=2025-01-01&to=2025-03-31").json["overall"]
        #expect(overall?["exits"] == 1)
        #expect(overall?["positive_exits"] == 1)
        #expect(overall?["positive_exit_rate"]?["value"] == .double(1))
        #expect(overall?["positive_exit_rate"]?["met"] == true)
        #expect(overall?["active_caseload"]?["value"] == 2, "both are in pathway on the 31st, a's exit day")
        let april = t.get("/v1/indicators?from=2025-04-01&to=2025-04-30").json["overall"]
        #expect(april?["exits"] == 1)
        #expect(april?["other_exits"] == 1)
        #expect(april?["positive_exit_rate"]?["value"] == .double(0))
        #expect(april?["positive_exit_rate"]?["met"] == false)
    }

    @Test("a period without exits has null rates (not 0) and null met; an empty PLIE answers without error")
    func emptyPeriod() throws {
        let t = try TestApp(today: "2026-06-30")
        let empty = t.get("/v1/indicators")
        #expect(empty.status == 200)
        #expect(empty.json["period"] == obj(["from": "2026-01-01", "to": "2026-06-30"]))
        #expect(empty.json["overall"]?["positive_exit_rate"] == obj(["value": .null, "target": .double(0.5), "met": .null]))
        #expect(empty.json["overall"]?["caseload_per_fte"]?["value"] == .null)
        let (data, referent) = Self.small(t)
        data.participant(referent, entry: "2025-01-01")
        let r = t.get("/v1/indicators?from=2026-02-01&to=2026-02-01").json["overall"]
        #expect(r?["exits"] == 0)
        #expect(r?["positive_exit_rate"]?["value"] == .null)
        #expect(r?["positive_exit_rate_neutralised"]?["value"] == .null)
        #expect(r?["interview_compliance"]?["value"] == .null, "no whole month in a one-day period")
        #expect(r?["average_pathway_days"] == obj(["positive": .null, "administrative": .null, "other": .null]))
    }

    @Test("the neutralised rate leaves administrative exits out of the denominator; all-administrative is null")
    func neutralisedRate() throws {
        let t = try TestApp(today: "2026-06-30")
        let (data, referent) = Self.small(t)
        for (type, date) in [(ExitType.cdi, "2025-05-02"), (.demenagement, "2025-05-03"), (.sante, "2025-05-04"), (.abandon, "2025-05-05")] {
            data.exit(data.participant(referent, status: "exited", entry: "2025-01-01"), type, date)
        }
        let r = t.get("/v1/indicators?from=2025-05-01&to=2025-05-31").json["overall"]
        #expect(r?["positive_exit_rate"]?["value"] == .double(0.25))
        #expect(r?["positive_exit_rate"]?["met"] == false)
        #expect(r?["positive_exit_rate_neutralised"]?["value"] == .double(0.5))
        #expect(r?["positive_exit_rate_neutralised"]?["met"] == true)
        #expect(r?["administrative_exits"] == 2)
        let onlyAdmin = t.get("/v1/indicators?from=2025-05-03&to=2025-05-04").json["overall"]
        #expect(onlyAdmin?["positive_exit_rate"]?["value"] == .double(0))
        #expect(onlyAdmin?["positive_exit_rate_neutralised"]?["value"] == .null)
    }

    @Test("a follow-up ending exactly on the last day (6 months and a day) is completed; ending the day after, it is in progress")
    func followUpEdge() throws {
        let t = try TestApp(today: "2026-06-30")
        let (data, referent) = Self.small(t)
        let a = data.participant(referent, status: "in_follow_up", entry: "2025-01-01")
        data.followUp(a, starts: "2025-01-15")  // ends 2025-07-16
        let b = data.participant(referent, status: "in_follow_up", entry: "2025-01-01")
        data.followUp(b, starts: "2025-01-16")  // ends 2025-07-17
        let r = t.get("/v1/indicators?from=2025-07-01&to=2025-07-16").json["overall"]
        #expect(r?["follow_ups"]?["completed"] == 1)
        #expect(r?["follow_ups"]?["in_progress"] == 1)
        #expect(r?["follow_ups"]?["overdue_contacts"] == 1, "b never had a contact")
        #expect(r?["follow_ups"]?["met"] == false)
    }

    @Test("interview compliance counts whole months in pathway, with the operation's own minimum")
    func interviewCompliance() throws {
        let t = try TestApp(today: "2026-06-30")
        let (data, referent) = Self.small(t)
        let monthly = data.operation(minInterviews: 1)
        let a = data.participant(referent, entry: "2025-01-01")          // Jan, Feb, Mar counted
        for d in ["2025-01-05", "2025-01-20", "2025-02-03", "2025-03-01", "2025-03-31"] { data.interview(a, d) }
        let b = data.participant(referent, operation: monthly, entry: "2025-01-02")  // Feb, Mar counted: entered after Jan 1
        data.interview(b, "2025-02-10")
        let c = data.participant(referent, status: "exited", entry: "2024-06-01")
        data.exit(c, .cdi, "2025-02-27")                                   // Jan only: gone before Feb 28
        data.interview(c, "2025-01-02"); data.interview(c, "2025-01-03")
        let r = t.get("/v1/indicators?from=2025-01-01&to=2025-03-31").json["overall"]
        #expect(r?["interview_compliance"]?["months"] == 6)
        #expect(r?["interview_compliance"]?["compliant_months"] == 4, "a: Jan, Mar; b: Feb; c: Jan")
        #expect(r?["interview_compliance"]?["met"] == false)
        let partial = t.get("/v1/indicators?from=2025-01-02&to=2025-03-30").json["overall"]
        #expect(partial?["interview_compliance"]?["months"] == 2, "only February lies wholly in the period")
    }

    @Test("the monthly interview counts follow interviews moved to another month or deleted")
    func interviewCountsFollowChanges() throws {
        let t = try TestApp(today: "2026-06-30")
        let (data, referent) = Self.small(t)
        let a = data.participant(referent, entry: "2025-01-01")
        data.interview(a, "2025-01-05"); data.interview(a, "2025-02-06"); data.interview(a, "2025-02-07")
        func compliant() -> JSON? { t.get("/v1/indicators?from=2025-01-01&to=2025-02-28").json["overall"]?["interview_compliance"]?["compliant_months"] }
        #expect(compliant() == 1)
        data.execute("UPDATE interviews SET date = '2025-01-20' WHERE date = '2025-02-07'")
        #expect(compliant() == 1, "January now complies, February no longer")
        data.execute("DELETE FROM interviews WHERE date = '2025-01-20'")
        #expect(compliant() == 0)
    }

    @Test("the current pathway follows exits proposed then validated, moved, and a re-entry after an exit")
    func currentPathwayFollowsChanges() throws {
        let t = try TestApp(today: "2026-06-30")
        let (data, referent) = Self.small(t)
        let a = data.participant(referent, entry: "2025-01-01")
        func caseload() -> JSON? { t.get("/v1/indicators?from=2026-01-01&to=2026-06-30").json["overall"]?["active_caseload"]?["value"] }
        let exit = data.exit(a, .cdi, "2026-03-01", status: "proposed")
        #expect(caseload() == 1, "a proposed exit does not end the pathway")
        data.execute("UPDATE exits SET status = 'validated' WHERE id = ?", [exit])
        #expect(caseload() == 0)
        data.execute("UPDATE exits SET date = '2026-06-30' WHERE id = ?", [exit])
        #expect(caseload() == 1, "in pathway on the exit day")
        data.execute("UPDATE exits SET date = '2026-03-01' WHERE id = ?", [exit])
        data.execute("UPDATE participants SET entry_date = '2026-05-01' WHERE id = ?", [a])
        #expect(caseload() == 1, "the earlier exit closed an earlier pathway")
        data.execute("UPDATE exits SET status = 'rejected' WHERE id = ?", [exit])
        #expect(caseload() == 1)
    }

    // MARK: Access

    @Test("a referent's token sees only their own block; another referent's filter is 403")
    func referentScope() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = IndicatorData(t.pool)
        let s = data.structure()
        let mine = data.referent(s), other = data.referent(s)
        data.exit(data.participant(mine, status: "exited", entry: "2026-01-05"), .cdi, "2026-03-01")
        data.participant(other, entry: "2026-01-05")
        data.participant(other, entry: "2026-01-06")
        let token = t.token(.referent, referentId: String(mine))
        let r = t.get("/v1/indicators", token: token)
        #expect(r.status == 200)
        #expect(r.json["by_referent"]?.arrayValue?.map { $0["referent_id"] } == [.string(String(mine))])
        #expect(r.json["by_structure"] == [])
        #expect(r.json["overall"]?["exits"] == 1)
        #expect(r.json["overall"]?["active_caseload"]?["value"] == 0)
        #expect(t.get("/v1/indicators?referent_id=\(other)&from=2025-01-01&to=2025-12-31", token: token).status == 403)
        #expect(t.get("/v1/indicators?structure_id=999999&from=2025-01-01&to=2025-12-31").status == 422)
        #expect(t.app.env.factsCache.primes == 1, "a refused call computed a period for nothing")
        #expect(t.get("/v1/indicators?referent_id=\(other)", token: token).status == 403)
        let all = t.get("/v1/indicators").json["overall"]
        #expect(all?["active_caseload"]?["value"] == 2)
    }

    @Test("a structure manager sees their structure only; auditors see everything; filters narrow the blocks")
    func structureScope() throws {
        let t = try TestApp(today: "2026-06-30")
        let data = IndicatorData(t.pool)
        let s1 = data.structure("A"), s2 = data.structure("B")
        let r1 = data.referent(s1, fte: 0.5), r2 = data.referent(s2)
        data.participant(r1, entry: "2026-01-05")
        data.participant(r2, entry: "2026-01-05"); data.participant(r2, entry: "2026-01-07")
        let manager = t.token(.structureManager, structureId: String(s1))
        let r = t.get("/v1/indicators", token: manager)
        #expect(r.status == 200)
        #expect(r.json["overall"]?["active_caseload"]?["value"] == 1)
        #expect(r.json["overall"]?["caseload_per_fte"]?["value"] == .double(2))
        #expect(r.json["by_referent"]?.arrayValue?.count == 1)
        #expect(r.json["by_structure"]?.arrayValue?.map { $0["structure_id"] } == [.string(String(s1))])
        #expect(t.get("/v1/indicators?structure_id=\(s2)", token: manager).status == 403)
        #expect(t.get("/v1/indicators?referent_id=\(r2)", token: manager).status == 403)
        let auditor = t.get("/v1/indicators", token: t.token(.auditor))
        #expect(auditor.json["overall"]?["active_caseload"]?["value"] == 3)
        let filtered = t.get("/v1/indicators?structure_id=\(s2)")
        #expect(filtered.json["overall"]?["active_caseload"]?["value"] == 2)
        #expect(filtered.json["by_referent"]?.arrayValue?.count == 1)
    }

    @Test("bad parameters are 422 naming them")
    func badParameters() throws {
        let t = try TestApp(today: "2026-06-30")
        let r = t.get("/v1/indicators?from=2026-02-30&to=2026-01-01&referent_id=x&detail=yes")
        #expect(r.status == 422)
        let fields = Set(r.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
        #expect(fields == ["from", "referent_id", "detail"])
        #expect(t.get("/v1/indicators?from=2026-03-01&to=2026-01-01").status == 422)
        #expect(t.get("/v1/indicators?operation_id=999").status == 422)
    }

    // MARK: Speed

    /// (For the whole PLIE the route reads `current_pathways` whole, on purpose, in rowid order: see IndicatorQuery.)
    @Test("the queries seek indexes: no full scan of pathways, exits, contracts, interviews, steps or follow-ups")
    func queryPlans() throws {
        let t = try TestApp(today: "2026-06-30")
        _ = Self.small(t)
        // The shapes of the route's statements, planned on the migrated schema.
        try t.pool.read { db in
            for sql in [
                "SELECT count(*) FROM current_pathways cp WHERE coalesce(cp.exit_date, '9999-12-31') >= '2025-01-01' AND cp.entry_date <= '2025-12-31'",
                "SELECT count(*) FROM interview_months im WHERE im.participant_id = 1 AND im.month BETWEEN 24300 AND 24311 AND im.count >= 2",
                "SELECT max(coalesce(s.actual_end, s.planned_end)) FROM steps s WHERE s.participant_id = 1",
                "SELECT count(*) FROM follow_ups f WHERE f.participant_id = 1 AND f.starts_on <= '2025-12-31' AND '2025-12-31' < f.ends_on",
                "SELECT min(e.date) FROM exits e WHERE e.participant_id = 1 AND e.status = 'validated' AND e.date >= '2025-01-01'",
                "SELECT count(*) FROM contracts x WHERE x.signed_on BETWEEN '2025-01-01' AND '2025-12-31'",
                "SELECT count(*) FROM exits x WHERE x.status = 'validated' AND x.date BETWEEN '2025-01-01' AND '2025-12-31'",
                "SELECT count(*) FROM follow_ups f WHERE f.ends_on BETWEEN '2025-01-01' AND '2025-12-31'",
                "SELECT count(*) FROM interviews i WHERE i.participant_id = 1 AND i.date BETWEEN '2025-01-01' AND '2025-01-31'",
                "SELECT count(*) FROM participants p WHERE p.status = 'admitted' AND p.admitted_on < '2025-01-01'",
                "SELECT count(*) FROM follow_ups f WHERE f.ends_on > '2025-12-31' AND f.starts_on <= '2025-12-31'",
                "SELECT count(*) FROM participant_facts p WHERE p.referent_id = 1",
                "SELECT count(*) FROM participant_facts p WHERE p.operation_id = 1",
            ] {
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
                #expect(plan.contains("USING") && !plan.contains("SCAN x ") && !plan.hasPrefix("SCAN "), "\(sql): \(plan)")
            }
        }
    }
}
