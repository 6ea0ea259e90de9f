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

func date(_ iso: String) -> Day {
    Day(iso)!
}
