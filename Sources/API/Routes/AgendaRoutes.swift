import Domain
import Exports
import Foundation
import GRDB
import HTTPServer

/// `GET/POST /v1/referents/{id}/agenda`, `GET /v1/referents/{id}/agenda/{entry_id}`: a referent's
/// agenda. Interviews of their participants and committees of the period appear by themselves
/// (read-only); other entries (internal meetings, administrative work...) are posted.
/// JSON, or iCalendar (`Accept: text/calendar` or `?format=ics`) for calendar clients.
enum AgendaRoutes {
    static func register(on router: Router) {
        router.get("/v1/referents/:id/agenda", show)
        router.post("/v1/referents/:id/agenda", create)
        router.get("/v1/referents/:id/agenda/:entry_id", entry)
    }

    /// The formats of the agenda.
    enum Format: String, CaseIterable {
        case json, ics
        var mediaType: String { self == .json ? "application/json" : "text/calendar" }
    }

    /// Without dates, the agenda spans a month back and three ahead: what a calendar client
    /// subscribing to the URL needs. A longer period is refused rather than paginated.
    static let daysBack = 31, daysAhead = 92, maxDays = 366

    /// The referent if the caller may see their agenda (their own, their structure's, or all),
    /// else 404 so another referent's existence is not revealed.
    static func referent(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> Row {
        guard let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, structure_id, first_name, last_name FROM referents WHERE id = ?"), arguments: [id]),
              ctx.policy.canSee(participantReferent: id, structure: r["structure_id"]) else {
            throw APIError.notFound("Referent \(id)")
        }
        return r
    }

    /// One item of the agenda, with the key that orders it: a day sorts before the timed
    /// items of that day ("2026-03-02" < "2026-03-02T09:00...").
    struct Item {
        let start: String
        let rank: Int
        let id: Int64
        let json: JSON
        let event: CalendarEvent?
    }

    static let committeeTitles: [String: String] = [
        "agrement": "Comité d'agrément", "suivi": "Comité de suivi", "formation": "Comité de validation formation",
    ]

    static func items(_ db: Database, referentId: Int64, from: Day, to: Day, stamp: Date) throws -> [Item] {
        var items: [Item] = []
        let interviews = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT i.id, i.date, i.kind, i.duration_minutes, i.participant_id, p.first_name, p.last_name
            FROM interviews i JOIN participants p ON p.id = i.participant_id
            WHERE i.date BETWEEN ? AND ? AND i.referent_id = ?
            """), arguments: [from.description, to.description, referentId])
        for r in interviews {
            let id: Int64 = r["id"], date: String = r["date"], participantId: Int64 = r["participant_id"]
            let title = Agenda.interviewTitle(firstName: r["first_name"], lastName: r["last_name"], participantId: participantId)
            let json = JSON.object([
                ("id", .id(id)), ("kind", .string("interview")), ("title", .string(title)), ("date", .string(date)),
                ("ends_at", .null), ("participant_id", .id(participantId)), ("interview_kind", .string(r["kind"] as String)),
                ("duration_minutes", (r["duration_minutes"] as Int?).map(JSON.int) ?? .null), ("source", .string("interview")),
            ])
            let event = Day(date).map {
                CalendarEvent(uid: "interview-\(id)@parcours", start: .allDay($0), summary: title, stamp: stamp, categories: ["Entretien"])
            }
            items.append(Item(start: date, rank: 0, id: id, json: json, event: event))
        }
        let committees = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, kind, date, title, location FROM committees WHERE date BETWEEN ? AND ?"),
                                          arguments: [from.description, to.description])
        for r in committees {
            let id: Int64 = r["id"], date: String = r["date"], kind: String = r["kind"]
            let title = (r["title"] as String?) ?? committeeTitles[kind] ?? "Comité"
            let location: String? = r["location"]
            let json = JSON.object([
                ("id", .id(id)), ("kind", .string("committee")), ("title", .string(title)), ("date", .string(date)),
                ("ends_at", .null), ("committee_kind", .string(kind)), ("location", .string(location)), ("source", .string("committee")),
            ])
            let event = Day(date).map {
                CalendarEvent(uid: "committee-\(id)@parcours", start: .allDay($0), summary: title, location: location, stamp: stamp,
                              categories: ["Comité"])
            }
            items.append(Item(start: date, rank: 1, id: id, json: json, event: event))
        }
        // Timestamps are stored in UTC in one form, so text comparison orders them.
        let entries = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM agenda_entries WHERE referent_id = ? AND starts_at >= ? AND starts_at < ?
            """), arguments: [referentId, from.description, to.adding(days: 1).description])
        for r in entries {
            let json = render(r)
            let startsAt: String = r["starts_at"]
            let start = Timestamp.parse(startsAt).map { Date(timeIntervalSince1970: $0) }
            let end = (r["ends_at"] as String?).flatMap(Timestamp.parse).map { Date(timeIntervalSince1970: $0) }
            // Notes stay on the server: a calendar file is synced to phones and shared mailboxes.
            let event = start.map {
                CalendarEvent(uid: "agenda-entry-\(r["id"] as Int64)@parcours", start: .utc($0), end: end.map { .utc($0) },
                              summary: r["title"], location: r["location"], stamp: stamp)
            }
            items.append(Item(start: startsAt, rank: 2, id: r["id"], json: json, event: event))
        }
        return items.sorted { ($0.start, $0.rank, $0.id) < ($1.start, $1.rank, $1.id) }
    }

    static func render(_ r: Row) -> JSON {
        .object([
            ("id", .id(r["id"])), ("kind", .string(r["kind"] as String)), ("title", .string(r["title"] as String)),
            ("starts_at", .string(r["starts_at"] as String)), ("ends_at", .string(r["ends_at"] as String?)),
            ("location", .string(r["location"] as String?)), ("notes", .string(r["notes"] as String?)),
            ("referent_id", .id(r["referent_id"])), ("source", .string("entry")), ("created_at", .string(r["created_at"] as String)),
        ])
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Referent")
        let format: Format = try Download.format(ctx) { $0.mediaType }
        let today = ctx.today
        let period = try Download.period(ctx, defaultFrom: today.adding(days: -daysBack), defaultTo: today.adding(days: daysAhead), maxDays: maxDays)
        let stamp = Date(timeIntervalSince1970: ctx.app.clock.now())
        return try ctx.read { db in
            let r = try referent(db, ctx, id)
            let agenda = try items(db, referentId: id, from: period.from, to: period.to, stamp: stamp)
            switch format {
            case .json:
                return ctx.json(200, .object([("items", .array(agenda.map(\.json)))]))
            case .ics:
                var bytes: [UInt8] = []
                let name = "Agenda " + [r["first_name"] as String?, r["last_name"] as String?].compactMap { $0 }.joined(separator: " ")
                let writer = ICalendarWriter(calendarName: name) { bytes += $0 }
                try writer.begin()
                for event in agenda.compactMap(\.event) { try writer.append(event) }
                try writer.finish()
                return Download.file(contentType: "text/calendar; charset=utf-8", filename: "agenda-\(id).ics", bytes: bytes)
            }
        }
    }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Referent")
        return try ctx.write { db in
            _ = try referent(db, ctx, id)
            try ctx.policy.requireWrite()
            var input = try ctx.input()
            func instant(_ key: String, required: Bool) -> Double? {
                guard let text = input.string(key, required: required, maxLength: 40) else { return nil }
                guard let seconds = Timestamp.parse(text) else {
                    input.fail(key, "must be an RFC 3339 timestamp with its offset, e.g. 2026-03-02T09:30:00+01:00")
                    return nil
                }
                return seconds
            }
            let startsAt = instant("starts_at", required: true)
            let endsAt = instant("ends_at", required: false)
            if let startsAt, let endsAt, endsAt < startsAt { input.fail("ends_at", "must not be before starts_at") }
            let title = input.string("title", required: true, maxLength: 200)
            let kind = input.code("kind", Agenda.EntryKind.self) ?? .other
            let location = input.string("location", maxLength: 200)
            let notes = input.string("notes", maxLength: 2000)
            try input.finish()
            guard let startsAt, let title else { throw APIError.invalid("starts_at", "is required") }
            try db.cachedStatement(sql: """
                INSERT INTO agenda_entries (referent_id, starts_at, ends_at, title, kind, location, notes, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, Clock.timestamp(startsAt), endsAt.map { Clock.timestamp($0) }, title, kind.rawValue, location, notes, ctx.timestamp()])
            let entryId = db.lastInsertedRowID
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM agenda_entries WHERE id = ?"), arguments: [entryId]) else {
                throw APIError.notFound("Agenda entry \(entryId)")
            }
            let body = render(row)
            try ctx.audit(db, "create", "agenda_entry", entryId, after: body)
            return ctx.json(201, body, etag: etag("a", entryId, 1), location: "/v1/referents/\(id)/agenda/\(entryId)")
        }
    }

    static func entry(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Referent")
        let entryId = try ctx.id("entry_id", "Agenda entry")
        return try ctx.read { db in
            _ = try referent(db, ctx, id)
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM agenda_entries WHERE id = ? AND referent_id = ?"), arguments: [entryId, id]) else {
                throw APIError.notFound("Agenda entry \(entryId)")
            }
            // Entries are never updated through the API, so one version.
            return ctx.json(200, render(row), etag: etag("a", entryId, 1))
        }
    }
}
