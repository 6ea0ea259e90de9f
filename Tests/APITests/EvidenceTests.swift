@testable import API
import Domain
import GRDB
import HTTPServer
import Testing

/// Documents (evidence), exit proposals, the timeline, the right-of-access export and the audit trail.
@Suite("Evidence and exits")
struct EvidenceTests {
    /// A structure and a referent written directly (their routes belong to another part), and a
    /// participant of that referent created through the API, then put in `status` with SQL.
    static func setUp(_ t: TestApp, status: String = "active", entryDate: String? = "2025-10-01") throws -> (referent: String, participant: String) {
        let referent = try t.pool.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO structures (name, created_at, updated_at) VALUES ('Mission locale', 'x', 'x')")
            try db.execute(sql: "INSERT INTO referents (structure_id, first_name, last_name, created_at, updated_at) VALUES (?, 'Anne', 'Martin', 'x', 'x')",
                           arguments: [db.lastInsertedRowID])
            return db.lastInsertedRowID
        }
        let p = t.post("/v1/participants", obj(["first_name": "Élodie", "last_name": "Gérard", "birth_date": "1990-04-12",
                                               "referent_id": .string(String(referent))]))
        precondition(p.status == 201, p.text)
        try t.pool.write { db in
            try db.execute(sql: "UPDATE participants SET status = ?, entry_date = ? WHERE id = ?", arguments: [status, entryDate, p.id])
        }
        return (String(referent), p.id)
    }

    @discardableResult
    static func upload(_ t: TestApp, _ participant: String, kind: String?, attestsOn: String? = nil, filename: String? = nil,
                       bytes: [UInt8] = Array("%PDF-1.4 evidence".utf8), contentType: String? = "application/pdf", token: String? = nil) -> TestResponse {
        var query: [String] = []
        if let kind { query.append("kind=\(kind)") }
        if let attestsOn { query.append("attests_on=\(attestsOn)") }
        if let filename { query.append("filename=\(filename)") }
        return t.send("POST", "/v1/participants/\(participant)/documents" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")),
                      token: token, rawBody: bytes, contentType: contentType)
    }

    // MARK: Documents

    @Test("an uploaded document is downloaded byte for byte, with its SHA-256, type, safe filename and nosniff")
    func documentRoundTrip() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        var bytes = (0..<70_000).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = 0; bytes[1] = 0; bytes[69_999] = 0
        let created = Self.upload(t, participant, kind: "payslip", attestsOn: "2026-02-20", filename: "..%2Fbulletin%20f%C3%A9vrier%22.pdf",
                                  bytes: bytes, contentType: "image/jpeg")
        #expect(created.status == 201, "\(created.text)")
        #expect(created.headers["Location"] == "/v1/documents/\(created.id)")
        #expect(created.json["size"] == .int(70_000))
        #expect(created.json["kind"] == "payslip")
        #expect(created.json["attests_on"] == "2026-02-20")
        #expect(created.json["participant_id"] == .string(participant))
        let sha = created.json["sha256"]?.stringValue ?? ""
        #expect(sha.count == 64)

        let content = t.get("/v1/documents/\(created.id)/content")
        #expect(content.status == 200)
        #expect(content.body == bytes)
        #expect(content.headers["Content-Type"] == "image/jpeg")
        #expect(content.headers["ETag"] == "\"\(sha)\"")
        #expect(content.headers["X-Content-Type-Options"] == "nosniff")
        #expect(content.headers["Content-Disposition"] == "attachment; filename=\"bulletin_f_vrier_.pdf\"")

        let cached = t.send("GET", "/v1/documents/\(created.id)/content", headers: [("If-None-Match", "\"\(sha)\"")])
        #expect(cached.status == 304)
        #expect(cached.body.isEmpty)

        let meta = t.get("/v1/documents/\(created.id)")
        #expect(meta.status == 200)
        #expect(meta.etag != nil)
        #expect(meta.json["sha256"] == .string(sha))
        #expect(t.get("/v1/participants/\(participant)/documents").json["items"]?.arrayValue?.count == 1)
        #expect(try t.count("audit_log", "entity = 'document' AND action = 'create'") == 1)
    }

    @Test("the stored SHA-256 is the standard digest of the bytes")
    func documentDigest() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        let r = Self.upload(t, participant, kind: "other", bytes: Array("abc".utf8), contentType: "text/plain")
        #expect(r.json["sha256"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the document route accepts 20 MiB, and a larger body is refused with 413 and nothing stored")
    func documentTooLarge() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        var headers = HTTPHeaders()
        headers.add("Authorization", "Bearer \(t.adminToken)")
        let head = HTTPRequestHead(method: "POST", target: "/v1/participants/\(participant)/documents?kind=payslip",
                                   path: "/v1/participants/\(participant)/documents", query: "kind=payslip", version: .http1_1, headers: headers)
        guard case .accept(let maxBytes) = t.app.prepare(head) else { Issue.record("the upload was refused before its body"); return }
        #expect(maxBytes == 20 << 20)
        #expect(maxBytes == t.app.env.maxDocumentBody)
        let tooBig = Self.upload(t, participant, kind: "payslip", bytes: [UInt8](repeating: 7, count: t.app.env.maxDocumentBody + 1))
        #expect(tooBig.status == 413)
        #expect(try t.count("documents") == 0)
        #expect(try t.count("document_contents") == 0)
    }

    @Test("an upload without kind, with a future or false attests_on, without Content-Type or empty is refused, storing nothing")
    func documentValidation() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        let noKind = Self.upload(t, participant, kind: nil)
        #expect(noKind.status == 422)
        #expect(noKind.json["errors"]?.arrayValue?.first?["field"] == "kind")
        #expect(Self.upload(t, participant, kind: "passport").status == 422)
        #expect(Self.upload(t, participant, kind: "payslip", attestsOn: "2026-03-02").status == 422)
        #expect(Self.upload(t, participant, kind: "payslip", attestsOn: "2026-02-30").status == 422)
        #expect(Self.upload(t, participant, kind: "payslip", contentType: nil).status == 415)
        #expect(Self.upload(t, participant, kind: "payslip", bytes: []).status == 422)
        #expect(try t.count("documents") == 0)
        #expect(try t.count("audit_log", "entity = 'document'") == 0)
    }

    @Test("another referent's participant's documents are 404, and an auditor may read but not upload")
    func documentAccess() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, participant) = try Self.setUp(t)
        let doc = Self.upload(t, participant, kind: "payslip")
        let other = try t.pool.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO referents (structure_id, first_name, last_name, created_at, updated_at) VALUES (1, 'Paul', 'Durand', 'x', 'x')")
            return db.lastInsertedRowID
        }
        let mine = t.token(.referent, referentId: referent)
        let theirs = t.token(.referent, referentId: String(other))
        #expect(t.get("/v1/documents/\(doc.id)", token: mine).status == 200)
        #expect(t.get("/v1/documents/\(doc.id)", token: theirs).status == 404)
        #expect(t.get("/v1/documents/\(doc.id)/content", token: theirs).status == 404)
        #expect(Self.upload(t, participant, kind: "payslip", token: theirs).status == 404)
        let auditor = t.token(.auditor)
        #expect(t.get("/v1/documents/\(doc.id)/content", token: auditor).status == 200)
        #expect(Self.upload(t, participant, kind: "payslip", token: auditor).status == 403)
        #expect(try t.count("documents") == 1)
    }

    // MARK: Exits

    static func positiveExit(_ documents: [String]) -> JSON {
        obj(["type": "cdi", "date": "2026-02-27", "situation": "in_employment", "situation_detail": "CDI chez Boulangerie Martin",
             "document_ids": .array(documents.map { .string($0) })])
    }

    @Test("rule 8: a positive exit without evidence is refused with 409 naming what is missing, and nothing changes")
    func positiveExitWithoutEvidence() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        let r = t.post("/v1/participants/\(participant)/exit", Self.positiveExit([]))
        #expect(r.status == 409, "\(r.text)")
        #expect(r.json["rule"] == .int(8))
        #expect(r.json["detail"]?.stringValue?.contains("exit_certificate") == true)
        #expect(try t.count("exits") == 0)
        #expect(t.get("/v1/participants/\(participant)").json["status"] == "active")
        #expect(try t.count("audit_log", "entity = 'exit'") == 0)
    }

    @Test("rule 8: a certificate attesting 40 days before the exit is outside the window: 409")
    func staleEvidence() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        let certificate = Self.upload(t, participant, kind: "exit_certificate", attestsOn: "2026-01-18").id
        let payslip = Self.upload(t, participant, kind: "payslip", attestsOn: "2026-02-20").id
        let r = t.post("/v1/participants/\(participant)/exit", Self.positiveExit([certificate, payslip]))
        #expect(r.status == 409, "\(r.text)")
        #expect(r.json["detail"]?.stringValue?.contains("Outside the window: \(certificate)") == true)
        #expect(try t.count("exits") == 0)
        #expect(t.get("/v1/participants/\(participant)").json["status"] == "active")
    }

    @Test("rule 8: certificate and payslip within the window make a proposal (201); a second one while pending is 409")
    func positiveExitProposed() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t)
        let certificate = Self.upload(t, participant, kind: "exit_certificate", attestsOn: "2026-02-25").id
        let payslip = Self.upload(t, participant, kind: "payslip", attestsOn: "2026-02-20").id
        let r = t.post("/v1/participants/\(participant)/exit", Self.positiveExit([certificate, payslip]))
        #expect(r.status == 201, "\(r.text)")
        #expect(r.headers["Location"] == "/v1/exits/\(r.id)")
        #expect(r.json["category"] == "positive")
        #expect(r.json["status"] == "proposed")
        #expect(r.json["document_ids"] == .array([.string(certificate), .string(payslip)]))
        #expect(r.json["decided_on"] == .null)
        let p = t.get("/v1/participants/\(participant)")
        #expect(p.json["status"] == "exit_proposed")
        #expect(p.json["exit"]?["id"] == .string(r.id))
        #expect(try t.count("exits", "previous_status = 'active' AND entry_date = '2025-10-01'") == 1)
        #expect(try t.count("exit_documents") == 2)
        #expect(try t.count("audit_log", "entity = 'exit' AND action = 'create'") == 1)
        #expect(try t.count("audit_log", "action = 'status:exit_proposed'") == 1)

        #expect(t.get("/v1/exits/\(r.id)").json["type"] == "cdi")
        #expect(t.get("/v1/participants/\(participant)/exits").json["items"]?.arrayValue?.count == 1)

        let again = t.post("/v1/participants/\(participant)/exit", Self.positiveExit([certificate, payslip]))
        #expect(again.status == 409)
        #expect(try t.count("exits") == 1)
    }

    @Test("rule 8: an \"other\" exit needs the referent's written request (422), and with it is proposed")
    func otherExitNeedsRequest() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t, status: "in_follow_up")
        let body = obj(["type": "abandon", "date": "2026-02-27", "situation": "other"])
        let r = t.post("/v1/participants/\(participant)/exit", body)
        #expect(r.status == 422)
        #expect(r.json["errors"]?.arrayValue?.first?["field"] == "referent_request")
        #expect(try t.count("exits") == 0)
        let ok = t.post("/v1/participants/\(participant)/exit", obj(["type": "abandon", "date": "2026-02-27", "situation": "other",
                                                                    "referent_request": "Absences répétées depuis décembre."]))
        #expect(ok.status == 201, "\(ok.text)")
        #expect(ok.json["category"] == "other")
        #expect(try t.count("exits", "previous_status = 'in_follow_up'") == 1)
    }

    @Test("rule 8: an admitted participant who never signed cannot be exited (409: invalidation instead)")
    func admittedCannotExit() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t, status: "admitted", entryDate: nil)
        let r = t.post("/v1/participants/\(participant)/exit", obj(["type": "demenagement", "date": "2026-02-27", "situation": "other"]))
        #expect(r.status == 409)
        #expect(r.json["remedy"]?.stringValue?.contains("invalidated") == true)
        #expect(try t.count("exits") == 0)
        #expect(t.get("/v1/participants/\(participant)").json["status"] == "admitted")
    }

    @Test("an exit cannot cite another participant's document (422 on document_ids)")
    func foreignDocument() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, participant) = try Self.setUp(t)
        let other = t.post("/v1/participants", obj(["first_name": "Jo", "last_name": "Lee", "birth_date": "1985-01-01", "referent_id": .string(referent)]))
        try t.pool.write { db in try db.execute(sql: "UPDATE participants SET status = 'active', entry_date = '2025-10-01' WHERE id = ?", arguments: [other.id]) }
        let theirs = Self.upload(t, other.id, kind: "exit_certificate", attestsOn: "2026-02-25").id
        let r = t.post("/v1/participants/\(participant)/exit", Self.positiveExit([theirs]))
        #expect(r.status == 422)
        #expect(r.json["errors"]?.arrayValue?.first?["field"] == "document_ids")
        #expect(try t.count("exits") == 0)
    }

    @Test("a referent outside the caseload gets 404 on the exits, timeline and export; an auditor cannot propose an exit")
    func exitAccess() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, participant) = try Self.setUp(t, status: "in_follow_up")
        let exit = t.post("/v1/participants/\(participant)/exit", obj(["type": "demenagement", "date": "2026-02-27", "situation": "other"]))
        #expect(exit.status == 201, "\(exit.text)")
        // The comité de suivi refuses it (its route belongs to another part): the proposal stays in the history.
        try t.pool.write { db in
            try db.execute(sql: "UPDATE exits SET status = 'rejected', decided_on = '2026-02-28' WHERE id = ?", arguments: [exit.id])
            try db.execute(sql: "UPDATE participants SET status = 'in_follow_up', status_before_exit = NULL WHERE id = ?", arguments: [participant])
        }
        let listed = t.get("/v1/participants/\(participant)/exits").json["items"]?.arrayValue ?? []
        #expect(listed.map { $0["status"] } == ["rejected"])
        let other = try t.pool.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO referents (structure_id, first_name, last_name, created_at, updated_at) VALUES (1, 'Paul', 'Durand', 'x', 'x')")
            return db.lastInsertedRowID
        }
        let stranger = t.token(.referent, referentId: String(other))
        #expect(t.get("/v1/exits/\(exit.id)", token: stranger).status == 404)
        #expect(t.get("/v1/participants/\(participant)/exits", token: stranger).status == 404)
        #expect(t.get("/v1/participants/\(participant)/timeline", token: stranger).status == 404)
        #expect(t.get("/v1/participants/\(participant)/export", token: stranger).status == 404)
        #expect(try t.count("audit_log", "action = 'export'") == 0)
        let auditor = t.token(.auditor)
        #expect(t.post("/v1/participants/\(participant)/exit", obj(["type": "demenagement", "date": "2026-02-27", "situation": "other"]),
                       token: auditor).status == 403)
        #expect(try t.count("exits") == 1)
    }

    // MARK: Timeline, export, audit

    @Test("the timeline is ordered by the date of each event, not the time it was typed")
    func timelineOrder() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, participant) = try Self.setUp(t)
        try t.pool.write { db in
            // The step is recorded first, the earlier interview afterwards.
            try db.execute(sql: """
                INSERT INTO steps (participant_id, type, planned_start, actual_start, status, created_at, updated_at)
                VALUES (?, 'job_search_workshop', '2026-01-15', '2026-01-20', 'ongoing', '2026-02-01T09:00:00.000Z', '2026-02-01T09:00:00.000Z')
                """, arguments: [participant])
            try db.execute(sql: """
                INSERT INTO interviews (participant_id, referent_id, date, kind, summary, created_at)
                VALUES (?, ?, '2026-01-10', 'individual', 'Point sur la mobilité.', '2026-02-02T09:00:00.000Z')
                """, arguments: [participant, referent])
            try db.execute(sql: "INSERT INTO contracts (participant_id, signed_on, created_at) VALUES (?, '2025-10-01', 'x')", arguments: [participant])
        }
        let r = t.get("/v1/participants/\(participant)/timeline")
        #expect(r.status == 200, "\(r.text)")
        let kinds = r.json["items"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        #expect(kinds == ["contract_signed", "interview", "step", "participant_created"])
        #expect(r.json["items"]?.arrayValue?[1]["at"] == "2026-01-10")
        let page = t.get("/v1/participants/\(participant)/timeline?limit=2")
        #expect(page.json["items"]?.arrayValue?.count == 2)
        let cursor = page.json["next_cursor"]?.stringValue ?? ""
        let rest = t.get("/v1/participants/\(participant)/timeline?limit=2&cursor=\(cursor)")
        #expect(rest.json["items"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["step", "participant_created"])
    }

    @Test("the right-of-access export holds the interviews and the audit rows, and is itself audited")
    func accessExport() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, participant) = try Self.setUp(t)
        try t.pool.write { db in
            try db.execute(sql: """
                INSERT INTO interviews (participant_id, referent_id, date, kind, summary, created_at)
                VALUES (?, ?, '2026-01-10', 'individual', 'Point sur la mobilité.', 'x')
                """, arguments: [participant, referent])
        }
        let doc = Self.upload(t, participant, kind: "payslip", attestsOn: "2026-02-20")
        let auditor = t.token(.auditor)
        let r = t.get("/v1/participants/\(participant)/export", token: auditor)
        #expect(r.status == 200, "\(r.text)")
        #expect(r.headers["Content-Disposition"] == "attachment; filename=\"participant-\(participant)-export.json\"")
        #expect(r.json["participant"]?["last_name"] == "Gérard")
        #expect(r.json["interviews"]?.arrayValue?.first?["summary"] == "Point sur la mobilité.")
        #expect(r.json["documents"]?.arrayValue?.first?["content_url"] == .string("/v1/documents/\(doc.id)/content"))
        let audit = r.json["audit"]?.arrayValue ?? []
        #expect(audit.contains { $0["entity"] == "participant" && $0["action"] == "create" })
        #expect(audit.contains { $0["entity"] == "document" })
        #expect(try t.count("audit_log", "action = 'export' AND entity = 'participant' AND participant_id = \(participant)") == 1)
    }

    @Test("the audit trail is for admins and auditors (403 for a referent), oldest first, filtered and paged")
    func auditTrail() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, participant) = try Self.setUp(t)
        Self.upload(t, participant, kind: "payslip")
        #expect(t.get("/v1/audit", token: t.token(.referent, referentId: referent)).status == 403)
        #expect(t.get("/v1/audit", token: t.token(.coordinator)).status == 403)
        let all = t.get("/v1/audit", token: t.token(.auditor))
        #expect(all.status == 200)
        let ids = all.json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue.flatMap { Int($0) } } ?? []
        #expect(ids == ids.sorted() && !ids.isEmpty)
        let docs = t.get("/v1/audit?entity=document&participant_id=\(participant)")
        let items = docs.json["items"]?.arrayValue ?? []
        #expect(items.count == 1)
        #expect(items.first?["after"]?["kind"] == "payslip")
        #expect(items.first?["before"] == .null)
        #expect(t.get("/v1/audit?from=2026-03-01&to=2026-03-01").json["items"]?.arrayValue?.isEmpty == false)
        #expect(t.get("/v1/audit?from=2026-03-02").json["items"]?.arrayValue?.isEmpty == true)
        #expect(t.get("/v1/audit?from=yesterday").status == 422)
        let first = t.get("/v1/audit?limit=1")
        let next = t.get("/v1/audit?limit=1&cursor=\(first.json["next_cursor"]?.stringValue ?? "")")
        #expect(next.json["items"]?.arrayValue?.first?["id"] != first.json["items"]?.arrayValue?.first?["id"])
    }
}
