import Domain
import GRDB

/// `POST/GET /v1/operations`, `GET/PATCH /v1/operations/{id}`: the FSE operations (fiches
/// action) and their targets. A null `min_interviews_per_month` means the PLIE's default
/// setting (rule 5) applies to the operation's participants.
enum OperationsRoutes {
    static let resource = ReferenceResource(
        table: "operations", entity: "operation", what: "Operation", path: "/v1/operations", etagKind: "o",
        render: render,
        read: { r in
            r.text("name", required: true)
            r.text("code", maxLength: 60)
            r.day("starts_on")
            r.day("ends_on")
            r.int("min_followed", in: 0...1_000_000)
            r.double("positive_exit_target", in: 0...1)
            r.double("work_or_training_exit_target", in: 0...1)
            r.int("min_interviews_per_month", in: 0...31)
        },
        check: { _, merged, input in
            // Checked on the row as it will be, so a PATCH of one bound cannot cross the other.
            if let start = merged["starts_on"].flatMap(String.fromDatabaseValue).flatMap(Day.init),
               let end = merged["ends_on"].flatMap(String.fromDatabaseValue).flatMap(Day.init), end < start {
                input.fail("ends_on", "must be on or after starts_on (\(start))")
            }
        })

    static func register(on router: Router) { resource.register(on: router) }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("name", .string(row["name"] as String?)),
            ("code", .string(row["code"] as String?)),
            ("starts_on", .string(row["starts_on"] as String?)),
            ("ends_on", .string(row["ends_on"] as String?)),
            ("min_followed", .int((row["min_followed"] as Int64?).map(Int.init))),
            ("positive_exit_target", .double(row["positive_exit_target"] as Double?)),
            ("work_or_training_exit_target", .double(row["work_or_training_exit_target"] as Double?)),
            ("min_interviews_per_month", .int((row["min_interviews_per_month"] as Int64?).map(Int.init))),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }
}
