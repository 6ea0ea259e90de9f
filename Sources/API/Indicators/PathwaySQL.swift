import Domain
import GRDB

/// The definitions of `Domain.Indicators` and `Domain.Deadlines` as SQL fragments, written once
/// and used by both `GET /v1/indicators` (evaluated on the period's `to`) and `GET /v1/alerts`
/// (evaluated today). Day parameters are named (`:day`, `:contact_cutoff`...) so a fragment
/// can appear several times in a statement; the cutoffs come from `Deadlines`, so no date
/// arithmetic happens per row.
///
/// Fragments are over a participants table aliased `p` (follow-ups `f`, positionings `x`, current pathways `cp`);
/// the gap fragments need it to be `participant_facts`.
enum PathwaySQL {
    /// The participants whose current pathway overlaps `[:from, :to]` (`Indicators.isInPathway(during:)`),
    /// over `current_pathways cp`: a range of the index `current_pathways_open`. The current exit
    /// (`Indicators.currentExit`: the earliest validated exit dated on or after the current entry)
    /// is kept in `current_pathways` by the triggers of migrations/0003, which hold its one SQL text.
    /// "In pathway on D" is the period [D, D].
    static let overlapsPeriod = "coalesce(cp.exit_date, '9999-12-31') >= :from AND cp.entry_date <= :to"

    /// `Deadlines.hasGap`: no planned or ongoing step, and the last activity (entry, or the latest
    /// step end: actual, else planned) before `:gap_cutoff`. Over `participant_facts p`, whose
    /// `open_steps` and `last_step_end` the triggers of migrations/0004 keep from `steps`.
    static let hasGap = "(p.open_steps = 0 AND \(lastActivity) < :gap_cutoff)"

    /// `Deadlines.lastActivity`, over `participant_facts p`. (SQLite's multi-argument max() is NULL
    /// if any argument is, hence the coalesce.)
    static let lastActivity = "max(p.entry_date, coalesce(p.last_step_end, p.entry_date))"

    /// The narrow per-participant table the indicator and alert queries join as `p` instead of
    /// `participants` (migrations/0004): it has the columns `CaseloadScope` filters on.
    static let facts = "participant_facts"

    /// `Interviews.minimumPerMonth`: the operation's own minimum, else the setting (`:min_interviews`).
    static let minimumInterviews = "coalesce((SELECT o.min_interviews_per_month FROM operations o WHERE o.id = p.operation_id), :min_interviews)"

    /// The same, over the participant's operation joined as `operation` (`LEFT JOIN operations`):
    /// a column read instead of a subquery per row.
    static func minimumInterviews(operation: String) -> String { "coalesce(\(operation).min_interviews_per_month, :min_interviews)" }

    /// The participant (`p`, their narrow facts) and referent (`r`) of the rows aliased `alias`:
    /// the joins `CaseloadScope`'s conditions read. Without `referent` (a scope that does not
    /// name `r`), the referent is left out: every participant has one (`NOT NULL`, a foreign
    /// key), so the join would only cost a search per row.
    static func ownerOf(_ alias: String, referent: Bool = true) -> String {
        "JOIN \(facts) p ON p.id = \(alias).participant_id" + (referent ? " JOIN referents r ON r.id = p.referent_id" : "")
    }

    /// `Deadlines.isFollowUpInProgress` for a follow-up aliased `f`, on `day`.
    static func followUpInProgress(on day: String) -> String {
        "(f.starts_on <= \(day) AND \(day) < f.ends_on AND (f.interrupted_on IS NULL OR f.interrupted_on > \(day)))"
    }

    /// The contact `FollowUp.contactDueSince` starts from: the last contact up to `day`, or the start.
    static func contactBase(on day: String) -> String {
        "max(f.starts_on, coalesce((SELECT max(c.date) FROM follow_up_contacts c WHERE c.follow_up_id = f.id AND c.date <= \(day)), f.starts_on))"
    }

    /// `Deadlines.isContactOverdue` (with `:contact_cutoff` from `Deadlines.contactCutoff`).
    static func contactOverdue(on day: String) -> String { "(\(contactBase(on: day)) < :contact_cutoff)" }

    /// `Deadlines.isFollowUpCompleted` by `day`.
    static func followUpCompleted(by day: String) -> String {
        "(f.ends_on <= \(day) AND (f.interrupted_on IS NULL OR f.interrupted_on >= f.ends_on))"
    }

    /// `Deadlines.isContractLate` (with `:contract_cutoff`): still admitted, delay passed.
    static let contractLate = "(p.status = 'admitted' AND p.admitted_on < :contract_cutoff)"

    /// `Deadlines.isPositioningPending` for a positioning aliased `x` (with `:positioning_cutoff`).
    static let positioningPending = "(x.result IS NULL AND x.proposed_on < :positioning_cutoff)"

    /// The arguments the fragments name, for a day of evaluation.
    static func cutoffs(on day: Day, settings: Settings) -> [String: DatabaseValueConvertible?] {
        [
            "gap_cutoff": Deadlines.gapCutoff(on: day, settings: settings).description,
            "contact_cutoff": Deadlines.contactCutoff(on: day, settings: settings).description,
            "contract_cutoff": Deadlines.contractCutoff(on: day, settings: settings).description,
            "positioning_cutoff": Deadlines.positioningCutoff(on: day, settings: settings).description,
        ]
    }
}

