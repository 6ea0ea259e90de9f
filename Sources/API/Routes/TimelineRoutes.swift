import Domain
import GRDB
import HTTPServer

/// `GET /v1/participants/{id}/timeline`: everything that happened to a participant, oldest first.
///
/// Events are ordered by the date they happened in the domain (an interview typed in a week late
/// still sits on its own date), not by when they were recorded. `at` is a date (YYYY-MM-DD) for
/// events of the domain and a timestamp for records that only have one (the file's creation, an
/// upload); as strings a date sorts before the timestamps of the same day. Ties are broken by
/// `kind`, then `id`, so the order is stable and the list can be paged with a cursor.
///
/// Kinds: `participant_created`, `barrier_identified`, `barrier_lifted`, `candidature_submitted`,
/// `decision`, `contract_signed`, `step` (at its actual start, else its planned start),
/// `step_ended`, `interview`, `positioning`, `positioning_result`, `follow_up_started`,
/// `follow_up_interrupted`, `follow_up_ended` (once its end date has passed), `follow_up_contact`,
/// `questionnaire`, `document`, `exit_proposed` (at the proposed exit date) and `exit_decided`.
enum TimelineRoutes {
    static func register(on router: Router) {
        router.get("/v1/participants/:id/timeline", timeline)
    }

    /// One event: its sort key and its JSON.
    struct Event {
        let at: String
        let kind: String
        let id: Int64
        let details: [(String, JSON)]

        var key: String { "\(at)|\(kind)|\(id)" }
        var json: JSON { .object([("at", .string(at)), ("kind", .string(kind)), ("id", .id(id))] + details) }

        static func ordered(_ a: Event, _ b: Event) -> Bool { (a.at, a.kind, a.id) < (b.at, b.kind, b.id) }
    }

    static func timeline(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        let page = try ctx.page()
        let after = try page.after.map(cursorKey)
        let events = try ctx.read { db -> [Event] in
            let participant = try ParticipantRecord.visible(db, ctx, participantId)
            return try collect(db, participant: participant, today: ctx.today).sorted(by: Event.ordered)
        }
        let remaining = after.map { a in events.filter { ($0.at, $0.kind, $0.id) > a } } ?? events
        let (items, next) = page.paginate(Array(remaining.prefix(page.limit + 1))) { $0.key }
        return ctx.list(items.map(\.json), next: next)
    }

    /// The cursor "at|kind|id" back into its parts.
    static func cursorKey(_ text: String) throws -> (String, String, Int64) {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3, let id = Int64(parts[2]) else { throw APIError.invalid("cursor", "is not a cursor of this list") }
        return (String(parts[0]), String(parts[1]), id)
    }

