import Crypto
import Domain
import Foundation
import GRDB
import HTTPServer

/// Evidence files (pièces probantes): `POST/GET /v1/participants/{id}/documents`,
/// `GET /v1/documents/{id}` (metadata) and `GET /v1/documents/{id}/content` (the bytes).
///
/// The upload is the raw file with its own Content-Type, described by the query
/// (`kind`, `attests_on`, `filename`), not a JSON body: evidence is scanned PDFs and photos,
/// and base64 in JSON would cost a third more on the wire and in memory. The bytes are stored
/// with their SHA-256 and served back byte for byte. Nothing here deletes a document.
enum DocumentsRoutes {
    static func register(on router: Router, env: AppEnvironment) {
        router.post("/v1/participants/:id/documents", maxBody: env.maxDocumentBody, upload)
        router.get("/v1/participants/:id/documents", list)
        router.get("/v1/documents/:id", show)
        router.get("/v1/documents/:id/content", content)
    }

    static let queryFields: Set<String> = ["kind", "attests_on", "filename"]

    static func upload(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        try ctx.policy.requireWrite()
        let contentType = (ctx.request.headers["Content-Type"] ?? "").trimmingCharacters(in: .whitespaces)
        // Any type is accepted (PDF, JPEG, a phone's HEIC), but it must be a media type: it is served back as sent.
        guard let slash = contentType.firstIndex(of: "/"), slash != contentType.startIndex,
              contentType.index(after: slash) != contentType.endIndex, contentType.utf8.count <= 255 else {
            throw APIError.unsupportedMediaType("the file itself, sent with its own Content-Type (application/pdf, image/jpeg...)")
        }
        let body = ctx.request.body
        // The server refuses a declared oversize body before reading it; this covers any other way in.
        guard body.count <= ctx.app.maxDocumentBody else {
            throw APIError(413, "body-too-large", "Content too large",
                           "A document is at most \(ctx.app.maxDocumentBody) bytes; this one is \(body.count).")
        }
        var errors: [FieldError] = []
        for (name, _) in ctx.request.head.queryItems where !queryFields.contains(name) {
            errors.append(FieldError(name, "is not a known parameter (kind, attests_on, filename)"))
        }
        let kind = ctx.query("kind").flatMap(DocumentKind.init(rawValue:))
        if kind == nil {
            errors.append(FieldError("kind", (ctx.query("kind") == nil ? "is required: " : "must be ") + "one of \(DocumentKind.choices)"))
        }
        var attestsOn: Day?
        if let text = ctx.query("attests_on") {
            if let d = Day(text) {
                if d > ctx.today { errors.append(FieldError("attests_on", "cannot be in the future (today is \(ctx.today))")) }
                attestsOn = d
            } else {
                errors.append(FieldError("attests_on", "must be a real date written YYYY-MM-DD"))
            }
        }
        var filename = ctx.query("filename")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if filename?.isEmpty == true { filename = nil }
        if let f = filename, f.count > 255 { errors.append(FieldError("filename", "is longer than 255 characters")) }
        if body.isEmpty { errors.append(FieldError("body", "is empty: send the file's bytes as the body")) }
        let sha256 = TokenStore.hex(Array(SHA256.hash(data: body)))
        return try ctx.write { db in
            _ = try ParticipantRecord.writable(db, ctx, participantId)
            if !errors.isEmpty { throw APIError.invalid(errors) }
            try db.cachedStatement(sql: """
                INSERT INTO documents (participant_id, kind, attests_on, content_type, filename, size, sha256, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [participantId, kind?.rawValue, attestsOn?.description, contentType, filename, body.count, sha256, ctx.timestamp()])
            let id = db.lastInsertedRowID
            try db.cachedStatement(sql: "INSERT INTO document_contents (document_id, bytes) VALUES (?, ?)").execute(arguments: [id, Data(body)])
            guard let row = try Row.fetchOne(db, sql: "SELECT \(DocumentRecord.columns) FROM documents WHERE id = ?", arguments: [id]) else {
                throw APIError.notFound("Document \(id)")
            }
            let rendered = DocumentRecord.render(row)
            try ctx.audit(db, "create", "document", id, participant: participantId, after: rendered)
            return ctx.json(201, rendered, etag: DocumentRecord.etagOf(row), location: "/v1/documents/\(id)")
        }
    }

    static func list(_ ctx: RequestContext) throws -> HTTPResponse {
        let participantId = try ctx.id("id", "Participant")
        let page = try ctx.page()
        let rows = try ctx.read { db in
            try ParticipantRecord.checkVisible(db, ctx, participantId)
            return try Row.fetchAll(db.cachedStatement(sql:
                "SELECT \(DocumentRecord.columns) FROM documents WHERE participant_id = ? AND id > ? ORDER BY id LIMIT ?"),
                arguments: [participantId, try page.afterId, page.limit + 1])
        }
        let (items, next) = page.paginate(rows) { String($0["id"] as Int64) }
        return ctx.list(items.map(DocumentRecord.render), next: next)
    }

    static func show(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Document")
        return try ctx.read { db in
            let (row, _) = try DocumentRecord.visible(db, ctx, id)
            return ctx.json(200, DocumentRecord.render(row), etag: DocumentRecord.etagOf(row))
        }
    }

    /// The bytes as uploaded, as an attachment: never rendered inline by a browser (an uploaded
    /// HTML or SVG file must not run in the API's origin), hence `nosniff` too.
    static func content(_ ctx: RequestContext) throws -> HTTPResponse {
        let id = try ctx.id("id", "Document")
        return try ctx.read { db in
            let (row, _) = try DocumentRecord.visible(db, ctx, id)
            guard let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM document_contents WHERE document_id = ?"),
                                                arguments: [id]) else {
                throw APIError(410, "document-purged", "Gone",
                               "The bytes of document \(id) were removed by the retention purge on \(row["purged_at"] as String? ?? "an earlier date"); its metadata remain.")
            }
            let tag = "\"\(row["sha256"] as String)\""
            var headers = HTTPHeaders()
            headers.add("ETag", tag)
            headers.add("X-Content-Type-Options", "nosniff")
            headers.add("Content-Disposition", DocumentRecord.disposition(filename: row["filename"], id: id))
            headers.add("Cache-Control", "private, no-cache")
            if let inm = ctx.request.headers["If-None-Match"],
               inm.split(separator: ",").contains(where: { let t = $0.trimmingCharacters(in: .whitespaces); return t == tag || t == "*" }) {
                return HTTPResponse(status: 304, headers: headers)
            }
            return HTTPResponse(status: 200, contentType: row["content_type"], body: [UInt8](bytes), headers: headers)
        }
    }
}
