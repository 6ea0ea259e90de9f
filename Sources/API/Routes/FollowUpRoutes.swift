import Domain
import GRDB
import HTTPServer

/// `GET /v1/participants/{id}/follow-up`, `POST .../follow-up/contacts`, `POST .../follow-up/questionnaire`
/// (rule 7). The follow-up itself is opened and interrupted by the steps (`FollowUpRecord`);
/// these routes read it and record its contacts and its end-of-pathway questionnaire.
enum FollowUpRoutes {
    static func register(on router: Router) {
        router.get("/v1/participants/:id/follow-up", show)
        router.post("/v1/participants/:id/follow-up/contacts", addContact)
        router.post("/v1/participants/:id/follow-up/questionnaire", recordQuestionnaire)
    }

    static func renderContact(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("date", .string(row["date"] as String?)),
            ("with", .string(row["with_whom"] as String?)),
            ("kind", .string(row["kind"] as String?)),
            ("summary", .string(row["summary"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
        ])
    }

    static func render(_ db: Database, _ ctx: RequestContext, _ row: Row) throws -> JSON {
        let contacts = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM follow_up_contacts WHERE follow_up_id = ? ORDER BY date, id"),
                                        arguments: [row["id"] as Int64])
        let status = FollowUpRecord.status(row, today: ctx.today)
        var questionnaire = JSON.null
        if let date: String = row["questionnaire_date"] {
            let answers = (try? JSONParser.parse(Array((row["questionnaire_answers"] as String? ?? "{}").utf8))) ?? .object([])
            questionnaire = .object([("date", .string(date)), ("answers", answers)])
        }
        var nextDue = JSON.null
        if status == "in_progress", let start = Day(row["starts_on"] as String) {
            let last = contacts.last.flatMap { Day($0["date"] as String) }
            nextDue = .string(FollowUp.contactDueSince(start: start, lastContact: last, settings: ctx.settings).description)
        }
        return .object([
            ("id", .id(row["id"])),
            ("participant_id", .id(row["participant_id"])),
            ("step_id", .id(row["step_id"])),
            ("starts_on", .string(row["starts_on"] as String?)),
            ("ends_on", .string(row["ends_on"] as String?)),
            ("interrupted_on", .string(row["interrupted_on"] as String?)),
            ("status", .string(status)),
            ("contacts", .array(contacts.map(renderContact))),
            ("questionnaire", questionnaire),
            ("next_contact_due", nextDue),
        ])
    }

    /// The participant's current follow-up, or 409 (rule 7) when they never had one.
    static func current(_ db: Database, _ participantId: Int64, recording what: String) throws -> Row {
        guard let row = try FollowUpRecord.latest(db, participant: participantId) else {
            throw RuleViolation(rule: 7, code: "no_follow_up",
                message: "\(what) needs a follow-up, and this participant has none.",
                remedy: "A follow-up opens by itself when an employment, subsidised contract, business creation or qualifying training step becomes ongoing.")
        }
        return row
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        return try ctx.read { db in
            try ParticipantRecord.checkVisible(db, ctx, participantId)
            guard let row = try FollowUpRecord.latest(db, participant: participantId) else {
                throw APIError(404, "no-follow-up", "Not found",
                               "Participant \(participantId) has never had a follow-up: it opens when an employment, subsidised contract, business creation or qualifying training step starts.")
            }
            return ctx.json(200, try render(db, ctx, row), etag: FollowUpRecord.etagOf(row))
        }
    }

    static func addContact(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let date = input.day("date", required: true)
        let with = input.code("with", ContactWith.self, required: true)
        let kind = input.string("kind", maxLength: 100)
        let summary = input.string("summary", required: true, maxLength: 20_000)
        return try ctx.write { db in
            _ = try ParticipantRecord.writable(db, ctx, participantId)
            let followUp = try current(db, participantId, recording: "A follow-up contact")
            if let date, let start = Day(followUp["starts_on"] as String), let ends = Day(followUp["ends_on"] as String) {
                // An interrupted follow-up stops on its interruption day.
                let last = (followUp["interrupted_on"] as String?).flatMap(Day.init).map { min($0, ends) } ?? ends
                if date < start || date > last { input.fail("date", "must fall within the follow-up, \(start) to \(last)") }
                if date > ctx.today { input.fail("date", "cannot be in the future (today is \(ctx.today))") }
            }
            try input.finish()
            let followUpId: Int64 = followUp["id"]
            let now = ctx.timestamp()
            try db.execute(sql: "INSERT INTO follow_up_contacts (follow_up_id, date, with_whom, kind, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [followUpId, date?.description, with?.rawValue, kind, summary, now])
            let id = db.lastInsertedRowID
            // The follow-up's ETag covers its contacts.
            try db.cachedStatement(sql: "UPDATE follow_ups SET updated_at = ?, version = version + 1 WHERE id = ?").execute(arguments: [now, followUpId])
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM follow_up_contacts WHERE id = ?"), arguments: [id]) else {
                throw APIError.notFound("Follow-up contact \(id)")
            }
            let body = renderContact(row)
            try ctx.audit(db, "create", "follow_up_contact", id, participant: participantId, after: body)
            return ctx.json(201, body, location: "/v1/participants/\(participantId)/follow-up")
        }
    }

    /// Rule 7: the questionnaire is offered at the follow-up's end, and recorded once.
    static func recordQuestionnaire(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let date = input.day("date") ?? ctx.today
        let answers = input.object("answers", required: true)
        if date > ctx.today { input.fail("date", "cannot be in the future (today is \(ctx.today))") }
        return try ctx.write { db in
            _ = try ParticipantRecord.writable(db, ctx, participantId)
            let before = try current(db, participantId, recording: "The evaluation questionnaire")
            let followUpId: Int64 = before["id"]
            let ends: String = before["ends_on"]
            if let interrupted: String = before["interrupted_on"] {
                throw RuleViolation(rule: 7, code: "follow_up_interrupted",
                    message: "The follow-up was interrupted on \(interrupted): the questionnaire is offered at the end of a follow-up that ran its course.",
                    remedy: "Record the questionnaire at the end of the next follow-up.")
            }
            if let endDay = Day(ends), ctx.today < endDay {
                throw RuleViolation(rule: 7, code: "follow_up_not_ended",
                    message: "The evaluation questionnaire is offered at the end of the follow-up, which ends on \(ends).",
                    remedy: "Record it on or after \(ends).")
            }
            if (before["questionnaire_date"] as String?) != nil {
                throw RuleViolation(rule: 7, code: "questionnaire_already_recorded",
                    message: "The evaluation questionnaire of this follow-up was already recorded on \(before["questionnaire_date"] as String? ?? "").",
                    remedy: "A follow-up has one questionnaire; the recorded answers stay as they are.")
            }
            if let endDay = Day(ends), date < endDay { input.fail("date", "is before the follow-up's end (\(ends)): the questionnaire is offered at its end") }
            try input.finish()
            try db.execute(sql: "UPDATE follow_ups SET questionnaire_date = ?, questionnaire_answers = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                           arguments: [date.description, answers?.text, ctx.timestamp(), followUpId])
            guard let after = try FollowUpRecord.latest(db, participant: participantId) else { throw APIError.notFound("Follow-up") }
            try ctx.audit(db, "questionnaire", "follow_up", followUpId, participant: participantId,
                          before: .object([("questionnaire", .null)]),
                          after: .object([("date", .string(date.description)), ("answers", answers ?? .null)]))
            return ctx.json(201, try render(db, ctx, after), etag: FollowUpRecord.etagOf(after), location: "/v1/participants/\(participantId)/follow-up")
        }
    }
}
