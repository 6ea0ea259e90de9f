// A trivial server for measuring the HTTP layer alone:
//   swift build -c release --product http-echo-bench
//   .build/release/http-echo-bench 8081 &
//   wrk -t2 -c64 -d5s http://127.0.0.1:8081/
import Foundation
import HTTPServer

/// Answers "ok" to every request; accepts bodies up to the default limit.
struct OKResponder: HTTPResponder {
    func prepare(_ head: HTTPRequestHead) -> BodyDecision { .accept(maxBytes: 1 << 20) }
    func respond(to request: HTTPRequest) -> HTTPResponse {
        HTTPResponse(status: 200, contentType: "text/plain", body: Array("ok".utf8))
    }
}

var configuration = HTTPServerConfiguration()
configuration.port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8081 : 8081
if CommandLine.arguments.count > 2, let workers = Int(CommandLine.arguments[2]) { configuration.workerThreads = workers }
let server = HTTPServer(configuration: configuration, responder: OKResponder())
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
print("listening on \(server.port)")
fflush(stdout)
while true { sleep(1000) }
