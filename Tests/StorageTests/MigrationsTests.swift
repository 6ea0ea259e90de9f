import Foundation
import GRDB
import Testing
@testable import Storage

private let initialSQL = """
    -- participants and their meetings
    CREATE TABLE participant (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;
    CREATE TABLE meeting (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participant(id)
    ) STRICT;
    """
private let notesSQL = """
    ALTER TABLE participant ADD COLUMN note TEXT;
    CREATE INDEX meeting_participant ON meeting(participant_id);
    """

/// A folder with 0001_initial.sql and 0002_notes.sql, and an empty database next to it.
private struct Fixture {
    let folder: TemporaryFolder
    let migrations: String
    let pool: DatabasePool

    init() throws {
        folder = try TemporaryFolder("migrations")
        migrations = folder.file("migrations")
        try folder.write("migrations/0001_initial.sql", initialSQL)
        try folder.write("migrations/0002_notes.sql", notesSQL)
        pool = try openDatabase(StorageConfiguration(path: folder.file("db/parcours.sqlite")))
    }

    func tables() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
    }

    func applyAll() throws -> [MigrationFile] {
        try Migrations.apply(try Migrations.load(from: migrations), to: pool)
    }
}

@Suite("Migrations")
struct MigrationsTests {
    @Test("applying migrations to an empty database creates the tables and records checksums")
    func appliesToEmptyDatabase() throws {
        let fixture = try Fixture()
        let files = try Migrations.load(from: fixture.migrations)
        #expect(files.map(\.fileName) == ["0001_initial.sql", "0002_notes.sql"])
        #expect(files.map(\.version) == [1, 2])
        #expect(files.map(\.name) == ["initial", "notes"])

        let applied = try Migrations.apply(files, to: fixture.pool)

        #expect(applied == files)
        #expect(try fixture.tables() == ["meeting", "participant", "schema_migrations"])
        let columns = try fixture.pool.read { db in try db.columns(in: "participant").map(\.name) }
        #expect(columns == ["id", "name", "note"])
        let records = try fixture.pool.read { db in try Migrations.applied(in: db) }
        #expect(records.map(\.version) == [1, 2])
        #expect(records.map(\.name) == ["initial", "notes"])
        // The checksum is the SHA-256 of the file's bytes, computed independently here.
        #expect(records[0].checksum == MigrationFile.sha256Hex(Data(initialSQL.utf8)))
        #expect(records[1].checksum == MigrationFile.sha256Hex(Data(notesSQL.utf8)))
        #expect(records[0].checksum.count == 64)
        #expect(records.allSatisfy { $0.appliedAt.hasSuffix("Z") && $0.appliedAt.count == 24 })
    }

    @Test("the checksum is the SHA-256 hex of the file bytes")
    func checksumIsSHA256() {
        #expect(MigrationFile.sha256Hex(Data("abc".utf8))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("applying again applies nothing and changes nothing")
    func applyingAgainAppliesNothing() throws {
        let fixture = try Fixture()
        _ = try fixture.applyAll()
        let before = try Dump.of(fixture.pool)

        let second = try fixture.applyAll()

        #expect(second.isEmpty)
        #expect(try Dump.of(fixture.pool) == before)
    }

    @Test("a new file added later is applied alone")
    func newFileIsApplied() throws {
        let fixture = try Fixture()
        _ = try fixture.applyAll()
        try fixture.folder.write("migrations/0003_sessions.sql", "CREATE TABLE session (id INTEGER PRIMARY KEY) STRICT;")

        let applied = try fixture.applyAll()

        #expect(applied.map(\.fileName) == ["0003_sessions.sql"])
        #expect(try fixture.tables().contains("session"))
        #expect(try Migrations.verify(try Migrations.load(from: fixture.migrations), in: fixture.pool).isEmpty)
    }

    @Test("a changed applied file is refused with an error naming the file, and nothing new is applied")
    func changedAppliedFileIsRefused() throws {
        let fixture = try Fixture()
        _ = try fixture.applyAll()
        try fixture.folder.write("migrations/0001_initial.sql", initialSQL + "\n-- a harmless comment\n")
        try fixture.folder.write("migrations/0003_sessions.sql", "CREATE TABLE session (id INTEGER PRIMARY KEY) STRICT;")
        let before = try Dump.of(fixture.pool)

        let error = #expect(throws: MigrationError.self) { try fixture.applyAll() }

        guard case let .changedAfterApply(fileName, version, _, _) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(fileName == "0001_initial.sql")
        #expect(version == 1)
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("0001_initial.sql"))
        #expect(message.contains("append-only"))
        #expect(error?.localizedDescription.contains("0001_initial.sql") == true)
        #expect(try Dump.of(fixture.pool) == before)
        #expect(try !fixture.tables().contains("session"))
    }

