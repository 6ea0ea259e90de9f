import API
import ArgumentParser
import Domain
import Foundation

/// `parcours token create`: a token from the command line (the secret is printed once).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.",
                                                    subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print its secret once.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "admin, coordinator, structure_manager, referent or auditor.") var role: String
        @Option(name: .customLong("referent-id"), help: "For a referent token: the referent's id.") var referentId: Int64?
        @Option(name: .customLong("structure-id"), help: "For a structure manager token: the structure's id.") var structureId: Int64?
        @Option(help: "A label for the token.") var name: String = ""

        func validate() throws {
            guard let r = Role(rawValue: role) else { throw ValidationError("--role must be one of \(Role.choices)") }
            if r == .referent, referentId == nil { throw ValidationError("a referent token needs --referent-id") }
            if r == .structureManager, structureId == nil { throw ValidationError("a structure manager token needs --structure-id") }
            if r != .referent, referentId != nil { throw ValidationError("--referent-id is for referent tokens only") }
            if r != .structureManager, structureId != nil { throw ValidationError("--structure-id is for structure manager tokens only") }
        }

        func run() throws {
            let (pool, _) = try database.openMigrated(readers: 1)
            let now = Clock().timestamp()
            let secret = try pool.write { db -> String in
                let (id, secret) = try TokenStore.create(db, name: name.isEmpty ? "cli \(role)" : name, role: Role(rawValue: role) ?? .auditor,
                                                         referentId: referentId, structureId: structureId, createdBy: nil, at: now)
                try Audit.append(db, at: now, principal: nil, requestId: "cli", action: "create", entity: "token", entityId: String(id),
                                 participantId: nil, before: nil, after: .object([("id", .string(String(id))), ("role", .string(role)), ("via", .string("cli"))]))
                return secret
            }
            try pool.close()
            print(secret)
        }
    }
}
