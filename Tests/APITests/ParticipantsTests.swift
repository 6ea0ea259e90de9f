@testable import API
import Domain
import Testing

@Suite("Participants")
struct ParticipantsTests {
    /// A structure, a referent and the referent's token.
    static func setUp(_ t: TestApp) -> (structure: String, referent: String) {
        let s = t.post("/v1/structures", obj(["name": "Mission locale"]))
        let r = t.post("/v1/referents", obj(["structure_id": .string(s.id), "first_name": "Anne", "last_name": "Martin", "fte": .double(1)]))
        return (s.id, r.id)
    }

    @Test("a participant is created as a candidate with an ETag, and read back")
    func createAndRead() throws {
        let t = try TestApp()
        let (_, referent) = Self.setUp(t)
        let created = t.post("/v1/participants", obj(["first_name": "Élodie", "last_name": "Gérard", "birth_date": "1990-04-12",
                                                      "referent_id": .string(referent), "gender": "woman", "eligibility": ["brsa", "qpv"]]))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json["status"] == "candidate")
        #expect(created.etag != nil)
        let read = t.get("/v1/participants/\(created.id)")
        #expect(read.status == 200)
        #expect(read.json["last_name"] == "Gérard")
        #expect(read.json["eligibility"] == ["brsa", "qpv"])
        #expect(try t.count("audit_log", "entity = 'participant'") == 1)
    }

    @Test("rule 10: the same person (accents and case folded) is refused with 409 naming the file, unless confirmed")
    func duplicateRefused() throws {
        let t = try TestApp()
        let (_, referent) = Self.setUp(t)
        let first = t.post("/v1/participants", obj(["first_name": "Élodie", "last_name": "GÉRARD", "birth_date": "1990-04-12", "referent_id": .string(referent)]))
        let again = t.post("/v1/participants", obj(["first_name": "elodie", "last_name": "Gerard", "birth_date": "1990-04-12", "referent_id": .string(referent)]))
        #expect(again.status == 409)
        #expect(again.json["existing_id"] == .string(first.id))
        #expect(try t.count("participants") == 1)
        let confirmed = t.post("/v1/participants", obj(["first_name": "elodie", "last_name": "Gerard", "birth_date": "1990-04-12",
                                                        "referent_id": .string(referent), "confirmed_different_person": true]))
        #expect(confirmed.status == 201)
    }

    @Test("an invalid field gets 422 naming it, and nothing is created")
    func invalidFields() throws {
        let t = try TestApp()
        let (_, referent) = Self.setUp(t)
        let r = t.post("/v1/participants", obj(["first_name": "A", "last_name": "B", "birth_date": "1990-02-30", "referent_id": .string(referent),
                                               "gender": "other", "colour": "blue"]))
        #expect(r.status == 422)
        let fields = r.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        #expect(Set(fields) == ["birth_date", "gender", "colour"])
        #expect(try t.count("participants") == 0)
        #expect(try t.count("audit_log", "entity = 'participant'") == 0)
    }

    @Test("a referent sees only their caseload; another referent's participant is a 404")
    func referentScope() throws {
        let t = try TestApp()
        let (structure, referentA) = Self.setUp(t)
        let referentB = t.post("/v1/referents", obj(["structure_id": .string(structure), "first_name": "Paul", "last_name": "Durand"])).id
        let tokenA = t.token(.referent, referentId: referentA)
        let tokenB = t.token(.referent, referentId: referentB)
        let mine = t.post("/v1/participants", obj(["first_name": "Jo", "last_name": "Lee", "birth_date": "1985-01-01"]), token: tokenA)
        #expect(mine.status == 201, "\(mine.text)")
        #expect(mine.json["referent_id"] == .string(referentA))
        #expect(t.get("/v1/participants/\(mine.id)", token: tokenB).status == 404)
        #expect(t.get("/v1/participants", token: tokenB).json["items"] == .array([]))
        #expect(t.get("/v1/participants", token: tokenA).json["items"]?.arrayValue?.count == 1)
        let auditor = t.token(.auditor)
        #expect(t.get("/v1/participants/\(mine.id)", token: auditor).status == 200)
        #expect(t.patch("/v1/participants/\(mine.id)", obj(["city": "Melun"]), token: auditor).status == 403)
    }

    @Test("a stale If-Match is refused with 412 and the update is not applied")
    func staleIfMatch() throws {
        let t = try TestApp()
        let (_, referent) = Self.setUp(t)
        let p = t.post("/v1/participants", obj(["first_name": "Jo", "last_name": "Lee", "birth_date": "1985-01-01", "referent_id": .string(referent)]))
        let old = p.etag!
        let first = t.patch("/v1/participants/\(p.id)", obj(["city": "Melun"]), headers: [("If-Match", old)])
        #expect(first.status == 200)
        let stale = t.patch("/v1/participants/\(p.id)", obj(["city": "Paris"]), headers: [("If-Match", old)])
        #expect(stale.status == 412)
        #expect(t.get("/v1/participants/\(p.id)").json["city"] == "Melun")
    }

    @Test("a POST retried with the same Idempotency-Key returns the first response and creates nothing twice")
    func idempotentRetry() throws {
        let t = try TestApp()
        let (_, referent) = Self.setUp(t)
        let body = obj(["first_name": "Jo", "last_name": "Lee", "birth_date": "1985-01-01", "referent_id": .string(referent)])
        let a = t.post("/v1/participants", body, headers: [("Idempotency-Key", "k-1")])
        let b = t.post("/v1/participants", body, headers: [("Idempotency-Key", "k-1")])
        #expect(a.status == 201 && b.status == 201)
        #expect(a.id == b.id)
        #expect(try t.count("participants") == 1)
        let other = t.post("/v1/participants", obj(["first_name": "Other", "last_name": "Person", "birth_date": "1985-01-01",
                                                    "referent_id": .string(referent)]), headers: [("Idempotency-Key", "k-1")])
        #expect(other.status == 422)
    }

    @Test("lists are cursor-paginated")
    func pagination() throws {
        let t = try TestApp()
        let (_, referent) = Self.setUp(t)
        for i in 0..<7 {
            t.post("/v1/participants", obj(["first_name": .string("P\(i)"), "last_name": "Lee", "birth_date": "1985-01-01", "referent_id": .string(referent)]))
        }
        var seen: [String] = []
        var cursor: String? = nil
        repeat {
            let r = t.get("/v1/participants?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
            seen += r.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            cursor = r.json["next_cursor"]?.stringValue
        } while cursor != nil
        #expect(seen.count == 7)
        #expect(Set(seen).count == 7)
        #expect(t.get("/v1/participants?limit=0").status == 422)
        #expect(t.get("/v1/participants?cursor=garbage!").status == 422)
    }
}
