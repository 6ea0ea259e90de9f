import Domain
import Exports
import GRDB
import HTTPServer

/// `GET /v1/exports/fse`: the ESF+ participant export of a period, in CSV, JSON or XLSX,
/// streamed row by row from one SQL cursor (docs/FSE-EXPORT.md).
enum FSEExportRoutes {
    static func register(on router: Router) {
        router.get("/v1/exports/fse", export)
    }

    static func export(_ ctx: RequestContext) throws -> HTTPResponse {
        // Reporting to the funder is the coordination team's job; auditors check it.
        try ctx.policy.require([.admin, .coordinator, .auditor], "The FSE export")
        let format: TableFormat = try Download.format(ctx) { $0.mediaType }
        let period = try Download.period(ctx)
        let operationId = try Download.queryId(ctx, "operation_id")
        if let operationId {
            let exists = try ctx.read { db in try db.exists("operations", id: operationId) }
            guard exists else { throw APIError.invalid("operation_id", "no operation has this id") }
        }
        // The body is produced after this handler returns: capture values, not the context.
        let readers = ctx.app.readers
        let filename = "fse-\(period.from)-\(period.to).\(format.rawValue)"
        return Download.streamed(contentType: format.contentType, filename: filename) { sink in
            try readers.read { db in
                let writer = format.writer(sheetName: "FSE", sink: sink)
                try writer.begin(columns: FSEExportRow.columns)
                let rows = try FSEExportQuery.cursor(db, from: period.from, to: period.to, operationId: operationId)
                while let row = try rows.next() { try writer.append(FSEExportRow.cells(row)) }
                try writer.finish()
            }
        }
    }
}
