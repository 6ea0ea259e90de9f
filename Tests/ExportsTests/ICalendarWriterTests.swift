import Foundation
import Testing
@testable import Exports

@Suite("iCalendar")
struct ICalendarWriterTests {
    /// 2024-03-01T09:30:00Z
    static let nineThirty = Date(timeIntervalSince1970: 1_709_285_400)

    static let events = [
        CalendarEvent(uid: "rdv-1@parcours", start: .utc(nineThirty), end: .utc(nineThirty + 3_600),
                      summary: "Entretien; bilan, étape \\ suivante\nà préparer",
                      description: "Apporter CV, lettre; pièce d'identité.\r\nDeuxième ligne",
                      location: "Maison de l'emploi, salle 2", stamp: nineThirty,
                      categories: ["PLIE", "Rendez-vous, individuel"]),
        CalendarEvent(uid: "comite-7@parcours", start: .allDay(date("2024-03-12")),
                      end: .allDay(date("2024-03-13")),
                      summary: String(repeating: "Comité d'évaluation élargi — ", count: 6) + "fin",
                      stamp: nineThirty),
        CalendarEvent(uid: "echeance-3@parcours", start: .allDay(date("2024-12-31")),
                      summary: String(repeating: "é", count: 100), stamp: Date(timeIntervalSince1970: -1)),
    ]

    private func calendar(_ events: [CalendarEvent] = events, name: String? = "Agenda PLIE, équipe") throws -> [UInt8] {
        let collected = CollectingSink()
        let writer = ICalendarWriter(calendarName: name, sink: collected.sink)
        try writer.begin()
        for event in events { try writer.append(event) }
        try writer.finish()
        return collected.bytes
    }

    /// Physical lines, without their CRLF; fails if a line ends otherwise.
    private func physicalLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            #expect(bytes[index] != 0x0A && bytes[index] != 0x0D, "bare CR or LF at byte \(index)")
            current.append(bytes[index])
            index += 1
        }
        #expect(current.isEmpty, "the file must end with CRLF")
        return lines
    }

    /// RFC 5545 unfolding: a line starting with a space continues the previous one.
    private func logicalLines(_ bytes: [UInt8]) -> [String] {
        var lines: [[UInt8]] = []
        for line in physicalLines(bytes) {
            if line.first == 0x20, !lines.isEmpty {
                lines[lines.count - 1].append(contentsOf: line.dropFirst())
            } else {
                lines.append(line)
            }
        }
        return lines.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("every line ends with CRLF and is at most 75 octets, each a whole UTF-8 text")
    func lineShape() throws {
        let lines = physicalLines(try calendar())
        #expect(lines.count > 20)
        for line in lines {
            #expect(line.count <= 75, "\(line.count) octets")
            // A fold inside a character would leave invalid UTF-8 on both lines.
            #expect(String(validatingUTF8: (line + [0]).map { CChar(bitPattern: $0) }) != nil)
        }
    }

    @Test("a long accented summary is folded at character boundaries and unfolds unchanged")
    func foldingRoundTrips() throws {
        let bytes = try calendar()
        let physical = physicalLines(bytes)
        #expect(physical.contains { $0.first == 0x20 })
        let logical = logicalLines(bytes)
        #expect(logical.contains("SUMMARY:" + String(repeating: "é", count: 100)))
        #expect(logical.contains("SUMMARY:" + String(repeating: "Comité d'évaluation élargi — ", count: 6) + "fin"))
    }

    @Test("folding keeps every byte of long lines of every width of character")
    func foldingProperty() {
        let alphabet: [String] = ["a", "é", "€", "😀", ";", " "]
        for length in [0, 1, 74, 75, 76, 149, 150, 151, 400] {
            for offset in 0..<alphabet.count {
                let line = (0..<length).map { alphabet[($0 * 7 + offset) % alphabet.count] }.joined()
                let folded = ContentLine.folded(line)
                let logical = logicalLines(folded)
                #expect(logical == [line])
                #expect(physicalLines(folded).allSatisfy { $0.count <= 75 })
            }
        }
    }

    @Test("TEXT values escape backslash, semicolon, comma and line breaks")
    func escaping() throws {
        let logical = logicalLines(try calendar())
        #expect(logical.contains("SUMMARY:Entretien\\; bilan\\, étape \\\\ suivante\\nà préparer"))
        #expect(logical.contains("DESCRIPTION:Apporter CV\\, lettre\\; pièce d'identité.\\nDeuxième ligne"))
        #expect(logical.contains("LOCATION:Maison de l'emploi\\, salle 2"))
        #expect(logical.contains("CATEGORIES:PLIE,Rendez-vous\\, individuel"))
        #expect(logical.contains("X-WR-CALNAME:Agenda PLIE\\, équipe"))
    }

    @Test("the calendar and each event carry the required properties")
    func requiredProperties() throws {
        let logical = logicalLines(try calendar())
        #expect(Array(logical.prefix(5)) == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Parcours//PLIE//FR",
                                             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"])
        #expect(logical.last == "END:VCALENDAR")
        #expect(logical.filter { $0 == "BEGIN:VCALENDAR" }.count == 1)

        var inEvent = false
        var properties: Set<String> = []
        var eventCount = 0
        for line in logical {
            if line == "BEGIN:VEVENT" {
                #expect(!inEvent)
                inEvent = true
                properties = []
            } else if line == "END:VEVENT" {
                #expect(inEvent)
                #expect(properties.isSuperset(of: ["UID", "DTSTAMP", "DTSTART", "SUMMARY"]), "\(properties)")
                inEvent = false
                eventCount += 1
            } else if inEvent {
                let name = line.prefix { $0 != ":" && $0 != ";" }
                properties.insert(String(name))
            }
        }
        #expect(!inEvent)
        #expect(eventCount == 3)
    }

    @Test("instants are written in UTC and days as VALUE=DATE")
    func timeValues() throws {
        let logical = logicalLines(try calendar())
        #expect(logical.contains("DTSTART:20240301T093000Z"))
        #expect(logical.contains("DTEND:20240301T103000Z"))
        #expect(logical.contains("DTSTAMP:20240301T093000Z"))
        #expect(logical.contains("DTSTART;VALUE=DATE:20240312"))
        #expect(logical.contains("DTEND;VALUE=DATE:20240313"))
        #expect(logical.contains("DTSTAMP:19691231T235959Z"))
        #expect(ContentLine.utcStamp(Date(timeIntervalSince1970: 951_782_400.75)) == "20000229T000000Z")
    }

    @Test("an end of another kind than the start, or before it, is refused")
    func invalidEvents() throws {
        let writer = ICalendarWriter { _ in }
        try writer.begin()
        let mixed = CalendarEvent(uid: "x", start: .allDay(date("2024-01-01")), end: .utc(Self.nineThirty),
                                  summary: "x", stamp: Self.nineThirty)
        #expect(throws: ExportError.self) { try writer.append(mixed) }
        let backwards = CalendarEvent(uid: "y", start: .allDay(date("2024-01-02")), end: .allDay(date("2024-01-02")),
                                      summary: "y", stamp: Self.nineThirty)
        #expect(throws: ExportError.self) { try writer.append(backwards) }
    }

    @Test("a calendar without a name has no X-WR-CALNAME")
    func unnamed() throws {
        let logical = logicalLines(try calendar([], name: nil))
        #expect(logical == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Parcours//PLIE//FR",
                            "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "END:VCALENDAR"])
    }
}
