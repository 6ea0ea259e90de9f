@testable import API
import Domain
import Foundation
import GRDB
import PropertyBased
import Testing

/// Random sequences of the actions that move a participant, sent through the real routes.
@Suite("Lifecycle through the API, at random")
struct LifecyclePropertyTests {
    enum Action: CaseIterable {
        case candidature, admit, reject, defer_, sign, invalidate, startJob, abandonJob, proposeExit, acceptExit, refuseExit
    }

    /// What each action may leave the participant in when the server accepts it.
    static let allowedAfter: [Action: Set<String>] = [
        .candidature: ["pending_committee"], .admit: ["admitted"], .reject: ["rejected"], .defer_: ["pending_committee"],
        .sign: ["active"], .invalidate: ["invalidated"], .startJob: ["in_follow_up", "exit_proposed"],
        .abandonJob: ["active", "exit_proposed", "in_follow_up"], .proposeExit: ["exit_proposed"],
        .acceptExit: ["exited"], .refuseExit: ["active", "in_follow_up"],
    ]

    @Test("random sequences never reach a state the diagram does not allow, a refusal changes nothing, and the audit trail replays to the current state")
    func randomSequences() async throws {
        // A pick below the number of actions is that action; above, the natural next move of the
        // current status, so the walks reach the deep states (follow-up, exit) and not only refusals.
        await propertyCheck(count: 40, input: Gen.int(in: 0...(2 * Action.allCases.count - 1)).array(of: 1...16)) { picks in
            do { try Self.run(picks) } catch { Issue.record("\(error)") }
        }
    }

    /// Walks the random search once found failing, kept so they run every time: an exit during a
    /// follow-up, then a new pathway whose job must open a follow-up of its own.
    @Test("walks that once failed", arguments: [[0, 11, 11, 14, 11, 9, 0, 1, 11, 14]])
    func regressions(_ picks: [Int]) throws {
        try Self.run(picks)
    }

    static func natural(_ status: String, _ pick: Int) -> Action {
        switch status {
        case "pending_committee": return pick % 3 == 0 ? .reject : .admit
        case "admitted": return pick % 4 == 0 ? .invalidate : .sign
        case "active": return pick % 2 == 0 ? .startJob : .proposeExit
        case "in_follow_up": return pick % 3 == 0 ? .abandonJob : .proposeExit
        case "exit_proposed": return pick % 2 == 0 ? .acceptExit : .refuseExit
        default: return .candidature
        }
    }

    static func run(_ picks: [Int]) throws {
        let t = try TestApp(today: "2026-03-10")
        let structure = t.post("/v1/structures", obj(["name": "S"])).id
        let referent = t.post("/v1/referents", obj(["structure_id": .string(structure), "first_name": "R", "last_name": "R"])).id
        let agrement = t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-03-10"])).id
        let suivi = t.post("/v1/committees", obj(["kind": "suivi", "date": "2026-03-10"])).id
        let id = t.post("/v1/participants", obj(["first_name": "A", "last_name": "B", "birth_date": "1990-01-01", "referent_id": .string(referent)])).id
        var lastJob: String?

        func status() -> String { t.get("/v1/participants/\(id)").json["status"]?.stringValue ?? "?" }
        func decision(_ committee: String, _ subject: String, _ outcome: String) -> TestResponse {
            var fields: [(String, JSON)] = [("participant_id", .string(id)), ("subject", .string(subject)), ("outcome", .string(outcome))]
            if outcome == "rejected" && subject == "admission" { fields.append(("alternative_proposal", "Orientation vers la mission locale")) }
            return t.post("/v1/committees/\(committee)/decisions", .object(fields))
        }

        var visited: Set<String> = []
        for pick in picks {
            let before = status()
            visited.insert(before)
            let action = pick < Action.allCases.count ? Action.allCases[pick] : natural(before, pick)
            let auditBefore = try t.count("audit_log")
            let r: TestResponse
            switch action {
            case .candidature: r = t.post("/v1/participants/\(id)/candidature", obj(["committee_id": .string(agrement)]))
            case .admit: r = decision(agrement, "admission", "approved")
            case .reject: r = decision(agrement, "admission", "rejected")
            case .defer_: r = decision(agrement, "admission", "deferred")
            case .sign: r = t.post("/v1/participants/\(id)/contract", obj(["signed_on": "2026-03-10"]))
            case .invalidate: r = decision(suivi, "invalidation", "approved")
            case .startJob:
                r = t.post("/v1/participants/\(id)/steps", obj(["type": "employment", "status": "ongoing", "actual_start": "2026-03-10"]))
                if r.status == 201 { lastJob = r.id }
            case .abandonJob:
                guard let job = lastJob else { continue }
                r = t.patch("/v1/steps/\(job)", obj(["status": "abandoned", "actual_end": "2026-03-10"]))
            case .proposeExit:
                r = t.post("/v1/participants/\(id)/exit", obj(["type": "demenagement", "date": "2026-03-10", "situation": "other"]))
            case .acceptExit: r = decision(suivi, "exit", "approved")
            case .refuseExit: r = decision(suivi, "exit", "rejected")
            }
            let after = status()
            #expect(r.status < 500, "\(action): \(r.text)")
            if (200..<300).contains(r.status) {
                if action == .defer_ || action == .abandonJob {
                    // a deferral or an abandoned step may leave the status as it was
                } else {
                    #expect(Self.allowedAfter[action]?.contains(after) == true, "\(before) --\(action)--> \(after)")
                }
            } else {
                #expect(after == before, "a refused \(action) (\(r.status)) changed the status \(before) → \(after)")
                #expect(try t.count("audit_log") == auditBefore, "a refused \(action) left an audit row")
            }
        }

        // Replay: the status moves recorded in the audit trail chain up and end at the current status.
        let moves = try t.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT before, after FROM audit_log WHERE participant_id = ? AND entity = 'participant' AND action LIKE 'status:%' ORDER BY id", arguments: [Int64(id)!])
        }
        var replayed = "candidate"
        for move in moves {
            let b = (try? JSONParser.parse(Array((move["before"] as String? ?? "").utf8)))?["status"]?.stringValue
            let a = (try? JSONParser.parse(Array((move["after"] as String? ?? "").utf8)))?["status"]?.stringValue
            #expect(b == replayed, "the audit trail jumps from \(replayed) to a move starting at \(b ?? "nil")")
            replayed = a ?? "?"
        }
        #expect(replayed == status(), "the audit trail replays to \(replayed), the participant is \(status())")
        visited.insert(status())
        reached.add(visited)
    }

    /// The statuses the walks reached, over all of them: the test is only worth its coverage.
    static let reached = Reached()

    @Test("the random walks reach every status of the diagram", .serialized)
    func coverage() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...(2 * Action.allCases.count - 1)).array(of: 8...16)) { picks in
            do { try Self.run(picks) } catch { Issue.record("\(error)") }
        }
        #expect(Self.reached.all == Set(ParticipantStatus.allCases.map(\.rawValue)), "reached only \(Self.reached.all.sorted())")
    }
}

final class Reached: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: Set<String> = []
    func add(_ s: Set<String>) { lock.lock(); statuses.formUnion(s); lock.unlock() }
    var all: Set<String> { lock.lock(); defer { lock.unlock() }; return statuses }
}
