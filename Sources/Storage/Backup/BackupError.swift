import Foundation

/// Why a backup could not be written, worded for the operator running `parcours backup`.
///
/// Why a dedicated type: the backup runs from the CLI or a cron job, whose log must say what
/// to fix (a wrong path, a full disk), not an errno alone.
///
/// ```swift
/// do { try Backup.run(from: pool, to: "/backups/parcours.sqlite") }
/// catch let error as BackupError { print(error) }
/// ```
public enum BackupError: Error, Equatable, LocalizedError, CustomStringConvertible {
    /// The destination is the database being backed up.
    case destinationIsSource(path: String)
    /// A `-wal` file sits next to the destination: some process has it open as a database, or
    /// left it unclean, and replacing the file under it would corrupt it.
    case destinationInUse(path: String)
    /// A file-system call failed.
    case fileSystem(operation: String, path: String, reason: String)

    public var description: String {
        switch self {
        case let .destinationIsSource(path):
            return "cannot back up the database onto itself (\(path)); choose another destination"
        case let .destinationInUse(path):
            return "the backup destination \(path) has a \(path)-wal file next to it: it is in use "
                + "as a database or was not closed cleanly; choose another destination"
        case let .fileSystem(operation, path, reason):
            return "backup failed to \(operation) \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
