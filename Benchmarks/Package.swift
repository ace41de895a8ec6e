// swift-tools-version: 6.1
// Micro-benchmarks of CrisisCue's hot paths (ordo-one/benchmark). A nested package so
// that the main build never resolves benchmark dependencies:
//   cd Benchmarks && swift package benchmark
import Foundation
import PackageDescription

// A path dependency is named after its folder, which is whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "CrisisCueBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "CrisisCueCore", package: root.lastPathComponent),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
