import Domain
import Foundation
import Logging

/// Configuration read from the environment (each flag also has a variable, documented in
/// docs/CONFIGURATION.md). A flag given on the command line wins.
enum Env {
    static func string(_ name: String) -> String? {
        guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
        return v
    }

    static func int(_ name: String) throws -> Int? {
        guard let v = string(name) else { return nil }
        guard let i = Int(v) else { throw ConfigurationError("\(name) must be an integer, not \"\(v)\"") }
        return i
    }

    static func double(_ name: String) throws -> Double? {
        guard let v = string(name) else { return nil }
        guard let d = Double(v) else { throw ConfigurationError("\(name) must be a number, not \"\(v)\"") }
        return d
    }

    /// The rules' numbers: defaults from DOMAIN.md, each overridable by a PARCOURS_ variable.
    static func settings() throws -> Settings {
        var s = Settings()
        func set(_ name: String, _ keyPath: WritableKeyPath<Settings, Int>) throws { if let v = try int(name) { s[keyPath: keyPath] = v } }
        try set("PARCOURS_CONTRACT_DELAY_DAYS", \.contractDelayDays)
        try set("PARCOURS_PATHWAY_GAP_DAYS", \.pathwayGapDays)
        try set("PARCOURS_MIN_INTERVIEWS_PER_MONTH", \.minInterviewsPerMonth)
        try set("PARCOURS_POSITIONING_PENDING_DAYS", \.positioningPendingDays)
        try set("PARCOURS_FOLLOW_UP_MONTHS", \.followUpMonths)
        try set("PARCOURS_FOLLOW_UP_EXTRA_DAYS", \.followUpExtraDays)
        try set("PARCOURS_FOLLOW_UP_CONTACT_INTERVAL_DAYS", \.followUpContactIntervalDays)
        try set("PARCOURS_EXIT_EVIDENCE_WINDOW_DAYS", \.exitEvidenceWindowDays)
        try set("PARCOURS_MAX_PATHWAY_MONTHS", \.maxPathwayMonths)
        try set("PARCOURS_RETENTION_YEARS", \.retentionYears)
        try set("PARCOURS_IDEMPOTENCY_RETENTION_HOURS", \.idempotencyRetentionHours)
        try set("PARCOURS_SIX_MONTH_RESULT_MONTHS", \.sixMonthResultMonths)
        try set("PARCOURS_SIX_MONTH_RESULT_TOLERANCE_DAYS", \.sixMonthResultToleranceDays)
        if let v = try double("PARCOURS_POSITIVE_EXIT_TARGET") { s.positiveExitTarget = v }
        guard s.idempotencyRetentionHours >= 24 else { throw ConfigurationError("PARCOURS_IDEMPOTENCY_RETENTION_HOURS must be at least 24") }
        return s
    }

    static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError("unknown log level \"\(text)\": use trace, debug, info, notice, warning, error or critical")
        }
        return level
    }
}

struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
