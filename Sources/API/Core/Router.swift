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

        /// Whether every literal segment is the path's (the path has as many segments).
        func fits(_ parts: [String]) -> Bool {
            for (segment, part) in zip(segments, parts) {
                if case .literal(let literal) = segment, literal != part { return false }
            }
            return true
        }

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
    /// Routes by segment count, to keep matching cheap.
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
        guard let parts = Router.segments(of: path), let candidates = index[parts.count] else { return .notFound }
        let wanted = method == "HEAD" ? "GET" : method
        // Candidates are sorted most specific first: the first pattern that fits decides, and
        // its methods make the Allow list.
        var fitting: [Route] = []
        for route in candidates {
            if let first = fitting.first, first.pattern != route.pattern { continue }
            if route.fits(parts) { fitting.append(route) }
        }
        guard !fitting.isEmpty else { return .notFound }
        if let route = fitting.first(where: { $0.method == wanted }) {
            var params: [String: String] = [:]
            for (segment, part) in zip(route.segments, parts) {
                if case .parameter(let name) = segment { params[name] = part }
            }
            return .found(route, params)
        }
        var allowed = fitting.map(\.method)
        if allowed.contains("GET") { allowed.append("HEAD") }
        return .methodNotAllowed(allowed)
    }

    /// The segments of a path ("/v1/participants/12" → v1, participants, 12), or nil when one is
    /// empty: a doubled or trailing slash names a different resource. "/" has none.
    static func segments(of path: String) -> [String]? {
        let bytes = path.utf8
        var parts: [String] = []
        var start = bytes.startIndex
        if start != bytes.endIndex, bytes[start] == UInt8(ascii: "/") { start = bytes.index(after: start) }
        if start == bytes.endIndex { return parts }
        var i = start
        while true {
            if i == bytes.endIndex || bytes[i] == UInt8(ascii: "/") {
                if i == start { return nil }
                parts.append(String(path[start..<i]))
                if i == bytes.endIndex { return parts }
                start = bytes.index(after: i)
                if start == bytes.endIndex { return nil }
                i = start
            } else {
                i = bytes.index(after: i)
            }
        }
    }
}
