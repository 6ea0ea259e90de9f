import Domain
import GRDB

/// The follow-up of rule 7 as rows: opened by a step that starts, interrupted by its abandonment,
/// read by the follow-up routes. Kept here so the steps routes and the follow-up routes share one
/// definition of "the follow-up in progress".
enum FollowUpRecord {
    /// The participant's latest follow-up (the current one), if any.
    static func latest(_ db: Database, participant: Int64) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM follow_ups WHERE participant_id = ? ORDER BY id DESC LIMIT 1"),
                         arguments: [participant])
    }

    static func status(_ row: Row, today: Day) -> String {
        FollowUp.status(endsOn: Day(row["ends_on"] as String) ?? today, interrupted: (row["interrupted_on"] as String?) != nil, today: today)
    }

    static func etagOf(_ row: Row) -> String { etag("f", row["id"], row["version"]) }

    /// Rule 7: a step that opens a follow-up has started. Opens one (and moves the participant to
    /// in_follow_up) unless one is already in progress; refuses, through the lifecycle, a participant
    /// who has not entered.
    static func stepStarted(_ db: Database, _ ctx: RequestContext, participant: Row, stepId: Int64, start: Day) throws {
        let participantId: Int64 = participant["id"]
        let state = ParticipantRecord.state(participant)
        // Checked before anything is written, so a candidate's job start is a 409 that changes nothing.
        _ = try Lifecycle.apply(.followUpOpened, to: state)
        if let current = try latest(db, participant: participantId), status(current, today: ctx.today) == "in_progress" { return }
        let now = ctx.timestamp()
        let ends = FollowUp.endDate(starting: start, settings: ctx.settings)
        try db.cachedStatement(sql: """
            INSERT INTO follow_ups (participant_id, step_id, starts_on, ends_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [participantId, stepId, start.description, ends.description, now, now])
        let id = db.lastInsertedRowID
        try ctx.audit(db, "open", "follow_up", id, participant: participantId,
                      after: .object([("step_id", .id(stepId)), ("starts_on", .string(start.description)), ("ends_on", .string(ends.description))]))
        // A job recorded late whose follow-up already ran its course is history: the participant does not move.
        guard ends > ctx.today else { return }
        try ParticipantRecord.move(db, ctx, participant, .followUpOpened, reason: "follow_up_opened")
    }

    /// Rule 7: the step that opened a follow-up in progress was abandoned: the follow-up is
    /// interrupted on the step's end and the participant returns to active.
    static func stepAbandoned(_ db: Database, _ ctx: RequestContext, participant: Row, stepId: Int64, end: Day) throws {
        let participantId: Int64 = participant["id"]
        guard let f = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM follow_ups WHERE participant_id = ? AND step_id = ? AND interrupted_on IS NULL ORDER BY id DESC LIMIT 1
            """), arguments: [participantId, stepId]),
              let ends = Day(f["ends_on"] as String), end < ends else { return }
        try interrupt(db, ctx, f["id"], participant: participantId, on: end, why: ("step_id", .id(stepId)))
        try ParticipantRecord.move(db, ctx, participant, .followUpInterrupted, reason: "follow_up_interrupted")
    }

    /// Rule 8: a validated exit ends the pathway, and the PLIE's follow-up with it. A follow-up still
    /// running on the exit date is interrupted on that date (never before its own start), so that a
    /// later pathway opens a follow-up of its own instead of finding this one "in progress".
    static func exitValidated(_ db: Database, _ ctx: RequestContext, participant participantId: Int64, exitDate: Day) throws {
        let running = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, starts_on FROM follow_ups WHERE participant_id = ? AND interrupted_on IS NULL AND ends_on > ?
            """), arguments: [participantId, exitDate.description])
        for f in running {
            let day = max(exitDate, Day(f["starts_on"] as String) ?? exitDate)
            try interrupt(db, ctx, f["id"], participant: participantId, on: day, why: ("reason", .string("exit_validated")))
        }
    }

    /// Interrupts follow-up `id` on `day`, audited with what caused it (`why`, in the audit's `after`).
    private static func interrupt(_ db: Database, _ ctx: RequestContext, _ id: Int64, participant: Int64, on day: Day, why: (String, JSON)) throws {
        try db.execute(sql: "UPDATE follow_ups SET interrupted_on = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                       arguments: [day.description, ctx.timestamp(), id])
        try ctx.audit(db, "interrupt", "follow_up", id, participant: participant,
                      before: .object([("interrupted_on", .null)]), after: .object([("interrupted_on", .string(day.description)), why]))
    }
}
