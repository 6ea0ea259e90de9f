import Foundation
import Testing

/// Out of file descriptors, `accept` fails with EMFILE while the pending connection stays
/// readable: a naive loop spins a core. This runs the benchmark server in a child process
/// with a tiny descriptor limit, so the rest of the test process keeps its own.
@Suite("Server under descriptor exhaustion")
struct AcceptBackoffTests {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("with no descriptor left, the server backs off instead of spinning, and serves again once some are freed")
    func emfileBackoff() throws {
        let binary = Self.packageRoot.appendingPathComponent(".build/debug/http-echo-bench").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("build the package first (swift build --build-tests builds http-echo-bench)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -n 48 && exec \"$0\" 0 2", binary]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            // SIGKILL: the child inherits the test runner's signal mask, where SIGTERM is blocked.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            Issue.record("no port in \(line)")
            return
        }

        var clients: [RawClient] = []
        for _ in 0..<80 { clients.append(try RawClient(port: port)) }
        Thread.sleep(forTimeInterval: 0.3)
        let before = cpuSeconds(process.processIdentifier)
        Thread.sleep(forTimeInterval: 1)
        let spent = cpuSeconds(process.processIdentifier) - before
        #expect(spent < 0.3, "the server used \(spent) s of CPU in 1 s while out of descriptors")

        clients.removeFirst(70)
        Thread.sleep(forTimeInterval: 0.3)
        let client = try RawClient(port: port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    /// User + system CPU time of a process, from /proc.
    private func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based) → 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
