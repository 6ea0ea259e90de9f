import Domain
import GRDB

/// One import's work on its rows: folds the cells into the API's fields, validates them as
/// `POST /v1/participants` does (`ParticipantsRoutes.readFields` and `checkLinks`), then creates,
/// recognises (rule 10) or updates the participant and writes the history the row carries.
struct RowImporter {
    let db: Database
    let ctx: RequestContext
    let options: ParticipantImport.Options
    /// Referents by lower-cased email, and the ids that exist: a referent cell is either.
    private var referentsByEmail: [String: Int64] = [:]
    /// Operations by id, folded code and folded name.
    private var operationsByKey: [String: Int64] = [:]
    private var operationIds: Set<Int64> = []

    init(db: Database, ctx: RequestContext, options: ParticipantImport.Options) throws {
        self.db = db; self.ctx = ctx; self.options = options
        for r in try Row.fetchAll(db, sql: "SELECT id, email FROM referents WHERE email IS NOT NULL") {
            referentsByEmail[(r["email"] as String).trimmingCharacters(in: .whitespaces).lowercased()] = r["id"]
        }
        for r in try Row.fetchAll(db, sql: "SELECT id, code, name FROM operations") {
            let id: Int64 = r["id"]
            operationIds.insert(id)
            if let code: String = r["code"], !ImportFolding.key(code).isEmpty { operationsByKey[ImportFolding.key(code)] = id }
            // A code wins over another operation's identical name.
            let nameKey = ImportFolding.key(r["name"] as String)
            if operationsByKey[nameKey] == nil { operationsByKey[nameKey] = id }
        }
    }

    /// The cells of one row as the API's fields, plus the history, or the problems of its values.
    struct Values {
        var fields: [(String, JSON)] = []
        var errors: [FieldError] = []
        var entryDate: Day?
        var exitDate: Day?
        var exitType: ExitType?

        func string(_ key: String) -> String? { fields.first { $0.0 == key }?.1.stringValue }
    }

