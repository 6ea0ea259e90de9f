import Foundation

/// Runs python3 to read what the project wrote with a standard reader (csv, zipfile, json),
/// not with the project's own code. Shared by the test targets.
public enum Python {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let standardError: String
        public var description: String { "python3 exited with \(status): \(standardError)" }
    }

    /// Runs `python3 -c script arguments...` and returns its standard output.
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: a full pipe would otherwise block the child forever.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, standardError: String(decoding: err, as: UTF8.self))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs a script that prints JSON and decodes it.
    public static func json<T: Decodable>(_ type: T.Type, _ script: String, _ arguments: [String] = []) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(run(script, arguments).utf8))
    }

    public static func hasModule(_ name: String) -> Bool {
        (try? run("import \(name)")) != nil
    }

    /// The rows of a CSV file as Python's csv module reads it (`;`, UTF-8 with BOM).
    public static func csvRows(_ bytes: [UInt8]) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("parcours-csv-\(UUID().uuidString).csv")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try run("""
            import csv, json, sys
            with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
                print(json.dumps(list(csv.reader(f, delimiter=';'))))
            """, [file.path])
        return try JSONDecoder().decode([[String]].self, from: Data(out.utf8))
    }
}
