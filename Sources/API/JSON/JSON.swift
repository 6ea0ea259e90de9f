/// A JSON value. Responses are built from database rows into this and serialised by hand:
/// no Codable round trip on the hot path, and the field order is the order written.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    /// Ordered: keys appear in the output in this order.
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.int(x), .double(y)), let (.double(y), .int(x)): return Double(x) == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            for (k, v) in x { guard let w = y.first(where: { $0.0 == k })?.1, v == w else { return false } }
            return true
        default: return false
        }
    }

    /// The value of a key of an object.
    public subscript(key: String) -> JSON? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int(d)
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self { case .int(let i): return Double(i); case .double(let d): return d; default: return nil }
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [(String, JSON)]? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// An optional string as JSON: null when absent.
    public static func string(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    public static func int(_ i: Int?) -> JSON { i.map(JSON.int) ?? .null }
    public static func bool(_ b: Bool?) -> JSON { b.map(JSON.bool) ?? .null }
    public static func double(_ d: Double?) -> JSON { d.map(JSON.double) ?? .null }
    /// An id column as the API's string id.
    public static func id(_ i: Int64?) -> JSON { i.map { .string(String($0)) } ?? .null }

    /// The compact UTF-8 serialisation.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(to: &out)
        return out
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: JSON.nullBytes)
        case .bool(let b): out.append(contentsOf: b ? JSON.trueBytes : JSON.falseBytes)
        case .int(let i): JSON.writeInt(i, to: &out)
        case .double(let d):
            if d.isFinite {
                if d == d.rounded(), abs(d) < 1e15 { JSON.writeInt(Int(d), to: &out) } else { out.append(contentsOf: Array("\(d)".utf8)) }
            } else { out.append(contentsOf: JSON.nullBytes) }
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let items):
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                item.write(to: &out)
            }
            out.append(93)
        case .object(let fields):
            out.append(123)
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out.append(44) }
                JSON.writeString(k, to: &out)
                out.append(58)
                v.write(to: &out)
            }
            out.append(125)
        }
    }

    static func writeInt(_ value: Int, to out: inout [UInt8]) {
        if value == 0 { out.append(48); return }
        var v = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 { buf[n] = UInt8(48 + v % 10); v /= 10; n += 1 }
            if value < 0 { out.append(45) }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)

    /// A string literal: runs that need no escape are copied whole (most strings are one run).
    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        var s = s
        s.withUTF8 { bytes in
            var run = 0
            for i in bytes.indices {
                let c = bytes[i]
                guard c < 32 || c == 34 || c == 92 else { continue }
                if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                run = i + 1
                switch c {
                case 34: out.append(92); out.append(34)
                case 92: out.append(92); out.append(92)
                case 10: out.append(92); out.append(110)
                case 13: out.append(92); out.append(114)
                case 9: out.append(92); out.append(116)
                default:
                    out.append(contentsOf: [92, 117, 48, 48]); out.append(hex[Int(c >> 4)]); out.append(hex[Int(c & 15)])
                }
            }
            if run < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
        }
        out.append(34)
    }
}

/// Builds an object field by field, skipping nothing: `nil` becomes `null`, which integrations
/// rely on (a field is always present).
public struct JSONObject {
    public private(set) var fields: [(String, JSON)] = []
    public init() {}
    public mutating func set(_ key: String, _ value: JSON) { fields.append((key, value)) }
    public var json: JSON { .object(fields) }
}
