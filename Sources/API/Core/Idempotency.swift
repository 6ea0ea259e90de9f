import Crypto
import Foundation
import GRDB
import HTTPServer

/// `Idempotency-Key` on POST: a retry with the same key returns the first response and creates
/// nothing twice. The key and the response are stored in the same transaction as the write, so
/// two identical requests racing each other cannot both create. Only successes are stored: a
/// refused request changed nothing, so running it again is safe.
enum Idempotency {
    static let maxKeyLength = 255

    static func requestHash(_ request: HTTPRequest) -> String {
        var h = SHA256()
        h.update(data: Array(request.method.utf8)); h.update(data: [0])
        h.update(data: Array(request.head.target.utf8)); h.update(data: [0])
        h.update(data: request.body)
        return TokenStore.hex(Array(h.finalize()))
    }

    /// The stored response of this key, or nil; 422 when the key was used for another request.
    static func replay(_ db: Database, tokenId: Int64, key: String, hash: String) throws -> HTTPResponse? {
        guard let row = try Row.fetchOne(db, sql:
            "SELECT request_hash, status, headers, body FROM idempotency_keys WHERE token_id = ? AND key = ?",
            arguments: [tokenId, key]) else { return nil }
        guard (row["request_hash"] as String) == hash else {
            throw APIError(422, "idempotency-key-reused", "Idempotency key reused",
                           "This Idempotency-Key was already used for a different request; use a new key for a new request.",
                           errors: [.init("Idempotency-Key", "already used for a different request")])
        }
        var headers = HTTPHeaders()
        if case .array(let pairs)? = try? JSONParser.parse(Array((row["headers"] as String).utf8)) {
            for p in pairs { if let a = p.arrayValue, a.count == 2, let k = a[0].stringValue, let v = a[1].stringValue { headers.add(k, v) } }
        }
        headers.set("Idempotent-Replayed", "true")
        let body = [UInt8]((row["body"] as Data?) ?? Data())
        return HTTPResponse(status: row["status"], headers: headers, body: .bytes(body))
    }

    static func store(_ db: Database, tokenId: Int64, key: String, hash: String, request: HTTPRequest, response: HTTPResponse, at: String) throws {
        guard (200..<300).contains(response.status), case .bytes(let body) = response.body else { return }
        let headers = JSON.array(response.headers.fields.map { .array([.string($0.name), .string($0.value)]) })
        try db.cachedStatement(sql: """
            INSERT INTO idempotency_keys (token_id, key, method, path, request_hash, status, headers, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [tokenId, key, request.method, request.path, hash, response.status, headers.text, Data(body), at])
    }

    /// Drops keys older than the retention (at least 24 hours).
    static func purge(_ db: Database, olderThan cutoff: String) throws {
        try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE created_at < ?").execute(arguments: [cutoff])
    }
}
