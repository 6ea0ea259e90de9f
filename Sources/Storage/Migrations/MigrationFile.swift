import Crypto
import Foundation

/// One numbered SQL file of the `migrations/` folder, read into memory with its checksum.
///
/// Why: applied migrations are append-only. The checksum (SHA-256 of the file's bytes) is
/// recorded in `schema_migrations` when the file is applied, so that an edit made afterwards
/// is detected and refused instead of silently diverging between databases.
///
/// ```swift
/// let files = try Migrations.load(from: "migrations")
/// print(files.map(\.fileName))   // ["0001_initial.sql", "0002_committees.sql"]
/// ```
public struct MigrationFile: Sendable, Equatable {
    /// The number in front of the file name: `2` for `0002_committees.sql`.
    public var version: Int
    /// The words after the number: `committees` for `0002_committees.sql`.
    public var name: String
    /// The file name as found on disk, used in every message about this file.
    public var fileName: String
    /// The SQL script, possibly several statements, run as one transaction.
    public var sql: String
    /// Lowercase hexadecimal SHA-256 of the file's bytes.
    public var checksum: String

    /// Builds a migration from the bytes of its file.
    ///
    /// - throws: ``MigrationError/notUTF8(fileName:)`` when the bytes are not UTF-8.
    public init(version: Int, name: String, fileName: String, contents: Data) throws {
        guard let sql = String(data: contents, encoding: .utf8) else {
            throw MigrationError.notUTF8(fileName: fileName)
        }
        self.version = version
        self.name = name
        self.fileName = fileName
        self.sql = sql
        self.checksum = MigrationFile.sha256Hex(contents)
    }

    /// Lowercase hexadecimal SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
