import Foundation
import GRDB

/// Rows written straight into the database, so tests of reports and exports do not depend on
/// the routes that normally create them. Each returns the new row's id.
enum Seed {
    static let at = "2026-01-01T00:00:00.000Z"

    static func structure(_ t: TestApp, name: String = "Structure") throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: "INSERT INTO structures (name, created_at, updated_at) VALUES (?, ?, ?)", arguments: [name, at, at])
            return db.lastInsertedRowID
        }
    }

    static func referent(_ t: TestApp, structure: Int64, first: String = "Anne", last: String = "Martin") throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: "INSERT INTO referents (structure_id, first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [structure, first, last, at, at])
            return db.lastInsertedRowID
        }
    }

    static func operation(_ t: TestApp, name: String = "Accompagnement renforcé") throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: "INSERT INTO operations (name, created_at, updated_at) VALUES (?, ?, ?)", arguments: [name, at, at])
            return db.lastInsertedRowID
        }
    }

    /// A participant; `entry` set makes them active (contract signed that day).
    static func participant(_ t: TestApp, referent: Int64, first: String = "Marie", last: String = "Durand",
                            birth: String? = "1990-05-05", entry: String? = nil, operation: Int64? = nil,
                            gender: String? = "woman", situation: String? = "long_term_unemployed",
                            education: String? = "isced_3_4", status: String? = nil) throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: """
                INSERT INTO participants (first_name, last_name, birth_date, identity_key, gender, referent_id, operation_id,
                    employment_situation, education_level, disability, third_country_national, foreign_background, minority,
                    housing_exclusion, rural_area, status, entry_date, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 1, 0, 1, 0, ?, ?, ?, ?)
                """, arguments: [first, last, birth, UUID().uuidString, gender, referent, operation, situation, education,
                                 status ?? (entry == nil ? "candidate" : "active"), entry, at, at])
            return db.lastInsertedRowID
        }
    }

    /// An exit; a validated one also marks the participant exited.
    static func exit(_ t: TestApp, participant: Int64, date: String, type: String = "cdi", category: String = "positive",
                     situation: String = "in_employment", status: String = "validated") throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: """
                INSERT INTO exits (participant_id, type, category, date, situation, status, previous_status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)
                """, arguments: [participant, type, category, date, situation, status, at, at])
            let id = db.lastInsertedRowID
            let participantStatus = status == "validated" ? "exited" : status == "proposed" ? "exit_proposed" : "active"
            try db.execute(sql: "UPDATE participants SET status = ?, exit_date = ? WHERE id = ?",
                           arguments: [participantStatus, status == "validated" ? date : nil, participant])
            return id
        }
    }

    static func step(_ t: TestApp, participant: Int64, type: String = "qualifying_training", status: String = "completed",
                     objectivesMet: String? = "yes", actualEnd: String? = nil) throws {
        try t.pool.write { db in
            try db.execute(sql: """
                INSERT INTO steps (participant_id, type, status, objectives_met, actual_start, actual_end, created_at, updated_at)
                VALUES (?, ?, ?, ?, NULL, ?, ?, ?)
                """, arguments: [participant, type, status, objectivesMet, actualEnd, at, at])
        }
    }

    static func interview(_ t: TestApp, participant: Int64, referent: Int64?, date: String, kind: String = "individual",
                          minutes: Int? = 45, signed: Bool = true) throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: """
                INSERT INTO interviews (participant_id, referent_id, date, kind, duration_minutes, summary, attendance_signed, created_at)
                VALUES (?, ?, ?, ?, ?, 'Point sur la recherche d''emploi', ?, ?)
                """, arguments: [participant, referent, date, kind, minutes, signed ? 1 : 0, at])
            return db.lastInsertedRowID
        }
    }

    static func committee(_ t: TestApp, kind: String = "suivi", date: String, title: String? = nil, location: String? = nil) throws -> Int64 {
        try t.pool.write { db in
            try db.execute(sql: "INSERT INTO committees (kind, date, title, location, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [kind, date, title, location, at, at])
            return db.lastInsertedRowID
        }
    }
}
