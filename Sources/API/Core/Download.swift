import Domain
import Exports
import HTTPServer

/// A file the client downloads (exports): its format chosen by `?format=` or `Accept`, its
/// headers, and a body streamed from a producer so a large export never sits in memory.
enum Download {
    /// The response format: `?format=` names it (422 listing the choices otherwise); without it,
    /// the first media type of `Accept` that a choice serves; else the first choice.
    static func format<F: RawRepresentable & CaseIterable>(_ ctx: RequestContext, mediaType: (F) -> String) throws -> F
        where F.RawValue == String {
        let all = Array(F.allCases)
        if let given = ctx.query("format") {
            guard let f = F(rawValue: given.lowercased()) else {
                throw APIError.invalid("format", "must be one of " + all.map(\.rawValue).joined(separator: ", "))
            }
            return f
        }
        let accepted = (ctx.request.headers["Accept"] ?? "").split(separator: ",").map {
            ($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
        for media in accepted {
            if let f = all.first(where: { mediaType($0) == media }) { return f }
        }
        guard let first = all.first else { throw APIError.invalid("format", "has no choice") }
        return first
    }

    /// Headers of a file to save: its type and `Content-Disposition: attachment` with its name.
    static func headers(contentType: String, filename: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.set("Content-Type", contentType)
        headers.set("Content-Disposition", "attachment; filename=\"\(filename)\"")
        return headers
    }

    /// A 200 whose body is written by `producer` after the handler returned, on the server's
    /// worker thread: the producer must open its own database read and capture only values
    /// (the request's context and transaction are gone by then).
    static func streamed(contentType: String, filename: String,
                         _ producer: @escaping @Sendable (_ sink: @escaping ByteSink) throws -> Void) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers(contentType: contentType, filename: filename),
                     body: .stream { write in
                         // The writers keep their sink while they work; it does not outlive the producer.
                         try withoutActuallyEscaping(write) { sink in try producer(sink) }
                     })
    }

    /// A 200 with a small file built in full (one participant's attendance sheet).
    static func file(contentType: String, filename: String, bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers(contentType: contentType, filename: filename), body: .bytes(bytes))
    }

    /// The period of a report from `from` and `to` (YYYY-MM-DD, bounds included), each defaulting
    /// when a default is given, else required; 422 naming the fields when wrong or reversed.
    static func period(_ ctx: RequestContext, defaultFrom: Day? = nil, defaultTo: Day? = nil,
                       maxDays: Int? = nil) throws -> (from: Day, to: Day) {
        var errors: [FieldError] = []
        func day(_ name: String, _ fallback: Day?) -> Day? {
            guard let text = ctx.query(name) else {
                if fallback == nil { errors.append(FieldError(name, "is required (YYYY-MM-DD)")) }
                return fallback
            }
            guard let d = Day(text) else { errors.append(FieldError(name, "must be a real date written YYYY-MM-DD")); return nil }
            return d
        }
        let from = day("from", defaultFrom), to = day("to", defaultTo)
        if let from, let to {
            if to < from { errors.append(FieldError("to", "must not be before from")) }
            else if let maxDays, from.days(until: to) >= maxDays { errors.append(FieldError("to", "the period is limited to \(maxDays) days")) }
        }
        guard errors.isEmpty, let from, let to else { throw APIError.invalid(errors) }
        return (from, to)
    }

    /// An optional id in the query string; 422 when it is not one.
    static func queryId(_ ctx: RequestContext, _ name: String, required: Bool = false) throws -> Int64? {
        guard let text = ctx.query(name) else {
            if required { throw APIError.invalid(name, "is required") }
            return nil
        }
        guard let v = Int64(text), v > 0, String(v) == text else { throw APIError.invalid(name, "must be an id (a string of digits)") }
        return v
    }
}

/// The table formats of an export, each with its media type and writer.
enum TableFormat: String, CaseIterable {
    case csv, json, xlsx

    var contentType: String {
        switch self {
        case .csv: return "text/csv; charset=utf-8"
        case .json: return "application/json"
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// The bare media type, as `Accept` names it.
    var mediaType: String { String(contentType.split(separator: ";")[0]) }

    /// CSV in the French defaults (`;`, BOM, JJ/MM/AAAA) that Excel opens as is.
    func writer(sheetName: String, sink: @escaping ByteSink) -> TableWriter {
        switch self {
        case .csv: return CSVWriter(sink: sink)
        case .json: return JSONArrayWriter(sink: sink)
        case .xlsx: return XLSXWriter(sheetName: sheetName, sink: sink)
        }
    }
}
