import Foundation

/// A fresh folder under the system temporary directory, removed when the value goes away.
/// Each test makes its own, so tests never share files and can run in parallel.
final class TemporaryFolder {
    let path: String

    init(_ label: String = "storage") throws {
        path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("parcours-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `contents` to `name` inside this folder (creating intermediate folders).
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove(_ name: String) throws { try FileManager.default.removeItem(atPath: file(name)) }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
}
