import GRDB

/// The demo's INSERTs, prepared once per transaction and bound row after row: the generator
/// writes straight through SQL (no routes, no per-row audit) so that 100,000 participants and
/// their two million interviews take seconds, not hours.
final class DemoWriter {
    /// One prepared INSERT.
    struct Insert {
        let statement: Statement
        let db: Database

        /// Inserts one row; returns its rowid.
        @discardableResult
        func run(_ values: [(any DatabaseValueConvertible)?]) throws -> Int64 {
            statement.setUncheckedArguments(StatementArguments(values))
            try statement.execute()
            return db.lastInsertedRowID
        }
    }

    let participant, barrier, candidature, decision, contract, step, interview, positioning: Insert
    let followUp, contact, document, documentContent, exit, exitDocument: Insert

    init(_ db: Database) throws {
        func prepare(_ table: String, _ columns: String) throws -> Insert {
            let count = columns.split(separator: ",").count
            let marks = Array(repeating: "?", count: count).joined(separator: ", ")
            return Insert(statement: try db.makeStatement(sql: "INSERT INTO \(table) (\(columns)) VALUES (\(marks))"), db: db)
        }
        participant = try prepare("participants", """
            first_name, last_name, birth_date, identity_key, gender, phone, email, address, postal_code, city, referent_id, \
            operation_id, prescriber, eligibility, employment_situation, education_level, disability, third_country_national, \
            foreign_background, minority, housing_exclusion, rural_area, professional_goal, status, status_before_exit, \
            admitted_on, entry_date, exit_date, exit_type, created_at, updated_at
            """)
        barrier = try prepare("barriers", "participant_id, kind, detail, status, identified_on, lifted_on, created_at, updated_at")
        candidature = try prepare("candidatures", "participant_id, committee_id, submitted_on, notes, status, decision_id, created_at")
        decision = try prepare("decisions", """
            committee_id, participant_id, subject, outcome, date, rationale, alternative_proposal, letter_reference, created_at
            """)
        contract = try prepare("contracts", "participant_id, signed_on, created_at")
        step = try prepare("steps", """
            participant_id, type, operator, planned_start, planned_end, actual_start, actual_end, status, objectives_met, \
            evaluation_comment, created_at, updated_at
            """)
        interview = try prepare("interviews", """
            participant_id, referent_id, date, kind, duration_minutes, summary, attendance_signed, created_at
            """)
        positioning = try prepare("positionings", """
            participant_id, job_offer_id, proposed_on, result, result_on, reason, created_at, updated_at
            """)
        followUp = try prepare("follow_ups", """
            participant_id, step_id, starts_on, ends_on, questionnaire_date, questionnaire_answers, created_at, updated_at
            """)
        contact = try prepare("follow_up_contacts", "follow_up_id, date, with_whom, kind, summary, created_at")
        document = try prepare("documents", "participant_id, kind, attests_on, content_type, filename, size, sha256, created_at")
        documentContent = try prepare("document_contents", "document_id, bytes")
        exit = try prepare("exits", """
            participant_id, type, category, date, situation, situation_detail, referent_request, status, previous_status, \
            entry_date, decision_id, decided_on, letter_reference, six_month_in_employment, six_month_improved, created_at, updated_at
            """)
        exitDocument = try prepare("exit_documents", "exit_id, document_id")
    }
}
