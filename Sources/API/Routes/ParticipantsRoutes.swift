import Domain
import GRDB
import HTTPServer

/// `POST/GET /v1/participants`, `GET/PATCH /v1/participants/{id}`.
enum ParticipantsRoutes {
    static func register(on router: Router) {
        router.post("/v1/participants", create)
        router.get("/v1/participants", list)
        router.get("/v1/participants/:id", show)
        router.patch("/v1/participants/:id", update)
    }

    /// The fields a caller may write, with their validation. `creating` makes identity fields required.
    struct Fields {
        var columns: [(String, DatabaseValueConvertible?)] = []
        var referentId: Int64??
        var operationId: Int64??
    }

    static let flagColumns = ["disability", "third_country_national", "foreign_background", "minority", "housing_exclusion", "rural_area"]

    static func readFields(_ input: inout Input, creating: Bool, today: Day) -> Fields {
        var f = Fields()
        func text(_ key: String, required: Bool = false, max: Int = 200) {
            guard creating || input.has(key) else { return }
            let v = input.string(key, required: required, maxLength: max)
            f.columns.append((key, v))
        }
        text("first_name", required: true)
        text("last_name", required: true)
        if creating || input.has("birth_date") {
            let d = input.day("birth_date", required: true)
            if let d {
                if d > today { input.fail("birth_date", "cannot be in the future") }
                else if d.year < 1900 { input.fail("birth_date", "is not plausible") }
            }
            f.columns.append(("birth_date", d?.description))
        }
        if creating || input.has("gender") { f.columns.append(("gender", input.code("gender", Gender.self)?.rawValue)) }
        if creating || input.has("phone") {
            let v = input.string("phone", maxLength: 40)
            if let v, !v.allSatisfy({ $0.isNumber || " +-.()".contains($0) }) { input.fail("phone", "may hold digits, spaces and + - . ( ) only") }
            f.columns.append(("phone", v))
        }
        if creating || input.has("email") {
            f.columns.append(("email", input.email("email")))
        }
        text("address", max: 500)
        text("postal_code", max: 10)
        text("city", max: 120)
        text("professional_goal", max: 2000)
        if creating || input.has("prescriber") { f.columns.append(("prescriber", input.code("prescriber", Prescriber.self)?.rawValue)) }
        if creating || input.has("eligibility") {
            let codes = input.codes("eligibility", Eligibility.self) ?? []
            f.columns.append(("eligibility", JSON.array(codes.map { .string($0.rawValue) }).text))
        }
        if creating || input.has("employment_situation") {
            f.columns.append(("employment_situation", input.code("employment_situation", EmploymentSituation.self)?.rawValue))
        }
        if creating || input.has("education_level") {
            f.columns.append(("education_level", input.code("education_level", EducationLevel.self)?.rawValue))
        }
        for flag in flagColumns where creating || input.has(flag) {
            f.columns.append((flag, input.bool(flag).map { $0 ? 1 : 0 }))
        }
        if creating || input.has("referent_id") { f.referentId = .some(input.id("referent_id")) }
        if creating || input.has("operation_id") { f.operationId = .some(input.id("operation_id")) }
        for readOnly in ["id", "status", "entry_date", "exit", "admitted_on", "structure_id", "created_at", "updated_at"] where input.has(readOnly) {
            input.accept(readOnly)
            input.fail(readOnly, "is read-only: it follows from the lifecycle")
        }
        return f
    }

    /// Rule 10: an existing file with the same folded names and birth date, unless the caller confirms.
    static func checkDuplicate(_ db: Database, key: String, excluding id: Int64?) throws {
        guard let other = try Row.fetchOne(db.cachedStatement(sql:
            "SELECT id, referent_id FROM participants WHERE identity_key = ? AND id IS NOT ? AND anonymised_at IS NULL AND merged_into IS NULL ORDER BY id LIMIT 1"),
            arguments: [key, id]) else { return }
        let otherId: Int64 = other["id"]
        throw APIError(409, "rule-10-duplicate-person", "Forbidden by rule 10",
                       "A file already exists for this person (same last name, first name and birth date, accents and case folded): participant \(otherId).",
                       extra: [("rule", .int(10)), ("code", .string("duplicate_person")), ("existing_id", .string(String(otherId))),
                               ("existing_referent_id", .id(other["referent_id"])),
                               ("remedy", .string("Use the existing file, or send \"confirmed_different_person\": true if this is another person."))])
    }

