@testable import API
import Domain
import Testing

/// Rule 11 and API.md, role by role: who reads and writes what.
@Suite("Access control by role")
struct AccessControlTests {
    /// Two structures with a referent each, a participant in each caseload, and a token per role.
    struct World {
        let t: TestApp
        let structureA: String, structureB: String
        let referentA: String, referentB: String
        let participantA: String, participantB: String
        let tokens: [String: String]

        init() throws {
            t = try TestApp()
            structureA = t.post("/v1/structures", obj(["name": "A"])).id
            structureB = t.post("/v1/structures", obj(["name": "B"])).id
            referentA = t.post("/v1/referents", obj(["structure_id": .string(structureA), "first_name": "Ana", "last_name": "A"])).id
            referentB = t.post("/v1/referents", obj(["structure_id": .string(structureB), "first_name": "Ben", "last_name": "B"])).id
            participantA = t.post("/v1/participants", obj(["first_name": "Pa", "last_name": "A", "birth_date": "1990-01-01", "referent_id": .string(referentA)])).id
            participantB = t.post("/v1/participants", obj(["first_name": "Pb", "last_name": "B", "birth_date": "1990-01-01", "referent_id": .string(referentB)])).id
            tokens = [
                "coordinator": t.token(.coordinator),
                "manager A": t.token(.structureManager, structureId: structureA),
                "referent A": t.token(.referent, referentId: referentA),
                "auditor": t.token(.auditor),
            ]
        }
    }

    @Test("who reads which participant: everyone in scope gets 200, anyone else 404 (existence does not leak)")
    func reads() throws {
        let w = try World()
        let expected: [(String, String, Int)] = [
            ("coordinator", w.participantA, 200), ("coordinator", w.participantB, 200),
            ("auditor", w.participantA, 200), ("auditor", w.participantB, 200),
            ("manager A", w.participantA, 200), ("manager A", w.participantB, 404),
            ("referent A", w.participantA, 200), ("referent A", w.participantB, 404),
        ]
        for (role, participant, status) in expected {
            for path in ["", "/interviews", "/steps", "/timeline", "/export", "/barriers", "/documents"] {
                let r = w.t.get("/v1/participants/\(participant)\(path)", token: w.tokens[role])
                #expect(r.status == status, "\(role) GET participant \(participant)\(path): \(r.status)")
            }
        }
        let listed = w.t.get("/v1/participants", token: w.tokens["manager A"]).json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(listed == [w.participantA])
    }

    @Test("who writes a participant's data: their referent, their structure manager and the coordination team; never an auditor")
    func writes() throws {
        let w = try World()
        func interview(_ role: String, _ participant: String) -> Int {
            w.t.post("/v1/participants/\(participant)/interviews", obj(["date": .string(w.t.today.description), "kind": "phone", "summary": "Point"]),
                     token: w.tokens[role]).status
        }
        #expect(interview("referent A", w.participantA) == 201)
        #expect(interview("referent A", w.participantB) == 404)
        #expect(interview("manager A", w.participantA) == 201)
        #expect(interview("manager A", w.participantB) == 404)
        #expect(interview("coordinator", w.participantB) == 201)
        let before = try w.t.count("interviews")
        #expect(interview("auditor", w.participantA) == 403)
        #expect(try w.t.count("interviews") == before)
    }

    @Test("reassigning a participant is the coordination team's act, and it is audited as such")
    func reassignment() throws {
        let w = try World()
        let byReferent = w.t.patch("/v1/participants/\(w.participantA)", obj(["referent_id": .string(w.referentB)]), token: w.tokens["referent A"])
        #expect(byReferent.status == 403)
        #expect(w.t.get("/v1/participants/\(w.participantA)").json["referent_id"] == .string(w.referentA))
        let byCoordinator = w.t.patch("/v1/participants/\(w.participantA)", obj(["referent_id": .string(w.referentB)]), token: w.tokens["coordinator"])
        #expect(byCoordinator.status == 200)
        #expect(try w.t.count("audit_log", "action = 'reassign' AND entity = 'participant' AND entity_id = '\(w.participantA)'") == 1)
        // The old referent no longer sees the file; the new one does.
        #expect(w.t.get("/v1/participants/\(w.participantA)", token: w.tokens["referent A"]).status == 404)
    }

    @Test("programme data (structures, referents, operations, committees, job offers, tokens) is written by coordinators and admins only")
    func programme() throws {
        let w = try World()
        let writes: [(String, JSON)] = [
            ("/v1/structures", obj(["name": "C"])),
            ("/v1/operations", obj(["name": "Op"])),
            ("/v1/committees", obj(["kind": "suivi", "date": "2026-05-01"])),
            ("/v1/job-offers", obj(["title": "Cariste", "employer": "X"])),
            ("/v1/referents", obj(["structure_id": .string(w.structureA), "first_name": "C", "last_name": "D"])),
            ("/v1/tokens", obj(["role": "auditor"])),
        ]
        for (path, body) in writes {
            for role in ["referent A", "manager A", "auditor"] {
                #expect(w.t.post(path, body, token: w.tokens[role]).status == 403, "\(role) POST \(path)")
            }
            #expect(w.t.post(path, body, token: w.tokens["coordinator"]).status == 201, "coordinator POST \(path)")
        }
        // Reference data is readable by everyone authenticated.
        for role in ["referent A", "manager A", "auditor"] {
            #expect(w.t.get("/v1/structures", token: w.tokens[role]).status == 200)
        }
        // A coordinator cannot mint an admin token.
        #expect(w.t.post("/v1/tokens", obj(["role": "admin"]), token: w.tokens["coordinator"]).status == 403)
    }

    @Test("the audit trail and the FSE export are not for referents")
    func auditAndExports() throws {
        let w = try World()
        #expect(w.t.get("/v1/audit", token: w.tokens["referent A"]).status == 403)
        #expect(w.t.get("/v1/audit", token: w.tokens["auditor"]).status == 200)
        #expect(w.t.get("/v1/exports/fse?from=2026-01-01&to=2026-12-31", token: w.tokens["referent A"]).status == 403)
        #expect(w.t.get("/v1/exports/fse?from=2026-01-01&to=2026-12-31", token: w.tokens["auditor"]).status == 200)
    }

    @Test("a missing, malformed, unknown or revoked token gets 401")
    func unauthenticated() throws {
        let w = try World()
        #expect(w.t.get("/v1/participants", token: "").status == 401)
        #expect(w.t.send("GET", "/v1/participants", token: "", headers: [("Authorization", "Basic abc")]).status == 401)
        #expect(w.t.get("/v1/participants", token: "pct_" + String(repeating: "0", count: 64)).status == 401)
        let secret = w.t.token(.auditor)
        let id = try w.t.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM tokens") ?? 0 }
        #expect(w.t.get("/v1/participants", token: secret).status == 200)
        #expect(w.t.send("DELETE", "/v1/tokens/\(id)").status == 204)
        #expect(w.t.get("/v1/participants", token: secret).status == 401, "a revoked token stops working at once")
    }
}
