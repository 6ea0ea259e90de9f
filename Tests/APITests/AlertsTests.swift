@testable import API
import Domain
import Testing

@Suite("Alerts")
struct AlertsTests {
    /// A PLIE on 2026-06-30 with one structure and one referent.
    static func setUp() throws -> (TestApp, IndicatorData, Int64) {
        let t = try TestApp(today: "2026-06-30")
        let data = IndicatorData(t.pool)
        let referent = data.referent(data.structure())
        return (t, data, referent)
    }

    /// The alerts of a kind, as (participant id, since).
    static func alerts(_ t: TestApp, _ kind: AlertKind, token: String? = nil) -> [(String, String)] {
        let r = t.get("/v1/alerts?kind=\(kind.rawValue)", token: token)
        #expect(r.status == 200, "\(r.text)")
        return (r.json["items"]?.arrayValue ?? []).map {
            #expect($0["kind"] == .string(kind.rawValue))
            #expect($0["detail"]?.stringValue?.isEmpty == false)
            return ($0["participant_id"]?.stringValue ?? "", $0["since"]?.stringValue ?? "")
        }
    }

    /// A participant with an open step, so that only the alert under test shows.
    @discardableResult
    static func busy(_ data: IndicatorData, _ referent: Int64, entry: String = "2026-01-05", status: String = "active") -> Int64 {
        let id = data.participant(referent, status: status, entry: entry)
        data.step(id, status: "ongoing", actualStart: entry)
        return id
    }

    @Test("interviews_below_minimum: in pathway with fewer interviews this month than the minimum, since the 1st; gone at the minimum")
    func interviewsBelowMinimum() throws {
        let (t, data, referent) = try Self.setUp()
        let id = Self.busy(data, referent)
        data.interview(id, "2026-06-03")
        data.interview(id, "2026-05-20")
        #expect(Self.alerts(t, .interviewsBelowMinimum).map(\.0) == [String(id)])
        #expect(Self.alerts(t, .interviewsBelowMinimum).first?.1 == "2026-06-01")
        data.interview(id, "2026-06-28")
        #expect(Self.alerts(t, .interviewsBelowMinimum).isEmpty)
    }

    @Test("follow_up_contact_overdue: no contact for more than the interval, since the due day; a contact resolves it")
    func followUpContactOverdue() throws {
        let (t, data, referent) = try Self.setUp()
        let id = Self.busy(data, referent, status: "in_follow_up")
        let fu = data.followUp(id, starts: "2026-04-01")
        data.contact(fu, "2026-05-15")
        #expect(Self.alerts(t, .followUpContactOverdue).map(\.1) == ["2026-06-15"])
        data.contact(fu, "2026-06-29")
        #expect(Self.alerts(t, .followUpContactOverdue).isEmpty)
    }

    @Test("follow_up_ended: the follow-up reached its end and the participant is still in follow-up; gone once the exit is proposed")
    func followUpEnded() throws {
        let (t, data, referent) = try Self.setUp()
        let id = Self.busy(data, referent, entry: "2025-06-01", status: "in_follow_up")
        data.followUp(id, starts: "2025-12-20")  // ends 2026-06-21
        #expect(Self.alerts(t, .followUpEnded).map(\.1) == ["2026-06-21"])
        data.execute("UPDATE participants SET status = 'exit_proposed' WHERE id = ?", [id])
        #expect(Self.alerts(t, .followUpEnded).isEmpty)
    }

    @Test("contract_unsigned: admitted past the delay, since the deadline; gone once the contract is signed")
    func contractUnsigned() throws {
        let (t, data, referent) = try Self.setUp()
        let late = data.participant(referent, status: "admitted", admittedOn: "2026-06-01")
        data.participant(referent, status: "admitted", admittedOn: "2026-06-15")  // deadline today: not yet
        #expect(Self.alerts(t, .contractUnsigned).map { $0.0 } == [String(late)])
        #expect(Self.alerts(t, .contractUnsigned).first?.1 == "2026-06-16")
        data.execute("UPDATE participants SET status = 'active', entry_date = '2026-06-29' WHERE id = ?", [late])
        #expect(Self.alerts(t, .contractUnsigned).isEmpty)
    }

