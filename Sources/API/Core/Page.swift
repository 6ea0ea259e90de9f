/// Keyset pagination: `limit` and an opaque cursor holding the sort key of the last item sent.
public struct Page: Sendable {
    public static let defaultLimit = 50
    public static let maxLimit = 500

    public let limit: Int
    /// The decoded cursor: the last key sent ("17", or "2026-01-05|17" for lists by date).
    public let after: String?

    public init(limit: String?, cursor: String?) throws {
        if let limit {
            guard let n = Int(limit), String(n) == limit, (1...Page.maxLimit).contains(n) else {
                throw APIError.invalid("limit", "must be an integer between 1 and \(Page.maxLimit)")
            }
            self.limit = n
        } else {
            self.limit = Page.defaultLimit
        }
        if let cursor, !cursor.isEmpty {
            guard let decoded = Page.decode(cursor) else { throw APIError.invalid("cursor", "is not a cursor this server gave") }
            after = decoded
        } else {
            after = nil
        }
    }

    /// The id after which to continue, for lists ordered by id.
    public var afterId: Int64 {
        get throws {
            guard let after else { return 0 }
            guard let v = Int64(after) else { throw APIError.invalid("cursor", "is not a cursor of this list") }
            return v
        }
    }

    /// Splits the rows fetched with `limit + 1` into the page and the next cursor.
    public func paginate<T>(_ rows: [T], key: (T) -> String) -> ([T], String?) {
        guard rows.count > limit else { return (rows, nil) }
        let page = Array(rows.prefix(limit))
        return (page, page.last.map { Page.encode(key($0)) })
    }

    static func encode(_ key: String) -> String {
        base64url(Array(("c1:" + key).utf8))
    }

    static func decode(_ cursor: String) -> String? {
        guard let bytes = fromBase64url(cursor), let text = String(validating: bytes, as: UTF8.self), text.hasPrefix("c1:") else { return nil }
        return String(text.dropFirst(3))
    }
}

private let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

func base64url(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var i = 0
    while i + 2 < bytes.count {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
        i += 3
    }
    let rest = bytes.count - i
    if rest == 1 {
        let n = UInt32(bytes[i]) << 16
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
    } else if rest == 2 {
        let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
    }
    return String(decoding: out, as: UTF8.self)
}

func fromBase64url(_ text: String) -> [UInt8]? {
    var values: [UInt8] = []
    for c in text.utf8 {
        guard let v = alphabet.firstIndex(of: c) else { return nil }
        values.append(UInt8(v))
    }
    guard values.count % 4 != 1 else { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < values.count {
        let chunk = values[i..<min(i + 4, values.count)]
        var n: UInt32 = 0
        for (k, v) in chunk.enumerated() { n |= UInt32(v) << (18 - 6 * k) }
        out.append(UInt8(n >> 16 & 255))
        if chunk.count > 2 { out.append(UInt8(n >> 8 & 255)) }
        if chunk.count > 3 { out.append(UInt8(n & 255)) }
        i += 4
    }
    return out
}