    mutating func importRow(_ record: CSVTable.Record, columns: ImportColumns, into report: inout ImportReport) throws {
        report.rows += 1
        if record.unterminatedQuote {
            report.fail(record.line, [FieldError("", "a quote opened on this line is never closed: the rest of the file was read as one cell")])
            return
        }
        let extra = record.cells.dropFirst(columns.width).filter { !$0.allSatisfy(\.isWhitespace) }
        if !extra.isEmpty {
            report.warnings.append(ImportReport.warning(record.line, column: nil,
                "\(extra.count) cell(s) beyond the last column of the header: ignored"))
        }
        var values = fold(record, columns: columns)
        let key = Names.identityKey(lastName: values.string("last_name") ?? "", firstName: values.string("first_name") ?? "",
                                    birthDate: values.string("birth_date").flatMap(Day.init))
        let existing = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT p.*, r.structure_id AS structure_id FROM participants p JOIN referents r ON r.id = p.referent_id
            WHERE p.identity_key = ? AND p.anonymised_at IS NULL AND p.merged_into IS NULL ORDER BY p.id LIMIT 1
            """), arguments: [key])
        if existing == nil, values.string("referent_id") == nil, let fallback = options.defaultReferentId {
            values.fields.append(("referent_id", .string(String(fallback))))
        }
        var input = Input(values.fields)
        var fields = ParticipantsRoutes.readFields(&input, creating: existing == nil, today: ctx.today)
        let referentId = fields.referentId ?? nil
        try ParticipantsRoutes.checkLinks(db, ctx, referentId: referentId, operationId: fields.operationId ?? nil, input: &input)
        let history = ImportedHistory.check(birthDate: values.string("birth_date").flatMap(Day.init), entryDate: values.entryDate,
                                            exitDate: values.exitDate, exitType: values.exitType, today: ctx.today)
        if existing == nil, referentId == nil, !values.errors.contains(where: { $0.field == "referent_id" }) {
            input.fail("referent_id", "is required: the referent's email or id (or ?referent_id= for the rows that name none)")
        }
        // A cell that could not be folded is reported once, as the file wrote it, not again as "required".
        let folded = Set(values.errors.map(\.field))
        let errors = values.errors + input.errors.filter { !folded.contains($0.field) }
            + input.unknownKeys.map { FieldError($0, "is not a known field") } + history.filter { !folded.contains($0.field) }
        if !errors.isEmpty {
            report.fail(record.line, errors)
            return
        }

        guard let existing else {
            let id = try ParticipantsRoutes.insert(db, ctx, &fields, identityKey: key, referentId: referentId)
            try writeHistory(id, values)
            let row = try participantRow(id)
            try ctx.audit(db, "create", "participant", id, participant: id, after: ParticipantRecord.render(row))
            report.created += 1
            report.createdItems.append(.object([("line", .int(record.line)), ("id", .id(id))]))
            return
        }
        let id: Int64 = existing["id"]
        var action = "skipped"
        if options.onExisting == .update, try update(existing, fields: fields, values: values) {
            action = "updated"
            report.updated += 1
        } else {
            report.skipped += 1
        }
        report.existingItems.append(.object([("line", .int(record.line)), ("id", .id(id)), ("action", .string(action))]))
    }

    private func participantRow(_ id: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: ParticipantRecord.selectSQL), arguments: [id]) else {
            throw APIError.notFound("Participant \(id)")
        }
        return row
    }

    /// Writes the row's columns that differ from the file; the history only to a file that has none.
    /// Returns whether anything changed (an identical row leaves the file and its version alone).
    private func update(_ before: Row, fields: ParticipantsRoutes.Fields, values: Values) throws -> Bool {
        let id: Int64 = before["id"]
        var columns = fields.columns
        if case .some(let r?) = fields.referentId { columns.append(("referent_id", r)) }
        if case .some(let op) = fields.operationId { columns.append(("operation_id", op)) }
        let changed = columns.filter { (before[$0.0] as DatabaseValue) != ($0.1?.databaseValue ?? .null) }
        let takesHistory = values.entryDate != nil && (before["entry_date"] as String?) == nil
            && (before["status"] as String) == ParticipantStatus.candidate.rawValue
        guard !changed.isEmpty || takesHistory else { return false }
        if !changed.isEmpty {
            let sets = changed.map { "\($0.0) = ?" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE participants SET \(sets), updated_at = ?, version = version + 1 WHERE id = ?",
                           arguments: StatementArguments(changed.map(\.1) + [ctx.timestamp(), id]))
        }
        if takesHistory { try writeHistory(id, values) }
        let reassigned = changed.contains { $0.0 == "referent_id" }
        try ctx.audit(db, reassigned ? "reassign" : "update", "participant", id, participant: id,
                      before: ParticipantRecord.render(before), after: ParticipantRecord.render(try participantRow(id)))
        return true
    }

    /// The history a row brings: the signed contract (entry) and the validated exit, so the
    /// indicators over past years count this person as the former tool did. The lifecycle's
    /// committees are not replayed: the former tool already decided them.
    private func writeHistory(_ id: Int64, _ values: Values) throws {
        guard let entry = values.entryDate else { return }
        let now = ctx.timestamp()
        try db.cachedStatement(sql: "INSERT INTO contracts (participant_id, signed_on, created_at) VALUES (?, ?, ?)")
            .execute(arguments: [id, entry.description, now])
        let contractId = db.lastInsertedRowID
        try ctx.audit(db, "create", "contract", contractId, participant: id, after: .object([
            ("id", .id(contractId)), ("participant_id", .id(id)), ("signed_on", .string(entry.description)), ("via", .string("import")),
        ]))
        var status = ParticipantStatus.active
        if let exitDate = values.exitDate, let type = values.exitType {
            try db.cachedStatement(sql: """
                INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, entry_date, decided_on,
                                   created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'validated', 'active', ?, ?, ?, ?)
                """).execute(arguments: [id, type.rawValue, type.category.rawValue, exitDate.description,
                                         ImportedHistory.situation(for: type).rawValue, entry.description, exitDate.description, now, now])
            let exitId = db.lastInsertedRowID
            if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM exits WHERE id = ?"), arguments: [exitId]) {
                var body = ExitRecord.render(row, documentIds: [])
                if case .object(let f) = body { body = .object(f + [("via", .string("import"))]) }
                try ctx.audit(db, "create", "exit", exitId, participant: id, after: body)
            }
            status = .exited
        }
        try db.cachedStatement(sql: "UPDATE participants SET status = ?, entry_date = ?, exit_date = ?, exit_type = ? WHERE id = ?")
            .execute(arguments: [status.rawValue, entry.description, values.exitDate?.description, values.exitType?.rawValue, id])
    }

    // MARK: Folding cells into fields

    private func fold(_ record: CSVTable.Record, columns: ImportColumns) -> Values {
        var v = Values()
        var eligibility: [Eligibility] = []
        var eligibilityGiven = false
        var disability: Bool?
        func addEligibility(_ e: Eligibility) { eligibilityGiven = true; if !eligibility.contains(e) { eligibility.append(e) } }
        func unknown(_ c: ImportColumn, _ text: String, _ expected: String) {
            v.errors.append(FieldError(c.rawValue, "unknown value \"\(text)\": expected \(expected)"))
        }
        for (cell, column) in columns.index {
            guard cell < record.cells.count else { continue }
            let text = record.cells[cell].trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            func set(_ value: JSON) { v.fields.append((column.rawValue, value)) }
            func flag() -> Bool? {
                let b = ImportFolding.bool(text)
                if b == nil { unknown(column, text, "oui or non (also o/n, x, 1/0, vrai/faux)") }
                return b
            }
            switch column {
            case .lastName, .firstName, .address, .postalCode, .city, .phone, .email, .professionalGoal:
                set(.string(text))
            case .birthDate:
                if let d = ImportFolding.date(text) { set(.string(d.description)) }
                else { v.errors.append(FieldError("birth_date", "\"\(text)\" is not a real date written JJ/MM/AAAA or AAAA-MM-JJ")) }
            case .entryDate, .exitDate:
                if let d = ImportFolding.date(text) { if column == .entryDate { v.entryDate = d } else { v.exitDate = d } }
                else { v.errors.append(FieldError(column.rawValue, "\"\(text)\" is not a real date written JJ/MM/AAAA or AAAA-MM-JJ")) }
            case .exitType:
                if let t = ImportFolding.exitType(text) { v.exitType = t } else { unknown(column, text, "an exit type: \(ExitType.choices), or its French label") }
            case .gender:
                if let g = ImportFolding.gender(text) { set(.string(g.rawValue)) } else { unknown(column, text, "F or H (femme, homme, Mme, M.), or \(Gender.choices)") }
            case .prescriber:
                if let p = ImportFolding.prescriber(text) { set(.string(p.rawValue)) } else { unknown(column, text, Prescriber.choices) }
            case .employmentSituation:
                if let s = ImportFolding.employmentSituation(text) { set(.string(s.rawValue)) } else { unknown(column, text, EmploymentSituation.choices) }
            case .educationLevel:
                if let e = ImportFolding.educationLevel(text) { set(.string(e.rawValue)) } else { unknown(column, text, "a diploma or level (CAP, bac, bac+2, niveau 3...) or \(EducationLevel.choices)") }
            case .eligibility:
                switch ImportFolding.eligibilityList(text) {
                case .success(let list): list.forEach(addEligibility); eligibilityGiven = true
                case .failure(let u): unknown(column, u.text, Eligibility.choices)
                }
            case .disability:
                if let b = flag() { disability = (disability ?? false) || b }
            case .rqth:
                // A recognised disabled worker: the FSE disability flag and the eligibility criterion.
                if let b = flag() { disability = (disability ?? false) || b; if b { addEligibility(.rqth) } }
            case .qpv, .brsa, .deld:
                if let b = flag(), b { addEligibility(column == .qpv ? .qpv : column == .brsa ? .brsa : .deld) }
            case .thirdCountryNational, .foreignBackground, .minority, .housingExclusion, .ruralArea:
                if let b = flag() { set(.bool(b)) }
            case .referent:
                if let id = Int64(text), id > 0 { set(.string(String(id))) }
                else if let id = referentsByEmail[text.lowercased()] { set(.string(String(id))) }
                else { v.errors.append(FieldError("referent_id", "no referent has the email or id \"\(text)\"")) }
            case .operation:
                if let id = Int64(text), operationIds.contains(id) { set(.string(String(id))) }
                else if let id = operationsByKey[ImportFolding.key(text)] { set(.string(String(id))) }
                else { v.errors.append(FieldError("operation_id", "no operation has the id, code or name \"\(text)\"")) }
            }
        }
        if let disability { v.fields.append(("disability", .bool(disability))) }
        if eligibilityGiven { v.fields.append(("eligibility", .array(eligibility.map { .string($0.rawValue) }))) }
        return v
    }
}
