@testable import API
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
}
