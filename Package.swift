// swift-tools-version:6.0
import PackageDescription

// Layers (see ../shared/DESIGN.md): the model imports nothing but Foundation;
// exchange formats and the store are separate targets around it; the CLI
// library is glue, and `trama` is a one-line executable over it.
let package = Package(
    name: "Trama",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trama", targets: ["trama"]),
        .library(name: "TramaModel", targets: ["TramaModel"]),
        .library(name: "TramaExchange", targets: ["TramaExchange"]),
        .library(name: "TramaStore", targets: ["TramaStore"]),
        .library(name: "TramaAnalysis", targets: ["TramaAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(name: "TramaModel"),
        .target(name: "TramaExchange", dependencies: ["TramaModel"]),
        // Network analyses over a compressed sparse row graph; imports only the model.
        .target(name: "TramaAnalysis", dependencies: ["TramaModel"]),
        // The Graphviz C library (Debian libgraphviz-dev); only TramaRender imports it.
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        // Maps: a self-contained render request in, SVG/PNG/PDF bytes out.
        .target(name: "TramaRender", dependencies: ["TramaModel", "TramaExchange", "CGraphviz"]),
        // What is missing from territorial alliances: gaps, partner recommendations, coalitions.
        .target(name: "TramaInsight", dependencies: ["TramaModel", "TramaAnalysis"]),
        .target(
            name: "TramaStore",
            dependencies: [
                "TramaModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API of the same SQLite, for binding bulk inserts without boxing each value.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // The application core: one typed entry point per command, for every front end.
        .target(
            name: "TramaApp",
            dependencies: [
                "TramaModel", "TramaExchange", "TramaStore", "TramaAnalysis", "TramaInsight", "TramaRender",
            ]),
        // The command line: parses, calls the core, prints.
        .target(
            name: "TramaCLI",
            dependencies: [
                "TramaModel", "TramaApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "trama", dependencies: ["TramaCLI"]),
        // Times the analyses in-process for scripts/bench-analysis (not shipped).
        .executableTarget(name: "trama-bench", dependencies: ["TramaModel", "TramaAnalysis", "TramaApp"]),
        // Helpers shared by the test targets: temporary folders, a fixture
        // ecosystem, running the real `trama` binary and Python scripts.
        .target(name: "TramaTestSupport", dependencies: ["TramaModel"], path: "Tests/TramaTestSupport"),
        .testTarget(name: "TramaModelTests", dependencies: ["TramaModel"]),
        .testTarget(name: "TramaRenderTests", dependencies: ["TramaModel", "TramaRender"]),
        .testTarget(name: "TramaInsightTests", dependencies: ["TramaModel", "TramaAnalysis", "TramaInsight"]),
        .testTarget(name: "TramaAnalysisTests", dependencies: ["TramaModel", "TramaAnalysis"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TramaExchangeTests", dependencies: ["TramaModel", "TramaExchange", "TramaTestSupport"]),
        .testTarget(
            name: "TramaStoreTests",
            dependencies: [
                "TramaModel", "TramaExchange", "TramaStore", "TramaTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "TramaAppTests",
            dependencies: [
                "TramaApp", "TramaModel", "TramaExchange", "TramaAnalysis", "TramaTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "TramaCLITests",
            dependencies: [
                "trama", "TramaModel", "TramaExchange", "TramaTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ]
)