/// Which participants a request covers: the caller's scope (rule 11) and the query's filters,
/// as SQL over `p` (participants) and `r` (their referent), with named arguments.
struct CaseloadScope {
    var conditions: [String] = []
    var arguments: [String: DatabaseValueConvertible?] = [:]
    /// Only the caller's own block (a referent).
    var referentOnly: Int64?
    /// Only one structure (a structure manager).
    var structureOnly: Int64?
    /// Whether the conditions name the referent (`r`), so queries join it only then.
    var needsReferent = false

    var sql: String { conditions.isEmpty ? "1" : conditions.joined(separator: " AND ") }

    /// Whether a referent, structure or operation narrows the participants (each such condition
    /// has an argument; the merged-file condition, always there, has none).
    var narrowsParticipants: Bool { !arguments.isEmpty }

    /// The condition every scope starts with.
    static let notMerged = "p.merged_into IS NULL"

    /// The whole PLIE: every file but those merged into another (what the cache keeps).
    static var wholeProgramme: CaseloadScope {
        var scope = CaseloadScope()
        scope.conditions = [notMerged]
        return scope
    }

    /// The same narrowing over (referent, operation) cells: every condition of `of` is on the
    /// participant's referent, the referent's structure or the operation, so a scope's figures are
    /// the sums of some of the whole PLIE's cells. Reads the structure's referents in `db`.
    func cellFilter(_ db: Database) throws -> (IndicatorCell) -> Bool {
        var referents: Set<Int64>?
        func narrow(_ ids: Set<Int64>) { referents = referents.map { $0.intersection(ids) } ?? ids }
        for key in ["scope_referent", "referent_id"] {
            if let id = arguments[key].flatMap({ $0 }).flatMap({ Int64.fromDatabaseValue($0.databaseValue) }) { narrow([id]) }
        }
        for key in ["scope_structure", "structure_id"] {
            if let id = arguments[key].flatMap({ $0 }).flatMap({ Int64.fromDatabaseValue($0.databaseValue) }) {
                narrow(Set(try Int64.fetchAll(db.cachedStatement(sql: "SELECT id FROM referents WHERE structure_id = ?"), arguments: [id])))
            }
        }
        let operation = arguments["operation_id"].flatMap { $0 }.flatMap { Int64.fromDatabaseValue($0.databaseValue) }
        return { cell in
            (referents?.contains(cell.referentId) ?? true) && (operation.map { cell.operationId == $0 } ?? true)
        }
    }

    /// The caller's scope plus the filters `referent_id`, `structure_id`, `operation_id`.
    /// A filter outside the caller's scope is a 403 (alerts and indicators share this): the caller asked for what they may not see.
    static func of(_ ctx: RequestContext, _ db: Database, referentId: Int64?, structureId: Int64?, operationId: Int64?) throws -> CaseloadScope {
        var scope = CaseloadScope()
        // A file merged into another has moved its history to the kept file: count it once, there.
        scope.conditions.append(notMerged)
        let principal = ctx.policy.principal
        var referentStructure: Int64?
        if let referentId {
            guard let s = try Int64.fetchOne(db.cachedStatement(sql: "SELECT structure_id FROM referents WHERE id = ?"), arguments: [referentId]) else {
                throw APIError.invalid("referent_id", "no referent has this id")
            }
            referentStructure = s
        }
        if let structureId, try !db.exists("structures", id: structureId) {
            throw APIError.invalid("structure_id", "no structure has this id")
        }
        if let operationId, try !db.exists("operations", id: operationId) {
            throw APIError.invalid("operation_id", "no operation has this id")
        }
        switch principal.role {
        case .admin, .coordinator, .auditor: break
        case .referent:
            let own = principal.referentId ?? -1
            if let referentId, referentId != own { throw APIError.forbidden("A referent sees the indicators of their own caseload only.") }
            if let structureId {
                let ownStructure = try Int64.fetchOne(db.cachedStatement(sql: "SELECT structure_id FROM referents WHERE id = ?"), arguments: [own])
                if structureId != ownStructure { throw APIError.forbidden("A referent sees the indicators of their own caseload only.") }
            }
            scope.referentOnly = own
            scope.conditions.append("p.referent_id = :scope_referent"); scope.arguments["scope_referent"] = own
        case .structureManager:
            let own = principal.structureId ?? -1
            if let structureId, structureId != own { throw APIError.forbidden("A structure manager sees their own structure's indicators only.") }
            if let referentStructure, referentStructure != own { throw APIError.forbidden("This referent belongs to another structure.") }
            scope.structureOnly = own
            scope.conditions.append("r.structure_id = :scope_structure"); scope.arguments["scope_structure"] = own
            scope.needsReferent = true
        }
        if let referentId { scope.conditions.append("p.referent_id = :referent_id"); scope.arguments["referent_id"] = referentId }
        if let structureId {
            scope.conditions.append("r.structure_id = :structure_id"); scope.arguments["structure_id"] = structureId
            scope.needsReferent = true
        }
        if let operationId { scope.conditions.append("p.operation_id = :operation_id"); scope.arguments["operation_id"] = operationId }
        return scope
    }
}
