@testable import API
import Domain
import Foundation
import Testing

@Suite("Bulk import")
struct ImportTests {
    /// A structure, a referent with an email, a coordinator's token.
    static func setUp(_ t: TestApp) -> (referent: String, coordinator: String) {
        let s = t.post("/v1/structures", obj(["name": "Mission locale"]))
        let r = t.post("/v1/referents", obj(["structure_id": .string(s.id), "first_name": "Anne", "last_name": "Martin",
                                             "email": "Anne@PLIE.fr"]))
        return (r.id, t.token(.coordinator))
    }

    static func importCSV(_ t: TestApp, _ bytes: [UInt8], query: String = "", token: String? = nil,
                          contentType: String = "text/csv") -> TestResponse {
        t.send("POST", "/v1/imports/participants" + query, token: token, rawBody: bytes, contentType: contentType)
    }

    static func error(_ line: Int, _ field: String?, _ message: String) -> JSON {
        .object([("line", .int(line)), ("field", .string(field)), ("message", .string(message))])
    }

    @Test("a messy UTF-8 file (BOM, quotes, embedded line break, blank line, unknown column, wrong values) gets its exact per-row report")
    func messyFile() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, coordinator) = Self.setUp(t)
        let csv = "\u{FEFF}Nom;Prénom;Date de naissance;Sexe;Téléphone;Courriel;Adresse;Référent;Couleur préférée\r\n"
            + "Gérard;Élodie;12/04/1990;Mme;06 12 34 56 78;elodie@example.org;\"3 rue des Lilas\r\nBât. B\";anne@plie.fr;bleu\r\n"
            + "\r\n"
            + "\"Martin \"\"dit Jo\"\"\";Joseph;1985-01-01;M.;;;;anne@plie.fr;\r\n"
            + "Durand;Paul;31/02/1980;H;;;;anne@plie.fr;\r\n"
            + "Petit;Lou;01/01/1999;X;;pas-un-mail;;nobody@plie.fr;\r\n"
            + "Roux;Léa;02/03/2001;F;;;;;\r\n"
        let r = Self.importCSV(t, Array(csv.utf8), token: coordinator)
        #expect(r.status == 200, "\(r.text)")
        #expect(r.json["dry_run"] == false)
        #expect(r.json["summary"] == obj(["rows": 5, "created": 2, "updated": 0, "skipped": 0, "errors": 3]))
        let created = r.json["created"]?.arrayValue ?? []
        #expect(created.map { $0["line"] } == [.int(2), .int(5)])
        #expect(r.json["existing"] == .array([]))
        #expect(r.json["errors"] == .array([
            Self.error(6, "birth_date", "\"31/02/1980\" is not a real date written JJ/MM/AAAA or AAAA-MM-JJ"),
            Self.error(7, "gender", "unknown value \"X\": expected F or H (femme, homme, Mme, M.), or woman, man or non_binary"),
            Self.error(7, "referent_id", "no referent has the email or id \"nobody@plie.fr\""),
            Self.error(7, "email", "is not an email address"),
            Self.error(8, "referent_id", "is required: the referent's email or id (or ?referent_id= for the rows that name none)"),
        ]))
        #expect(r.json["warnings"] == .array([.object([("line", .int(1)), ("column", "Couleur préférée"), ("message", "unknown column: ignored")])]))
        #expect(r.json["file"] == obj(["encoding": "utf-8-bom", "separator": ";"]))

        let first = t.get("/v1/participants/\(created[0]["id"]?.stringValue ?? "")")
        #expect(first.json["last_name"] == "Gérard")
        #expect(first.json["gender"] == "woman")
        #expect(first.json["address"] == "3 rue des Lilas\r\nBât. B")
        #expect(first.json["phone"] == "06 12 34 56 78")
        let second = t.get("/v1/participants/\(created[1]["id"]?.stringValue ?? "")")
        #expect(second.json["last_name"] == "Martin \"dit Jo\"")
        #expect(second.json["gender"] == "man")
        #expect(try t.count("participants") == 2)
        // One audited operation: the import row with its summary, and one create row per participant.
        #expect(try t.count("audit_log", "action = 'import' AND after LIKE '%\"created\":2%'") == 1)
        #expect(try t.count("audit_log", "action = 'create' AND entity = 'participant'") == 2)
    }

    @Test("a Windows-1252 file with commas (é as 0xE9, ’ as 0x92) is read with its accents")
    func windows1252() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, _) = Self.setUp(t)
        var bytes = Array("nom,prenom,date de naissance,genre,referent_id,niveau,situation,rqth,qpv\r\n".utf8)
        bytes += Array("G".utf8) + [0xE9] + Array("rard,L".utf8) + [0xE9] + Array("a,5/7/1988,femme,\(referent),CAP,DELD,oui,x\r\n".utf8)
        bytes += Array("D".utf8) + [0x92] + Array("Artagnan,Charles,1970-01-02,homme,\(referent),bac+2,inactif,non,\r\n".utf8)
        let r = Self.importCSV(t, bytes, contentType: "application/vnd.ms-excel")
        #expect(r.status == 200, "\(r.text)")
        #expect(r.json["summary"] == obj(["rows": 2, "created": 2, "updated": 0, "skipped": 0, "errors": 0]))
        #expect(r.json["file"] == obj(["encoding": "windows-1252", "separator": ","]))
        let ids = r.json["created"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        let lea = t.get("/v1/participants/\(ids.first ?? "")").json
        #expect(lea["last_name"] == "Gérard")
        #expect(lea["first_name"] == "Léa")
        #expect(lea["birth_date"] == "1988-07-05")
        #expect(lea["education_level"] == "isced_3_4")
        #expect(lea["employment_situation"] == "long_term_unemployed")
        #expect(lea["disability"] == true)
        #expect(lea["eligibility"] == ["rqth", "qpv"])
        let charles = t.get("/v1/participants/\(ids.last ?? "")").json
        #expect(charles["last_name"] == "D\u{2019}Artagnan")
        #expect(charles["education_level"] == "isced_5_8")
        #expect(charles["disability"] == false)
    }

    @Test("rule 10: the same file imported twice creates nothing new, and a repeated row is recognised")
    func reimportIsIdempotent() throws {
        let t = try TestApp(today: "2026-03-01")
        let (_, coordinator) = Self.setUp(t)
        let csv = "nom;prénom;date de naissance;référent\nLee;Jo;01/01/1985;anne@plie.fr\nLEE;jo;1985-01-01;anne@plie.fr\nKim;Ada;02/02/1992;anne@plie.fr\n"
        let first = Self.importCSV(t, Array(csv.utf8), token: coordinator)
        #expect(first.json["summary"] == obj(["rows": 3, "created": 2, "updated": 0, "skipped": 1, "errors": 0]))
        let jo = first.json["created"]?.arrayValue?.first?["id"] ?? .null
        #expect(first.json["existing"] == .array([.object([("line", .int(3)), ("id", jo), ("action", "skipped")])]))
        let auditRows = try t.count("audit_log")
        let second = Self.importCSV(t, Array(csv.utf8), token: coordinator)
        #expect(second.json["summary"] == obj(["rows": 3, "created": 0, "updated": 0, "skipped": 3, "errors": 0]))
        #expect(try t.count("participants") == 2)
        // Only the import's own audit row is added.
        #expect(try t.count("audit_log") == auditRows + 1)
        // A person created through the API is recognised by the import too.
        let api = t.post("/v1/participants", obj(["first_name": "Max", "last_name": "Roy", "birth_date": "1979-09-09",
                                                  "referent_id": .string(Self.setUpReferent(t))]))
        let third = Self.importCSV(t, Array("nom;prénom;date de naissance;référent\nRoy;Max;09/09/1979;anne@plie.fr\n".utf8))
        #expect(third.json["existing"] == .array([.object([("line", .int(2)), ("id", .string(api.id)), ("action", "skipped")])]))
    }

    static func setUpReferent(_ t: TestApp) -> String {
        t.get("/v1/referents").json["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
    }

    @Test("on_existing=update writes the changed cells of a known person, audited before/after; an identical row writes nothing")
    func updateExisting() throws {
        let t = try TestApp(today: "2026-03-01")
        _ = Self.setUp(t)
        let csv1 = "nom;prénom;date de naissance;référent;ville\nLee;Jo;01/01/1985;anne@plie.fr;Melun\n"
        let id = Self.importCSV(t, Array(csv1.utf8)).json["created"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        let csv2 = "nom;prénom;date de naissance;référent;ville;téléphone\nLee;Jo;01/01/1985;anne@plie.fr;Paris;0601020304\n"
        let r = Self.importCSV(t, Array(csv2.utf8), query: "?on_existing=update")
        #expect(r.json["existing"] == .array([.object([("line", .int(2)), ("id", .string(id)), ("action", "updated")])]))
        #expect(r.json["summary"]?["updated"] == 1)
        let p = t.get("/v1/participants/\(id)").json
        #expect(p["city"] == "Paris")
        #expect(p["phone"] == "0601020304")
        #expect(try t.count("audit_log", "action = 'update' AND entity = 'participant' AND before LIKE '%Melun%' AND after LIKE '%Paris%'") == 1)
        let again = Self.importCSV(t, Array(csv2.utf8), query: "?on_existing=update")
        #expect(again.json["existing"] == .array([.object([("line", .int(2)), ("id", .string(id)), ("action", "skipped")])]))
        #expect(try t.count("audit_log", "action = 'update' AND entity = 'participant'") == 1)
    }

    @Test("a dry run reports exactly what the import would do and writes nothing")
    func dryRun() throws {
        let t = try TestApp(today: "2026-03-01")
        _ = Self.setUp(t)
        let csv = "nom;prénom;date de naissance;référent;date d'entrée\nLee;Jo;01/01/1985;anne@plie.fr;02/02/2025\nLee;Jo;01/01/1985;anne@plie.fr;\nKim;Ada;bad;anne@plie.fr;\n"
        let before = try t.count("audit_log")
        let dry = Self.importCSV(t, Array(csv.utf8), query: "?dry_run=true")
        #expect(dry.status == 200, "\(dry.text)")
        #expect(dry.json["dry_run"] == true)
        #expect(dry.json["summary"] == obj(["rows": 3, "created": 1, "updated": 0, "skipped": 1, "errors": 1]))
        #expect(try t.count("participants") == 0)
        #expect(try t.count("contracts") == 0)
        #expect(try t.count("audit_log") == before)
        let real = Self.importCSV(t, Array(csv.utf8))
        #expect(real.json["summary"] == dry.json["summary"])
        #expect(try t.count("participants") == 1)
    }

    @Test("history columns bring the entry (contract, active) and the validated exit (exits row, exited)")
    func history() throws {
        let t = try TestApp(today: "2026-03-01")
        _ = Self.setUp(t)
        let csv = """
            nom;prénom;date de naissance;référent;date d'entrée;date de sortie;type de sortie
            Lee;Jo;01/01/1985;anne@plie.fr;15/01/2022;30/06/2023;CDD 6 mois et plus
            Kim;Ada;02/02/1992;anne@plie.fr;01/09/2024;;
            Roy;Max;03/03/1980;anne@plie.fr;;01/01/2024;abandon
            Fox;Eva;04/04/1990;anne@plie.fr;01/05/2024;01/04/2024;cdi
            Ray;Tom;05/05/1991;anne@plie.fr;01/05/2024;01/06/2024;licenciement

            """
        let r = Self.importCSV(t, Array(csv.utf8))
        #expect(r.json["errors"] == .array([
            Self.error(4, "entry_date", "is required with an exit: only an entered participant exits"),
            Self.error(5, "exit_date", "is before the entry date 2024-05-01"),
            Self.error(6, "exit_type", "unknown value \"licenciement\": expected an exit type: \(ExitType.choices), or its French label"),
        ]))
        let ids = r.json["created"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(ids.count == 2)
        let jo = t.get("/v1/participants/\(ids[0])").json
        #expect(jo["status"] == "exited")
        #expect(jo["entry_date"] == "2022-01-15")
        #expect(jo["exit"]?["type"] == "cdd_6m_plus")
        #expect(jo["exit"]?["category"] == "positive")
        #expect(jo["exit"]?["status"] == "validated")
        #expect(try t.count("exits", "participant_id = \(ids[0]) AND status = 'validated' AND date = '2023-06-30' AND decided_on = '2023-06-30'") == 1)
        #expect(try t.count("contracts", "participant_id = \(ids[0]) AND signed_on = '2022-01-15'") == 1)
        let ada = t.get("/v1/participants/\(ids[1])").json
        #expect(ada["status"] == "active")
        #expect(ada["entry_date"] == "2024-09-01")
        #expect(try t.count("exits") == 1)
    }

    @Test("only coordinators and admins import; a non-CSV body is 415; a file without identity columns is 422")
    func refusals() throws {
        let t = try TestApp(today: "2026-03-01")
        let (referent, _) = Self.setUp(t)
        let csv = Array("nom;prénom;date de naissance;référent\nLee;Jo;01/01/1985;anne@plie.fr\n".utf8)
        #expect(Self.importCSV(t, csv, token: t.token(.auditor)).status == 403)
        #expect(Self.importCSV(t, csv, token: t.token(.referent, referentId: referent)).status == 403)
        #expect(Self.importCSV(t, csv, contentType: "application/json").status == 415)
        let missing = Self.importCSV(t, Array("nom;ville\nLee;Melun\n".utf8))
        #expect(missing.status == 422)
        #expect(Set(missing.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []) == ["first_name", "birth_date", "referent_id"])
        #expect(Self.importCSV(t, csv, query: "?on_existing=merge").status == 422)
        #expect(try t.count("participants") == 0)
    }

    @Test("10,000 rows import in one request")
    func tenThousandRows() throws {
        let t = try TestApp(today: "2026-03-01")
        _ = Self.setUp(t)
        var csv = "nom;prénom;date de naissance;sexe;référent;date d'entrée;date de sortie;type de sortie\n"
        for i in 0..<10_000 {
            let exit = i % 3 == 0 ? "01/06/2024;CDI" : ";"
            csv += "Nom\(i);Prénom\(i);\(i % 28 + 1)/\(i % 12 + 1)/19\(60 + i % 40);\(i % 2 == 0 ? "F" : "H");anne@plie.fr;01/02/2023;\(exit)\n"
        }
        let r = Self.importCSV(t, Array(csv.utf8))
        #expect(r.status == 200)
        #expect(r.json["summary"] == obj(["rows": 10_000, "created": 10_000, "updated": 0, "skipped": 0, "errors": 0]))
        #expect(try t.count("participants") == 10_000)
        #expect(try t.count("exits", "status = 'validated'") == 3334)
    }
}