    /// Checks the referent (exists, active, allowed for the caller) and the operation.
    static func checkLinks(_ db: Database, _ ctx: RequestContext, referentId: Int64?, operationId: Int64?, input: inout Input) throws {
        if let referentId {
            if let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT structure_id, active FROM referents WHERE id = ?"), arguments: [referentId]) {
                if (r["active"] as Int64) == 0 { input.fail("referent_id", "this referent is no longer active") }
                let p = ctx.policy.principal
                if p.role == .referent, p.referentId != referentId {
                    throw APIError.forbidden("A referent creates participants in their own caseload only.")
                }
                if p.role == .structureManager, p.structureId != (r["structure_id"] as Int64) {
                    throw APIError.forbidden("A structure manager assigns participants to their structure's referents only.")
                }
            } else {
                input.fail("referent_id", "no referent has this id")
            }
        }
        if let operationId, try !db.exists("operations", id: operationId) {
            input.fail("operation_id", "no operation has this id")
        }
    }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.requireWrite()
        var input = try ctx.input()
        var fields = readFields(&input, creating: true, today: ctx.today)
        let confirmed = input.bool("confirmed_different_person") ?? false
        let principal = ctx.policy.principal
        var referentId = fields.referentId ?? nil
        if referentId == nil {
            if principal.role == .referent { referentId = principal.referentId } else { input.fail("referent_id", "is required") }
        }
        return try ctx.write { db in
            try checkLinks(db, ctx, referentId: referentId, operationId: fields.operationId ?? nil, input: &input)
            try input.finish()
            let value = { (k: String) in fields.columns.first { $0.0 == k }?.1 ?? nil }
            let key = Names.identityKey(lastName: value("last_name") as? String ?? "", firstName: value("first_name") as? String ?? "",
                                        birthDate: (value("birth_date") as? String).flatMap(Day.init))
            if !confirmed { try checkDuplicate(db, key: key, excluding: nil) }
            let id = try insert(db, ctx, &fields, identityKey: key, referentId: referentId)
            let row = try ParticipantRecord.visible(db, ctx, id)
            let body = ParticipantRecord.render(row)
            try ctx.audit(db, "create", "participant", id, participant: id, after: body)
            if confirmed { try DistinctPersons.confirmedAgainstSameIdentity(db, ctx, id, key: key) }
            return ctx.json(201, body, etag: ParticipantRecord.etagOf(row), location: "/v1/participants/\(id)")
        }
    }

    /// Inserts a validated candidate (the fields of `readFields(creating: true)`); returns its id.
    /// Shared with the bulk import, which audits after adding the history.
    static func insert(_ db: Database, _ ctx: RequestContext, _ fields: inout Fields, identityKey key: String, referentId: Int64?) throws -> Int64 {
        let now = ctx.timestamp()
        fields.columns += [("identity_key", key), ("referent_id", referentId), ("operation_id", fields.operationId ?? nil),
                           ("status", ParticipantStatus.candidate.rawValue), ("created_at", now), ("updated_at", now)]
        // The same column list for every create, so the statement is prepared once (bulk imports).
        try db.cachedStatement(sql: "INSERT INTO participants (\(fields.columns.map(\.0).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: fields.columns.count).joined(separator: ", ")))")
            .execute(arguments: StatementArguments(fields.columns.map(\.1)))
        return db.lastInsertedRowID
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Participant")
        return try ctx.read { db in
            let (json, etag) = try ParticipantRecord.shown(db, ctx, id)
            return ctx.json(200, json, etag: etag)
        }
    }

    static func update(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Participant")
        var input = try ctx.input()
        let fields = readFields(&input, creating: false, today: ctx.today)
        let confirmed = input.bool("confirmed_different_person") ?? false
        return try ctx.write { db in
            let before = try ParticipantRecord.writable(db, ctx, id)
            try ctx.checkIfMatch(ParticipantRecord.etagOf(before))
            var columns = fields.columns
            var action = "update"
            if case .some(let newReferent) = fields.referentId {
                guard let newReferent else { throw APIError.invalid("referent_id", "a participant always has a referent") }
                if newReferent != (before["referent_id"] as Int64) {
                    // Reassignment is the coordination team's act (API.md), and it is audited as such.
                    try ctx.policy.requireProgramme("Reassigning a participant to another referent")
                    action = "reassign"
                }
                columns.append(("referent_id", newReferent))
            }
            if case .some(let op) = fields.operationId { columns.append(("operation_id", op)) }
            try checkLinks(db, ctx, referentId: action == "reassign" ? (fields.referentId ?? nil) : nil,
                           operationId: fields.operationId ?? nil, input: &input)
            try input.finish()
            guard !columns.isEmpty else { return ctx.json(200, try ParticipantRecord.full(db, before), etag: ParticipantRecord.etagOf(before)) }
            if columns.contains(where: { ["first_name", "last_name", "birth_date"].contains($0.0) }) {
                func current(_ k: String) -> String? { (columns.first { $0.0 == k }?.1 as? String) ?? (columns.contains { $0.0 == k } ? nil : before[k]) }
                let key = Names.identityKey(lastName: current("last_name") ?? "", firstName: current("first_name") ?? "",
                                            birthDate: current("birth_date").flatMap(Day.init))
                if !confirmed { try checkDuplicate(db, key: key, excluding: id) }
                columns.append(("identity_key", key))
            }
            columns += [("updated_at", ctx.timestamp())]
            try db.execute(sql: "UPDATE participants SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")), version = version + 1 WHERE id = ?",
                           arguments: StatementArguments(columns.map(\.1) + [id]))
            guard let after = try Row.fetchOne(db, sql: ParticipantRecord.selectSQL, arguments: [id]) else { throw APIError.notFound("Participant \(id)") }
            try ctx.audit(db, action, "participant", id, participant: id, before: ParticipantRecord.render(before), after: ParticipantRecord.render(after))
            if confirmed, let key = columns.first(where: { $0.0 == "identity_key" })?.1 as? String {
                try DistinctPersons.confirmedAgainstSameIdentity(db, ctx, id, key: key)
            }
            return ctx.json(200, try ParticipantRecord.full(db, after), etag: ParticipantRecord.etagOf(after))
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let page = try ctx.page()
        // A merged duplicate is no longer a file of its own: it answers 410 and is not listed.
        var conditions = ["p.id > ?", "p.merged_into IS NULL"]
        var args: [DatabaseValueConvertible?] = [try page.afterId]
        let scope = ctx.policy.participantScope
        conditions.append(scope.sql); args += scope.arguments
        var errors: [FieldError] = []
        func idFilter(_ name: String) -> Int64? {
            guard let v = ctx.query(name) else { return nil }
            guard let i = Int64(v), i > 0 else { errors.append(FieldError(name, "must be an id")); return nil }
            return i
        }
        if let r = idFilter("referent_id") { conditions.append("p.referent_id = ?"); args.append(r) }
        if let s = idFilter("structure_id") { conditions.append("r.structure_id = ?"); args.append(s) }
        if let op = idFilter("operation_id") { conditions.append("p.operation_id = ?"); args.append(op) }
        if let status = ctx.query("status") {
            if ParticipantStatus(rawValue: status) == nil { errors.append(FieldError("status", "must be one of \(ParticipantStatus.choices)")) }
            conditions.append("p.status = ?"); args.append(status)
        }
        if let q = ctx.query("q") {
            let folded = Names.fold(q)
            if folded.isEmpty { errors.append(FieldError("q", "needs at least one letter or digit")) }
            // identity_key is "last|first|birth": a folded substring search over the names.
            conditions.append("instr(p.identity_key, ?) > 0"); args.append(folded)
        }
        if !errors.isEmpty { throw APIError.invalid(errors) }
        args.append(page.limit + 1)
        let rows = try ctx.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT p.*, r.structure_id AS structure_id FROM participants p JOIN referents r ON r.id = p.referent_id
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY p.id LIMIT ?
                """), arguments: StatementArguments(args))
        }
        let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
        return ctx.list(items.map { ParticipantRecord.render($0) }, next: next)
    }
}
