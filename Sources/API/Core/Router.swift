import HTTPServer

/// A route handler: a plain function of the request context.
public typealias Handler = (RequestContext) throws -> HTTPResponse

/// Routes declared as "/v1/participants/:id" with a method. Matching is by path segments;
/// an unknown path is 404 and a known path with another method 405 with `Allow`.
/// HEAD is served by the GET handler (the server drops the body).
public final class Router: @unchecked Sendable {
    public struct Route {
        public let method: String
        /// The declared pattern, used as the metrics label.
        public let pattern: String
        let segments: [Segment]
        public let handler: Handler
        /// Largest body accepted, for the early 413.
        public let maxBody: Int
        /// Whether the route needs no token.
        public let isPublic: Bool

        /// Literal segments, weighted by position: the route matched first when several fit.
        var specificity: Int {
            segments.enumerated().reduce(0) { acc, item in
                if case .literal = item.element { return acc + (1 << (16 - min(item.offset, 16))) }
                return acc
            }
        }
    }

    enum Segment: Equatable { case literal(String), parameter(String) }

    public enum Match {
        case found(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    private(set) public var routes: [Route] = []
    /// Routes by segment count, then by first literal segment, to keep matching cheap.
    private var index: [Int: [Route]] = [:]

    public init() {}

    public func add(_ method: String, _ pattern: String, maxBody: Int = 1 << 20, isPublic: Bool = false, _ handler: @escaping Handler) {
        let segments: [Segment] = pattern.split(separator: "/").map {
            $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .literal(String($0))
        }
        let route = Route(method: method, pattern: pattern, segments: segments, handler: handler, maxBody: maxBody, isPublic: isPublic)
        routes.append(route)
        // Literal segments win over parameters, whatever the order of declaration:
        // /v1/participants/duplicates is not participant "duplicates".
        index[segments.count, default: []].append(route)
        index[segments.count]?.sort { $0.specificity > $1.specificity }
    }

    public func get(_ p: String, isPublic: Bool = false, _ h: @escaping Handler) { add("GET", p, isPublic: isPublic, h) }
    public func post(_ p: String, maxBody: Int = 1 << 20, _ h: @escaping Handler) { add("POST", p, maxBody: maxBody, h) }
    public func patch(_ p: String, _ h: @escaping Handler) { add("PATCH", p, h) }
    public func delete(_ p: String, _ h: @escaping Handler) { add("DELETE", p, h) }

    public func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // A trailing slash is a different resource; so is an empty segment.
        if path.hasSuffix("/") && path != "/" || path.contains("//") { return .notFound }
        guard let candidates = index[parts.count] else { return .notFound }
        let wanted = method == "HEAD" ? "GET" : method
        var allowed: [String] = []
        var found: (Route, [String: String])?
        var matchedPattern: String?
        for route in candidates {
            var params: [String: String] = [:]
            var ok = true
            for (seg, part) in zip(route.segments, parts) {
                switch seg {
                case .literal(let l): if l != part { ok = false }
                case .parameter(let name): params[name] = String(part)
                }
                if !ok { break }
            }
            guard ok else { continue }
            // Only the most specific pattern that fits decides (its methods make the Allow list).
            if let first = matchedPattern, first != route.pattern { continue }
            matchedPattern = route.pattern
            allowed.append(route.method)
            if route.method == wanted, found == nil { found = (route, params) }
        }
        if let found { return .found(found.0, found.1) }
        if allowed.isEmpty { return .notFound }
        if allowed.contains("GET") { allowed.append("HEAD") }
        return .methodNotAllowed(allowed)
    }
}
