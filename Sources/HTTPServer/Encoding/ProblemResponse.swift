/// The error answers the HTTP layer builds itself (framing errors, timeouts), as RFC 9457
/// problem details: `{"type":"about:blank","title":...,"status":N,"detail":...}`.
enum ProblemResponse {
    static func make(status: Int, detail: String) -> HTTPResponse {
        var json: [UInt8] = []
        json.reserveCapacity(128 + detail.utf8.count)
        json.append(contentsOf: "{\"type\":\"about:blank\",\"title\":".utf8)
        appendJSONString(HTTPResponse.reason(status), to: &json)
        json.append(contentsOf: ",\"status\":".utf8)
        HTTPResponseEncoder.appendDecimal(status, to: &json)
        json.append(contentsOf: ",\"detail\":".utf8)
        appendJSONString(detail, to: &json)
        json.append(125)
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        headers.add("Connection", "close")
        return HTTPResponse(status: status, headers: headers, body: .bytes(json))
    }

    private static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(34)
        for c in s.utf8 {
            switch c {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(c >> 4)])
                out.append(hex[Int(c & 0xF)])
            default: out.append(c)
            }
        }
        out.append(34)
    }
}
