@testable import API
import Domain
import Foundation
import Testing

@Suite("Agenda")
struct AgendaTests {
    struct Fixture {
        let t: TestApp
        let structure: Int64
        let referent: Int64
        let other: Int64
        let participant: Int64
        let interviews: [Int64]
        let committee: Int64
    }

    /// A referent with two interviews of their participant (one by another referent is not
    /// theirs), a committee, in March 2026.
    static func fixture() throws -> Fixture {
        let t = try TestApp(today: "2026-03-01")
        let s = try Seed.structure(t)
        let r = try Seed.referent(t, structure: s)
        let other = try Seed.referent(t, structure: s, first: "Paul", last: "Petit")
        let p = try Seed.participant(t, referent: r, first: "Élodie", last: "Vandenberghe", entry: "2026-01-05")
        let i2 = try Seed.interview(t, participant: p, referent: r, date: "2026-03-20")
        let i1 = try Seed.interview(t, participant: p, referent: r, date: "2026-03-05")
        _ = try Seed.interview(t, participant: p, referent: other, date: "2026-03-06")
        _ = try Seed.interview(t, participant: p, referent: r, date: "2026-05-06")
        let c = try Seed.committee(t, kind: "suivi", date: "2026-03-12", location: "Salle 2, mairie")
        return Fixture(t: t, structure: s, referent: r, other: other, participant: p, interviews: [i1, i2], committee: c)
    }

    static func path(_ f: Fixture) -> String { "/v1/referents/\(f.referent)/agenda" }
    static let march = "?from=2026-03-01&to=2026-03-31"

    @Test("the agenda lists the referent's interviews, the committees and the posted entries of the period, in order")
    func jsonOrder() throws {
        let f = try Self.fixture()
        let posted = f.t.post(Self.path(f), obj(["starts_at": "2026-03-12T09:30:00+01:00", "ends_at": "2026-03-12T11:00:00+01:00",
                                                  "title": "Réunion d'équipe", "kind": "internal_meeting", "location": "Bureau"]))
        #expect(posted.status == 201, "\(posted.text)")
        #expect(posted.json["starts_at"] == "2026-03-12T08:30:00.000Z")
        #expect(posted.headers["Location"] == "/v1/referents/\(f.referent)/agenda/\(posted.id)")
        #expect(f.t.get(posted.headers["Location"] ?? "").status == 200)
        #expect(try f.t.count("audit_log", "entity = 'agenda_entry'") == 1)
        _ = f.t.post(Self.path(f), obj(["starts_at": "2026-04-02T09:00:00Z", "title": "Hors période"]))

        let r = f.t.get(Self.path(f) + Self.march)
        #expect(r.status == 200, "\(r.text)")
        let items = try #require(r.json["items"]?.arrayValue)
        #expect(items.map { $0["source"]?.stringValue ?? "" } == ["interview", "committee", "entry", "interview"])
        #expect(items.map { $0["id"]?.stringValue ?? "" } == [String(f.interviews[0]), String(f.committee), posted.id, String(f.interviews[1])])
        #expect(items[0]["date"] == "2026-03-05" && items[0]["kind"] == "interview")
        #expect(items[0]["participant_id"] == .string(String(f.participant)))
        #expect(items[1]["location"] == "Salle 2, mairie" && items[1]["kind"] == "committee")
        #expect(items[2]["kind"] == "internal_meeting" && items[2]["ends_at"] == "2026-03-12T10:00:00.000Z")
    }

    @Test("a referent sees their own agenda only (404 for another's); structure managers theirs; auditors read but do not post")
    func access() throws {
        let f = try Self.fixture()
        let own = f.t.token(.referent, referentId: String(f.referent))
        let otherToken = f.t.token(.referent, referentId: String(f.other))
        #expect(f.t.get(Self.path(f) + Self.march, token: own).status == 200)
        #expect(f.t.get(Self.path(f) + Self.march, token: otherToken).status == 404)
        #expect(f.t.post(Self.path(f), obj(["starts_at": "2026-03-02T09:00:00Z", "title": "x"]), token: otherToken).status == 404)
        let elsewhere = try Seed.structure(f.t, name: "Autre")
        #expect(f.t.get(Self.path(f), token: f.t.token(.structureManager, structureId: String(f.structure))).status == 200)
        #expect(f.t.get(Self.path(f), token: f.t.token(.structureManager, structureId: String(elsewhere))).status == 404)
        let auditor = f.t.token(.auditor)
        #expect(f.t.get(Self.path(f), token: auditor).status == 200)
        #expect(f.t.post(Self.path(f), obj(["starts_at": "2026-03-02T09:00:00Z", "title": "x"]), token: auditor).status == 403)
        #expect(try f.t.count("agenda_entries") == 0)
        #expect(f.t.get("/v1/referents/999/agenda").status == 404)
    }

