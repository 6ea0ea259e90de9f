import Domain
import Testing

@Suite("Follow-up of six months and one day (rule 7)")
struct FollowUpTests {
    let settings = Settings()

    @Test("the follow-up ends six months and one day after it starts")
    func endDate() {
        #expect(FollowUp.endDate(starting: Day("2026-01-15")!, settings: settings).description == "2026-07-16")
        #expect(FollowUp.endDate(starting: Day("2026-08-31")!, settings: settings).description == "2027-03-01")
        #expect(FollowUp.endDate(starting: Day("2026-12-31")!, settings: settings).description == "2027-07-01")
    }

    @Test("the length is a setting")
    func lengthIsASetting() {
        var s = Settings()
        s.followUpMonths = 12
        s.followUpExtraDays = 0
        #expect(FollowUp.endDate(starting: Day("2026-01-15")!, settings: s).description == "2027-01-15")
    }

    @Test("in progress until the end day, completed from it, interrupted when its step was abandoned")
    func status() {
        let end = Day("2026-07-16")!
        #expect(FollowUp.status(endsOn: end, interrupted: false, today: Day("2026-07-15")!) == "in_progress")
        #expect(FollowUp.status(endsOn: end, interrupted: false, today: end) == "completed")
        #expect(FollowUp.status(endsOn: end, interrupted: true, today: Day("2026-03-01")!) == "interrupted")
    }

    @Test("a contact is due one interval after the last one, or after the start")
    func contactDue() {
        let start = Day("2026-01-15")!
        #expect(FollowUp.contactDueSince(start: start, lastContact: nil, settings: settings).description == "2026-02-15")
        #expect(FollowUp.contactDueSince(start: start, lastContact: Day("2026-03-01")!, settings: settings).description == "2026-04-01")
    }
}
