import Foundation
import Testing
import TramaApp
import TramaExchange
import TramaModel

/// A map's size cap counts relations as the map draws them, once each.
struct MapCapTests {
    @Test func undirectedRelationsCountOnceWhenADirectedTypeIsInView() throws {
        let f = try AppFixture()
        defer { f.cleanup() }
        // 2,000 cooperatives; each tied to the next four (undirected partners_with): 7,990 relations,
        // and one directed member_of. By hand: 7,991 drawn, under the 15,000 cap; counted as arcs
        // (each undirected relation twice) they would be 15,981, over it.
        let n = 2000
        var actors = (0..<n).map { Actor(id: "c\($0)", name: "Coop \($0)", kind: "cooperative") }
        actors.append(Actor(id: "cons", name: "Consorzio", kind: "consortium"))
        var relations: [Relation] = []
        for i in 0..<n {
            for step in 1...4 where i + step < n {
                relations.append(Relation(source: "c\(i)", target: "c\(i + step)", type: "partners_with"))
            }
        }
        relations.append(Relation(source: "c0", target: "cons", type: "member_of"))
        #expect(relations.count == 7991)
        let eco = Ecosystem(name: "big", actors: actors, relations: relations)
        _ = try f.app.importData(
            ImportRequest(graph: "big", sources: [.bytes(try JSONFormat.write(eco), named: "big.json")]), by: AppFixture.who)
        let request = try f.app.mapRequest(
            MapQuery(graph: "big", filter: ViewFilter(types: ["partners_with", "member_of"]), layout: .sfdp))
        #expect(request.edges.count == 7991)
    }
}
