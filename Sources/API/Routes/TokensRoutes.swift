import Domain
import GRDB
import HTTPServer

/// API tokens. An admin creates any; a coordinator creates non-admin tokens (for the referents
/// and partners they onboard). The secret is in the creation answer only.
enum TokensRoutes {
    static func register(on router: Router) {
        router.post("/v1/tokens", create)
        router.get("/v1/tokens", list)
        router.delete("/v1/tokens/:id", revoke)
    }

    static func render(_ row: Row) -> JSON {
        .object([
            ("id", .id(row["id"])), ("name", .string(row["name"] as String)), ("role", .string(row["role"] as String)),
            ("referent_id", .id(row["referent_id"])), ("structure_id", .id(row["structure_id"])),
            ("created_at", .string(row["created_at"] as String)), ("revoked_at", .string(row["revoked_at"] as String?)),
        ])
    }

    static func create(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.require([.admin, .coordinator], "Creating tokens")
        var input = try ctx.input()
        let role = input.code("role", Role.self, required: true)
        let name = input.string("name", maxLength: 200) ?? ""
        let referentId = input.id("referent_id")
        let structureId = input.id("structure_id")
        if role == .referent, referentId == nil { input.fail("referent_id", "a referent token names its referent") }
        if role == .structureManager, structureId == nil { input.fail("structure_id", "a structure manager token names its structure") }
        if let role, role != .referent, referentId != nil { input.fail("referent_id", "only a referent token names a referent") }
        if let role, role != .structureManager, structureId != nil { input.fail("structure_id", "only a structure manager token names a structure") }
        try input.finish()
        guard let role else { return HTTPResponse(status: 500) }
        if role == .admin, ctx.policy.principal.role != .admin { throw APIError.forbidden("Only an admin creates admin tokens.") }
        return try ctx.write { db in
            if let referentId, try !db.exists("referents", id: referentId) {
                throw APIError.invalid("referent_id", "no referent has this id")
            }
            if let structureId, try !db.exists("structures", id: structureId) {
                throw APIError.invalid("structure_id", "no structure has this id")
            }
            let (id, secret) = try TokenStore.create(db, name: name, role: role, referentId: referentId, structureId: structureId,
                                                     createdBy: ctx.principal?.tokenId, at: ctx.timestamp())
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM tokens WHERE id = ?"), arguments: [id]) else { throw APIError.notFound("Token") }
            let public_ = render(row)
            try ctx.audit(db, "create", "token", id, after: public_)
            guard case .object(var fields) = public_ else { return HTTPResponse(status: 500) }
            fields.append(("secret", .string(secret)))
            return ctx.json(201, .object(fields), location: "/v1/tokens/\(id)")
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.require([.admin], "Listing tokens")
        let page = try ctx.page()
        let rows = try ctx.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM tokens WHERE id > ? ORDER BY id LIMIT ?"), arguments: [try page.afterId, page.limit + 1])
        }
        let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
        return ctx.list(items.map(render), next: next)
    }

    static func revoke(_ ctx: RequestContext) throws -> HTTPResponse {
        try ctx.policy.require([.admin], "Revoking tokens")
        let id = try ctx.id("id", "Token")
        try ctx.write { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM tokens WHERE id = ?"), arguments: [id]) else { throw APIError.notFound("Token \(id)") }
            guard (row["revoked_at"] as String?) == nil else { return }
            try db.cachedStatement(sql: "UPDATE tokens SET revoked_at = ? WHERE id = ?").execute(arguments: [ctx.timestamp(), id])
            let after = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM tokens WHERE id = ?"), arguments: [id]).map(render)
            try ctx.audit(db, "revoke", "token", id, before: render(row), after: after)
            let tokens = ctx.app.tokens
            ctx.onCommit { tokens.invalidate() }
        }
        return HTTPResponse(status: 204)
    }
}
