import Domain
import Foundation

/// One event of an iCalendar export (RFC 5545 VEVENT): an appointment, a committee, a
/// follow-up due date.
public struct CalendarEvent: Hashable, Sendable {
    /// When an event starts or ends: a whole day, or an instant.
    public enum Time: Hashable, Sendable {
        /// A whole day, written `VALUE=DATE`: shown on that day in every time zone.
        case allDay(Day)
        /// An instant, written in UTC (`...Z`): each calendar shows it in its own zone.
        case utc(Date)
    }

    /// Globally unique and stable across exports, so a re-import updates rather than
    /// duplicates (e.g. "appointment-42@parcours").
    public var uid: String
    public var start: Time
    /// Must have the same kind as `start`. For all-day events it is exclusive (RFC 5545):
    /// a one-day event ends the next day. Nil: an all-day event lasts its day, a timed one
    /// is an instant.
    public var end: Time?
    public var summary: String
    public var description: String?
    public var location: String?
    /// When this description of the event was produced (DTSTAMP, required).
    public var stamp: Date
    public var categories: [String]

    public init(uid: String, start: Time, end: Time? = nil, summary: String, description: String? = nil,
                location: String? = nil, stamp: Date, categories: [String] = []) {
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.description = description
        self.location = location
        self.stamp = stamp
        self.categories = categories
    }
}
