import Domain
import GRDB
import HTTPServer

/// `GET /v1/indicators?from=&to=&referent_id=&structure_id=&operation_id=&detail=true`:
/// the indicators of DOMAIN.md over a period (default: 1 January of this year to today).
///
/// The answer is `{period: {from, to}, overall, by_referent, by_structure, by_operation}`.
/// Every block holds the counts `exits`, `positive_exits`, `administrative_exits`,
/// `other_exits` (plain numbers) and the indicators, each an object `{value, target, met}`
/// (`met` null when the value or the target is unknown; rates null over a zero denominator):
/// `positive_exit_rate`, `positive_exit_rate_neutralised`, `entries` (target: the referents'
/// prorated `expected_entries_per_year`), `active_caseload`, `caseload_per_fte`,
/// `interview_compliance` (plus `compliant_months`, `months`), `follow_ups` (`in_progress`,
/// `completed`, `overdue_contacts`, `target` 0, `met`), `pathway_gaps`, `contract_delays`,
/// `pending_positionings` (target 0), `average_pathway_days` `{positive, administrative, other}`;
/// by_operation blocks of an operation with `min_followed` or `work_or_training_exit_target`
/// add `subsidised_contract_action` `{followed, work_or_training_exit_rate}`.
///
/// With `detail=true` numbers stay numbers and each block gains a parallel `detail` object: for
/// each count, the ids of the **participants** behind it (sorted, distinct), under the count's
/// name (`exits`, `positive_exits`, ..., `entries`, `active_caseload`, `interview_compliance` =
/// participants with a non-compliant month, `follow_ups_in_progress`, `follow_ups_completed`,
/// `overdue_contacts`, `pathway_gaps`, `contract_delays`, `pending_positionings`, and
/// `followed` where the subsidised-contract action is shown).
///
/// Access (rule 11): coordinators, admins and auditors see everything; a structure manager
/// their structure (by_referent its referents, overall the structure); a referent only their
/// own caseload (by_structure is then empty). A filter outside that scope is a 403.
/// Definitions: `Domain.Indicators`, `Domain.Deadlines`, docs/INDICATORS.md.
enum IndicatorsRoutes {
    static func register(on router: Router) {
        router.get("/v1/indicators", show)
    }

    /// Longest period accepted: enough for a whole FSE programme, bounded so a typo cannot ask for millennia.
    static let maxPeriodDays = 3660

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        var errors: [FieldError] = []
        func day(_ name: String) -> Day? {
            guard let v = ctx.query(name) else { return nil }
            guard let d = Day(v) else { errors.append(FieldError(name, "must be a real date written YYYY-MM-DD")); return nil }
            return d
        }
        let defaults = IndicatorPeriod.yearToDate(today: ctx.today)
        let from = day("from"), to = day("to")
        let referentId = QueryFilters.id(ctx, "referent_id", &errors)
        let structureId = QueryFilters.id(ctx, "structure_id", &errors)
        let operationId = QueryFilters.id(ctx, "operation_id", &errors)
        var detail = false
        if let d = ctx.query("detail") {
            switch d {
            case "true": detail = true
            case "false": detail = false
            default: errors.append(FieldError("detail", "must be true or false"))
            }
        }
        // Without `from`, the period starts on 1 January of the year of `to`.
        let end = to ?? defaults.to
        let period = IndicatorPeriod(from: from ?? IndicatorPeriod.yearToDate(today: end).from, to: end)
        if period.from > period.to { errors.append(FieldError("from", "is after to (\(period.to))")) }
        else if period.days > maxPeriodDays { errors.append(FieldError("from", "the period is longer than \(maxPeriodDays) days")) }
        if !errors.isEmpty { throw APIError.invalid(errors) }
        // A filter the caller may not use (403) or that names nothing (422) is refused before a
        // period not kept yet is computed for it. Without a filter the scope cannot be refused.
        if referentId != nil || structureId != nil || operationId != nil {
            _ = try ctx.read { db in try CaseloadScope.of(ctx, db, referentId: referentId, structureId: structureId, operationId: operationId) }
        }

        // Without ids the answer comes from the cache, whose callers take turns until they have read
        // it (FactsCache.turn); building the answer's JSON happens after the turn.
        let turn: ((() -> Void) throws -> HTTPResponse) throws -> HTTPResponse = detail ? { try $0({}) } : { try ctx.app.factsCache.turn($0) }
        return try turn { endTurn in
            // A period not kept yet is computed on several connections at once, before this read.
            if !detail {
                try IndicatorQuery(period: period, scope: .wholeProgramme, settings: ctx.settings, detail: false, cache: ctx.app.factsCache)
                    .primeCache(ctx.app.readers, parts: ctx.app.parallelism)
            }
            return try ctx.read { db in
                let scope = try CaseloadScope.of(ctx, db, referentId: referentId, structureId: structureId, operationId: operationId)
                let report = IndicatorReport(period: period, scope: scope, settings: ctx.settings, detail: detail,
                                             operationFilter: operationId, structureFilter: structureId, referentFilter: referentId,
                                             cache: ctx.app.factsCache)
                let body = try report.build(db, figuresRead: endTurn)
                return ctx.json(200, body)
            }
        }
    }
}

/// Id filters of a query string, shared by the indicators and the alerts.
enum QueryFilters {
    static func id(_ ctx: RequestContext, _ name: String, _ errors: inout [FieldError]) -> Int64? {
        guard let v = ctx.query(name) else { return nil }
        guard let i = Int64(v), i > 0, String(i) == v else { errors.append(FieldError(name, "must be an id")); return nil }
        return i
    }
}
