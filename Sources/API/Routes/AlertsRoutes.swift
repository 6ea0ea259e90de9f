import Domain
import GRDB
import HTTPServer

/// `GET /v1/alerts?referent_id=&kind=`: what needs action today,
/// `{"items": [{"kind", "participant_id", "referent_id", "since", "detail"}]}`, ordered by kind,
/// then `since`, then participant. `since` is the day the situation began to need action (the
/// deadline that passed, or the first day of the month for interviews); `detail` says what to do.
///
/// Each kind is the matching indicator's definition evaluated today, with the same SQL
/// fragments (`PathwaySQL`) and day functions (`Deadlines`). A referent sees their own
/// caseload's alerts, a structure manager their structure's; an unknown `kind` is a 422.
enum AlertsRoutes {
    static func register(on router: Router) {
        router.get("/v1/alerts", list)
    }

    /// One alert before rendering.
    struct Alert {
        let kind: AlertKind
        let participantId: Int64
        let referentId: Int64
        let since: Day
        let detail: String
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        var errors: [FieldError] = []
        let referentId = QueryFilters.id(ctx, "referent_id", &errors)
        var kinds = AlertKind.allCases
        if let k = ctx.query("kind") {
            if let kind = AlertKind(rawValue: k) { kinds = [kind] } else { errors.append(FieldError("kind", "must be one of \(AlertKind.choices)")) }
        }
        if !errors.isEmpty { throw APIError.invalid(errors) }
        let today = ctx.today, settings = ctx.settings
        let alerts = try ctx.read { db in
            let scope = try CaseloadScope.of(ctx, db, referentId: referentId, structureId: nil, operationId: nil)
            var args = scope.arguments
            for (k, v) in PathwaySQL.cutoffs(on: today, settings: settings) { args[k] = v }
            args["day"] = today.description
            // "In pathway today" is the period [today, today] of `PathwaySQL.overlapsPeriod`.
            args["from"] = today.description
            args["to"] = today.description
            args["month_first"] = today.firstOfMonth.description
            args["min_interviews"] = settings.minInterviewsPerMonth
            args["max_cutoff"] = Deadlines.maxLengthCutoff(on: today, settings: settings).description
            var out: [Alert] = []
            for kind in kinds {
                let query = self.query(kind, scope: scope.sql)
                let rows = try Row.fetchCursor(db.cachedStatement(sql: query), arguments: StatementArguments(args))
                while let row = try rows.next() {
                    if let alert = make(kind, row, today: today, settings: settings) { out.append(alert) }
                }
            }
            return out
        }
        let order = Dictionary(uniqueKeysWithValues: AlertKind.allCases.enumerated().map { ($1, $0) })
        let sorted = alerts.sorted {
            (order[$0.kind] ?? 0, $0.since, $0.participantId) < (order[$1.kind] ?? 0, $1.since, $1.participantId)
        }
        return ctx.json(200, .object([("items", .array(sorted.map { a in
            .object([("kind", .string(a.kind.rawValue)), ("participant_id", .id(a.participantId)), ("referent_id", .id(a.referentId)),
                     ("since", .string(a.since.description)), ("detail", .string(a.detail))])
        }))]))
    }

    /// The participants in pathway today (`Indicators.isInPathway`), from the index of current pathways,
    /// with their narrow facts (migrations/0004) rather than their whole row.
    static let inPathwayToday = """
        FROM current_pathways cp \(PathwaySQL.ownerOf("cp"))
        WHERE \(PathwaySQL.overlapsPeriod)
        """

