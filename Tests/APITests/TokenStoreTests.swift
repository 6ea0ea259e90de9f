@testable import API
import Dispatch
import Foundation
import HTTPServer
import Testing

@Suite("Bearer tokens")
struct TokenStoreTests {
    private func secret(_ header: String) -> String? {
        TokenStore.bearerSecret(header).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the secret is read from 'Bearer <secret>', the scheme in any case, spaces and tabs around it")
    func accepted() {
        #expect(secret("Bearer pct_abc") == "pct_abc")
        #expect(secret("bearer   pct_abc  ") == "pct_abc")
        #expect(secret("BEARER\tpct_abc\t") == "pct_abc")
    }

    @Test("another scheme, no secret, no space after the scheme or an oversized header give none")
    func refused() {
        for header in ["Basic pct_abc", "Bearer", "Bearer ", "Bearer  \t ", "Bearerpct_abc", "Bearer_pct_abc", "Beare pct_abc",
                       "Bearer " + String(repeating: "a", count: 600), ""] {
            #expect(secret(header) == nil, "\(header.prefix(20))")
        }
    }

    @Test("a request with a malformed or unknown token is refused, a valid one is served")
    func throughTheApp() throws {
        let t = try TestApp(today: "2026-03-10")
        #expect(t.get("/v1/structures", token: "pct_unknown").status == 401)
        #expect(t.send("GET", "/v1/structures", token: "", headers: [("Authorization", "Token \(t.adminToken)")]).status == 401)
        #expect(t.send("GET", "/v1/structures", token: "", headers: [("Authorization", "bearer  \(t.adminToken) ")]).status == 200)
        // Two Authorization fields, even both valid: ambiguous, refused.
        var headers = HTTPHeaders()
        headers.add("Host", "test")
        headers.add("Authorization", "Bearer \(t.adminToken)")
        headers.add("Authorization", "Bearer \(t.adminToken)")
        let head = HTTPRequestHead(method: "GET", target: "/v1/structures", path: "/v1/structures", query: nil,
                                   version: .http1_1, headers: headers, remoteAddress: "test")
        #expect(t.app.respond(to: HTTPRequest(head: head, body: [])).status == 401)
    }

    @Test("a token revoked while requests use it (cached, on 4 threads): every request started after the revocation's answer is refused")
    func revocationRace() throws {
        let t = try TestApp(today: "2026-03-10")
        let secret = t.token(.coordinator)
        let id = try t.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM tokens") ?? 0 }
        #expect(t.get("/v1/structures", token: secret).status == 200)  // now in the lookup cache

        // Each request notes the clock's tick at its start and its status; the revocation notes
        // the tick once its 204 is back.
        let log = RaceLog()
        let group = DispatchGroup()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                var mine: [(start: Int, status: Int)] = []
                var servedAfter = 0
                // Until 50 requests started after the revocation have been answered (or a bound).
                for _ in 0..<20_000 where servedAfter < 50 {
                    let start = log.next()
                    let status = t.get("/v1/structures", token: secret).status
                    mine.append((start, status))
                    if start > log.revoked { servedAfter += 1 }
                }
                log.add(mine)
            }
        }
        // Let the readers get going with the cached token, then revoke it.
        while log.ticks < 200 { usleep(100) }
        #expect(t.send("DELETE", "/v1/tokens/\(id)").status == 204)
        let answered = log.next()
        log.revoked = answered
        group.wait()

        let seen = log.seen
        let after = seen.filter { $0.start > answered }
        #expect(seen.contains { $0.start < answered && $0.status == 200 }, "the token worked before")
        #expect(after.count >= 50, "requests ran after the revocation")
        #expect(after.allSatisfy { $0.status == 401 }, "\(after.filter { $0.status != 401 }.count) requests started after the revocation's answer were served")
    }
}

/// What the threads of `revocationRace` share.
private final class RaceLog: @unchecked Sendable {
    private let lock = NSLock()
    private var tick = 0
    private var revokedAt = Int.max
    private var entries: [(start: Int, status: Int)] = []
    func next() -> Int { lock.withLock { tick += 1; return tick } }
    var ticks: Int { lock.withLock { tick } }
    var revoked: Int {
        get { lock.withLock { revokedAt } }
        set { lock.withLock { revokedAt = newValue } }
    }
    func add(_ more: [(start: Int, status: Int)]) { lock.withLock { entries += more } }
    var seen: [(start: Int, status: Int)] { lock.withLock { entries } }
}
