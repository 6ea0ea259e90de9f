import Domain
import GRDB

/// The one SQL statement of the FSE export: one row per participant (a participant belongs to
/// one operation) whose entry date or validated exit date falls in the period.
///
/// The exit shown is the latest validated exit closing the current pathway (on or after the
/// entry date), so a person who left and entered again is described by their current pathway.
/// Candidates come from the two dated indexes (`participants_entry`, `exits_validated`) as an
/// IN list of ids, so the cost follows the period, not the size of the base, and SQLite walks
/// the sorted list by rowid: `ORDER BY p.id` needs no sort of whole rows (only the ids are held).
/// The qualification fact is an EXISTS on `steps_participant`. A file merged into another is left
/// out: its history moved to the kept file, which is counted once.
enum FSEExportQuery {
    static let sql = """
        SELECT p.id, p.operation_id, o.name AS operation_name, p.entry_date, p.birth_date, p.gender,
               p.employment_situation, p.education_level, p.disability, p.third_country_national,
               p.foreign_background, p.minority, p.housing_exclusion, p.rural_area,
               e.date AS exit_date, e.type AS exit_type, e.category AS exit_category, e.situation AS exit_situation,
               e.six_month_in_employment, e.six_month_improved,
               CASE WHEN e.id IS NULL THEN NULL ELSE EXISTS (
                   SELECT 1 FROM steps s
                   WHERE s.participant_id = p.id AND s.type = :qualificationStep AND s.status = 'completed'
                     AND s.objectives_met = :qualificationObjectives AND s.actual_end <= e.date
               ) END AS gained_qualification
        FROM participants p
        LEFT JOIN operations o ON o.id = p.operation_id
        LEFT JOIN exits e ON e.id = (
            SELECT x.id FROM exits x
            WHERE x.participant_id = p.id AND x.status = 'validated' AND (p.entry_date IS NULL OR x.date >= p.entry_date)
            ORDER BY x.date DESC, x.id DESC LIMIT 1
        )
        WHERE p.id IN (
            SELECT id FROM participants WHERE entry_date BETWEEN :from AND :to
            UNION
            SELECT participant_id FROM exits WHERE status = 'validated' AND date BETWEEN :from AND :to
        )
          AND (p.entry_date BETWEEN :from AND :to OR e.date BETWEEN :from AND :to)
          AND p.merged_into IS NULL
          AND (:operation IS NULL OR p.operation_id = :operation)
        ORDER BY p.id
        """

    static func arguments(from: Day, to: Day, operationId: Int64?) -> StatementArguments {
        [
            "from": from.description, "to": to.description, "operation": operationId,
            "qualificationStep": FSE.qualificationStep.rawValue,
            "qualificationObjectives": FSE.qualificationObjectives.rawValue,
        ]
    }

    /// The rows, read lazily: the cursor holds one row at a time.
    static func cursor(_ db: Database, from: Day, to: Day, operationId: Int64?) throws -> RowCursor {
        try Row.fetchCursor(db, sql: sql, arguments: arguments(from: from, to: to, operationId: operationId))
    }
}
