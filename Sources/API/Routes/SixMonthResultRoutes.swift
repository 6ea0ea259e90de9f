import Domain
import GRDB
import HTTPServer

/// `POST /v1/participants/{id}/six-month-result`: the ESF+ result "six months after leaving"
/// (in employment, improved labour-market situation), recorded on the participant's validated
/// exit, so the FSE export shows it.
enum SixMonthResultRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants/:id/six-month-result", record)
    }

    static func render(_ exit: Row, date: Day?) -> JSON {
        .object([
            ("exit_id", .id(exit["id"])),
            ("participant_id", .id(exit["participant_id"])),
            ("exit_date", .string(exit["date"] as String?)),
            ("in_employment", ParticipantRecord.flag(exit, "six_month_in_employment")),
            ("improved_situation", ParticipantRecord.flag(exit, "six_month_improved")),
            ("date", .string(date?.description)),
        ])
    }

    static func record(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Participant")
        return try ctx.write { db in
            _ = try ParticipantRecord.writable(db, ctx, id)
            var input = try ctx.input()
            let inEmployment = input.bool("in_employment", required: true)
            let improved = input.bool("improved_situation", required: true)
            let date = input.day("date", required: true)
            if let date, date > ctx.today { input.fail("date", "cannot be in the future") }
            try input.finish()
            guard let inEmployment, let improved, let date else { throw APIError.invalid("date", "is required") }
            guard let exit = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM exits WHERE participant_id = ? AND status = 'validated' ORDER BY date DESC, id DESC LIMIT 1
                """), arguments: [id]) else {
                throw APIError.conflict("no-validated-exit",
                    "Participant \(id) has no validated exit: the result six months after leaving is recorded once the comité de suivi has validated the exit.")
            }
            let exitId: Int64 = exit["id"]
            let exitDate = Day(exit["date"] as String) ?? date
            let earliest = FSE.sixMonthResultEarliest(exitDate: exitDate, settings: ctx.settings)
            if date < earliest {
                throw APIError.invalid("date", "is too early: the result six months after the exit of \(exitDate) may be recorded from \(earliest)")
            }
            try db.cachedStatement(sql: """
                UPDATE exits SET six_month_in_employment = ?, six_month_improved = ?, updated_at = ?, version = version + 1 WHERE id = ?
                """).execute(arguments: [inEmployment ? 1 : 0, improved ? 1 : 0, ctx.timestamp(), exitId])
            guard let updated = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM exits WHERE id = ?"), arguments: [exitId]) else {
                throw APIError.notFound("Exit \(exitId)")
            }
            // The observation date is kept in the audit trail (the schema has no column for it).
            let before = render(exit, date: nil)
            let after = render(updated, date: date)
            try ctx.audit(db, "six_month_result", "exit", exitId, participant: id, before: before, after: after)
            return ctx.json(200, after, etag: etag("x", exitId, updated["version"]))
        }
    }
}
