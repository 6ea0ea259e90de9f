import Foundation

/// Rule 10: one person, one file. Names are compared with accents, case, spaces and hyphens folded,
/// so "Élodie GÉRARD-LŒUF" and "elodie gerard loeuf" are the same person.
public enum Names {
    public static func fold(_ name: String) -> String {
        let lowered = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        out.reserveCapacity(lowered.utf8.count)
        var pendingSpace = false
        for ch in lowered {
            switch ch {
            case "œ": out += pendingSpace && !out.isEmpty ? " oe" : "oe"; pendingSpace = false
            case "æ": out += pendingSpace && !out.isEmpty ? " ae" : "ae"; pendingSpace = false
            case "ß": out += pendingSpace && !out.isEmpty ? " ss" : "ss"; pendingSpace = false
            case _ where ch.isLetter || ch.isNumber:
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            default:
                // Spaces, hyphens, apostrophes and dots all separate words the same way.
                pendingSpace = true
            }
        }
        return out
    }

    /// The key of rule 10: folded last name, folded first name, birth date.
    public static func identityKey(lastName: String, firstName: String, birthDate: Day?) -> String {
        fold(lastName) + "|" + fold(firstName) + "|" + (birthDate?.description ?? "")
    }
}
