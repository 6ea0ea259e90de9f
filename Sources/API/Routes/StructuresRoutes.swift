import Domain
import GRDB

/// `POST/GET /v1/structures`, `GET/PATCH /v1/structures/{id}`: the partner structures that
/// employ referents. Written by the coordination team, read by everyone authenticated.
enum StructuresRoutes {
    static let resource = ReferenceResource(
        table: "structures", entity: "structure", what: "Structure", path: "/v1/structures", etagKind: "s",
        render: render,
        read: { r in
            r.text("name", required: true)
            r.text("kind", maxLength: 120)
            r.text("address", maxLength: 500)
            r.text("postal_code", maxLength: 10)
            r.text("city", maxLength: 120)
            r.bool("active")
        },
        filters: { ctx, errors in
            var out: [ListCondition] = []
            if let a = QueryFilter.bool(ctx, "active", &errors) { out.append(("active = ?", a ? 1 : 0)) }
            return out
        })

    static func register(on router: Router) { resource.register(on: router) }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("name", .string(row["name"] as String?)),
            ("kind", .string(row["kind"] as String?)),
            ("address", .string(row["address"] as String?)),
            ("postal_code", .string(row["postal_code"] as String?)),
            ("city", .string(row["city"] as String?)),
            ("active", ParticipantRecord.flag(row, "active")),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }
}
