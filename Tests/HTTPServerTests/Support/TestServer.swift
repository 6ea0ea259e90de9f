import Foundation
@testable import HTTPServer

/// A responder built from closures, so each test states its own behaviour.
struct ClosureResponder: HTTPResponder {
    var prepareHandler: @Sendable (HTTPRequestHead) -> BodyDecision = { _ in .accept(maxBytes: 1 << 20) }
    var handler: @Sendable (HTTPRequest) -> HTTPResponse

    func prepare(_ head: HTTPRequestHead) -> BodyDecision { prepareHandler(head) }
    func respond(to request: HTTPRequest) -> HTTPResponse { handler(request) }
}

/// Echoes "METHOD path" then the body, as text/plain.
let echoHandler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
    HTTPResponse(status: 200, contentType: "text/plain",
                 body: Array("\(request.method) \(request.path)\n".utf8) + request.body)
}

/// Starts a server on an ephemeral loopback port, runs `body`, shuts the server down.
func withServer<T>(
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    prepare: @escaping @Sendable (HTTPRequestHead) -> BodyDecision = { _ in .accept(maxBytes: 1 << 20) },
    handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse = echoHandler,
    _ body: (HTTPServer) throws -> T
) throws -> T {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.workerThreads = 4
    configure(&configuration)
    let server = HTTPServer(configuration: configuration,
                            responder: ClosureResponder(prepareHandler: prepare, handler: handler))
    try server.start()
    defer { server.shutdown(timeout: 2) }
    return try body(server)
}

/// Seconds elapsed while running `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}