    @Test("an applied migration whose file is missing is refused")
    func missingAppliedFileIsRefused() throws {
        let fixture = try Fixture()
        _ = try fixture.applyAll()
        try fixture.folder.remove("migrations/0002_notes.sql")

        let error = #expect(throws: MigrationError.self) { try fixture.applyAll() }

        #expect(error == .appliedFileMissing(version: 2, name: "notes"))
        #expect(error.map { "\($0)" }?.contains("notes") == true)
    }

    @Test("a database ahead of the files (an older binary) is refused")
    func databaseAheadIsRefused() throws {
        let fixture = try Fixture()
        _ = try fixture.applyAll()
        let onlyFirst = try Migrations.load(from: fixture.migrations).filter { $0.version == 1 }

        #expect(throws: MigrationError.appliedFileMissing(version: 2, name: "notes")) {
            try Migrations.apply(onlyFirst, to: fixture.pool)
        }
    }

    @Test("a gap in the numbering is refused")
    func gapIsRefused() throws {
        let fixture = try Fixture()
        try fixture.folder.write("migrations/0004_later.sql", "SELECT 1;")

        #expect(throws: MigrationError.gap(expected: 3, fileName: "0004_later.sql")) {
            try Migrations.load(from: fixture.migrations)
        }
    }

    @Test("numbering must start at 1")
    func numberingStartsAtOne() throws {
        let folder = try TemporaryFolder()
        try folder.write("0002_second.sql", "SELECT 1;")

        #expect(throws: MigrationError.gap(expected: 1, fileName: "0002_second.sql")) {
            try Migrations.load(from: folder.path)
        }
    }

    @Test("two files with the same version are refused")
    func duplicateVersionIsRefused() throws {
        let fixture = try Fixture()
        try fixture.folder.write("migrations/0002_other.sql", "SELECT 1;")

        #expect(throws: MigrationError.duplicateVersion(version: 2, fileNames: ["0002_notes.sql", "0002_other.sql"])) {
            try Migrations.load(from: fixture.migrations)
        }
    }

    @Test("a pending file numbered below an applied version is refused as out of order")
    func outOfOrderIsRefused() throws {
        let fixture = try Fixture()
        let files = try Migrations.load(from: fixture.migrations)
        let applied = [AppliedMigration(version: 2, name: "notes", checksum: files[1].checksum, appliedAt: "")]

        #expect(throws: MigrationError.outOfOrder(fileName: "0001_initial.sql", latestApplied: 2)) {
            try Migrations.verify(files, applied: applied)
        }
    }

    @Test("files are read in version order whatever the listing order; other files are ignored")
    func otherFilesAreIgnored() throws {
        let folder = try TemporaryFolder()
        try folder.write("0010_ten.sql", "SELECT 10;")
        for version in 1...9 { try folder.write(String(format: "%04d_v%d.sql", version, version), "SELECT \(version);") }
        try folder.write("README.md", "# migrations")
        try folder.write(".0011_hidden.sql", "SELECT 11;")
        try folder.write("0011_notes.sql.orig", "SELECT 11;")
        try FileManager.default.createDirectory(atPath: folder.file("0011_folder.sql"), withIntermediateDirectories: true)

        let files = try Migrations.load(from: folder.path)

        #expect(files.map(\.version) == Array(1...10))
        #expect(files.last?.fileName == "0010_ten.sql")
    }

    @Test("a .sql file not named NNNN_name.sql is refused rather than skipped")
    func misnamedSQLFileIsRefused() throws {
        let fixture = try Fixture()
        try fixture.folder.write("migrations/003_short.sql", "SELECT 1;")

        #expect(throws: MigrationError.badFileName(fileName: "003_short.sql")) {
            try Migrations.load(from: fixture.migrations)
        }
    }

    @Test("a missing migrations folder is reported with its path")
    func missingFolderIsReported() throws {
        let folder = try TemporaryFolder()
        let missing = folder.file("nope")

        let error = #expect(throws: MigrationError.self) { try Migrations.load(from: missing) }

        #expect(error.map { "\($0)" }?.contains(missing) == true)
    }

    @Test("a failing migration keeps nothing of itself, and the earlier ones stay applied")
    func failingMigrationIsRolledBack() throws {
        let fixture = try Fixture()
        try fixture.folder.write("migrations/0003_broken.sql", """
            CREATE TABLE session (id INTEGER PRIMARY KEY) STRICT;
            INSERT INTO nowhere VALUES (1);
            """)

        let error = #expect(throws: MigrationError.self) { try fixture.applyAll() }

        guard case let .failed(fileName, reason) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(fileName == "0003_broken.sql")
        #expect(reason.contains("nowhere"))
        #expect(try !fixture.tables().contains("session"))
        let records = try fixture.pool.read { db in try Migrations.applied(in: db) }
        #expect(records.map(\.version) == [1, 2])
    }

    @Test("verify reports pending files without writing anything")
    func verifyDoesNotWrite() throws {
        let fixture = try Fixture()
        let files = try Migrations.load(from: fixture.migrations)

        let pending = try Migrations.verify(files, in: fixture.pool)

        #expect(pending == files)
        #expect(try fixture.tables().isEmpty)
    }
}

