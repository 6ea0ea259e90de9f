/// One step of a request as the parser recognises it: a head, then zero or more pieces of
/// body (already de-chunked), then the end of the message.
public enum HTTPParserEvent: Sendable {
    case head(HTTPRequestHead, HTTPRequestFraming)
    case body([UInt8])
    case end
}
