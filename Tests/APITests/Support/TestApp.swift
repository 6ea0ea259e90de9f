@testable import API
import Domain
import Foundation
import GRDB
import HTTPServer
import Logging
import Storage

/// A Parcours application on a fresh temporary database, called in-process (no socket):
/// requests go through the same `Application.respond` as over HTTP.
final class TestApp: @unchecked Sendable {
    let app: Application
    let pool: DatabasePool
    let directory: URL
    /// The admin token's secret.
    let adminToken: String
    var clockSeconds: Double

    /// With `demo`, the database is filled by the demo generator first, and its admin token is used.
    init(settings: Settings = Settings(), today: String? = nil, demo: DemoOptions? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parcours-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pool = try openDatabase(StorageConfiguration(path: directory.appendingPathComponent("test.sqlite").path, maxReaders: 4))
        try TestApp.migrate(pool)
        clockSeconds = today.flatMap(Day.init).map { Double($0.daysSinceEpoch) * 86_400 + 43_200 } ?? Date().timeIntervalSince1970
        let box = ClockBox()
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let env = AppEnvironment(pool: pool, settings: settings, clock: Clock(now: { box.seconds }), logger: logger)
        app = Application(env: env)
        if let demo {
            adminToken = try DemoGenerator.run(pool: pool, options: demo).adminToken
        } else {
            adminToken = try pool.write { db in
                try TokenStore.create(db, name: "test admin", role: .admin, referentId: nil, structureId: nil, createdBy: nil, at: "2026-01-01T00:00:00.000Z").secret
            }
        }
        box.seconds = clockSeconds
        self.box = box
    }

    private let box: ClockBox
    /// Moves the server's clock to noon UTC of `day`.
    func setToday(_ day: String) { box.seconds = Double(Day(day)!.daysSinceEpoch) * 86_400 + 43_200 }
    var today: Day { Day.today(now: box.seconds) }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The project's migrations folder, found from this source file.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("migrations").path

    static func migrate(_ pool: DatabasePool) throws {
        _ = try Migrations.apply(try Migrations.load(from: migrationsDirectory), to: pool)
    }

    /// Sends a request; `body` is JSON unless `rawBody` is given.
    @discardableResult
    func send(_ method: String, _ target: String, token: String? = nil, json: JSON? = nil, rawBody: [UInt8]? = nil,
              contentType: String? = nil, headers: [(String, String)] = []) -> TestResponse {
        var h = HTTPHeaders()
        h.add("Host", "test")
        if let t = token ?? Optional(adminToken), !t.isEmpty { h.add("Authorization", "Bearer \(t)") }
        var body: [UInt8] = []
        if let json { body = json.bytes; h.add("Content-Type", contentType ?? "application/json") }
        if let rawBody { body = rawBody; if let contentType { h.add("Content-Type", contentType) } }
        for (k, v) in headers { h.set(k, v) }
        let parts = target.split(separator: "?", maxSplits: 1)
        let head = HTTPRequestHead(method: method, target: target, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
                                   version: .http1_1, headers: h, remoteAddress: "test")
        if case .reject(let response) = app.prepare(head) { return TestResponse(response) }
        return TestResponse(app.respond(to: HTTPRequest(head: head, body: body)))
    }

    func get(_ target: String, token: String? = nil) -> TestResponse { send("GET", target, token: token) }
    func post(_ target: String, _ json: JSON, token: String? = nil, headers: [(String, String)] = []) -> TestResponse {
        send("POST", target, token: token, json: json, headers: headers)
    }
    func patch(_ target: String, _ json: JSON, token: String? = nil, headers: [(String, String)] = []) -> TestResponse {
        send("PATCH", target, token: token, json: json, headers: headers)
    }

    /// Creates a token of a role and returns its secret.
    func token(_ role: Role, referentId: String? = nil, structureId: String? = nil) -> String {
        var fields: [(String, JSON)] = [("role", .string(role.rawValue)), ("name", .string("test \(role.rawValue)"))]
        if let referentId { fields.append(("referent_id", .string(referentId))) }
        if let structureId { fields.append(("structure_id", .string(structureId))) }
        let r = post("/v1/tokens", .object(fields))
        precondition(r.status == 201, "token creation failed: \(r.text)")
        return r.json["secret"]!.stringValue!
    }

    /// Counts rows of a table, to show that a refused request changed nothing.
    func count(_ table: String, _ condition: String = "1") throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE \(condition)") ?? 0 }
    }
}

final class ClockBox: @unchecked Sendable { var seconds: Double = 0 }

/// A response with its body parsed.
struct TestResponse {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    init(_ r: HTTPResponse) {
        status = r.status; headers = r.headers
        switch r.body {
        case .bytes(let b): body = b
        case .stream(let producer):
            var out: [UInt8] = []
            let box = BytesBox()
            try? producer { box.bytes += $0 }
            out = box.bytes
            body = out
        }
    }

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSON { (try? JSONParser.parse(body)) ?? .null }
    /// The id of a created resource.
    var id: String { json["id"]?.stringValue ?? "" }
    var etag: String? { headers["ETag"] }
}

final class BytesBox: @unchecked Sendable { var bytes: [UInt8] = [] }

/// Shorthand for JSON objects in tests: `obj(["name": "x"])`.
func obj(_ pairs: KeyValuePairs<String, JSON>) -> JSON { .object(pairs.map { ($0.key, $0.value) }) }

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
}
