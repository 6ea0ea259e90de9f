import Domain
import GRDB

/// Merging two files of one person (rule 10) and undoing it from the audit trail.
///
/// Every row that belongs to the duplicate (any table with a `participant_id`, read from the
/// schema so a table added later moves too) is moved to the kept file, and the duplicate is
/// marked `merged_into`. The `merge` audit row lists the id of every moved row per table: it is
/// the whole recipe of the revert, which moves exactly those rows back.
enum Merge {
    /// The tables whose rows belong to a participant, besides the audit trail (which is history
    /// and stays as written). Each has an `id` primary key.
    static func childTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT m.name FROM sqlite_master m
            WHERE m.type = 'table' AND m.name NOT IN ('audit_log', 'participants') AND m.name NOT LIKE 'sqlite_%'
              AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'participant_id')
              AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'id' AND c.pk = 1)
            ORDER BY m.name
            """)
    }

    static func participant(_ db: Database, _ id: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: ParticipantRecord.selectSQL, arguments: [id]) else { throw APIError.notFound("Participant \(id)") }
        return row
    }

    /// Moves the duplicate's rows to the kept file and marks it merged; returns the merge's audit id and the moved ids.
    static func merge(_ db: Database, _ ctx: RequestContext, kept keptId: Int64, duplicate duplicateId: Int64) throws -> (Int64, [(String, [Int64])]) {
        let kept = try participant(db, keptId)
        let duplicate = try participant(db, duplicateId)
        if keptId == duplicateId {
            throw APIError.conflict("merge-into-itself", "A file cannot be merged into itself.")
        }
        for (row, role) in [(kept, "kept file"), (duplicate, "duplicate")] {
            let id: Int64 = row["id"]
            if let into: Int64 = row["merged_into"] {
                throw APIError.conflict("already-merged", "Participant \(id) (the \(role)) was already merged into participant \(into).",
                                        extra: [("merged_into", .string(String(into)))])
            }
            if (row["anonymised_at"] as String?) != nil {
                throw APIError.conflict("anonymised", "Participant \(id) (the \(role)) was anonymised by the retention purge.")
            }
        }
        var moved: [(String, [Int64])] = []
        for table in try childTables(db) {
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM \(table) WHERE participant_id = ? ORDER BY id", arguments: [duplicateId])
            guard !ids.isEmpty else { continue }
            try db.execute(sql: "UPDATE \(table) SET participant_id = ? WHERE participant_id = ?", arguments: [keptId, duplicateId])
            moved.append((table, ids))
        }
        let now = ctx.timestamp()
        try db.execute(sql: "UPDATE participants SET merged_into = ?, merged_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                       arguments: [keptId, now, now, duplicateId])
        let movedJSON = JSON.object(moved.map { ($0.0, .array($0.1.map { .id($0) })) })
        try ctx.audit(db, "merge", "participant", keptId, participant: keptId,
                      before: .object([("duplicate", ParticipantRecord.render(duplicate))]),
                      after: .object([("kept_id", .id(keptId)), ("duplicate_id", .id(duplicateId)), ("moved", movedJSON)]))
        let auditId = db.lastInsertedRowID
        try ctx.audit(db, "merged_into", "participant", duplicateId, participant: duplicateId,
                      before: .object([("merged_into", .null)]),
                      after: .object([("merged_into", .id(keptId)), ("merge_id", .id(auditId))]))
        return (auditId, moved)
    }

    /// Undoes the merge recorded by audit row `mergeId`: the listed rows go back, the duplicate is a file again.
    static func revert(_ db: Database, _ ctx: RequestContext, mergeId: Int64) throws -> (kept: Int64, duplicate: Int64, moved: JSON) {
        guard let audit = try Row.fetchOne(db, sql: "SELECT * FROM audit_log WHERE id = ? AND action = 'merge'", arguments: [mergeId]),
              let after = (audit["after"] as String?).flatMap({ try? JSONParser.parse(Array($0.utf8)) }),
              let keptId = after["kept_id"]?.stringValue.flatMap({ Int64($0) }),
              let duplicateId = after["duplicate_id"]?.stringValue.flatMap({ Int64($0) }),
              let moved = after["moved"]?.objectValue else {
            throw APIError.notFound("Merge \(mergeId)")
        }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'merge_revert' AND entity = 'merge' AND entity_id = ?)",
                             arguments: [String(mergeId)]) ?? false {
            throw APIError.conflict("merge-already-reverted", "Merge \(mergeId) was already reverted.")
        }
        let kept = try participant(db, keptId)
        let duplicate = try participant(db, duplicateId)
        guard (duplicate["merged_into"] as Int64?) == keptId else {
            throw APIError.conflict("merge-not-current", "Participant \(duplicateId) is no longer merged into participant \(keptId).")
        }
        if let later: Int64 = kept["merged_into"] {
            throw APIError.conflict("merge-not-current", "Participant \(keptId) was itself merged into participant \(later) since: revert that merge first.",
                                    extra: [("merged_into", .string(String(later)))])
        }
        let tables = Set(try childTables(db))
        for (table, ids) in moved {
            guard tables.contains(table), let list = ids.arrayValue else {
                throw APIError.conflict("merge-not-revertible", "Merge \(mergeId) lists rows of \(table), which is not a participant's table.")
            }
            for id in list.compactMap({ $0.stringValue.flatMap { Int64($0) } }) {
                try db.execute(sql: "UPDATE \(table) SET participant_id = ? WHERE id = ? AND participant_id = ?", arguments: [duplicateId, id, keptId])
            }
        }
        try db.execute(sql: "UPDATE participants SET merged_into = NULL, merged_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?",
                       arguments: [ctx.timestamp(), duplicateId])
        let movedBack = JSON.object(moved)
        try ctx.audit(db, "merge_revert", "merge", mergeId, participant: keptId,
                      after: .object([("kept_id", .id(keptId)), ("duplicate_id", .id(duplicateId)), ("moved_back", movedBack)]))
        try ctx.audit(db, "unmerged", "participant", duplicateId, participant: duplicateId,
                      before: .object([("merged_into", .id(keptId))]), after: .object([("merged_into", .null), ("merge_id", .id(mergeId))]))
        return (keptId, duplicateId, movedBack)
    }
}
