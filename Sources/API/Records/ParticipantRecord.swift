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
    /// What the access rule and the lifecycle read, for routes that need nothing else of the participant.
    static let accessSQL = """
        SELECT p.referent_id, r.structure_id AS structure_id, p.merged_into, p.status, p.status_before_exit
        FROM participants p JOIN referents r ON r.id = p.referent_id WHERE p.id = ?
        """
    /// The columns the access rule, the ETag and the current exit read in rows of `selectSQL`.
    /// (`accessSQL`'s rows are read by position: referent, structure, merged into, status, status before exit.)
    private static let keyColumns = ColumnPositions(["referent_id", "structure_id", "merged_into", "id", "version", "status"])

    /// `GET /v1/participants/{id}`'s statement, read by position (`ValueRows`): the renderer's
    /// columns in its order, then the two the access rule and the ETag add.
    static let showSQL = """
        SELECT \(renderer.columns.map { $0 == "structure_id" ? "r.structure_id" : "p.\($0)" }.joined(separator: ", ")), p.merged_into, p.version
        FROM participants p JOIN referents r ON r.id = p.referent_id WHERE p.id = ?
        """
    /// Where `showSQL`'s rows hold what the access rule, the ETag and the current exit read.
    private static let shown = (
        referent: renderer.columns.firstIndex(of: "referent_id")!, structure: renderer.columns.firstIndex(of: "structure_id")!,
        merged: renderer.columns.count, id: renderer.columns.firstIndex(of: "id")!, version: renderer.columns.count + 1,
        status: renderer.columns.firstIndex(of: "status")!)

    /// The participant as `GET /v1/participants/{id}` shows it (with its current exit) and its
    /// ETag, if the caller may see it, else 404: `full(_:_:)` of `visible(_:_:_:)`, without
    /// GRDB's `Row` (the hottest route).
    static func shown(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> (json: JSON, etag: String) {
        guard let values = try ValueRows.fetchOne(db.cachedStatement(sql: showSQL), arguments: [id]) else {
            throw APIError.notFound("Participant \(id)")
        }
        try checkAccess([values[shown.referent], values[shown.structure], values[shown.merged]], ctx, id)
        guard let rowId = Int64.fromDatabaseValue(values[shown.id]), let version = Int64.fromDatabaseValue(values[shown.version]) else {
            preconditionFailure("a participant row without id or version")
        }
        let exit = try currentExit(db, id: rowId, status: String.fromDatabaseValue(values[shown.status]))
        return (renderer.render(values: values, given: exit), etag("p", rowId, version))
    }

    /// The participant if the caller may see it, else 404.
    static func visible(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: selectSQL), arguments: [id]) else {
            throw APIError.notFound("Participant \(id)")
        }
        try checkAccess(keyColumns.values(in: row), ctx, id)
        return row
    }

    /// Throws unless the caller may see the participant (404 otherwise, 410 for a file merged
    /// into another), reading only what the rule needs.
    static func checkVisible(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws {
        _ = try access(db, ctx, id)
    }

    /// The referent and lifecycle state of a participant the caller may see and write to (an
    /// auditor may not), for routes that record something on the file and need nothing else.
    static func writableState(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> (referentId: Int64, state: LifecycleState) {
        let values = try access(db, ctx, id)
        try ctx.policy.requireWrite()
        let state = LifecycleState(status: String.fromDatabaseValue(values[3]).flatMap(ParticipantStatus.init(rawValue:)) ?? .candidate,
                                   statusBeforeExit: String.fromDatabaseValue(values[4]).flatMap(ParticipantStatus.init(rawValue:)))
        return (Int64.fromDatabaseValue(values[0]) ?? 0, state)
    }

    private static func access(_ db: Database, _ ctx: RequestContext, _ id: Int64) throws -> [DatabaseValue] {
        guard let values = try ValueRows.fetchOne(db.cachedStatement(sql: accessSQL), arguments: [id]) else {
            throw APIError.notFound("Participant \(id)")
        }
        try checkAccess(values, ctx, id)
        return values
    }

    /// `values`: referent, structure, merged into (then anything).
    private static func checkAccess(_ values: [DatabaseValue], _ ctx: RequestContext, _ id: Int64) throws {
        guard let referent = Int64.fromDatabaseValue(values[0]), let structure = Int64.fromDatabaseValue(values[1]),
              ctx.policy.canSee(participantReferent: referent, structure: structure) else {
            throw APIError.notFound("Participant \(id)")
        }
        if let kept = Int64.fromDatabaseValue(values[2]) {
            // The file was merged into another one: say where it went (the routes of its children follow).
            throw APIError(410, "participant-merged", "Merged", "Participant \(id) was merged into participant \(kept).",
                           extra: [("merged_into", .string(String(kept)))], headers: [("Location", "/v1/participants/\(kept)")])
        }
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

    static func etagOf(_ row: Row) -> String {
        let values = keyColumns.values(in: row)
        // A row without its id or version would give every participant the same ETag, and
        // If-Match would stop guarding against lost updates: a bug in the caller's SELECT.
        guard let id = Int64.fromDatabaseValue(values[3]), let version = Int64.fromDatabaseValue(values[4]) else {
            preconditionFailure("a participant row without id or version")
        }
        return etag("p", id, version)
    }

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

    /// The participant as API.md names its fields, in this order.
    static let renderer = RowRenderer([
        ("id", .id), ("first_name", .text), ("last_name", .text), ("birth_date", .text), ("gender", .text),
        ("phone", .text), ("email", .text), ("address", .text), ("postal_code", .text), ("city", .text),
        ("referent_id", .id), ("structure_id", .id), ("operation_id", .id), ("prescriber", .text), ("eligibility", .jsonArray),
        ("employment_situation", .text), ("education_level", .text),
        ("disability", .flag), ("third_country_national", .flag), ("foreign_background", .flag), ("minority", .flag),
        ("housing_exclusion", .flag), ("rural_area", .flag),
        ("professional_goal", .text), ("status", .text), ("admitted_on", .text), ("entry_date", .text), ("exit", .given),
        ("created_at", .text), ("updated_at", .text),
    ])

    /// The participant as API.md names its fields. `exit` is the current or last exit when there is one.
    static func render(_ row: Row, exit: JSON = .null) -> JSON { renderer.render(row, given: exit) }

    /// The exit to show on the participant: the pending proposal or the last validated one.
    static func currentExit(_ db: Database, _ row: Row) throws -> JSON {
        let values = keyColumns.values(in: row)
        guard let id = Int64.fromDatabaseValue(values[3]) else { return .null }
        return try currentExit(db, id: id, status: String.fromDatabaseValue(values[5]))
    }

    /// The same, for participant `id` whose status is `status`.
    static func currentExit(_ db: Database, id: Int64, status: String?) throws -> JSON {
        guard status == ParticipantStatus.exitProposed.rawValue || status == ParticipantStatus.exited.rawValue else { return .null }
        guard let e = try Row.fetchOne(db.cachedStatement(sql:
            "SELECT id, type, category, date, situation, status FROM exits WHERE participant_id = ? AND status IN ('proposed', 'validated') ORDER BY id DESC LIMIT 1"),
            arguments: [id]) else { return .null }
        return .object([("id", .id(e["id"])), ("type", .string(e["type"] as String)), ("category", .string(e["category"] as String)),
                        ("date", .string(e["date"] as String)), ("situation", .string(e["situation"] as String)),
                        ("status", .string(e["status"] as String))])
    }

    static func full(_ db: Database, _ row: Row) throws -> JSON { render(row, exit: try currentExit(db, row)) }
}