    /// Every event of the participant, from every table that refers to them (the schema of
    /// migrations/0001_initial.sql), unordered.
    static func collect(_ db: Database, participant p: Row, today: Day) throws -> [Event] {
        let pid: Int64 = p["id"]
        var events: [Event] = []
        func rows(_ sql: String) throws -> [Row] { try Row.fetchAll(db, sql: sql, arguments: [pid]) }
        func add(_ at: String?, _ kind: String, _ id: Int64, _ details: [(String, JSON)]) {
            if let at { events.append(Event(at: at, kind: kind, id: id, details: details)) }
        }

        add(p["created_at"], "participant_created", pid, [("status", .string(p["status"] as String?))])
        for r in try rows("SELECT id, kind, status, identified_on, lifted_on FROM barriers WHERE participant_id = ?") {
            let d: [(String, JSON)] = [("barrier_kind", .string(r["kind"] as String?)), ("status", .string(r["status"] as String?))]
            add(r["identified_on"], "barrier_identified", r["id"], d)
            add(r["lifted_on"], "barrier_lifted", r["id"], d)
        }
        for r in try rows("SELECT id, committee_id, submitted_on, status FROM candidatures WHERE participant_id = ?") {
            add(r["submitted_on"], "candidature_submitted", r["id"],
                [("committee_id", .id(r["committee_id"])), ("status", .string(r["status"] as String?))])
        }
        for r in try rows("""
            SELECT d.id, d.committee_id, d.subject, d.outcome, d.date, d.rationale, d.alternative_proposal, d.letter_reference,
                   c.kind AS committee_kind
            FROM decisions d JOIN committees c ON c.id = d.committee_id WHERE d.participant_id = ?
            """) {
            add(r["date"], "decision", r["id"], [
                ("committee_id", .id(r["committee_id"])), ("committee_kind", .string(r["committee_kind"] as String?)),
                ("subject", .string(r["subject"] as String?)), ("outcome", .string(r["outcome"] as String?)),
                ("rationale", .string(r["rationale"] as String?)), ("alternative_proposal", .string(r["alternative_proposal"] as String?)),
                ("letter_reference", .string(r["letter_reference"] as String?)),
            ])
        }
        for r in try rows("SELECT id, signed_on, document_id FROM contracts WHERE participant_id = ?") {
            add(r["signed_on"], "contract_signed", r["id"], [("document_id", .id(r["document_id"]))])
        }
        for r in try rows("""
            SELECT id, type, operator, status, planned_start, planned_end, actual_start, actual_end, objectives_met
            FROM steps WHERE participant_id = ?
            """) {
            let d: [(String, JSON)] = [
                ("step_type", .string(r["type"] as String?)), ("operator", .string(r["operator"] as String?)),
                ("status", .string(r["status"] as String?)),
                ("planned_start", .string(r["planned_start"] as String?)), ("planned_end", .string(r["planned_end"] as String?)),
                ("actual_start", .string(r["actual_start"] as String?)), ("actual_end", .string(r["actual_end"] as String?)),
                ("objectives_met", .string(r["objectives_met"] as String?)),
            ]
            add((r["actual_start"] as String?) ?? (r["planned_start"] as String?), "step", r["id"], d)
            add(r["actual_end"], "step_ended", r["id"], d)
        }
        for r in try rows("SELECT id, referent_id, date, kind, duration_minutes, summary, attendance_signed FROM interviews WHERE participant_id = ?") {
            add(r["date"], "interview", r["id"], [
                ("interview_kind", .string(r["kind"] as String?)), ("referent_id", .id(r["referent_id"])),
                ("duration_minutes", .int((r["duration_minutes"] as Int64?).map(Int.init))),
                ("summary", .string(r["summary"] as String?)), ("attendance_signed", .bool((r["attendance_signed"] as Int64) != 0)),
            ])
        }
        for r in try rows("""
            SELECT po.id, po.job_offer_id, po.proposed_on, po.result, po.result_on, po.reason, j.title, j.employer
            FROM positionings po JOIN job_offers j ON j.id = po.job_offer_id WHERE po.participant_id = ?
            """) {
            let d: [(String, JSON)] = [
                ("job_offer_id", .id(r["job_offer_id"])), ("title", .string(r["title"] as String?)),
                ("employer", .string(r["employer"] as String?)), ("result", .string(r["result"] as String?)),
                ("reason", .string(r["reason"] as String?)),
            ]
            add(r["proposed_on"], "positioning", r["id"], d)
            add(r["result_on"], "positioning_result", r["id"], d)
        }
        for r in try rows("SELECT id, step_id, starts_on, ends_on, interrupted_on, questionnaire_date FROM follow_ups WHERE participant_id = ?") {
            let d: [(String, JSON)] = [
                ("step_id", .id(r["step_id"])), ("starts_on", .string(r["starts_on"] as String?)),
                ("ends_on", .string(r["ends_on"] as String?)), ("interrupted_on", .string(r["interrupted_on"] as String?)),
            ]
            add(r["starts_on"], "follow_up_started", r["id"], d)
            add(r["interrupted_on"], "follow_up_interrupted", r["id"], d)
            // A follow-up's end is planned from its start: it is an event once the date has passed, unless interrupted.
            if (r["interrupted_on"] as String?) == nil, let ends = (r["ends_on"] as String?).flatMap(Day.init), ends <= today {
                add(ends.description, "follow_up_ended", r["id"], d)
            }
            add(r["questionnaire_date"], "questionnaire", r["id"], [("follow_up_id", .id(r["id"]))])
        }
        for r in try rows("""
            SELECT c.id, c.follow_up_id, c.date, c.with_whom, c.kind, c.summary
            FROM follow_up_contacts c JOIN follow_ups f ON f.id = c.follow_up_id WHERE f.participant_id = ?
            """) {
            add(r["date"], "follow_up_contact", r["id"], [
                ("follow_up_id", .id(r["follow_up_id"])), ("with", .string(r["with_whom"] as String?)),
                ("contact_kind", .string(r["kind"] as String?)), ("summary", .string(r["summary"] as String?)),
            ])
        }
        for r in try rows("SELECT \(DocumentRecord.columns) FROM documents WHERE participant_id = ?") {
            add(r["created_at"], "document", r["id"], [
                ("document_kind", .string(r["kind"] as String?)), ("attests_on", .string(r["attests_on"] as String?)),
                ("filename", .string(r["filename"] as String?)), ("content_url", .string(DocumentRecord.contentURL(r["id"]))),
            ])
        }
        for r in try rows("SELECT id, type, category, date, situation, status, decision_id, decided_on, letter_reference FROM exits WHERE participant_id = ?") {
            let d: [(String, JSON)] = [
                ("exit_type", .string(r["type"] as String?)), ("category", .string(r["category"] as String?)),
                ("date", .string(r["date"] as String?)), ("situation", .string(r["situation"] as String?)),
                ("status", .string(r["status"] as String?)), ("decision_id", .id(r["decision_id"])),
                ("decided_on", .string(r["decided_on"] as String?)), ("letter_reference", .string(r["letter_reference"] as String?)),
            ]
            add(r["date"], "exit_proposed", r["id"], d)
            add(r["decided_on"], "exit_decided", r["id"], d)
        }
        return events
    }
}
