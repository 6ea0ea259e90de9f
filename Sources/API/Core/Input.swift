import Domain

/// The fields of a JSON body, read with validation: each accessor records what is wrong, and
/// `finish()` throws one 422 listing every invalid field (and every unknown one, so a typo in
/// an integration's field name is an error, not silently ignored data).
public struct Input {
    public let fields: [(String, JSON)]
    public private(set) var errors: [FieldError] = []
    private var read: Set<String> = []

    public init(_ fields: [(String, JSON)]) { self.fields = fields }

    private mutating func value(_ key: String) -> JSON? {
        read.insert(key)
        return fields.first { $0.0 == key }?.1
    }

    public mutating func fail(_ key: String, _ message: String) { errors.append(FieldError(key, message)) }

    /// Whether the body carries the key (for PATCH: absent means unchanged; null means cleared).
    public func has(_ key: String) -> Bool { fields.contains { $0.0 == key } }

    /// Marks keys as known without reading them (read elsewhere).
    public mutating func accept(_ keys: String...) { for k in keys { read.insert(k) } }

    public mutating func string(_ key: String, required: Bool = false, maxLength: Int = 2000, allowEmpty: Bool = false) -> String? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let s = v.stringValue else { fail(key, "must be a string"); return nil }
        let trimmed = s.trimmingWhiteSpace()
        if !allowEmpty, trimmed.isEmpty { fail(key, required ? "is required and cannot be empty" : "cannot be empty (send null to clear)"); return nil }
        if s.count > maxLength { fail(key, "is longer than \(maxLength) characters"); return nil }
        return trimmed
    }

    /// An email address: one "@" with text on both sides, no spaces (what a typo breaks; the
    /// address itself is only proven by writing to it).
    public mutating func email(_ key: String) -> String? {
        let v = string(key, maxLength: 254)
        if let v, !(v.contains("@") && !v.hasPrefix("@") && !v.hasSuffix("@") && !v.contains(" ")) {
            fail(key, "is not an email address")
        }
        return v
    }

    public mutating func day(_ key: String, required: Bool = false) -> Day? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required (YYYY-MM-DD)") }
            return nil
        }
        guard let s = v.stringValue, let d = Day(s) else { fail(key, "must be a real date written YYYY-MM-DD"); return nil }
        return d
    }

    public mutating func code<T: DomainCode>(_ key: String, _ type: T.Type, required: Bool = false) -> T? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required: one of \(T.choices)") }
            return nil
        }
        guard let s = v.stringValue, let c = T(rawValue: s) else { fail(key, "must be one of \(T.choices)"); return nil }
        return c
    }

    public mutating func codes<T: DomainCode>(_ key: String, _ type: T.Type) -> [T]? {
        guard let v = value(key), !v.isNull else { return nil }
        guard let items = v.arrayValue else { fail(key, "must be an array of codes (\(T.choices))"); return nil }
        var out: [T] = []
        for item in items {
            guard let s = item.stringValue, let c = T(rawValue: s) else { fail(key, "holds an unknown code: use \(T.choices)"); return nil }
            if !out.contains(c) { out.append(c) }
        }
        return out
    }

    public mutating func int(_ key: String, required: Bool = false, in range: ClosedRange<Int>) -> Int? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let i = v.intValue else { fail(key, "must be an integer"); return nil }
        guard range.contains(i) else { fail(key, "must be between \(range.lowerBound) and \(range.upperBound)"); return nil }
        return i
    }

    public mutating func double(_ key: String, required: Bool = false, in range: ClosedRange<Double>) -> Double? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let d = v.doubleValue else { fail(key, "must be a number"); return nil }
        guard range.contains(d) else { fail(key, "must be between \(range.lowerBound) and \(range.upperBound)"); return nil }
        return d
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let b = v.boolValue else { fail(key, "must be true or false"); return nil }
        return b
    }

    /// An id given as a string ("12") or, leniently, a number.
    public mutating func id(_ key: String, required: Bool = false) -> Int64? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required") }
            return nil
        }
        if let s = v.stringValue, let i = Int64(s), i > 0, String(i) == s { return i }
        if let i = v.intValue, i > 0 { return Int64(i) }
        fail(key, "must be an id (a string of digits)")
        return nil
    }

    public mutating func ids(_ key: String) -> [Int64]? {
        guard let v = value(key), !v.isNull else { return nil }
        guard let items = v.arrayValue else { fail(key, "must be an array of ids"); return nil }
        var out: [Int64] = []
        for item in items {
            if let s = item.stringValue, let i = Int64(s), i > 0, String(i) == s { if !out.contains(i) { out.append(i) } }
            else { fail(key, "must hold ids (strings of digits)"); return nil }
        }
        return out
    }

    /// Any JSON object (questionnaire answers).
    public mutating func object(_ key: String, required: Bool = false) -> JSON? {
        guard let v = value(key), !v.isNull else {
            if required { fail(key, "is required (an object)") }
            return nil
        }
        guard case .object = v else { fail(key, "must be an object"); return nil }
        return v
    }

    /// A nested object's fields, for `evaluation {objectives_met, comment}`.
    public mutating func nested(_ key: String) -> Input? {
        guard let v = value(key), !v.isNull else { return nil }
        guard let o = v.objectValue else { fail(key, "must be an object"); return nil }
        return Input(o)
    }

    /// Merges a nested input's errors under `prefix.`.
    public mutating func absorb(_ nested: Input, prefix: String) {
        errors += nested.errors.map { FieldError(prefix + "." + $0.field, $0.message) }
        errors += nested.unknownKeys.map { FieldError(prefix + "." + $0, "is not a known field") }
    }

    public var unknownKeys: [String] { fields.map(\.0).filter { !read.contains($0) } }

    /// Throws the 422 of every invalid or unknown field, if any.
    public func finish() throws {
        let all = errors + unknownKeys.map { FieldError($0, "is not a known field") }
        if !all.isEmpty { throw APIError.invalid(all) }
    }
}

extension String {
    /// Without leading and trailing white space (Unicode's White_Space: spaces, tabs, newlines,
    /// no-break and other spaces, and the zero-width space), as Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` but without its NSString round trip;
    /// a string with nothing to trim comes back as it is.
    func trimmingWhiteSpace() -> String {
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace || c.value == 0x200B }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}
