import Foundation
import Testing
import TramaApp
import TramaModel
import TramaTestSupport

/// A facilitator's own two sheets, saved by Italian Excel: kinds as Italians write
/// them, lists with commas, dates day first, and slips the import points out.
struct ItalianSheetsTests {
    static let actors = """
        Nome;Tipo;Territorio;Temi;Categoria
        Comune di Ivrea;Comune;Piemonte/Torino/Ivrea;digitale, inclusione lavorativa;
        Fondazione CRT;Fondazione;Piemonte/Torino;;
        Coop Sole;Cooperativa sociale di tipo A/B;Piemonte/Torin/Ivrea;giovani;
        Banca Etica;Banca;Piemont/Torino;;Banca etica
        ASL TO4;ASL;Piemonte/Torino/Ivrea;salute;
        Università di Torino;Università;Piemonte/Torino;;

        """
    static let relations = """
        Da;A;Tipo;Data inizio;Fine;Descrizone
        comune-di-ivrea;coop-sole;contracts_with;15/09/2023;09/2024;servizi
        fondazione-crt;coop-sole;funds;2022;;

        """

    @Test func italianSheetsReadAsMeantAndSlipsAreNamed() throws {
        let f = try AppFixture()
        defer { f.cleanup() }
        let summary = try f.app.importData(
            ImportRequest(
                graph: "ivrea",
                sources: [.bytes(Data(Self.actors.utf8), named: "attori.csv"), .bytes(Data(Self.relations.utf8), named: "relazioni.csv")]),
            by: AppFixture.who)
        let actors = Dictionary(uniqueKeysWithValues: try f.app.actors(ActorQuery(graph: "ivrea")).actors.map { ($0.id, $0) })
        // Comune and ASL are administrations; Fondazione, Banca, Università partners with that category; the social cooperative a cooperative.
        #expect(actors["comune-di-ivrea"]?.kind == "public_administration" && actors["asl-to4"]?.kind == "public_administration")
        #expect(actors["coop-sole"]?.kind == "cooperative")
        #expect(actors["fondazione-crt"]?.kind == "partner" && actors["fondazione-crt"]?.attributes["Category"] == "Fondazione")
        #expect(actors["universita-di-torino"]?.attributes["Category"] == "Università")
        #expect(actors["banca-etica"]?.attributes["Category"] == "Banca etica", "a category written in `Categoria` wins")
        // A comma inside a `;` sheet's list cell separates two themes.
        #expect(actors["comune-di-ivrea"]?.themes == ["digitale", "inclusione lavorativa"])
        let relations = try f.app.relations(RelationQuery(graph: "ivrea")).relations.map(\.relation)
        let contract = try #require(relations.first { $0.type == "contracts_with" })
        #expect(contract.since == "2023-09-15" && contract.until == "2024-09", "`Data inizio` and `Fine`, day first")
        // By hand: the misspelt column, the region, and the two rarer spellings (one row each, against two).
        #expect(
            summary.warnings == [
                "relazioni.csv: the column `Descrizone` is kept as an attribute; did you mean `Descrizione` (Description)? Rename it to read it as such",
                "territory `Piemont/Torino`: `Piemont` is not an Italian region (did you mean `Piemonte`?); a path starts with the region (Piemonte/Torino/Ivrea)",
                "territory `Piemont/Torino` looks like `Piemonte/Torino`: a typo? (both are kept as written)",
                "territory `Piemonte/Torin/Ivrea` looks like `Piemonte/Torino/Ivrea`: a typo? (both are kept as written)",
            ])
    }
}

/// A NUL would be stored and read back cut at it: every write refuses control characters, not only imports.
struct ControlCharacterTests {
    @Test func actorsAndRelationsWrittenByHandRefuseControlCharacters() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let nul = failure {
            _ = try f.app.addActor(ActorDraft(id: "x-nul", fields: ActorFields(name: "a\u{0}b", kind: "mentor")), by: AppFixture.who)
        }
        #expect(nul?.code == .invalidValue && nul?.message.contains("U+0000") == true, "\(nul?.message ?? "")")
        let bell = failure {
            _ = try f.app.updateActor(ActorPatch(id: "coop-a", fields: ActorFields(attributes: ["Note": "ding\u{7}"])), by: AppFixture.who)
        }
        #expect(bell?.message.contains("U+0007") == true)
        // Tabs and line breaks are text.
        _ = try f.app.updateActor(ActorPatch(id: "coop-a", fields: ActorFields(description: "one\ttwo\nthree")), by: AppFixture.who)
        #expect(try f.app.actor(ActorLookup(id: "coop-a")).actor.description == "one\ttwo\nthree")
    }
}