    @Test("positioning_pending: no result after the delay, since the deadline; gone once the result is recorded")
    func positioningPending() throws {
        let (t, data, referent) = try Self.setUp()
        let id = Self.busy(data, referent)
        let pending = data.positioning(id, proposed: "2026-05-01")
        data.positioning(id, proposed: "2026-06-10")
        #expect(Self.alerts(t, .positioningPending).map(\.1) == ["2026-05-31"])
        data.execute("UPDATE positionings SET result = 'not_selected', reason = 'Profil', result_on = '2026-06-29' WHERE id = ?", [pending])
        #expect(Self.alerts(t, .positioningPending).isEmpty)
    }

    @Test("pathway_gap: no open step for more than the gap days, since the last activity + the gap; a planned step resolves it")
    func pathwayGap() throws {
        let (t, data, referent) = try Self.setUp()
        let id = data.participant(referent, entry: "2026-01-05")
        data.step(id, status: "completed", actualStart: "2026-02-01", actualEnd: "2026-05-10")
        data.participant(referent, entry: "2026-06-01")  // 29 days after entry: no gap yet
        #expect(Self.alerts(t, .pathwayGap).map(\.0) == [String(id)])
        #expect(Self.alerts(t, .pathwayGap).first?.1 == "2026-06-09")
        data.step(id, status: "planned", plannedStart: "2026-07-10")
        #expect(Self.alerts(t, .pathwayGap).isEmpty)
    }

    @Test("exit_awaiting_committee: an exit proposal waits for the comité de suivi, since its proposal; gone once decided")
    func exitAwaitingCommittee() throws {
        let (t, data, referent) = try Self.setUp()
        let id = Self.busy(data, referent, status: "exit_proposed")
        let exit = data.exit(id, .cdi, "2026-06-20", status: "proposed", createdAt: "2026-06-22T09:30:00Z")
        #expect(Self.alerts(t, .exitAwaitingCommittee).map(\.1) == ["2026-06-22"])
        data.execute("UPDATE exits SET status = 'validated' WHERE id = ?", [exit])
        data.execute("UPDATE participants SET status = 'exited' WHERE id = ?", [id])
        #expect(Self.alerts(t, .exitAwaitingCommittee).isEmpty)
    }

    @Test("pathway_over_max_length: in pathway past 36 months, since entry + 36 months; gone after the exit")
    func pathwayOverMaxLength() throws {
        let (t, data, referent) = try Self.setUp()
        let old = Self.busy(data, referent, entry: "2023-06-29")
        Self.busy(data, referent, entry: "2023-06-30")  // reaches 36 months today: not past it
        #expect(Self.alerts(t, .pathwayOverMaxLength).map { $0.0 } == [String(old)])
        #expect(Self.alerts(t, .pathwayOverMaxLength).first?.1 == "2026-06-29")
        data.exit(old, .interruption, "2026-06-29")
        #expect(Self.alerts(t, .pathwayOverMaxLength).isEmpty)
    }

    @Test("a referent sees only their own alerts; an unknown kind is 422")
    func scopeAndKinds() throws {
        let (t, data, referent) = try Self.setUp()
        let other = data.referent(data.structures[0])
        data.participant(referent, status: "admitted", admittedOn: "2026-01-01")
        data.participant(other, status: "admitted", admittedOn: "2026-01-01")
        let token = t.token(.referent, referentId: String(referent))
        let mine = t.get("/v1/alerts", token: token).json["items"]?.arrayValue ?? []
        #expect(mine.count == 1)
        #expect(mine.first?["referent_id"] == .string(String(referent)))
        #expect(t.get("/v1/alerts").json["items"]?.arrayValue?.count == 2)
        #expect(t.get("/v1/alerts?referent_id=\(other)", token: token).status == 403)
        let bad = t.get("/v1/alerts?kind=everything")
        #expect(bad.status == 422)
        #expect(bad.json["errors"]?.arrayValue?.first?["field"] == "kind")
    }
}
