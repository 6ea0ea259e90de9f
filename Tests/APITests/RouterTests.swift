@testable import API
import HTTPServer
import Testing

@Suite("Routing")
struct RouterTests {
    /// A router whose handlers answer their own pattern, so a match says which route won.
    private func router() -> Router {
        let router = Router()
        for (method, pattern) in [("GET", "/v1/participants/:id"), ("PATCH", "/v1/participants/:id"),
                                  ("GET", "/v1/participants/:id/interviews"), ("POST", "/v1/participants/:id/interviews"),
                                  ("GET", "/v1/participants/duplicates"), ("GET", "/health"), ("GET", "/")] {
            router.add(method, pattern) { _ in HTTPResponse(status: 200, contentType: "text/plain", body: Array(pattern.utf8)) }
        }
        return router
    }

    private func found(_ match: Router.Match) -> (pattern: String, method: String, params: [String: String])? {
        guard case .found(let route, let params) = match else { return nil }
        return (route.pattern, route.method, params)
    }

    @Test("a parameter segment matches any value and is passed by name")
    func parameters() {
        let r = router()
        let m = found(r.match(method: "GET", path: "/v1/participants/42/interviews"))
        #expect(m?.pattern == "/v1/participants/:id/interviews")
        #expect(m?.params == ["id": "42"])
        #expect(found(r.match(method: "PATCH", path: "/v1/participants/7"))?.params == ["id": "7"])
    }

    @Test("a literal segment wins over a parameter, whatever the order of declaration")
    func literalWins() {
        let m = found(router().match(method: "GET", path: "/v1/participants/duplicates"))
        #expect(m?.pattern == "/v1/participants/duplicates")
        #expect(m?.params == [:])
    }

    @Test("a known path with another method is 405 listing the allowed methods, HEAD beside GET")
    func methodNotAllowed() {
        guard case .methodNotAllowed(let allowed) = router().match(method: "DELETE", path: "/v1/participants/3") else {
            Issue.record("expected 405"); return
        }
        #expect(allowed == ["GET", "PATCH", "HEAD"])
        // The literal route decides alone: PATCH on it is 405, not the parameter route's PATCH.
        guard case .methodNotAllowed(let other) = router().match(method: "PATCH", path: "/v1/participants/duplicates") else {
            Issue.record("expected 405"); return
        }
        #expect(other == ["GET", "HEAD"])
    }

    @Test("HEAD is served by the GET route")
    func head() {
        #expect(found(router().match(method: "HEAD", path: "/health"))?.method == "GET")
    }

    @Test("a trailing slash, a doubled slash, an extra or a missing segment are not the resource")
    func notFound() {
        let r = router()
        for path in ["/health/", "/v1/participants/3/", "/v1//participants/3", "//health", "/v1/participants/3/interviews/x",
                     "/v1/participants", "/v1/nothing/3"] {
            guard case .notFound = r.match(method: "GET", path: path) else { Issue.record("\(path) should be 404"); continue }
        }
    }

    @Test("the root path has no segment")
    func root() {
        #expect(found(router().match(method: "GET", path: "/"))?.pattern == "/")
        #expect(Router.segments(of: "/") == [])
        #expect(Router.segments(of: "/a/b") == ["a", "b"])
        #expect(Router.segments(of: "/a//b") == nil)
    }
}
