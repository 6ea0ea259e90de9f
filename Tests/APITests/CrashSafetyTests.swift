@testable import API
import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `parcours` binary, killed with SIGKILL in the middle of a write load: what it
/// acknowledged must survive, the file must stay sound, and a backup taken under load must be
/// consistent. Loopback only, bounded (each test well under a minute).
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    @Test("after SIGKILL under write load, every acknowledged write is there, the file is sound, and indicators do not move on restart")
    func killMidLoad() throws {
        let dir = try ServerProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("crash.sqlite").path

        let first = try ServerProcess.start(db: db)
        let token = try #require(first.adminToken, "the first start prints an admin token")
        let referent = try WriteLoad.referent(port: first.port, token: token)
        let load = WriteLoad(port: first.port, token: token, referent: referent, clients: 4)
        load.start()
        Thread.sleep(forTimeInterval: 2)
        first.kill(SIGKILL)
        load.stop()
        #expect(load.participants.count > 0, "some writes were acknowledged before the kill")

        let second = try ServerProcess.start(db: db)
        let stored = try ServerProcess.read(db) { db in
            (participants: Set(try Int64.fetchAll(db, sql: "SELECT id FROM participants")),
             interviews: Set(try Int64.fetchAll(db, sql: "SELECT id FROM interviews")))
        }
        let lostParticipants = load.participants.filter { !stored.participants.contains($0) }
        let lostInterviews = load.interviews.filter { !stored.interviews.contains($0) }
        #expect(lostParticipants.isEmpty, "acknowledged participants missing: \(lostParticipants.prefix(10))")
        #expect(lostInterviews.isEmpty, "acknowledged interviews missing: \(lostInterviews.prefix(10))")
        // Spot-check through the API too.
        let client = try HTTPTestClient(port: second.port)
        for id in load.participants.suffix(5) {
            #expect(try client.request("GET", "/v1/participants/\(id)", token: token).status == 200)
        }
        // Every write and its audit row share one transaction: none without the other.
        let audit = try ServerProcess.read(db) { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE entity = 'interview' AND action = 'create'") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM interviews") ?? -2)
        }
        #expect(audit.0 == audit.1)

        // Indicators (or, without that route, the counts) are the same across another restart.
        let before = try Self.indicators(client, token: token, db: db)
        second.kill(SIGKILL)
        let third = try ServerProcess.start(db: db)
        let after = try Self.indicators(try HTTPTestClient(port: third.port), token: token, db: db)
        #expect(before == after)
        third.kill(SIGTERM)
        #expect(try ServerProcess.read(db) { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try ServerProcess.read(db) { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count } == 0)
    }

    @Test("a backup taken while the server is writing restores to a consistent database")
    func backupUnderLoad() throws {
        let dir = try ServerProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("live.sqlite").path
        let backup = dir.appendingPathComponent("backup.sqlite").path

        let server = try ServerProcess.start(db: db)
        defer { server.kill(SIGTERM) }
        let token = try #require(server.adminToken)
        let referent = try WriteLoad.referent(port: server.port, token: token)
        let load = WriteLoad(port: server.port, token: token, referent: referent, clients: 3)
        load.start()
        Thread.sleep(forTimeInterval: 1)
        let status = try ServerProcess.run(["backup", "--db", db, "--to", backup])
        Thread.sleep(forTimeInterval: 0.5)
        load.stop()
        #expect(status == 0)

        // Restore: the backup is a plain database file; open it as the server would.
        let copy = try DatabaseQueue(path: backup)
        try copy.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            let participants = try Int.fetchOne(db, sql: "SELECT count(*) FROM participants") ?? 0
            let interviews = try Int.fetchOne(db, sql: "SELECT count(*) FROM interviews") ?? 0
            #expect(participants > 0 && participants <= load.participants.count + 1)
            // One commit's snapshot: each row with its audit row, no half-written request.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE entity = 'participant' AND action = 'create'") == participants)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE entity = 'interview' AND action = 'create'") == interviews)
        }
        let live = try ServerProcess.read(db) { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM participants") ?? 0 }
        #expect(try copy.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM participants") ?? 0 } <= live)
    }

    /// GET /v1/indicators' body when the route exists; else the counts it would be built from.
    static func indicators(_ client: HTTPTestClient, token: String, db: String) throws -> String {
        let r = try client.request("GET", "/v1/indicators", token: token)
        if r.status == 200 { return r.text }
        return try ServerProcess.read(db) { db in
            try String.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM participants) || '/' || (SELECT count(*) FROM interviews) || '/' ||
                       (SELECT count(*) FROM participants WHERE status = 'exited') || '/' || (SELECT count(*) FROM audit_log)
                """) ?? ""
        }
    }
}

/// Several clients, each on its own connection, creating participants and interviews until
/// told to stop or until the server goes away; remembers every write answered 201.
final class WriteLoad: @unchecked Sendable {
    let port: Int, token: String, referent: String, clients: Int
    private let lock = NSLock()
    private var acknowledgedParticipants: [Int64] = []
    private var acknowledgedInterviews: [Int64] = []
    private var stopping = false
    private let group = DispatchGroup()

    init(port: Int, token: String, referent: String, clients: Int) {
        self.port = port; self.token = token; self.referent = referent; self.clients = clients
    }

    var participants: [Int64] { lock.lock(); defer { lock.unlock() }; return acknowledgedParticipants }
    var interviews: [Int64] { lock.lock(); defer { lock.unlock() }; return acknowledgedInterviews }
    private var stopped: Bool { lock.lock(); defer { lock.unlock() }; return stopping }

    /// A structure and a referent to attach participants to.
    static func referent(port: Int, token: String) throws -> String {
        let c = try HTTPTestClient(port: port)
        let s = try c.request("POST", "/v1/structures", token: token, json: obj(["name": "Structure crash"]))
        let r = try c.request("POST", "/v1/referents", token: token, json: obj([
            "structure_id": .string(s.id), "first_name": "Anne", "last_name": "Martin", "fte": .double(1)]))
        guard r.status == 201 else { throw HTTPTestClient.Failure(description: "referent: \(r.status) \(r.text)") }
        return r.id
    }

    func start() {
        for n in 0..<clients {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                run(client: n)
            }
        }
        Thread.sleep(forTimeInterval: 0.05)
    }

    func stop() {
        lock.lock(); stopping = true; lock.unlock()
        _ = group.wait(timeout: .now() + 15)
    }

    private func run(client n: Int) {
        guard let c = try? HTTPTestClient(port: port, timeout: 5) else { return }
        var i = 0
        while !stopped {
            i += 1
            do {
                let p = try c.request("POST", "/v1/participants", token: token, json: obj([
                    "first_name": .string("Client\(n)"), "last_name": .string("Charge\(i)"), "birth_date": "1990-01-01",
                    "referent_id": .string(referent)]))
                guard p.status == 201, let pid = Int64(p.id) else { continue }
                lock.lock(); acknowledgedParticipants.append(pid); lock.unlock()
                for k in 0..<2 {
                    let r = try c.request("POST", "/v1/participants/\(pid)/interviews", token: token, json: obj([
                        "date": "2025-01-10", "kind": "individual", "duration_minutes": 30,
                        "summary": .string("Entretien \(k) : point sur la mobilité et la recherche d'emploi.")]))
                    if r.status == 201, let id = Int64(r.id) { lock.lock(); acknowledgedInterviews.append(id); lock.unlock() }
                }
            } catch {
                return  // the server is gone: what was acknowledged is recorded
            }
        }
    }
}

/// `parcours serve` as a child process on an ephemeral loopback port.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let adminToken: String?

    private init(process: Process, port: Int, adminToken: String?) {
        self.process = process; self.port = port; self.adminToken = adminToken
    }

    /// The package's root, from this file's place in Tests/APITests/.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary built beside the tests (`swift build --build-tests` builds it too).
    static func binary() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("parcours"),
            root.appendingPathComponent(".build/debug/parcours"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw HTTPTestClient.Failure(description: "no parcours binary in \(candidates.map(\.path)): run `swift build` first")
        }
        return found
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parcours-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts the server and waits (at most 30 s) for its "listening" line.
    static func start(db: String) throws -> ServerProcess {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = ["serve", "--db", db, "--port", "0", "--log-level", "warning",
                             "--migrations", root.appendingPathComponent("migrations").path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        let handle = out.fileHandleForReading
        while !text.contains("listening on"), Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let listening = lines.first(where: { $0.contains("listening on http://") }),
              let portText = listening.split(separator: ":").last?.split(separator: " ").first, let port = Int(portText) else {
            process.terminate()
            throw HTTPTestClient.Failure(description: "the server did not start: \(text)")
        }
        let token = lines.firstIndex(where: { $0.contains("shown only once") }).map { lines[$0 + 1] }
        return ServerProcess(process: process, port: port, adminToken: token)
    }

    /// Sends `signal` and waits for the process to end.
    func kill(_ signal: Int32) {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Runs a `parcours` command to completion; returns its exit status.
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Reads the database file directly (a second process, as an operator's sqlite3 would).
    static func read<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        return try queue.read(body)
    }
}
