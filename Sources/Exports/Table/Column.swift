/// A column of an export: the header shown to the reader and, for XLSX, a width.
public struct Column: Hashable, Sendable {
    /// The header text, also the key of each object in JSON.
    public var name: String
    /// Width in characters for XLSX; nil lets the writer size it from the header.
    public var width: Double?

    public init(_ name: String, width: Double? = nil) {
        self.name = name
        self.width = width
    }

    public init(name: String, width: Double? = nil) {
        self.init(name, width: width)
    }
}
