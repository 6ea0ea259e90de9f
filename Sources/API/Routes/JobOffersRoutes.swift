import Domain
import GRDB

/// `POST/GET /v1/job-offers`, `GET/PATCH /v1/job-offers/{id}`: the offers brought by the
/// business-relations staff (coordinators), on which referents position participants.
enum JobOffersRoutes {
    static let resource = ReferenceResource(
        table: "job_offers", entity: "job_offer", what: "Job offer", path: "/v1/job-offers", etagKind: "j",
        render: render,
        read: { r in
            r.text("title", required: true)
            r.text("employer", required: true)
            r.text("contract_type", maxLength: 120)
            r.text("location", maxLength: 200)
            r.text("description", maxLength: 10_000)
            if r.input.has("status") { r.set("status", r.input.code("status", JobOfferStatus.self, required: true)?.rawValue) }
        },
        filters: { ctx, errors in
            var out: [ListCondition] = []
            if let status = QueryFilter.code(ctx, "status", JobOfferStatus.self, &errors) { out.append(("status = ?", status.rawValue)) }
            return out
        })

    static func register(on router: Router) { resource.register(on: router) }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])),
            ("title", .string(row["title"] as String?)),
            ("employer", .string(row["employer"] as String?)),
            ("contract_type", .string(row["contract_type"] as String?)),
            ("location", .string(row["location"] as String?)),
            ("description", .string(row["description"] as String?)),
            ("status", .string(row["status"] as String?)),
            ("created_at", .string(row["created_at"] as String?)),
            ("updated_at", .string(row["updated_at"] as String?)),
        ])
    }
}
