import Foundation
import Testing
import TramaExchange
import TramaModel

/// What Italian Excel opens directly, and reads back to the same graph.
struct ExcelTests {
    let eco = Ecosystem(
        name: "lab",
        actors: [
            Actor(id: "coop-a", name: "=SOMMA(A1:A3)", kind: "cooperative", territory: Territory("Piemonte/Torino")),
            Actor(id: "comune", name: "Comune di Ivrea", kind: "public_administration", description: "-2 sedi, +1 @sportello"),
        ],
        relations: [
            Relation(
                source: "comune", target: "coop-a", type: "contracts_with", strength: 0.5, since: "2021-03-05", until: "2023-09",
                isPrivate: true)
        ])

    func reread(_ actors: String, _ relations: String) throws -> Ecosystem {
        var batch = ImportBatch()
        batch.actors = try Sheets.readActors(try CSVReader.read(Data(actors.utf8), file: "attori.csv"), vocabulary: .builtIn)
        batch.relations = try Sheets.readRelations(try CSVReader.read(Data(relations.utf8), file: "relazioni.csv"), vocabulary: .builtIn)
        let resolved = try batch.resolved(vocabulary: .builtIn, existing: [:])
        var back = Ecosystem(name: "lab", actors: resolved.actors, relations: resolved.relations)
        back.sort()
        return back
    }

    @Test func excelSheetsUseSemicolonsABomItalianHeadersAndDatesAndGuardFormulas() throws {
        let style = Sheets.Style(excel: true, language: .it)
        let actors = Sheets.writeActors(eco.actors, style: style)
        let relations = Sheets.writeRelations(eco.relations, style: style)
        // Written out by hand: BOM, `;`, Italian headers, `'` before =, - (a name and a description), dd/mm/yyyy, mm/yyyy, 0,5, sì.
        #expect(
            actors == """
                \u{FEFF}ID;Nome;Tipo;Territorio;Temi;Etichette;Sito;Descrizione;Privato
                coop-a;'=SOMMA(A1:A3);cooperative;Piemonte/Torino;;;;;
                comune;Comune di Ivrea;public_administration;;;;;'-2 sedi, +1 @sportello;

                """)
        #expect(
            relations == """
                \u{FEFF}Da;A;Tipo;Intensità;Dal;Al;Stato;Descrizione;Fonte;Etichette;Privato;Rilevato da;Rilevato in;Rilevato il
                comune;coop-a;contracts_with;0,5;05/03/2021;09/2023;active;;;;sì;;;

                """)
        var sorted = eco
        sorted.sort()
        #expect(try reread(actors, relations) == sorted, "the Excel sheets import back to the same graph")
    }

    @Test func plainCSVKeepsCellsExactlyAsTheyAre() throws {
        let actors = Sheets.writeActors(eco.actors)
        #expect(actors.contains("\ncoop-a,=SOMMA(A1:A3),cooperative"), "no guard in plain CSV: round trips stay exact")
        #expect(!actors.hasPrefix("\u{FEFF}"))
        var sorted = eco
        sorted.sort()
        #expect(try reread(actors, Sheets.writeRelations(eco.relations)) == sorted)
    }

    @Test func italianSpreadsheetDatesAreRead() throws {
        let relations = """
            From;To;Type;Since;Until
            comune;coop-a;contracts_with;15/09/2023;9/2024
            coop-a;comune;partners_with;5.3.2021;2022
            """
        let read = try Sheets.readRelations(try CSVReader.read(Data(relations.utf8), file: "r.csv"), vocabulary: .builtIn)
        #expect(read.map(\.value.since) == ["2023-09-15", "2021-03-05"])
        #expect(read.map(\.value.until) == ["2024-09", "2022"])
        // A date that is no date is left for validation to name.
        #expect(PartialDate.normalise("31/02/2023") == "31/02/2023")
        #expect(PartialDate.normalise("banana") == "banana")
    }
}