    @Test("a posted entry is validated: timestamps with offset, end not before start, a known kind, a title")
    func validation() throws {
        let f = try Self.fixture()
        let bad = f.t.post(Self.path(f), obj(["starts_at": "2026-03-02 09:00", "ends_at": "2026-03-01T09:00:00Z", "kind": "party", "colour": "red"]))
        #expect(bad.status == 422)
        let fields = Set(bad.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
        #expect(fields == ["starts_at", "title", "kind", "colour"])
        let reversed = f.t.post(Self.path(f), obj(["starts_at": "2026-03-02T09:00:00Z", "ends_at": "2026-03-02T08:00:00Z", "title": "x"]))
        #expect(reversed.status == 422)
        #expect(f.t.get(Self.path(f) + "?from=2026-01-01&to=2027-06-01").status == 422)
        #expect(try f.t.count("agenda_entries") == 0)
    }

    @Test("the iCalendar agenda is valid line by line and never names the participant")
    func iCalendar() throws {
        let f = try Self.fixture()
        let title = "Dossier RSA, relance; CAF \\ préfecture\nappeler avant midi, puis envoyer le compte rendu à l'équipe d'animation du PLIE"
        #expect(f.t.post(Self.path(f), obj(["starts_at": "2026-03-12T09:30:00+01:00", "title": .string(title)])).status == 201)
        for r in [f.t.get(Self.path(f) + Self.march + "&format=ics"),
                  f.t.send("GET", Self.path(f) + Self.march, headers: [("Accept", "text/calendar")])] {
            #expect(r.status == 200)
            #expect(r.headers["Content-Type"] == "text/calendar; charset=utf-8")
            let text = r.text
            #expect(text.hasSuffix("\r\n"))
            let physical = text.components(separatedBy: "\r\n").dropLast()
            #expect(!physical.contains { $0.contains("\n") || $0.contains("\r") }, "bare line breaks")
            #expect(physical.allSatisfy { $0.utf8.count <= 75 }, "a line longer than 75 octets")
            // Unfold: a line starting with a space continues the previous one.
            var lines: [String] = []
            for line in physical {
                if line.hasPrefix(" "), !lines.isEmpty { lines[lines.count - 1] += line.dropFirst() } else { lines.append(line) }
            }
            var stack: [String] = []
            var events: [[String]] = []
            for line in lines {
                if line.hasPrefix("BEGIN:") { stack.append(String(line.dropFirst(6))); if line == "BEGIN:VEVENT" { events.append([]) } }
                else if line.hasPrefix("END:") { #expect(stack.popLast() == String(line.dropFirst(4))) }
                else if stack.last == "VEVENT" { events[events.count - 1].append(line) }
            }
            #expect(stack.isEmpty)
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
            #expect(events.count == 4)
            for event in events {
                for property in ["UID:", "DTSTAMP:", "DTSTART"] {
                    #expect(event.contains { $0.hasPrefix(property) }, "\(property) missing in \(event)")
                }
            }
            #expect(lines.contains("UID:interview-\(f.interviews[0])@parcours"))
            #expect(lines.contains("DTSTART;VALUE=DATE:20260305"))
            #expect(lines.contains("DTSTART:20260312T083000Z"))
            #expect(lines.contains("LOCATION:Salle 2\\, mairie"))
            #expect(lines.contains("SUMMARY:Dossier RSA\\, relance\\; CAF \\\\ préfecture\\nappeler avant midi\\, puis envoyer le compte rendu à l'équipe d'animation du PLIE"))
            // The participant's name appears nowhere in the file, even across folds.
            let interviewEvents = events.filter { $0.contains { $0.hasPrefix("UID:interview-") } }
            #expect(interviewEvents.count == 2)
            #expect(!lines.joined().contains("Vandenberghe"))
            #expect(!lines.joined().contains("Élodie"))
            #expect(interviewEvents.allSatisfy { $0.contains("SUMMARY:Entretien É. V. (n° \(f.participant))") })
        }
    }
}
