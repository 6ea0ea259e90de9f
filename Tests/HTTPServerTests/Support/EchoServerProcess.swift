import Foundation

/// The benchmark server (`http-echo-bench`, answers "ok" to everything) in a child process,
/// so that a test can give it a descriptor limit of its own and count its descriptors in /proc
/// without touching the test process, where the other tests run in parallel.
final class EchoServerProcess {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/http-echo-bench").path

    struct Failure: Error, CustomStringConvertible { var description: String }

    let process = Process()
    let port: Int
    var pid: Int32 { process.processIdentifier }

    /// Starts the server under `ulimit -n descriptorLimit` (the hard limit when nil).
    init(descriptorLimit: Int? = nil, workers: Int = 2) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "build the package first (swift build --build-tests builds http-echo-bench)")
        }
        let limit = descriptorLimit.map(String.init) ?? "$(ulimit -Hn)"
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -n \(limit) && exec \"$0\" 0 \(workers)", Self.binary]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw Failure(description: "no port in \(line)")
        }
        self.port = port
    }

    /// SIGKILL: the child inherits the test runner's signal mask, where SIGTERM is blocked.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }

    /// The descriptors the server holds open now.
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    /// User + system CPU time, from /proc.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based) → 11 and 12 here.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// The hard limit on open descriptors per process: what a child may raise its own limit to.
var descriptorHardLimit: Int {
    var limit = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    return Int(clamping: limit.rlim_max)
}
