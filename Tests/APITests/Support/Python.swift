import Foundation

/// Runs python3 to read an export back with a standard reader (csv), not with our own code.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let standardError: String
        var description: String { "python3 exited with \(status): \(standardError)" }
    }

    /// Runs `python3 -c script arguments...` and returns its standard output.
    static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe(), errors = Pipe()
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

    /// The rows of a CSV file as Python's csv module reads it (`;`, UTF-8 with BOM).
    static func csvRows(_ bytes: [UInt8]) throws -> [[String]] {
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
