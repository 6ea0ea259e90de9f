/// When a response is worth compressing (HTTP-CHECKLIST.md, "gzip").
enum GzipPolicy {
    /// Whether the response could be compressed for a client that accepts gzip: a body of
    /// at least `minimumBytes` (or a stream), a status with a body, no Content-Encoding yet,
    /// and a type that is not already compressed.
    static func isCompressible(status: Int, headers: HTTPHeaders, body: HTTPBody, minimumBytes: Int) -> Bool {
        if status < 200 || status == 204 || status == 304 { return false }
        if headers.contains("Content-Encoding") { return false }
        switch body {
        case .bytes(let b): if b.count < minimumBytes { return false }
        case .stream: break
        }
        return isCompressibleType(headers["Content-Type"])
    }

    /// Images, audio, video, archives, PDF and opaque binaries gain nothing from gzip.
    static func isCompressibleType(_ contentType: String?) -> Bool {
        guard let contentType else { return true }
        let t = contentType.lowercased()
        let alreadyCompressed = ["image/", "video/", "audio/", "application/zip", "application/gzip",
                                 "application/x-gzip", "application/vnd.openxmlformats", "application/pdf",
                                 "application/octet-stream"]
        return !alreadyCompressed.contains { t.hasPrefix($0) }
    }
}
