import Domain
import GRDB
import HTTPServer

/// Duplicate files (rule 10, after the fact): `GET /v1/participants/duplicates` lists likely
/// pairs, `POST /v1/participants/{id}/merge` merges a duplicate into the kept file, and
/// `POST /v1/merges/{merge_id}/revert` undoes a merge from its audit row (docs/IMPORT.md).
enum DuplicatesRoutes {
    static func register(on router: Router) {
        router.get("/v1/participants/duplicates", list)
        router.post("/v1/participants/duplicates/distinct", distinct)
        router.post("/v1/participants/:id/merge", merge)
        router.post("/v1/merges/:id/revert", revert)
    }

    /// Pairs of unmerged, non-anonymised files with the same folded names and, besides, the same
    /// birth date, phone (digits) or email (lower-cased), except those confirmed to be two people. The self-join is on the indexed
    /// `name_key`, so it stays cheap on large files; pairs come ordered by (first id, second id).
    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.require([.admin, .coordinator, .auditor], "Listing likely duplicate files")
        let page = try ctx.page()
        var after: (Int64, Int64) = (0, 0)
        if let cursor = page.after {
            let parts = cursor.split(separator: "|").compactMap { Int64($0) }
            guard parts.count == 2 else { throw APIError.invalid("cursor", "is not a cursor of this list") }
            after = (parts[0], parts[1])
        }
        let rows = try ctx.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT a.id AS a, b.id AS b,
                       a.identity_key = b.identity_key AS same_identity,
                       coalesce(a.phone_key = b.phone_key, 0) AS same_phone,
                       coalesce(a.email_key = b.email_key, 0) AS same_email
                FROM participants a
                JOIN participants b ON b.name_key = a.name_key AND b.id > a.id
                     AND b.merged_into IS NULL AND b.anonymised_at IS NULL
                WHERE a.merged_into IS NULL AND a.anonymised_at IS NULL
                  AND (a.identity_key = b.identity_key OR a.phone_key = b.phone_key OR a.email_key = b.email_key)
                  AND \(DistinctPersons.notConfirmed)
                  AND (a.id, b.id) > (?, ?)
                ORDER BY a.id, b.id LIMIT ?
                """), arguments: [after.0, after.1, page.limit + 1])
        }
        let (items, next) = page.paginate(rows) { "\($0["a"] as Int64)|\($0["b"] as Int64)" }
        return ctx.list(items.map { row in
            var reasons: [JSON] = []
            if row["same_identity"] as Bool { reasons.append(.string("same_names_and_birth_date")) }
            if row["same_phone"] as Bool { reasons.append(.string("same_names_and_phone")) }
            if row["same_email"] as Bool { reasons.append(.string("same_names_and_email")) }
            return .object([("participant_ids", .array([.id(row["a"]), .id(row["b"])])), ("reasons", .array(reasons))])
        }, next: next)
    }

    /// Rule 10: a coordinator confirms that two files are two different people; the pair leaves
    /// the duplicates list. 201 when recorded, 200 when it already was (the same answer).
    static func distinct(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.requireProgramme("Confirming that two files are different people")
        var input = try ctx.input()
        let ids = input.ids("participant_ids")
        if let ids, ids.count != 2 { input.fail("participant_ids", "must name two different files") }
        if ids == nil, input.errors.isEmpty { input.fail("participant_ids", "is required: the ids of the two files") }
        return try ctx.write { db in
            if let ids, ids.count == 2 {
                for id in ids {
                    guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT merged_into FROM participants WHERE id = ?"), arguments: [id]) else {
                        input.fail("participant_ids", "no participant has the id \(id)"); continue
                    }
                    if let kept = row["merged_into"] as Int64? {
                        input.fail("participant_ids", "participant \(id) was merged into \(kept): confirm against that file")
                    }
                }
            }
            try input.finish()
            guard let ids, ids.count == 2 else { throw APIError.invalid("participant_ids", "must name two different files") }
            let created = try DistinctPersons.record(db, ctx, ids[0], ids[1], source: "duplicates_list")
            let (a, b) = (min(ids[0], ids[1]), max(ids[0], ids[1]))
            let at = try String.fetchOne(db.cachedStatement(sql: "SELECT confirmed_at FROM distinct_persons WHERE participant_a = ? AND participant_b = ?"), arguments: [a, b])
            return ctx.json(created ? 201 : 200, .object([("participant_ids", .array([.id(a), .id(b)])), ("confirmed_at", .string(at))]))
        }
    }

    static func merge(_ ctx: RequestContext) throws -> HTTPResponse {
        let keptId = try ctx.id("id", "Participant")
        try ctx.policy.requireProgramme("Merging participant files")
        var input = try ctx.input()
        let duplicateId = input.id("duplicate_id", required: true)
        try input.finish()
        guard let duplicateId else { throw APIError.invalid("duplicate_id", "is required") }
        return try ctx.write { db in
            let (mergeId, moved) = try Merge.merge(db, ctx, kept: keptId, duplicate: duplicateId)
            return ctx.json(200, .object([
                ("merge_id", .id(mergeId)), ("kept_id", .id(keptId)), ("duplicate_id", .id(duplicateId)),
                ("moved", .object(moved.map { ($0.0, .array($0.1.map { .id($0) })) })),
                ("revert", .string("/v1/merges/\(mergeId)/revert")),
            ]))
        }
    }

    static func revert(_ ctx: RequestContext) throws -> HTTPResponse {
        let mergeId = try ctx.id("id", "Merge")
        try ctx.policy.requireProgramme("Reverting a merge")
        return try ctx.write { db in
            let (kept, duplicate, moved) = try Merge.revert(db, ctx, mergeId: mergeId)
            return ctx.json(200, .object([("merge_id", .id(mergeId)), ("kept_id", .id(kept)), ("duplicate_id", .id(duplicate)),
                                          ("moved_back", moved)]))
        }
    }
}
