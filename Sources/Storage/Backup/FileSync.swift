import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls a crash-safe file replacement needs, which Foundation does not offer:
/// fsync of a file and of its folder, and a rename that replaces the destination atomically.
enum FileSync {
    /// Flushes `path` (a file or a folder) to stable storage.
    static func fsync(path: String, directory: Bool = false) throws {
        #if os(Linux)
        let flags = directory ? O_RDONLY | O_DIRECTORY : O_RDONLY
        #else
        let flags = O_RDONLY
        #endif
        let descriptor = open(path, flags)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { _ = close(descriptor) }
        #if canImport(Glibc)
        let result = Glibc.fsync(descriptor)
        #else
        let result = Darwin.fsync(descriptor)
        #endif
        guard result == 0 else { throw failure("fsync", path) }
    }

    /// Renames `source` to `destination`, replacing it in one step: readers see the old file
    /// or the new one, never a half-written one.
    static func replace(_ destination: String, with source: String) throws {
        guard rename(source, destination) == 0 else { throw failure("rename \(source) to", destination) }
    }

    private static func failure(_ operation: String, _ path: String) -> BackupError {
        let reason = String(cString: strerror(errno))
        return BackupError.fileSystem(operation: operation, path: path, reason: reason)
    }
}
