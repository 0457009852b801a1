import Foundation
import Testing
import TramaTestSupport

/// `trama render` through the binary, on the seed.
struct RenderCommandTests {
    func count(_ svg: String, _ marker: String) -> Int { svg.components(separatedBy: marker).count - 1 }

    /// Actors drawn: the groups the map's contract marks as actors.
    func actors(_ svg: String) -> Int { count(svg, "class=\"node actor ") }

    @Test func everyLayoutGivesTheSameBytesTwice() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        for layout in ["sfdp", "fdp", "neato", "dot", "circo", "twopi"] {
            let args = ["render", "--graph", "talents4coop", "--layout", layout, "--date", "2026-11-26"]
            let first = try ws.tramaArgs(args), second = try ws.tramaArgs(args)
            #expect(first.status == 0, "\(layout): \(first.stderr)")
            let firstDifference = zip(first.stdout.split(separator: "\n"), second.stdout.split(separator: "\n")).first { $0 != $1 }
            #expect(
                first.stdout == second.stdout,
                "\(layout) differs between two renders: \(firstDifference.map { "\($0.0) / \($0.1)" } ?? "length")")
            #expect(actors(first.stdout) == 41, "\(layout)")
        }
    }

    @Test func viewsNarrowTheMap() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        func drawn(_ view: String, _ extra: [String] = []) throws -> Int {
            actors(try ws.tramaArgs(["render", "--graph", "talents4coop", "--view", view] + extra).stdout)
        }
        // Bologna with Imola: La Venenta, Solco, their two teams, the Academy, Emilbanca.
        #expect(try drawn("territory:Emilia-Romagna/Bologna") == 6)
        // Heron and its neighbours: Ecosapiens, Lo Sport Sostenibile, Talents4coop.
        #expect(try drawn("ego:heron") == 4)
        #expect(try drawn("actors:saigi,agrisensor") == 2)
        #expect(try drawn("community:1", ["--undirected"]) > 2)
        let bad = try ws.trama("render", "--graph", "talents4coop", "--view", "ego:nobody")
        #expect(bad.status != 0 && bad.stderr.contains("no actor `nobody`"))
        let png = try ws.trama("render", "--graph", "talents4coop", "--format", "png")
        #expect(png.status != 0 && png.stderr.contains("needs -o"))
    }

    @Test func pngWithSizesColoursAndOverlay() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        _ = try ws.ok(
            "render", "--graph", "talents4coop", "--format", "png", "-o", "map.png", "--size-by", "betweenness", "--undirected",
            "--color-by", "territory", "--overlay", "gaps", "--lang", "it")
        let png = try Data(contentsOf: URL(fileURLWithPath: ws.folder.file("map.png")))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let svg = try ws.ok("render", "--graph", "talents4coop", "--overlay", "gaps", "--lang", "it")
        #expect(svg.contains("Pubblica amministrazione") && svg.contains("#d55e00"), "Italian legend, highlighted weak points")
        // A reader of the map is told what the sizes mean.
        let sized = try ws.ok("render", "--graph", "talents4coop", "--size-by", "betweenness", "--undirected")
        #expect(sized.contains("size: betweenness"))
    }
}
