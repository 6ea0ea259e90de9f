import GRDB

/// The audit trail: one appended row per change, in the same transaction as the change
/// (rule 11). The table refuses updates and deletes by trigger.
public enum Audit {
    public static func append(_ db: Database, at: String, principal: Principal?, requestId: String, action: String,
                              entity: String, entityId: String?, participantId: Int64?, before: JSON?, after: JSON?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (at, token_id, role, action, entity, entity_id, participant_id, request_id, before, after)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [at, principal?.tokenId, principal?.role.rawValue, action, entity, entityId,
                                     participantId, requestId, before?.text, after?.text])
    }
}
