// swift-tools-version:5.4
import PackageDescription

// libFuzzer targets for the import readers (issue 13): one executable per
// format, each calling the whole import path on the fuzzer's bytes. Built only
// by scripts/fuzz, with -sanitize=fuzzer,address and -parse-as-library (libFuzzer
// brings `main`); a package of its own, so the main package's build never
// needs those flags. Tools version 5.4 on purpose: from 5.5 on, SwiftPM links
// an executable's `main` as an alias of `<module>_main`, which a module
// without a `main` of its own does not have.
let package = Package(
    name: "TramaFuzz",
    dependencies: [.package(name: "Trama", path: "..")],
    targets: ["csv", "json", "graphml", "gexf"].map { format in
        .executableTarget(
            name: "fuzz-\(format)",
            dependencies: [
                .product(name: "TramaModel", package: "Trama"),
                .product(name: "TramaExchange", package: "Trama"),
            ],
            path: "Sources/fuzz-\(format)")
    }
)
