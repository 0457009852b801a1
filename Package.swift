// swift-tools-version:6.1
import PackageDescription

// Layers (see ../shared/DESIGN.md): the model imports nothing but Foundation;
// exchange formats, the store, the analyses, the insights and the renderer are
// separate targets around it; the application core (TramaApp) is the one place
// where a command is carried out; the command line and the HTTP service are
// front ends over it, and `trama` is a one-line executable over the command line.
let package = Package(
    name: "Trama",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "trama", targets: ["trama"]),
        .library(name: "TramaModel", targets: ["TramaModel"]),
        .library(name: "TramaExchange", targets: ["TramaExchange"]),
        .library(name: "TramaStore", targets: ["TramaStore"]),
        .library(name: "TramaAnalysis", targets: ["TramaAnalysis"]),
        .library(name: "TramaApp", targets: ["TramaApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The HTTP service; without swift-configuration (the server reads its options itself).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        // SHA-256 for the service's tokens, which the store keeps hashed.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Property-based round trips of every exchange format (tests only).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
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
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The HTTP service: routes that call the core, errors as JSON, tokens, maps rendered in worker processes.
        .target(
            name: "TramaServer",
            dependencies: [
                "TramaModel", "TramaApp",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Embedded"],
            plugins: ["EmbedResources"]),
        // The page and the API document inside the binary: the plugin runs the tool at build time.
        .executableTarget(name: "embed-resources"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["embed-resources"]),
        // The command line: parses, calls the core, prints; `trama serve` starts the service.
        .target(
            name: "TramaCLI",
            dependencies: [
                "TramaModel", "TramaApp", "TramaServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "trama", dependencies: ["TramaCLI"]),
        // The framework's ceiling for scripts/bench-http: a constant body of a given size (not shipped).
        .executableTarget(name: "http-ceiling", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        // Times the analyses in-process for scripts/bench-analysis (not shipped).
        .executableTarget(name: "trama-bench", dependencies: ["TramaModel", "TramaAnalysis", "TramaApp"]),
        // Helpers shared by the test targets: temporary folders, a fixture
        // ecosystem, running the real `trama` binary and Python scripts.
        .target(name: "TramaTestSupport", dependencies: ["TramaModel"], path: "Tests/TramaTestSupport"),
        .testTarget(name: "TramaModelTests", dependencies: ["TramaModel"]),
        .testTarget(name: "TramaRenderTests", dependencies: ["TramaModel", "TramaRender"]),
        .testTarget(name: "TramaInsightTests", dependencies: ["TramaModel", "TramaAnalysis", "TramaInsight"]),
        .testTarget(name: "TramaAnalysisTests", dependencies: ["TramaModel", "TramaAnalysis"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TramaExchangeTests",
            dependencies: [
                "TramaModel", "TramaExchange", "TramaTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
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
            name: "TramaServerTests",
            dependencies: [
                "trama", "TramaServer", "TramaApp", "TramaModel", "TramaExchange", "TramaTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(
            name: "TramaCLITests",
            dependencies: [
                "trama", "TramaModel", "TramaExchange", "TramaTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ]
)
