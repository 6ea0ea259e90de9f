import Domain
import Foundation
@testable import Exports

/// Collects what a writer sends, and how it was cut.
final class CollectingSink {
    private(set) var bytes: [UInt8] = []
    private(set) var pieceSizes: [Int] = []

    var sink: ByteSink {
        { [self] piece in
            bytes.append(contentsOf: piece)
            pieceSizes.append(piece.count)
        }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A scratch folder per test, removed when the test ends.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("exports-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ bytes: [UInt8], named name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    var contents: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    }
}

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
    static func json<T: Decodable>(_ type: T.Type, _ script: String, _ arguments: [String] = []) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(run(script, arguments).utf8))
    }

    static func hasModule(_ name: String) -> Bool {
        (try? run("import \(name)")) != nil
    }
}

func date(_ iso: String) -> Day {
    Day(iso)!
}
