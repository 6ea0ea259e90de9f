import Foundation
import GRDB
import HTTPServer

/// `GET /health`, `GET /metrics`, `GET /openapi.json`: no token needed.
enum SystemRoutes {
    static func register(on router: Router, env: AppEnvironment) {
        router.get("/health", isPublic: true, health)
        router.get("/metrics", isPublic: true, metrics)
        router.get("/openapi.json", isPublic: true, openAPI)
    }

    /// Liveness and a real database check (a read through the pool).
    static func health(_ ctx: RequestContext) throws -> HTTPResponse {
        do {
            let ok = try ctx.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT 1")) } == 1
            guard ok else { throw APIError(503, "unhealthy", "Unhealthy", "The database did not answer.") }
        } catch let e as APIError { throw e } catch {
            throw APIError(503, "unhealthy", "Unhealthy", "The database did not answer.")
        }
        return ctx.json(200, .object([("status", .string("ok")), ("database", .string("ok"))]))
    }

    static func metrics(_ ctx: RequestContext) throws -> HTTPResponse {
        HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(ctx.app.metrics.render().utf8))
    }

    static func openAPI(_ ctx: RequestContext) throws -> HTTPResponse {
        HTTPResponse(status: 200, contentType: "application/json", body: OpenAPIDocument.bytes)
    }
}

/// The OpenAPI 3.1 document (docs/openapi.json), built into the binary as a resource.
public enum OpenAPIDocument {
    public static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return Array("{}".utf8) }
        return Array(data)
    }()
}
