import GRDB

/// Rule 10, after the fact: pairs of files confirmed to be two different people. They are
/// recorded when a file is created with `confirmed_different_person` (against each file it
/// matched) or declared from the duplicates list, and `GET /v1/participants/duplicates` no
/// longer lists them. Stored once per pair, lower id first (migrations/0005).
enum DistinctPersons {
    /// Records the pair unless it is already there; returns whether it was new. Audited on the
    /// lower id, with both ids and where the confirmation came from.
    @discardableResult
    static func record(_ db: Database, _ ctx: RequestContext, _ x: Int64, _ y: Int64, source: String) throws -> Bool {
        let (a, b) = (min(x, y), max(x, y))
        try db.execute(sql: """
            INSERT INTO distinct_persons (participant_a, participant_b, confirmed_at, confirmed_by) VALUES (?, ?, ?, ?)
            ON CONFLICT (participant_a, participant_b) DO NOTHING
            """, arguments: [a, b, ctx.timestamp(), ctx.principal?.tokenId])
        guard db.changesCount > 0 else { return false }
        try ctx.audit(db, "confirm_distinct", "participant", a, participant: a,
                      after: .object([("participant_ids", .array([.id(a), .id(b)])), ("source", .string(source))]))
        return true
    }

    /// Records file `id`, created or renamed with `confirmed_different_person`, as distinct from
    /// every file with its identity key (the files rule 10's check would have named).
    static func confirmedAgainstSameIdentity(_ db: Database, _ ctx: RequestContext, _ id: Int64, key: String) throws {
        let others = try Int64.fetchAll(db.cachedStatement(sql:
            "SELECT id FROM participants WHERE identity_key = ? AND id <> ? AND anonymised_at IS NULL AND merged_into IS NULL ORDER BY id"),
            arguments: [key, id])
        for other in others { try record(db, ctx, other, id, source: "confirmed_different_person") }
    }

    /// The SQL condition, over a pair aliased `a` and `b` (a.id < b.id), that keeps the pairs not confirmed distinct.
    static let notConfirmed = "NOT EXISTS (SELECT 1 FROM distinct_persons d WHERE d.participant_a = a.id AND d.participant_b = b.id)"
}
