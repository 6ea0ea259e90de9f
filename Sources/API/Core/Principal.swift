import Domain

/// Who is calling: what the bearer token says. Set on the context by authentication.
public struct Principal: Sendable, Equatable {
    public let tokenId: Int64
    public let role: Role
    /// For a referent: their own id (their caseload).
    public let referentId: Int64?
    /// For a structure manager: their structure.
    public let structureId: Int64?
    public let name: String

    public init(tokenId: Int64, role: Role, referentId: Int64?, structureId: Int64?, name: String) {
        self.tokenId = tokenId; self.role = role; self.referentId = referentId; self.structureId = structureId; self.name = name
    }
}

/// "May this caller do this to this object": the one place every route asks.
///
/// Rule 11 and API.md: a referent reads and writes only their caseload, a structure manager their
/// structure's; coordinators and admins everything; auditors read everything and write nothing.
/// Someone else's participant is answered 404, so its existence does not leak.
public struct Policy: Sendable {
    public let principal: Principal

    /// Reference data and programme management: committees, decisions, job offers, operations,
    /// structures, referents, reassignment.
    public var canManageProgramme: Bool { principal.role == .admin || principal.role == .coordinator }
    public var canWrite: Bool { principal.role != .auditor }
    public var seesEverything: Bool { [.admin, .coordinator, .auditor].contains(principal.role) }

    public func requireWrite() throws {
        guard canWrite else { throw APIError.forbidden("An auditor reads everything and writes nothing.") }
    }

    public func requireProgramme(_ what: String) throws {
        guard canManageProgramme else { throw APIError.forbidden("\(what) is for coordinators and admins.") }
    }

    public func require(_ roles: Set<Role>, _ what: String) throws {
        guard roles.contains(principal.role) else {
            throw APIError.forbidden("\(what) is for " + roles.map(\.rawValue).sorted().joined(separator: ", ") + ".")
        }
    }

    /// Whether the caller sees a participant followed by `referentId` of `structureId`.
    public func canSee(participantReferent referentId: Int64, structure structureId: Int64) -> Bool {
        switch principal.role {
        case .admin, .coordinator, .auditor: return true
        case .referent: return principal.referentId == referentId
        case .structureManager: return principal.structureId == structureId
        }
    }

    /// The same rule as SQL over a participants table aliased `p`, for lists; with its arguments.
    public var participantScope: (sql: String, arguments: [Int64]) {
        switch principal.role {
        case .admin, .coordinator, .auditor: return ("1", [])
        case .referent: return ("p.referent_id = ?", [principal.referentId ?? -1])
        case .structureManager:
            return ("p.referent_id IN (SELECT id FROM referents WHERE structure_id = ?)", [principal.structureId ?? -1])
        }
    }
}
