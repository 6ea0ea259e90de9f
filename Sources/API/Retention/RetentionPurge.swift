import Foundation
import Domain
import GRDB

/// "Personal data": files are kept for the FSE audit period after the exit
/// (`Settings.retentionYears`), then anonymised. What identifies the person (names, contact,
/// birth date but its year) and what is sensitive (disability, barriers' details, interview and
/// step comments, follow-up notes, questionnaire answers, exit and committee texts, documents'
/// bytes) is removed everywhere, including the audit trail's before/after copies and the
/// idempotency cache; what the statistics and the FSE export read (dates, codes, statuses,
/// operation, referent, gender, education, employment situation) stays, so the indicators of
/// past periods do not change. docs/RETENTION.md lists every column.
///
/// One transaction: the purge is all or nothing, and it appends its own audit row.
public enum RetentionPurge {
    /// The text that replaces a removed free text (it keeps NOT NULL and non-empty CHECKs true).
    public static let marker = "[anonymisé]"

    public struct Report: Sendable {
        public let dryRun: Bool
        /// Files whose last validated exit is before this day are anonymised.
        public let cutoff: Day
        public let participantIds: [Int64]

        public var json: JSON {
            .object([("dry_run", .bool(dryRun)), ("cutoff", .string(cutoff.description)), ("count", .int(participantIds.count)),
                     ("participant_ids", .array(participantIds.map { .id($0) }))])
        }
    }

    /// `parcours purge` and the server's daily task.
    public static func run(pool: DatabasePool, settings: Settings, clock: Clock, dryRun: Bool, requestId: String) throws -> Report {
        try pool.write { db in try run(db, settings: settings, today: clock.today, now: clock.timestamp(), dryRun: dryRun, requestId: requestId) }
    }

    static func run(_ db: Database, settings: Settings, today: Day, now: String, dryRun: Bool, requestId: String) throws -> Report {
        let cutoff = today.adding(months: -12 * settings.retentionYears)
        // Exited files whose last validated exit is older than the retention, and the duplicates merged into them
        // (a merged duplicate is a copy of the same person's identity).
        let due = try Int64.fetchAll(db, sql: """
            SELECT p.id FROM participants p
            WHERE p.status = 'exited' AND p.anonymised_at IS NULL AND p.merged_into IS NULL
              AND (SELECT max(x.date) FROM exits x WHERE x.participant_id = p.id AND x.status = 'validated') < ?
            ORDER BY p.id
            """, arguments: [cutoff.description])
        var ids = due
        if !due.isEmpty {
            ids += try Int64.fetchAll(db, sql: """
                SELECT id FROM participants WHERE anonymised_at IS NULL AND merged_into IN (\(marks(due.count))) ORDER BY id
                """, arguments: StatementArguments(due))
        }
        let report = Report(dryRun: dryRun, cutoff: cutoff, participantIds: ids)
        guard !dryRun, !ids.isEmpty else { return report }

        var needles: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM participants WHERE id IN (\(marks(ids.count)))", arguments: StatementArguments(ids)) {
            needles[row["id"]] = identifying(row)
        }
        for id in ids { try anonymise(db, id, now: now) }
        try scrubAuditTrail(db, ids: ids, needles: needles)
        try dropCachedResponses(db, ids: ids, needles: needles.values.flatMap { $0 })
        try Audit.append(db, at: now, principal: nil, requestId: requestId, action: "purge", entity: "retention", entityId: nil,
                         participantId: nil, before: nil,
                         after: .object([("cutoff", .string(cutoff.description)), ("retention_years", .int(settings.retentionYears)),
                                         ("participant_ids", .array(ids.map { .id($0) }))]))
        return report
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    /// The values that identify the person, to find their copies in free-form JSON.
    static func identifying(_ row: Row) -> [String] {
        var out: [String] = []
        for column in ["first_name", "last_name", "phone", "email", "address", "city", "birth_date"] {
            if let v: String = row[column], !v.trimmingCharacters(in: .whitespaces).isEmpty { out.append(v) }
        }
        if let birth: String = row["birth_date"], let d = Day(birth) {
            // As the import read it, in case a report or a note copied it that way.
            out.append(String(format: "%02d/%02d/%04d", d.day, d.month, d.year))
        }
        return out
    }

    /// The postal code's département (2 digits, 3 overseas): enough for territorial statistics, not for an address.
    static func departement(_ postalCode: String?) -> String? {
        guard let code = postalCode?.trimmingCharacters(in: .whitespaces), code.count == 5, code.allSatisfy(\.isNumber) else { return nil }
        return String(code.prefix(code.hasPrefix("97") || code.hasPrefix("98") ? 3 : 2))
    }