@Suite("Locating the migrations folder")
struct LocateMigrationsTests {
    @Test("an explicit path wins over everything")
    func explicitWins() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("migrations"), withIntermediateDirectories: true)
        let found = Migrations.locateDirectory(
            explicit: "/given", environment: ["PARCOURS_MIGRATIONS": "/env"],
            currentDirectory: folder.path, executablePath: nil)
        #expect(found == "/given")
    }

    @Test("then the PARCOURS_MIGRATIONS environment variable")
    func environmentNext() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("migrations"), withIntermediateDirectories: true)
        let found = Migrations.locateDirectory(
            explicit: nil, environment: ["PARCOURS_MIGRATIONS": "/env"],
            currentDirectory: folder.path, executablePath: nil)
        #expect(found == "/env")
    }

    @Test("then ./migrations when it exists")
    func currentDirectoryNext() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("migrations"), withIntermediateDirectories: true)
        let found = Migrations.locateDirectory(
            explicit: nil, environment: [:], currentDirectory: folder.path,
            executablePath: folder.file("repo/.build/release/parcours"))
        #expect(found.map(resolved) == resolved(folder.file("migrations")))
    }

    @Test("then two levels above the executable, as when run from .build/release")
    func besideBuildFolder() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("repo/migrations"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.file("repo/.build/release"), withIntermediateDirectories: true)
        let found = Migrations.locateDirectory(
            explicit: nil, environment: [:], currentDirectory: folder.file("elsewhere"),
            executablePath: folder.file("repo/.build/release/parcours"))
        #expect(found.map(resolved) == resolved(folder.file("repo/migrations")))
    }

    @Test("also when .build/release is a link to .build/<triple>/release, as SwiftPM makes it")
    func throughBuildLink() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("repo/migrations"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.file("repo/.build/x86_64-unknown-linux-gnu/release"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.file("repo/.build/release"),
                                                   withDestinationPath: "x86_64-unknown-linux-gnu/release")
        let found = Migrations.locateDirectory(
            explicit: nil, environment: [:], currentDirectory: folder.file("elsewhere"),
            executablePath: folder.file("repo/.build/release/parcours"))
        #expect(found.map(resolved) == resolved(folder.file("repo/migrations")))
    }

    @Test("then share/parcours/migrations under the install prefix")
    func underInstallPrefix() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("usr/share/parcours/migrations"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.file("usr/bin"), withIntermediateDirectories: true)
        let found = Migrations.locateDirectory(
            explicit: nil, environment: [:], currentDirectory: folder.file("elsewhere"),
            executablePath: folder.file("usr/bin/parcours"))
        #expect(found.map(resolved) == resolved(folder.file("usr/share/parcours/migrations")))
    }

    @Test("nil when there is nothing to find")
    func nothingFound() throws {
        let folder = try TemporaryFolder()
        let found = Migrations.locateDirectory(
            explicit: nil, environment: [:], currentDirectory: folder.path,
            executablePath: folder.file("bin/parcours"))
        #expect(found == nil)
    }
}

private func resolved(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
}
