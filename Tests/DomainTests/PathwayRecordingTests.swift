import Domain
import Testing

@Suite("Pathway recording")
struct PathwayRecordingTests {
    @Test("closed files refuse new records with the rule that closed them; others accept")
    func closedFiles() {
        for (status, rule) in [(ParticipantStatus.rejected, 2), (.invalidated, 3), (.exited, 8)] {
            #expect(throws: RuleViolation.self) { try PathwayRecording.checkOpen(status, recording: "A step") }
            do { try PathwayRecording.checkOpen(status, recording: "A step") } catch let e as RuleViolation {
                #expect(e.rule == rule)
                #expect(e.code == "file_closed")
            } catch { Issue.record("unexpected \(error)") }
        }
        for status in [ParticipantStatus.candidate, .pendingCommittee, .admitted, .active, .inFollowUp, .exitProposed] {
            #expect(throws: Never.self) { try PathwayRecording.checkOpen(status, recording: "A step") }
        }
    }

    @Test("only entered participants can be positioned")
    func entered() {
        for status in [ParticipantStatus.active, .inFollowUp, .exitProposed] {
            #expect(throws: Never.self) { try PathwayRecording.checkEntered(status, recording: "A positioning", rule: 6) }
        }
        for status in [ParticipantStatus.candidate, .admitted, .exited, .rejected] {
            #expect(throws: RuleViolation.self) { try PathwayRecording.checkEntered(status, recording: "A positioning", rule: 6) }
        }
    }

    @Test("a follow-up runs 6 months and one day, clamped at the end of a shorter month")
    func followUpEnd() {
        #expect(FollowUp.endDate(starting: Day("2026-01-15")!, settings: Settings()) == Day("2026-07-16"))
        #expect(FollowUp.endDate(starting: Day("2026-08-31")!, settings: Settings()) == Day("2027-03-01"))
    }
}
