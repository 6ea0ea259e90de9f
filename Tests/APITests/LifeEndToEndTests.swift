@testable import API
import CParcoursZlib
import Domain
import Foundation
import Testing

/// One participant's whole life in DOMAIN.md, over real HTTP on a loopback socket: candidature,
/// committee, contract, steps, interviews, positioning, follow-up of six months and a day,
/// evidence, exit proposal and its validation; then the timeline, the right-of-access export
/// and the audit trail.
@Suite("End to end over HTTP")
struct LifeEndToEndTests {
    @Test("a participant walks from candidature to a validated exit, and every step is on record")
    func wholeLife() throws {
        let t = try TestApp(today: "2026-01-05")
        let live = try LiveServer(t)
        let http = try live.client()
        let admin = t.adminToken

        func call(_ method: String, _ path: String, _ token: String, _ json: JSON? = nil, expect status: Int,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> HTTPTestClient.Response {
            let r = try http.request(method, path, token: token, json: json)
            #expect(r.status == status, "\(method) \(path): \(r.text)", sourceLocation: sourceLocation)
            return r
        }

        // The coordination team sets up the programme.
        let structure = try call("POST", "/v1/structures", admin, obj(["name": "Association Réussir Ensemble"]), expect: 201).id
        let referent = try call("POST", "/v1/referents", admin, obj(["structure_id": .string(structure), "first_name": "Claire",
                                                                     "last_name": "Lefèvre", "fte": .double(0.5)]), expect: 201).id
        let operation = try call("POST", "/v1/operations", admin, obj(["name": "Accompagnement renforcé", "min_interviews_per_month": 2]), expect: 201).id
        let agrement = try call("POST", "/v1/committees", admin, obj(["kind": "agrement", "date": "2026-01-08"]), expect: 201).id
        let suivi = try call("POST", "/v1/committees", admin, obj(["kind": "suivi", "date": "2026-08-20"]), expect: 201).id
        let offer = try call("POST", "/v1/job-offers", admin, obj(["title": "Agent de propreté", "employer": "Nettoyage Côte d'Opale",
                                                                   "contract_type": "CDI"]), expect: 201).id
        let referentToken = t.token(.referent, referentId: referent)

        // The referent creates the file and proposes the candidature.
        let p = try call("POST", "/v1/participants", referentToken, obj([
            "first_name": "Samia", "last_name": "Benali", "birth_date": "1988-03-14", "gender": "woman",
            "operation_id": .string(operation), "prescriber": "france_travail", "eligibility": ["brsa", "qpv"],
            "employment_situation": "long_term_unemployed", "education_level": "isced_3_4", "disability": false,
        ]), expect: 201)
        let id = p.id
        #expect(p.json["status"] == "candidate")
        try call("POST", "/v1/participants/\(id)/barriers", referentToken, obj(["kind": "mobility", "detail": "Pas de permis"]), expect: 201)
        try call("POST", "/v1/participants/\(id)/candidature", referentToken, obj(["committee_id": .string(agrement)]), expect: 201)

        // The agrément committee admits; the contract is signed a week later: the entry.
        t.setToday("2026-01-08")
        let admission = try call("POST", "/v1/committees/\(agrement)/decisions", admin, obj([
            "participant_id": .string(id), "subject": "admission", "outcome": "approved", "rationale": "Projet cohérent"]), expect: 201)
        #expect(admission.json["participant_status"] == "admitted")
        t.setToday("2026-01-15")
        try call("POST", "/v1/participants/\(id)/contract", referentToken, obj(["signed_on": "2026-01-15"]), expect: 201)
        #expect(try call("GET", "/v1/participants/\(id)", referentToken, expect: 200).json["entry_date"] == "2026-01-15")

        // The pathway: a workshop, interviews, a positioning.
        t.setToday("2026-02-27")
        let workshop = try call("POST", "/v1/participants/\(id)/steps", referentToken, obj([
            "type": "job_search_workshop", "operator": "Cap Emploi", "status": "ongoing", "actual_start": "2026-01-20"]), expect: 201).id
        try call("PATCH", "/v1/steps/\(workshop)", referentToken, obj([
            "status": "completed", "actual_end": "2026-02-20", "evaluation": obj(["objectives_met": "yes", "comment": "CV et lettre prêts"])]), expect: 200)
        for day in ["2026-01-22", "2026-02-03", "2026-02-17"] {
            try call("POST", "/v1/participants/\(id)/interviews", referentToken, obj([
                "date": .string(day), "kind": "individual", "duration_minutes": 45,
                "summary": "Travail sur la mobilité : dossier d'aide au permis déposé", "attendance_signed": true]), expect: 201)
        }
        let positioning = try call("POST", "/v1/participants/\(id)/positionings", referentToken,
                                   obj(["job_offer_id": .string(offer), "proposed_on": "2026-02-20"]), expect: 201).id
        try call("PATCH", "/v1/positionings/\(positioning)", referentToken, obj(["result": "hired", "reason": "Entretien réussi"]), expect: 200)

        // The job starts: the follow-up of six months and one day opens by itself.
        t.setToday("2026-03-02")
        try call("POST", "/v1/participants/\(id)/steps", referentToken, obj([
            "type": "employment", "operator": "Nettoyage Côte d'Opale", "status": "ongoing", "actual_start": "2026-03-02"]), expect: 201)
        let followUp = try call("GET", "/v1/participants/\(id)/follow-up", referentToken, expect: 200)
        #expect(followUp.json["ends_on"] == "2026-09-03")
        #expect(try call("GET", "/v1/participants/\(id)", referentToken, expect: 200).json["status"] == "in_follow_up")
        for (day, with) in [("2026-04-01", "participant"), ("2026-05-04", "employer"), ("2026-06-02", "participant"),
                            ("2026-07-01", "employer"), ("2026-08-03", "participant")] {
            t.setToday(day)
            try call("POST", "/v1/participants/\(id)/follow-up/contacts", referentToken, obj([
                "date": .string(day), "with": .string(with), "kind": "phone", "summary": "Poste tenu, pas de difficulté"]), expect: 201)
        }

        // The follow-up ends; the questionnaire is answered; evidence of the situation at the exit date.
        t.setToday("2026-09-04")
        try call("POST", "/v1/participants/\(id)/follow-up/questionnaire", referentToken,
                 obj(["date": "2026-09-04", "answers": obj(["satisfaction": 4, "would_recommend": true])]), expect: 201)
        func upload(_ kind: String, _ on: String) throws -> String {
            let r = try http.request("POST", "/v1/participants/\(id)/documents?kind=\(kind)&attests_on=\(on)", token: referentToken,
                                     body: Array("%PDF-1.4 \(kind)".utf8), contentType: "application/pdf")
            #expect(r.status == 201, "\(r.text)")
            return r.id
        }
        let certificate = try upload("exit_certificate", "2026-09-03")
        let payslip = try upload("payslip", "2026-08-31")

        // The exit: proposed by the referent, validated by the comité de suivi.
        try call("POST", "/v1/participants/\(id)/exit", referentToken, obj([
            "type": "cdi", "date": "2026-09-03", "situation": "in_employment", "situation_detail": "CDI agent de propreté",
            "document_ids": [.string(certificate), .string(payslip)]]), expect: 201)
        #expect(try call("GET", "/v1/participants/\(id)", referentToken, expect: 200).json["status"] == "exit_proposed")
        try call("POST", "/v1/committees/\(suivi)/decisions", admin, obj([
            "participant_id": .string(id), "subject": "exit", "outcome": "approved", "date": "2026-09-10"]), expect: 201)
        let exited = try call("GET", "/v1/participants/\(id)", referentToken, expect: 200)
        #expect(exited.json["status"] == "exited")
        #expect(exited.json["exit"]?["type"] == "cdi")

        // Once exited, the file takes no more interviews (the rule is the server's, not the client's).
        t.setToday("2026-09-15")
        try call("POST", "/v1/participants/\(id)/interviews", referentToken, obj([
            "date": "2026-09-15", "kind": "phone", "summary": "Appel"]), expect: 409)

        // Everything is on record: the timeline in domain order, the export, the audit trail.
        let timeline = try call("GET", "/v1/participants/\(id)/timeline?limit=500", referentToken, expect: 200)
        let at = timeline.json["items"]?.arrayValue?.compactMap { $0["at"]?.stringValue } ?? []
        #expect(at.count >= 20)
        #expect(at == at.sorted(), "the timeline is ordered by the date of each event")
        let kinds = Set(timeline.json["items"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? [])
        #expect(kinds.isSuperset(of: ["interview", "contract_signed"]), "\(kinds)")
        let export = try call("GET", "/v1/participants/\(id)/export", referentToken, expect: 200)
        #expect(export.text.contains("Travail sur la mobilité"))
        let audit = try call("GET", "/v1/audit?participant_id=\(id)&limit=500", admin, expect: 200)
        let actions = audit.json["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
        #expect(actions.contains("create"))
        #expect(actions.filter { $0.hasPrefix("status:") }.count >= 6, "\(actions)")

        // Compressed when asked: the (large) export read back through gzip is the same document.
        let gz = try http.request("GET", "/v1/participants/\(id)/export", token: referentToken, headers: [("Accept-Encoding", "gzip")])
        #expect(gz.status == 200)
        #expect(gz.header("Content-Encoding") == "gzip")
        #expect(gz.body.count < export.body.count)
        let inflated = try gunzip(gz.body)
        #expect(String(decoding: inflated, as: UTF8.self).contains("dossier d'aide au permis"))
    }
}

/// Inflates a gzip body with zlib.
func gunzip(_ data: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    guard parcours_inflateInit2_auto(&stream) == Z_OK else { throw HTTPTestClient.Failure(description: "inflateInit") }
    defer { inflateEnd(&stream) }
    var input = data
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    var status: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inBuf in
        stream.next_in = inBuf.baseAddress
        stream.avail_in = uInt(inBuf.count)
        repeat {
            chunk.withUnsafeMutableBufferPointer { outBuf in
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                status = inflate(&stream, Z_NO_FLUSH)
                out += outBuf[0..<(outBuf.count - Int(stream.avail_out))]
            }
        } while status == Z_OK
    }
    guard status == Z_STREAM_END else { throw HTTPTestClient.Failure(description: "inflate \(status)") }
    return out
}
