// swift-tools-version: 6.1
// CrisisCue: live suggestions to transfer nonviolent crisis calls to a social worker.
//
// Modules follow the pipeline and split only where dependencies differ:
//   CPocketSphinx, CALSA, CCrisisCueShims  C libraries and a tiny C shim
//   CrisisCueCore      pure: WAV codec, resampler, events, segmentation, intent, suggestion
//   CrisisCueAudioIO   audio in: WAV files, ALSA capture
//   CrisisCueSpeech    recognition: PocketSphinx
//   CrisisCueApp       the pipeline driver, outputs and commands
//   crisiscue          the executable (a three-line main)
import PackageDescription

let package = Package(
    name: "CrisisCue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crisiscue", targets: ["crisiscue"]),
        .library(name: "CrisisCueCore", targets: ["CrisisCueCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    ],
    targets: [
        .systemLibrary(
            name: "CPocketSphinx",
            pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "libsphinxbase-dev"])]
        ),
        .systemLibrary(
            name: "CALSA",
            pkgConfig: "alsa",
            providers: [.apt(["libasound2-dev"])]
        ),
        .target(
            name: "CCrisisCueShims",
            linkerSettings: [.linkedLibrary("asound")]
        ),
        .target(
            name: "CrisisCueCore",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(
            name: "CrisisCueAudioIO",
            dependencies: ["CrisisCueCore", "CALSA", "CCrisisCueShims"]
        ),
        .target(
            name: "CrisisCueSpeech",
            dependencies: ["CrisisCueCore", "CPocketSphinx"]
        ),
        .target(
            name: "CrisisCueApp",
            dependencies: [
                "CrisisCueCore", "CrisisCueAudioIO", "CrisisCueSpeech",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(name: "crisiscue", dependencies: ["CrisisCueApp"]),
        .testTarget(
            name: "CrisisCueCoreTests",
            dependencies: [
                "CrisisCueCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["Panel/__Snapshots__"]
        ),
        .testTarget(
            name: "CrisisCueEndToEndTests",
            dependencies: [
                "CrisisCueCore", "CrisisCueAudioIO", "CrisisCueSpeech", "CrisisCueApp",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "CrisisCueCLITests",
            dependencies: ["CrisisCueCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
