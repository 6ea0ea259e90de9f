import Crypto
import Domain
import Foundation
import GRDB
import Storage

/// Bearer tokens: the secret is shown once at creation; only its SHA-256 is stored.
///
/// Lookups are cached for a few seconds (every /v1 request needs one); revoking through this
/// server clears the cache once the revocation is committed, and a lookup that read the token
/// before that is not cached, so a revoked token stops working for every request that starts
/// after the revocation's answer.
public final class TokenStore: @unchecked Sendable {
    private let readers: ReadConnections
    private let lock = NSLock()
    /// By the SHA-256 of the secret: the secrets themselves are never kept.
    private var cache: [SHA256Digest: (principal: Principal?, expires: Double)] = [:]
    /// Bumped by `invalidate()`: a lookup caches its result only if none happened meanwhile.
    private var generation = 0
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
        guard let header, let secret = TokenStore.bearerSecret(header) else { return nil }
        let digest = SHA256.hash(data: secret)
        lock.lock()
        if let hit = cache[digest], hit.expires > now { lock.unlock(); return hit.principal }
        let seen = generation
        lock.unlock()
        // A failed read says nothing of the token: refused this once, not cached.
        let principal: Principal?
        do {
            principal = try readers.read { db in try TokenStore.lookup(db, digest: TokenStore.hex(Array(digest))) }
        } catch {
            return nil
        }
        lock.lock()
        if generation == seen {
            if cache.count > 10_000 { cache.removeAll() }
            cache[digest] = (principal, now + ttl)
        }
        lock.unlock()
        return principal
    }

    /// The secret of "Bearer <secret>" (the scheme in any case, spaces or tabs around the
    /// secret), or nil. Read byte by byte: this runs on every request.
    static func bearerSecret(_ header: String) -> ArraySlice<UInt8>? {
        let bytes = Array(header.utf8)
        guard bytes.count < 512, bytes.count > 7 else { return nil }
        let scheme = Array("bearer".utf8)
        for (i, b) in scheme.enumerated() where (bytes[i] | 0x20) != b { return nil }
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 }
        guard isSpace(bytes[6]) else { return nil }
        var start = 7, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return start < end ? bytes[start..<end] : nil
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
        lock.lock(); generation += 1; cache.removeAll(); lock.unlock()
    }

    /// Creates a token in the caller's transaction; returns its id and the secret (shown once).
    public static func create(_ db: Database, name: String, role: Role, referentId: Int64?, structureId: Int64?,
                              createdBy: Int64?, at: String) throws -> (id: Int64, secret: String) {
        let secret = newSecret()
        try db.cachedStatement(sql: """
            INSERT INTO tokens (name, role, referent_id, structure_id, secret_hash, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [name, role.rawValue, referentId, structureId, hash(secret), at, createdBy])
        return (db.lastInsertedRowID, secret)
    }
}
