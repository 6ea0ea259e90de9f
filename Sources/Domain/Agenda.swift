import Foundation

/// A referent's agenda: the kinds of entries they post, and how an interview is named where
/// the agenda leaves the server (calendar files are synced to phones and shared mailboxes).
public enum Agenda {
    /// The kinds of a posted agenda entry; interviews and committees appear by themselves.
    public enum EntryKind: String, DomainCode {
        case internalMeeting = "internal_meeting", administrative, partnerMeeting = "partner_meeting"
        case training, leave, other
    }

    /// "Entretien M. D. (n° 12)": the participant's initials and file number, never their name,
    /// so a calendar file that leaks does not reveal who is followed by the PLIE.
    public static func interviewTitle(firstName: String, lastName: String, participantId: Int64) -> String {
        let initials = [firstName, lastName].compactMap { name -> String? in
            name.trimmingCharacters(in: .whitespaces).first.map { String($0).uppercased() + "." }
        }
        let who = initials.isEmpty ? "" : " " + initials.joined(separator: " ")
        return "Entretien\(who) (n° \(participantId))"
    }
}
