import Foundation

/// The schema's history as numbered SQL files, and the runner that applies them.
///
/// Why plain SQL files rather than Swift code: the schema stays readable in one folder, and a
/// database administrator can review exactly what will run. The rules:
/// - files are named `NNNN_name.sql` and numbered 1, 2, 3... without gaps or duplicates;
/// - each file runs in its own transaction, together with its `schema_migrations` row;
/// - once applied, a file is never edited nor removed (its SHA-256 is checked at each start).
///
/// ```swift
/// guard let folder = Migrations.locateDirectory(explicit: options.migrations) else { ... }
/// let files = try Migrations.load(from: folder)
/// let applied = try Migrations.apply(files, to: pool)
/// print("applied \(applied.map(\.fileName))")
/// ```
public enum Migrations {
    /// Reads the migration files of `directory`, ordered by version.
    ///
    /// Hidden files, folders and files not ending in `.sql` are ignored (a README may live
    /// there). A `.sql` file with another name shape is an error rather than skipped, so a
    /// mistyped `001_x.sql` is not silently left out.
    ///
    /// - throws: ``MigrationError`` on an unreadable folder or file, a misnamed `.sql` file,
    ///   a duplicate version, or a gap in the numbering (which must start at 1).
    public static func load(from directory: String) throws -> [MigrationFile] {
        let manager = FileManager.default
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.directoryUnreadable(path: directory, reason: reason(error))
        }

        var files: [MigrationFile] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") && entry.hasSuffix(".sql") {
            let path = (directory as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            guard let (version, name) = parseFileName(entry) else {
                throw MigrationError.badFileName(fileName: entry)
            }
            let contents: Data
            do {
                contents = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw MigrationError.fileUnreadable(path: path, reason: reason(error))
            }
            files.append(try MigrationFile(version: version, name: name, fileName: entry, contents: contents))
        }

        files.sort { ($0.version, $0.fileName) < ($1.version, $1.fileName) }
        var expected = 1
        for (index, file) in files.enumerated() {
            if index > 0, files[index - 1].version == file.version {
                let sameVersion = files.filter { $0.version == file.version }.map(\.fileName)
                throw MigrationError.duplicateVersion(version: file.version, fileNames: sameVersion)
            }
            guard file.version == expected else {
                throw MigrationError.gap(expected: expected, fileName: file.fileName)
            }
            expected += 1
        }
        return files
    }

    /// Splits `0002_committees.sql` into `(2, "committees")`; nil when the name has another shape.
    static func parseFileName(_ fileName: String) -> (version: Int, name: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(".sql".count)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard digits.count >= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              !name.isEmpty, let version = Int(digits)
        else { return nil }
        return (version, String(name))
    }

    /// Finds the migrations folder, first match wins:
    /// 1. `explicit` (the `--migrations` option), returned as given even if missing, so that
    ///    ``load(from:)`` reports the path the user typed;
    /// 2. the `PARCOURS_MIGRATIONS` environment variable, likewise;
    /// 3. `./migrations` if it is a folder;
    /// 4. next to the executable: `migrations` one to three folders above it (a build tree:
    ///    `.build/<triple>/release/parcours`, whatever the current folder) and
    ///    `<exe dir>/../share/parcours/migrations` (installed under a prefix).
    ///
    /// Returns nil when nothing is found.
    ///
    /// ```swift
    /// let folder = Migrations.locateDirectory(explicit: nil)   // "./migrations" in the repo
    /// ```
    public static func locateDirectory(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = Bundle.main.executablePath
    ) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["PARCOURS_MIGRATIONS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        var candidates = [URL(fileURLWithPath: currentDirectory).appendingPathComponent("migrations")]
        if let executablePath {
            let executableDirectory = URL(fileURLWithPath: executablePath)
                .resolvingSymlinksInPath()
                .deletingLastPathComponent()
            // In a build tree the binary is .build/<triple>/release/parcours (`.build/release` is a
            // link to it): the project's folder is two or three levels up.
            var ancestor = executableDirectory
            for _ in 0..<3 {
                ancestor = ancestor.deletingLastPathComponent()
                candidates.append(ancestor.appendingPathComponent("migrations"))
            }
            candidates.append(executableDirectory.appendingPathComponent("../share/parcours/migrations"))
        }
        for candidate in candidates {
            let path = candidate.standardizedFileURL.path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return path
            }
        }
        return nil
    }

    static func reason(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}
