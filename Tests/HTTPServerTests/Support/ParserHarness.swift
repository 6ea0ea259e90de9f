@testable import HTTPServer

/// A parsed message reduced to comparable values.
struct ParsedMessage: Equatable, CustomStringConvertible {
    var method: String
    var target: String
    var path: String
    var query: String?
    var version: HTTPVersion
    var headers: [String]
    var framing: HTTPRequestFraming
    var body: [UInt8]

    var description: String { "\(method) \(target) \(headers) \(framing) body:\(body.count)" }
}

/// What feeding some bytes to a parser produced.
struct ParseOutcome: Equatable {
    var messages: [ParsedMessage] = []
    var error: HTTPParseError?
    /// A head whose message has not ended yet.
    var incomplete = false
}

/// Feeds `chunks` one by one, draining events after each, like the server does.
func parse(chunks: [[UInt8]], configuration: HTTPServerConfiguration = HTTPServerConfiguration()) -> ParseOutcome {
    var parser = HTTPRequestParser(configuration: configuration)
    var outcome = ParseOutcome()
    var current: ParsedMessage?
    for chunk in chunks {
        parser.append(chunk)
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head, let framing):
                    current = ParsedMessage(
                        method: head.method, target: head.target, path: head.path, query: head.query,
                        version: head.version, headers: head.headers.fields.map { "\($0.name): \($0.value)" },
                        framing: framing, body: [])
                case .body(let bytes):
                    current?.body.append(contentsOf: bytes)
                case .end:
                    if let message = current { outcome.messages.append(message) }
                    current = nil
                }
            }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    outcome.incomplete = current != nil
    return outcome
}

func parse(_ text: String, configuration: HTTPServerConfiguration = HTTPServerConfiguration()) -> ParseOutcome {
    parse(chunks: [Array(text.utf8)], configuration: configuration)
}

/// The status a request is refused with, or nil when it parsed.
func refusal(_ text: String, configuration: HTTPServerConfiguration = HTTPServerConfiguration()) -> Int? {
    parse(text, configuration: configuration).error?.status
}
