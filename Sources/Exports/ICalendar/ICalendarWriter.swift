import Foundation

/// Writes events as an iCalendar file (RFC 5545), streamed, for Outlook, Thunderbird or
/// a phone to subscribe to or import.
///
/// Lines end with CRLF and are folded at 75 octets; TEXT values are escaped. Timed events
/// are written in UTC, which every client converts to its own zone, so no VTIMEZONE is needed.
///
/// ```swift
/// let writer = ICalendarWriter(calendarName: "Rendez-vous PLIE") { try send($0) }
/// try writer.begin()
/// try writer.append(CalendarEvent(uid: "rdv-42@parcours", start: .utc(start), summary: "Entretien",
///                                 stamp: Date()))
/// try writer.finish()
/// ```
public final class ICalendarWriter {
    public static let productIdentifier = "-//Parcours//PLIE//FR"

    private enum Stage { case ready, writing, finished }

    private let calendarName: String?
    private let output: ChunkedOutput
    private var stage = Stage.ready

    /// - Parameters:
    ///   - calendarName: shown by clients as the calendar's name (X-WR-CALNAME).
    ///   - sink: receives the file in pieces of about 64 KiB.
    public init(calendarName: String? = nil, sink: @escaping ByteSink) {
        self.calendarName = calendarName
        self.output = ChunkedOutput(sink: sink)
    }

    public func begin() throws {
        guard stage == .ready else { throw ExportError.outOfOrder("begin called twice") }
        stage = .writing
        try line("BEGIN:VCALENDAR")
        try line("VERSION:2.0")
        try line("PRODID:\(ICalendarWriter.productIdentifier)")
        try line("CALSCALE:GREGORIAN")
        try line("METHOD:PUBLISH")
        if let calendarName {
            try line("X-WR-CALNAME:\(ContentLine.escapedText(calendarName))")
        }
    }

    /// Writes one VEVENT. Throws ``ExportError/invalidEvent(uid:reason:)`` when the end is of
    /// another kind than the start or before it, which clients reject or misplace.
    public func append(_ event: CalendarEvent) throws {
        switch stage {
        case .ready: throw ExportError.outOfOrder("append before begin")
        case .finished: throw ExportError.outOfOrder("append after finish")
        case .writing: break
        }
        try ICalendarWriter.validate(event)
        try line("BEGIN:VEVENT")
        try line("UID:\(ContentLine.escapedText(event.uid))")
        try line("DTSTAMP:\(ContentLine.utcStamp(event.stamp))")
        try line("DTSTART\(ICalendarWriter.value(event.start))")
        if let end = event.end {
            try line("DTEND\(ICalendarWriter.value(end))")
        }
        try line("SUMMARY:\(ContentLine.escapedText(event.summary))")
        if let description = event.description {
            try line("DESCRIPTION:\(ContentLine.escapedText(description))")
        }
        if let location = event.location {
            try line("LOCATION:\(ContentLine.escapedText(location))")
        }
        if !event.categories.isEmpty {
            try line("CATEGORIES:" + event.categories.map(ContentLine.escapedText).joined(separator: ","))
        }
        try line("END:VEVENT")
    }

    public func finish() throws {
        switch stage {
        case .ready: throw ExportError.outOfOrder("finish before begin")
        case .finished: throw ExportError.outOfOrder("finish called twice")
        case .writing: stage = .finished
        }
        try line("END:VCALENDAR")
        try output.flush()
    }

    private func line(_ text: String) throws {
        try output.write(ContentLine.folded(text))
    }

    /// The part after the property name: parameters, colon and value.
    private static func value(_ time: CalendarEvent.Time) -> String {
        switch time {
        case .allDay(let date): return ";VALUE=DATE:\(date.basic)"
        case .utc(let instant): return ":\(ContentLine.utcStamp(instant))"
        }
    }

    private static func validate(_ event: CalendarEvent) throws {
        guard let end = event.end else { return }
        switch (event.start, end) {
        case (.allDay(let start), .allDay(let end)) where end <= start:
            throw ExportError.invalidEvent(uid: event.uid, reason: "an all-day end is exclusive and must follow the start")
        case (.utc(let start), .utc(let end)) where end < start:
            throw ExportError.invalidEvent(uid: event.uid, reason: "the end precedes the start")
        case (.allDay, .utc), (.utc, .allDay):
            throw ExportError.invalidEvent(uid: event.uid, reason: "start and end must both be days or both be instants")
        default:
            return
        }
    }
}
