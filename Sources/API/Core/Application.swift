import Domain
import Foundation
import GRDB
import HTTPServer
import Logging

/// The HTTP responder of Parcours: routing, authentication, one transaction per write,
/// idempotency, errors, metrics and the access log. Handlers only decode, authorise, call the
/// domain and encode.
public final class Application: HTTPResponder, @unchecked Sendable {
    public let env: AppEnvironment
    public let router: Router
    private let requestCounter = Counter()
    private let instance = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    public init(env: AppEnvironment) {
        self.env = env
        self.router = Router()
        Routes.register(on: router, env: env)
    }

    public func prepare(_ head: HTTPRequestHead) -> BodyDecision {
        // An early refusal (before the body is read) is answered, counted and logged like any other.
        func refuse(_ route: String, _ error: APIError) -> BodyDecision {
            let requestId = nextId(head)
            return .reject(finish(head: head, route: route, start: nil, response: Problem.render(error, requestId: requestId), requestId: requestId))
        }
        switch router.match(method: head.method, path: head.path) {
        case .notFound:
            return refuse("unmatched", .notFound("The path \(head.path)"))
        case .methodNotAllowed(let allowed):
            return refuse("unmatched", methodNotAllowed(allowed, head: head))
        case .found(let route, _):
            // Refused before its body is read (and before 100-continue): a request that announces a
            // body without a valid token. One without a body is authenticated once, in `respond`.
            if !route.isPublic, Self.announcesBody(head), env.tokens.authenticate(Self.authorization(head.headers), now: env.clock.now()) == nil {
                return refuse(route.pattern, .unauthorized)
            }
            return .accept(maxBytes: route.maxBody)
        }
    }

    /// The request's one `Authorization` value, or nil when it has none or more than one: which
    /// of two credentials counts would be ambiguous (a proxy may have checked the other), so
    /// neither does (401).
    static func authorization(_ headers: HTTPHeaders) -> String? {
        let values = headers.values("Authorization")
        return values.count == 1 ? values[0] : nil
    }

    /// Whether the request head announces a body (RFC 9112 §6.3: Transfer-Encoding, or a
    /// Content-Length other than 0).
    static func announcesBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers["Transfer-Encoding"] != nil { return true }
        if let length = head.headers["Content-Length"] { return length != "0" }
        return false
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let start = DispatchTime.now().uptimeNanoseconds
        let requestId = nextId(request.head)
        let match = router.match(method: request.method, path: request.path)
        guard case .found(let route, let params) = match else {
            let error: APIError
            if case .methodNotAllowed(let allowed) = match { error = methodNotAllowed(allowed, head: request.head) } else { error = .notFound("The path \(request.path)") }
            return finish(head: request.head, route: "unmatched", start: start, response: Problem.render(error, requestId: requestId), requestId: requestId)
        }
        var principal: Principal?
        if !route.isPublic {
            principal = env.tokens.authenticate(Self.authorization(request.headers), now: env.clock.now())
            if principal == nil {
                return finish(head: request.head, route: route.pattern, start: start, response: Problem.render(.unauthorized, requestId: requestId), requestId: requestId)
            }
        }
        let ctx = RequestContext(request: request, params: params, requestId: requestId, app: env, principal: principal)
        var response: HTTPResponse
        do {
            response = try run(route, ctx)
        } catch {
            let (r, isInternal) = Problem.response(for: error, requestId: requestId)
            if isInternal {
                env.logger.error("unexpected error", metadata: ["request_id": .string(requestId), "route": .string(route.pattern), "error": .string(String(describing: error))])
            }
            response = r
        }
        return finish(head: request.head, route: route.pattern, start: start, response: response, requestId: requestId)
    }

    /// Reads run as they are; every other method runs in exactly one write (a savepoint of a group
    /// commit, `GroupCommit`), with the idempotency check and record inside it, and is answered
    /// once it is committed.
    private func run(_ route: Router.Route, _ ctx: RequestContext) throws -> HTTPResponse {
        let method = ctx.request.method
        if method == "GET" || method == "HEAD" { return try route.handler(ctx) }
        let key = method == "POST" ? ctx.request.headers["Idempotency-Key"] : nil
        if let key, key.isEmpty || key.utf8.count > Idempotency.maxKeyLength {
            throw APIError.invalid("Idempotency-Key", "must be 1 to \(Idempotency.maxKeyLength) characters")
        }
        let response = try env.writes.write { db -> HTTPResponse in
            ctx.transaction = db
            defer { ctx.transaction = nil }
            guard let key, let tokenId = ctx.principal?.tokenId else { return try route.handler(ctx) }
            let hash = Idempotency.requestHash(ctx.request)
            if let replay = try Idempotency.replay(db, tokenId: tokenId, key: key, hash: hash) { return replay }
            let response = try route.handler(ctx)
            try Idempotency.store(db, tokenId: tokenId, key: key, hash: hash, request: ctx.request, response: response, at: ctx.timestamp())
            return response
        }
        for work in ctx.afterCommit { work() }
        return response
    }

    private func methodNotAllowed(_ allowed: [String], head: HTTPRequestHead) -> APIError {
        APIError(405, "method-not-allowed", "Method not allowed",
                 "\(head.method) is not allowed on \(head.path); allowed: \(allowed.joined(separator: ", ")).",
                 headers: [("Allow", allowed.joined(separator: ", "))])
    }

    private func finish(head: HTTPRequestHead, route: String, start: UInt64?, response: HTTPResponse, requestId: String) -> HTTPResponse {
        var response = response
        let elapsed = start.map { Double(DispatchTime.now().uptimeNanoseconds - $0) / 1e9 } ?? 0
        response.headers.set("X-Request-Id", requestId)
        env.metrics.record(method: head.method, route: route, status: response.status, seconds: elapsed)
        if env.logger.logLevel <= .info {
            env.logger.info("request", metadata: [
                "request_id": .string(requestId), "method": .string(head.method), "path": .string(head.path),
                "route": .string(route), "status": .stringConvertible(response.status),
                "ms": .string(String(format: "%.2f", elapsed * 1000)), "remote": .string(head.remoteAddress),
            ])
        }
        return response
    }

    private func nextId(_ head: HTTPRequestHead) -> String {
        if let given = head.headers["X-Request-Id"], (1...64).contains(given.utf8.count),
           given.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }) {
            return given
        }
        return instance + "-" + String(requestCounter.next(), radix: 36)
    }
}

/// A thread-safe counter for request ids.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt64 = 0
    func next() -> UInt64 { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
