@testable import API
import Testing

/// Authentication happens once per request: in `prepare` when a body is announced (so that it
/// is refused before being read), in `respond` otherwise. Both paths over a real socket.
@Suite("Early refusal of unauthenticated bodies")
struct EarlyRefusalTests {
    @Test("a body announced without a valid token is refused 401 before it is read, without 100 Continue")
    func refusedBeforeBody() throws {
        let t = try TestApp(today: "2026-03-10")
        let server = try LiveServer(t)
        let client = try server.client()
        try client.sendRaw(Array("""
            POST /v1/participants HTTP/1.1\r
            Host: 127.0.0.1\r
            Authorization: Bearer pct_\(String(repeating: "0", count: 64))\r
            Content-Type: application/json\r
            Content-Length: 500000\r
            Expect: 100-continue\r
            \r

            """.utf8))
        #expect(try client.readStatusLine().hasPrefix("HTTP/1.1 401 "))
        #expect(try t.count("participants") == 0)
    }

    @Test("without a body, a bad token is 401 and a good one is served, on the same connection")
    func noBody() throws {
        let t = try TestApp(today: "2026-03-10")
        let server = try LiveServer(t)
        let client = try server.client()
        #expect(try client.request("GET", "/v1/participants", token: "pct_nope").status == 401)
        #expect(try client.request("GET", "/v1/participants", token: t.adminToken).status == 200)
        // Content-Length: 0 announces no body: refused in respond, the same 401.
        #expect(try client.request("PATCH", "/v1/steps/1", token: "pct_nope").status == 401)
    }
}
