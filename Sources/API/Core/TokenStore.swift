import Crypto
import Domain
import Foundation
import GRDB
import Storage

/// Bearer tokens: the secret is shown once at creation; only its SHA-256 is stored.
///
/// Lookups are cached for a few seconds (every /v1 request needs one); revoking through this
/// server clears the cache at once, so a revoked token stops working immediately.
public final class TokenStore: @unchecked Sendable {
    private let readers: ReadConnections
    private let lock = NSLock()
    private var cache: [String: (principal: Principal?, expires: Double)] = [:]
    private let ttl: Double

    public init(readers: ReadConnections, ttl: Double = 5) { self.readers = readers; self.ttl = ttl }

    /// A new random secret: "pct_" and 64 hex digits (256 bits).
    public static func newSecret() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        return "pct_" + hex(bytes)
    }

    public static func hash(_ secret: String) -> String { hex(Array(SHA256.hash(data: Array(secret.utf8)))) }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](); out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The caller of an `Authorization` header, or nil (missing, malformed, unknown or revoked).
    public func authenticate(_ header: String?, now: Double) -> Principal? {
        guard let header, header.count < 512 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty else { return nil }
        let digest = TokenStore.hash(secret)
        lock.lock()
        if let hit = cache[digest], hit.expires > now { lock.unlock(); return hit.principal }
        lock.unlock()
        let principal = try? readers.read { db in try TokenStore.lookup(db, digest: digest) }
        lock.lock()
        if cache.count > 10_000 { cache.removeAll() }
        cache[digest] = (principal ?? nil, now + ttl)
        lock.unlock()
        return principal ?? nil
    }

    static func lookup(_ db: Database, digest: String) throws -> Principal? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql:
            "SELECT id, role, referent_id, structure_id, name FROM tokens WHERE secret_hash = ? AND revoked_at IS NULL"),
            arguments: [digest]) else { return nil }
        guard let role = Role(rawValue: row["role"]) else { return nil }
        return Principal(tokenId: row["id"], role: role, referentId: row["referent_id"], structureId: row["structure_id"], name: row["name"])
    }

    /// Forgets every cached lookup (after a revocation).
    public func invalidate() {
        lock.lock(); cache.removeAll(); lock.unlock()
    }

    /// Creates a token in the caller's transaction; returns its id and the secret (shown once).
    public static func create(_ db: Database, name: String, role: Role, referentId: Int64?, structureId: Int64?,
                              createdBy: Int64?, at: String) throws -> (id: Int64, secret: String) {
        let secret = newSecret()
        try db.execute(sql: """
            INSERT INTO tokens (name, role, referent_id, structure_id, secret_hash, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [name, role.rawValue, referentId, structureId, hash(secret), at, createdBy])
        return (db.lastInsertedRowID, secret)
    }
}