    /// Removes the person's identity and sensitive texts from their file and its children.
    static func anonymise(_ db: Database, _ id: Int64, now: String) throws {
        guard let p = try Row.fetchOne(db, sql: "SELECT postal_code, eligibility FROM participants WHERE id = ?", arguments: [id]) else { return }
        // Disability recognition (rqth) and RSA status are sensitive; the other criteria stay for statistics.
        let eligibility = (try? JSONParser.parse(Array((p["eligibility"] as String? ?? "[]").utf8)))?.arrayValue ?? []
        let kept = JSON.array(eligibility.filter { !["rqth", "brsa"].contains($0.stringValue ?? "") })
        try db.execute(sql: """
            UPDATE participants SET first_name = ?1, last_name = ?1, identity_key = 'anonymised:' || id,
                   birth_year = CAST(substr(birth_date, 1, 4) AS INTEGER), birth_date = NULL,
                   phone = NULL, email = NULL, address = NULL, city = NULL, postal_code = ?2, professional_goal = NULL,
                   disability = NULL, eligibility = ?3, anonymised_at = ?4, updated_at = ?4, version = version + 1
            WHERE id = ?5
            """, arguments: [marker, departement(p["postal_code"]), kept.text, now, id])
        func blank(_ table: String, _ columns: [String], where condition: String = "participant_id = ?") throws {
            let sets = columns.map { "\($0) = CASE WHEN \($0) IS NULL THEN NULL ELSE ?1 END" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE \(table) SET \(sets) WHERE \(condition.replacingOccurrences(of: "?", with: "?2"))", arguments: [marker, id])
        }
        try blank("barriers", ["detail"])
        try blank("interviews", ["summary"])
        try blank("steps", ["comment", "evaluation_comment"])
        try blank("follow_up_contacts", ["summary"], where: "follow_up_id IN (SELECT id FROM follow_ups WHERE participant_id = ?)")
        try db.execute(sql: "UPDATE follow_ups SET questionnaire_answers = CASE WHEN questionnaire_answers IS NULL THEN NULL ELSE '{}' END WHERE participant_id = ?",
                       arguments: [id])
        try blank("exits", ["situation_detail", "referent_request"])
        try blank("decisions", ["rationale", "alternative_proposal"])
        try blank("candidatures", ["notes"])
        try blank("positionings", ["reason"])
        try db.execute(sql: "DELETE FROM document_contents WHERE document_id IN (SELECT id FROM documents WHERE participant_id = ?)", arguments: [id])
        try db.execute(sql: "UPDATE documents SET filename = NULL, purged_at = ? WHERE participant_id = ?", arguments: [now, id])
    }

    /// Keys of the audit trail's copies that hold identity or sensitive text, whatever the entity.
    static let sensitiveKeys: Set<String> = [
        "first_name", "last_name", "birth_date", "phone", "email", "address", "city", "postal_code", "professional_goal", "disability",
        "summary", "detail", "comment", "situation_detail", "referent_request", "rationale", "alternative_proposal", "notes", "reason",
        "answers", "filename", "identity_key",
    ]

    /// Rewrites the before/after copies of the audit rows about these participants. The table's
    /// append-only triggers are lifted for this, inside this transaction only, and put back as they were.
    static func scrubAuditTrail(_ db: Database, ids: [Int64], needles: [Int64: [String]]) throws {
        let allNeedles = needles.values.flatMap { $0 }
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, before, after FROM audit_log
            WHERE participant_id IN (\(marks(ids.count))) OR (entity = 'participant' AND entity_id IN (\(marks(ids.count))))
            """, arguments: StatementArguments(ids + ids.map { String($0) }))
        let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        for t in triggers { try db.execute(sql: "DROP TRIGGER \(t["name"] as String)") }
        for row in rows {
            func scrubbed(_ text: String?) -> String? {
                guard let text, let value = try? JSONParser.parse(Array(text.utf8)) else { return text.map { _ in marker } }
                return scrub(value, needles: allNeedles).text
            }
            try db.execute(sql: "UPDATE audit_log SET before = ?, after = ? WHERE id = ?",
                           arguments: [scrubbed(row["before"]), scrubbed(row["after"]), row["id"] as Int64])
        }
        for t in triggers { try db.execute(sql: t["sql"] as String) }
    }

    /// A JSON copy with sensitive keys and any string holding an identifying value replaced.
    static func scrub(_ value: JSON, needles: [String]) -> JSON {
        switch value {
        case .object(let fields):
            return .object(fields.map { key, v in
                if key == "eligibility", let list = v.arrayValue {
                    return (key, .array(list.filter { !["rqth", "brsa"].contains($0.stringValue ?? "") }))
                }
                if sensitiveKeys.contains(key) {
                    if case .null = v { return (key, .null) }
                    if case .bool = v { return (key, .null) }
                    return (key, .string(marker))
                }
                return (key, scrub(v, needles: needles))
            })
        case .array(let items):
            return .array(items.map { scrub($0, needles: needles) })
        case .string(let s):
            return matches(s, needles) ? .string(marker) : value
        default:
            return value
        }
    }

    /// Whether a text holds one of the values: contained (case folded) for values of 3 characters
    /// or more, equal for shorter ones (a first name "Jo" must not blank every "joined").
    static func matches(_ text: String, _ needles: [String]) -> Bool {
        let lowered = text.lowercased()
        return needles.contains { n in
            let l = n.lowercased()
            return l.count >= 3 ? lowered.contains(l) : lowered == l
        }
    }

    /// Stored responses of retried POSTs may copy the person's data: those about them are dropped
    /// (the cache only serves retries; a retry after this simply runs again).
    static func dropCachedResponses(_ db: Database, ids: [Int64], needles: [String]) throws {
        for id in ids {
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE path = ? OR path LIKE ?",
                           arguments: ["/v1/participants/\(id)", "/v1/participants/\(id)/%"])
        }
        for needle in Set(needles) where needle.count >= 3 {
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE instr(lower(CAST(body AS TEXT)), lower(?)) > 0", arguments: [needle])
        }
    }
}
