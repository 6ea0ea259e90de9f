import Foundation

/// Why the migrations could not be loaded or applied, worded for the person running the server.
///
/// Why a dedicated type: the server refuses to start on any of these, and the message printed
/// must say which file to look at and what to do.
///
/// ```swift
/// do { try Migrations.apply(files, to: pool) }
/// catch let error as MigrationError { print(error) }   // names the file at fault
/// ```
public enum MigrationError: Error, Equatable, LocalizedError, CustomStringConvertible {
    /// The migrations folder does not exist or cannot be listed.
    case directoryUnreadable(path: String, reason: String)
    /// A file could not be read.
    case fileUnreadable(path: String, reason: String)
    /// A `.sql` file whose name is not `NNNN_name.sql`.
    case badFileName(fileName: String)
    /// A file that is not UTF-8 text.
    case notUTF8(fileName: String)
    /// Two files carry the same version number.
    case duplicateVersion(version: Int, fileNames: [String])
    /// Version numbers must run 1, 2, 3... without a hole.
    case gap(expected: Int, fileName: String)
    /// An applied migration whose file has changed since.
    case changedAfterApply(fileName: String, version: Int, recordedChecksum: String, currentChecksum: String)
    /// An applied migration whose file is gone.
    case appliedFileMissing(version: Int, name: String)
    /// A new file numbered below a migration already applied: it would run out of order.
    case outOfOrder(fileName: String, latestApplied: Int)
    /// A migration's SQL failed; nothing of that file was kept.
    case failed(fileName: String, reason: String)

    public var description: String {
        switch self {
        case let .directoryUnreadable(path, reason):
            return "cannot read the migrations folder \(path): \(reason)"
        case let .fileUnreadable(path, reason):
            return "cannot read the migration file \(path): \(reason)"
        case let .badFileName(fileName):
            return "migration file \(fileName) is not named NNNN_name.sql (e.g. 0001_initial.sql); rename it"
        case let .notUTF8(fileName):
            return "migration file \(fileName) is not UTF-8 text"
        case let .duplicateVersion(version, fileNames):
            return "migration version \(version) is used by several files: \(fileNames.joined(separator: ", ")); each version must be used once"
        case let .gap(expected, fileName):
            return "migration versions must follow each other from 1: expected version \(expected), found \(fileName)"
        case let .changedAfterApply(fileName, version, recorded, current):
            return "migration \(fileName) (version \(version)) was changed after it was applied to this database "
                + "(recorded checksum \(recorded), file checksum \(current)). Applied migrations are append-only: "
                + "restore the file as it was and put the change in a new migration file"
        case let .appliedFileMissing(version, name):
            return "migration version \(version) (\(name)) was applied to this database but its file is missing. "
                + "Applied migrations are append-only: restore the file"
        case let .outOfOrder(fileName, latestApplied):
            return "migration \(fileName) is not applied but version \(latestApplied) already is; "
                + "it would run out of order. Give it a number after \(latestApplied)"
        case let .failed(fileName, reason):
            return "migration \(fileName) failed and was not applied: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
