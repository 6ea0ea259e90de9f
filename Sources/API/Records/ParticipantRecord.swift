import Domain
import GRDB

/// Loading, rendering and moving a participant: what every route about a participant shares.
///
/// Every route that touches a participant's data goes through `visible(_:_:_:)`, so the access
/// rule (a referent's caseload, a structure's participants) is checked in one place, and someone
/// else's participant is a 404.
enum ParticipantRecord {
    static let selectSQL = """
        SELECT p.*, r.structure_id AS structure_id FROM participants p JOIN referents r ON r.id = p.referent_id WHERE p.id = ?
        """

    /// The participant if the caller may see it, else 404.
    static func visible(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: selectSQL), arguments: [id]),
              ctx.policy.canSee(participantReferent: row["referent_id"], structure: row["structure_id"]) else {
            throw APIError.notFound("Participant \(id)")
        }
        if let kept: Int64 = row["merged_into"] {
            // The file was merged into another one: say where it went (the routes of its children follow).
            throw APIError(410, "participant-merged", "Merged", "Participant \(id) was merged into participant \(kept).",
                           extra: [("merged_into", .string(String(kept)))], headers: [("Location", "/v1/participants/\(kept)")])
        }
        return row
    }

    /// The participant if the caller may see it and write to it (an auditor may not).
    static func writable(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> Row {
        let row = try visible(db, ctx, id)
        try ctx.policy.requireWrite()
        return row
    }

    static func state(_ row: Row) -> LifecycleState {
        LifecycleState(status: ParticipantStatus(rawValue: row["status"]) ?? .candidate,
                       statusBeforeExit: (row["status_before_exit"] as String?).flatMap(ParticipantStatus.init(rawValue:)))
    }

    static func etagOf(_ row: Row) -> String { etag("p", row["id"], row["version"]) }

    /// Applies a lifecycle event (or refuses it with the rule), updates the row and audits the move.
    @discardableResult
    static func move(_ db: Database, _ ctx: RequestContext, _ row: Row, _ event: LifecycleEvent,
                     extra: [(column: String, value: DatabaseValueConvertible?)] = [], reason: String) throws -> LifecycleState {
        let id: Int64 = row["id"]
        let before = state(row)
        let after = try Lifecycle.apply(event, to: before)
        var sets = ["status = ?", "status_before_exit = ?", "updated_at = ?", "version = version + 1"]
        var args: [DatabaseValueConvertible?] = [after.status.rawValue, after.statusBeforeExit?.rawValue, ctx.timestamp()]
        for (column, value) in extra { sets.append("\(column) = ?"); args.append(value) }
        args.append(id)
        try db.execute(sql: "UPDATE participants SET \(sets.joined(separator: ", ")) WHERE id = ?", arguments: StatementArguments(args))
        var afterFields: [(String, JSON)] = [("status", .string(after.status.rawValue)), ("status_before_exit", .string(after.statusBeforeExit?.rawValue))]
        for (column, value) in extra { afterFields.append((column, jsonOf(value))) }
        try ctx.audit(db, "status:" + reason, "participant", id, participant: id,
                      before: .object([("status", .string(before.status.rawValue)), ("status_before_exit", .string(before.statusBeforeExit?.rawValue))]),
                      after: .object(afterFields))
        return after
    }

    static func jsonOf(_ value: DatabaseValueConvertible?) -> JSON {
        guard let value else { return .null }
        switch value.databaseValue.storage {
        case .null: return .null
        case .int64(let i): return .int(Int(i))
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .blob: return .string("<bytes>")
        }
    }

    static func flag(_ row: Row, _ column: String) -> JSON {
        guard let v: Int64 = row[column] else { return .null }
        return .bool(v != 0)
    }

    /// The participant as API.md names its fields. `exit` is the current or last exit when there is one.
    static func render(_ row: Row, exit: JSON = .null) -> JSON {
        let eligibility = (try? JSONParser.parse(Array((row["eligibility"] as String? ?? "[]").utf8))) ?? .array([])
        return .object([
            ("id", .id(row["id"])),
            ("first_name", .string(row["first_name"] as String?)),
            ("last_name", .string(row["last_name"] as String?)),
            ("birth_date", .string(row["birth_date"] as String?)),
            ("gender", .string(row["gender"] as String?)),
            ("phone", .string(row["phone"] as String?)),
            ("email", .string(row["email"] as String?)),
            ("address", .string(row["address"] as String?)),
            ("postal_code", .string(row["postal_code"] as String?)),
            ("city", .string(row["city"] as String?)),
            ("referent_id", .id(row["referent_id"])),
            ("structure_id", .id(row["structure_id"])),
            ("operation_id", .id(row["operation_id"])),
            ("prescriber", .string(row["prescriber"] as String?)),
            ("eligibility", eligibility),
            ("employment_situation", .string(row["employment_situation"] as String?)),
            ("education_level", .string(row["education_level"] as String?)),
            ("disability", flag(row, "disability")),
            ("third_country_national", flag(row, "third_country_national")),
            ("foreign_background", flag(row, "foreign_background")),
            ("minority", flag(row, "minority")),
            ("housing_exclusion", flag(row, "housing_exclusion")),
            ("rural_area", flag(row, "rural_area")),
            ("professional_goal", .string(row["professional_goal"] as String?)),
            ("status", .string(row["status"] as String?)),
            ("admitted_on", .string(row["admitted_on"] as String?)),
            ("entry_date", .string(row["entry_date"] as String?)),
            ("exit", exit),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }

    /// The exit to show on the participant: the pending proposal or the last validated one.
    static func currentExit(_ db: Database, _ row: Row) throws -> JSON {
        let status: String = row["status"]
        guard status == ParticipantStatus.exitProposed.rawValue || status == ParticipantStatus.exited.rawValue else { return .null }
        guard let e = try Row.fetchOne(db.cachedStatement(sql:
            "SELECT id, type, category, date, situation, status FROM exits WHERE participant_id = ? AND status IN ('proposed', 'validated') ORDER BY id DESC LIMIT 1"),
            arguments: [row["id"] as Int64]) else { return .null }
        return .object([("id", .id(e["id"])), ("type", .string(e["type"] as String)), ("category", .string(e["category"] as String)),
                        ("date", .string(e["date"] as String)), ("situation", .string(e["situation"] as String)),
                        ("status", .string(e["status"] as String))])
    }

    static func full(_ db: Database, _ row: Row) throws -> JSON { render(row, exit: try currentExit(db, row)) }
}
