import Domain
import GRDB

/// `POST/GET /v1/referents`, `GET/PATCH /v1/referents/{id}`: the counsellors, each in one
/// structure, full or part time (`fte`, which weighs the caseload indicators).
enum ReferentsRoutes {
    static let resource = ReferenceResource(
        table: "referents", entity: "referent", what: "Referent", path: "/v1/referents", etagKind: "r",
        render: render,
        read: { r in
            r.id("structure_id", required: true)
            r.text("first_name", required: true)
            r.text("last_name", required: true)
            if r.sets("email") {
                r.set("email", r.input.email("email"))
            }
            r.text("phone", maxLength: 40)
            // Full time 1.0, half time 0.5: a referent's share of a full caseload.
            r.double("fte", in: 0...1, excludingLowerBound: true, notNull: true)
            r.bool("active")
        },
        check: { db, merged, input in
            if let structureId = merged["structure_id"].flatMap(Int64.fromDatabaseValue),
               try !db.exists("structures", id: structureId) {
                input.fail("structure_id", "no structure has this id")
            }
        },
        filters: { ctx, errors in
            var out: [ListCondition] = []
            if let s = QueryFilter.id(ctx, "structure_id", &errors) { out.append(("structure_id = ?", s)) }
            if let a = QueryFilter.bool(ctx, "active", &errors) { out.append(("active = ?", a ? 1 : 0)) }
            return out
        })

    static func register(on router: Router) { resource.register(on: router) }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("structure_id", .id(row["structure_id"])),
            ("first_name", .string(row["first_name"] as String?)),
            ("last_name", .string(row["last_name"] as String?)),
            ("email", .string(row["email"] as String?)),
            ("phone", .string(row["phone"] as String?)),
            ("fte", .double(row["fte"] as Double?)),
            ("active", ParticipantRecord.flag(row, "active")),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }
}