    /// The SQL of one kind: rows with `pid`, `rid` and what `make` needs.
    static func query(_ kind: AlertKind, scope: String) -> String {
        let from = "FROM participants p JOIN referents r ON r.id = p.referent_id"
        switch kind {
        case .interviewsBelowMinimum:
            return """
                SELECT * FROM (
                    SELECT p.id AS pid, p.referent_id AS rid,
                           \(PathwaySQL.minimumInterviews) AS minimum,
                           (SELECT count(*) FROM interviews i WHERE i.participant_id = p.id AND i.date BETWEEN :month_first AND :day) AS n
                    \(inPathwayToday) AND \(scope))
                WHERE n < minimum
                """
        case .followUpContactOverdue:
            return """
                SELECT p.id AS pid, p.referent_id AS rid, f.starts_on,
                       (SELECT max(c.date) FROM follow_up_contacts c WHERE c.follow_up_id = f.id AND c.date <= :day) AS last_contact
                FROM current_pathways cp \(PathwaySQL.ownerOf("cp"))
                     JOIN follow_ups f ON f.participant_id = p.id
                WHERE \(PathwaySQL.overlapsPeriod) AND \(PathwaySQL.followUpInProgress(on: ":day"))
                  AND \(PathwaySQL.contactOverdue(on: ":day")) AND \(scope)
                """
        case .followUpEnded:
            return """
                SELECT p.id AS pid, p.referent_id AS rid, max(f.ends_on) AS ended
                \(from) JOIN follow_ups f ON f.participant_id = p.id
                WHERE p.status = 'in_follow_up' AND \(PathwaySQL.followUpCompleted(by: ":day"))
                  AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.participant_id = p.id AND \(PathwaySQL.followUpInProgress(on: ":day")))
                  AND \(scope)
                GROUP BY p.id
                """
        case .contractUnsigned:
            return "SELECT p.id AS pid, p.referent_id AS rid, p.admitted_on \(from) WHERE \(PathwaySQL.contractLate) AND \(scope)"
        case .positioningPending:
            return """
                SELECT p.id AS pid, p.referent_id AS rid, x.id AS positioning_id, x.proposed_on
                FROM positionings x \(PathwaySQL.ownerOf("x"))
                WHERE \(PathwaySQL.positioningPending) AND \(scope)
                """
        case .pathwayGap:
            return "SELECT p.id AS pid, p.referent_id AS rid, \(PathwaySQL.lastActivity) AS last_activity \(inPathwayToday) AND \(PathwaySQL.hasGap) AND \(scope)"
        case .exitAwaitingCommittee:
            return """
                SELECT p.id AS pid, p.referent_id AS rid, x.type, x.date, substr(coalesce(x.created_at, p.updated_at), 1, 10) AS proposed
                \(from) LEFT JOIN exits x ON x.id = (SELECT max(e.id) FROM exits e WHERE e.participant_id = p.id AND e.status = 'proposed')
                WHERE p.status = 'exit_proposed' AND \(scope)
                """
        case .pathwayOverMaxLength:
            return "SELECT p.id AS pid, p.referent_id AS rid, p.entry_date \(inPathwayToday) AND p.entry_date <= :max_cutoff AND \(scope)"
        }
    }

    /// The alert of a row: `since` from the same `Deadlines` function as the indicator.
    static func make(_ kind: AlertKind, _ row: Row, today: Day, settings: Settings) -> Alert? {
        let pid: Int64 = row["pid"], rid: Int64 = row["rid"]
        func day(_ column: String) -> Day? { (row[column] as String?).flatMap(Day.init) }
        let since: Day
        let detail: String
        switch kind {
        case .interviewsBelowMinimum:
            let n: Int = row["n"], minimum: Int = row["minimum"]
            since = today.firstOfMonth
            detail = "\(n) interview(s) this month for a minimum of \(minimum)."
        case .followUpContactOverdue:
            guard let start = day("starts_on") else { return nil }
            since = FollowUp.contactDueSince(start: start, lastContact: day("last_contact"), settings: settings)
            detail = "No follow-up contact since \(day("last_contact").map(String.init(describing:)) ?? "the start, \(start)"): contact the participant or the employer."
        case .followUpEnded:
            guard let ended = day("ended") else { return nil }
            since = ended
            detail = "The follow-up ended on \(ended): propose the exit and record the questionnaire."
        case .contractUnsigned:
            guard let admitted = day("admitted_on") else { return nil }
            since = Deadlines.contractDue(admittedOn: admitted, settings: settings)
            detail = "Admitted on \(admitted), contract not signed: record the signed contract or ask the comité de suivi to invalidate."
        case .positioningPending:
            guard let proposed = day("proposed_on") else { return nil }
            since = Deadlines.positioningDue(proposedOn: proposed, settings: settings)
            detail = "Positioning \(row["positioning_id"] as Int64) proposed on \(proposed) has no result: record it with its reason."
        case .pathwayGap:
            guard let last = day("last_activity") else { return nil }
            since = Deadlines.gapStarts(lastActivity: last, settings: settings)
            detail = "No planned or ongoing step since \(last): plan the next step."
        case .exitAwaitingCommittee:
            guard let proposed = day("proposed") else { return nil }
            since = proposed
            detail = "Exit \(row["type"] as String? ?? "") dated \(row["date"] as String? ?? "") awaits the comité de suivi."
        case .pathwayOverMaxLength:
            guard let entry = day("entry_date") else { return nil }
            since = Deadlines.maxLengthReached(entry: entry, settings: settings)
            detail = "Entered on \(entry): the pathway passed \(settings.maxPathwayMonths) months; find a lasting solution or propose the exit."
        }
        return Alert(kind: kind, participantId: pid, referentId: rid, since: since, detail: detail)
    }
}
