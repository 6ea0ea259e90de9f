@testable import API
import Domain
import Testing

@Suite("Programme reference data")
struct ProgrammeTests {
    static func fields(_ r: TestResponse) -> Set<String> {
        Set(r.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
    }

    @Test("a structure is created, read with an ETag, patched with If-Match and audited")
    func structureCrud() throws {
        let t = try TestApp()
        let created = t.post("/v1/structures", obj(["name": "Mission locale", "kind": "association", "city": "Melun", "postal_code": "77000"]))
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json["active"] == true)
        #expect(created.headers["Location"] == "/v1/structures/\(created.id)")
        let read = t.get("/v1/structures/\(created.id)")
        #expect(read.status == 200 && read.json["city"] == "Melun")
        let etag = try #require(read.etag)
        let patched = t.patch("/v1/structures/\(created.id)", obj(["active": false, "city": .null]), headers: [("If-Match", etag)])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.json["active"] == false && patched.json["city"] == .null)
        #expect(t.patch("/v1/structures/\(created.id)", obj(["name": "Autre"]), headers: [("If-Match", etag)]).status == 412)
        #expect(t.get("/v1/structures/\(created.id)").json["name"] == "Mission locale")
        #expect(try t.count("audit_log", "entity = 'structure'") == 2)
        #expect(t.get("/v1/structures?active=false").json["items"]?.arrayValue?.count == 1)
        #expect(t.get("/v1/structures?active=true").json["items"]?.arrayValue?.count == 0)
        #expect(t.get("/v1/structures/999").status == 404)
    }

    @Test("an empty name, a null active or an unknown field is refused with 422 and nothing is written")
    func structureValidation() throws {
        let t = try TestApp()
        let r = t.post("/v1/structures", obj(["name": "  ", "active": .null, "colour": "blue"]))
        #expect(r.status == 422)
        #expect(Self.fields(r) == ["name", "active", "colour"])
        #expect(try t.count("structures") == 0)
        #expect(try t.count("audit_log") == 0)
    }

    @Test("a referent cannot create a structure and an auditor cannot write; both may read")
    func structureRoles() throws {
        let t = try TestApp()
        let s = t.post("/v1/structures", obj(["name": "CCAS"])).id
        let r = t.post("/v1/referents", obj(["structure_id": .string(s), "first_name": "Anne", "last_name": "Martin"])).id
        let referent = t.token(.referent, referentId: r)
        let auditor = t.token(.auditor)
        let manager = t.token(.structureManager, structureId: s)
        #expect(t.post("/v1/structures", obj(["name": "Autre"]), token: referent).status == 403)
        #expect(t.post("/v1/structures", obj(["name": "Autre"]), token: auditor).status == 403)
        #expect(t.post("/v1/structures", obj(["name": "Autre"]), token: manager).status == 403)
        #expect(t.patch("/v1/structures/\(s)", obj(["name": "Autre"]), token: auditor).status == 403)
        #expect(t.post("/v1/referents", obj(["structure_id": .string(s), "first_name": "X", "last_name": "Y"]), token: referent).status == 403)
        #expect(t.post("/v1/operations", obj(["name": "PEC"]), token: auditor).status == 403)
        #expect(t.post("/v1/job-offers", obj(["title": "Cariste", "employer": "Acme"]), token: referent).status == 403)
        #expect(t.post("/v1/committees", obj(["kind": "agrement", "date": "2026-03-10"]), token: referent).status == 403)
        #expect(try t.count("structures") == 1)
        #expect(try t.count("referents") == 1)
        #expect(t.get("/v1/structures/\(s)", token: referent).status == 200)
        #expect(t.get("/v1/structures", token: manager).json["items"]?.arrayValue?.count == 1)
        #expect(t.get("/v1/referents/\(r)", token: auditor).status == 200)
        let coordinator = t.token(.coordinator)
        #expect(t.post("/v1/structures", obj(["name": "PLIE"]), token: coordinator).status == 201)
    }

    @Test("a referent's structure must exist, fte is in (0, 1] with 1.0 by default, and lists filter by structure and active")
    func referents() throws {
        let t = try TestApp()
        let a = t.post("/v1/structures", obj(["name": "A"])).id
        let b = t.post("/v1/structures", obj(["name": "B"])).id
        let missing = t.post("/v1/referents", obj(["structure_id": "999", "first_name": "X", "last_name": "Y"]))
        #expect(missing.status == 422 && Self.fields(missing) == ["structure_id"])
        for bad in [JSON.double(0), .double(1.5), .double(-0.5), .null, .string("half")] {
            let r = t.post("/v1/referents", obj(["structure_id": .string(a), "first_name": "X", "last_name": "Y", "fte": bad]))
            #expect(r.status == 422 && Self.fields(r) == ["fte"], "fte \(bad)")
        }
        #expect(try t.count("referents") == 0)
        let full = t.post("/v1/referents", obj(["structure_id": .string(a), "first_name": "Anne", "last_name": "Martin", "email": "anne@ml.fr"]))
        #expect(full.status == 201 && full.json["fte"] == .double(1))
        let half = t.post("/v1/referents", obj(["structure_id": .string(b), "first_name": "Paul", "last_name": "Durand", "fte": .double(0.5)]))
        #expect(half.json["fte"] == .double(0.5) && half.json["structure_id"] == .string(b))
        #expect(t.patch("/v1/referents/\(half.id)", obj(["active": false])).status == 200)
        #expect(t.get("/v1/referents?structure_id=\(a)").json["items"]?.arrayValue?.map { $0["id"] } == [.string(full.id)])
        #expect(t.get("/v1/referents?active=false").json["items"]?.arrayValue?.map { $0["id"] } == [.string(half.id)])
        #expect(t.get("/v1/referents?active=maybe").status == 422)
        #expect(t.patch("/v1/referents/\(full.id)", obj(["structure_id": "999"])).status == 422)
        #expect(t.patch("/v1/referents/\(full.id)", obj(["email": "nope"])).status == 422)
        #expect(t.get("/v1/referents/\(full.id)").json["structure_id"] == .string(a))
    }

    @Test("an operation's end is on or after its start, even when one bound is patched; targets are fractions")
    func operations() throws {
        let t = try TestApp()
        let op = t.post("/v1/operations", obj(["name": "Accompagnement des contrats aidés", "code": "PEC-2026", "starts_on": "2026-01-01",
                                               "ends_on": "2026-12-31", "min_followed": 75, "positive_exit_target": .double(0.5),
                                               "work_or_training_exit_target": .double(0.15), "min_interviews_per_month": 1]))
        #expect(op.status == 201, "\(op.text)")
        #expect(op.json["min_interviews_per_month"] == 1 && op.json["work_or_training_exit_target"] == .double(0.15))
        let defaulted = t.post("/v1/operations", obj(["name": "Droit commun"]))
        #expect(defaulted.json["min_interviews_per_month"] == .null)
        let reversed = t.post("/v1/operations", obj(["name": "X", "starts_on": "2026-06-01", "ends_on": "2026-05-31"]))
        #expect(reversed.status == 422 && Self.fields(reversed) == ["ends_on"])
        let targets = t.post("/v1/operations", obj(["name": "X", "positive_exit_target": .double(1.5), "min_interviews_per_month": -1, "min_followed": -3]))
        #expect(Self.fields(targets) == ["positive_exit_target", "min_interviews_per_month", "min_followed"])
        let crossing = t.patch("/v1/operations/\(op.id)", obj(["ends_on": "2025-12-31"]))
        #expect(crossing.status == 422 && Self.fields(crossing) == ["ends_on"])
        #expect(t.get("/v1/operations/\(op.id)").json["ends_on"] == "2026-12-31")
        #expect(t.patch("/v1/operations/\(op.id)", obj(["min_interviews_per_month": .null])).json["min_interviews_per_month"] == .null)
        #expect(try t.count("operations") == 2)
    }

    @Test("job offers are open by default, their status is a known code, and lists filter by status")
    func jobOffers() throws {
        let t = try TestApp()
        let s = t.post("/v1/structures", obj(["name": "A"])).id
        let r = t.post("/v1/referents", obj(["structure_id": .string(s), "first_name": "Anne", "last_name": "Martin"])).id
        let offer = t.post("/v1/job-offers", obj(["title": "Cariste", "employer": "Acme", "contract_type": "CDD 6 mois", "location": "Melun"]))
        #expect(offer.status == 201 && offer.json["status"] == "open")
        #expect(t.post("/v1/job-offers", obj(["title": "Cariste"])).status == 422)
        #expect(t.patch("/v1/job-offers/\(offer.id)", obj(["status": "archived"])).status == 422)
        #expect(t.patch("/v1/job-offers/\(offer.id)", obj(["status": "filled"])).json["status"] == "filled")
        let referent = t.token(.referent, referentId: r)
        #expect(t.get("/v1/job-offers?status=filled", token: referent).json["items"]?.arrayValue?.count == 1)
        #expect(t.get("/v1/job-offers?status=open", token: referent).json["items"]?.arrayValue?.count == 0)
        #expect(t.get("/v1/job-offers/\(offer.id)", token: referent).etag != nil)
    }

    @Test("reference lists are cursor-paginated")
    func pagination() throws {
        let t = try TestApp()
        for i in 0..<5 { t.post("/v1/structures", obj(["name": .string("S\(i)")])) }
        let first = t.get("/v1/structures?limit=2")
        #expect(first.json["items"]?.arrayValue?.count == 2)
        let cursor = try #require(first.json["next_cursor"]?.stringValue)
        let second = t.get("/v1/structures?limit=2&cursor=\(cursor)")
        #expect(second.json["items"]?.arrayValue?.first?["name"] == "S2")
        #expect(t.get("/v1/structures?limit=600").status == 422)
    }
}
