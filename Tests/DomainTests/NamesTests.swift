import Domain
import Testing

@Suite("One person, one file (rule 10)")
struct NamesTests {
    @Test("accents, case, spaces, hyphens and ligatures are folded")
    func folding() {
        #expect(Names.fold("Élodie") == Names.fold("ELODIE"))
        #expect(Names.fold("GÉRARD-LŒUF") == "gerard loeuf")
        #expect(Names.fold("  Jean   Pierre ") == "jean pierre")
        #expect(Names.fold("N'Diaye") == Names.fold("n diaye"))
    }

    @Test("the identity key joins folded names and birth date")
    func identityKey() {
        let a = Names.identityKey(lastName: "Gérard", firstName: "Élodie", birthDate: Day("1990-04-12"))
        let b = Names.identityKey(lastName: "GERARD", firstName: "elodie", birthDate: Day("1990-04-12"))
        let c = Names.identityKey(lastName: "GERARD", firstName: "elodie", birthDate: Day("1990-04-13"))
        #expect(a == b)
        #expect(a != c)
    }
}
