// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "VirtLab",
    products: [
        .executable(name: "virtlab", targets: ["virtlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // Writing files and replacing folders, the one way VirtLab does it: atomic, every write
        // checked, devices and FIFOs written through and never replaced, folders replaced only
        // when VirtLab made all of them. Depends on nothing.
        .target(name: "SafeOutput"),
        // The binary trace log: event model, schema, writer, reader.
        .target(name: "TraceFormat", dependencies: ["CRC32CHardware", "SafeOutput"]),
        // CRC-32C with the SSE4.2 instruction where the CPU has it (Swift has no intrinsics); portable C otherwise.
        .target(name: "CRC32CHardware"),
        // The names every module shares (topics, event kinds, exit reasons, metrics and units,
        // presets, fields), defined once as typed symbols: no module spells them as strings.
        .target(name: "Vocabulary", dependencies: ["TraceFormat"]),
        // Simulated machines that emit events; never reads traces back.
        .target(name: "Simulation", dependencies: ["TraceFormat", "Vocabulary", .product(name: "Yams", package: "Yams")]),
        // Trace → metrics, tables, series.
        .target(name: "Analysis", dependencies: ["TraceFormat", "Vocabulary"]),
        // The system Cairo library (apt: libcairo2-dev). Only Charts imports it.
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        // zlib (a dependency of Cairo's libpng) for the PNG encoder: Cairo's writer compresses too hard for slides in a hurry.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The system SQLite library (apt: libsqlite3-dev) for `export --format sqlite` and `virtlab query`.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Traces → other tools' formats: CSV, JSON Lines, Chrome JSON, SQLite, NumPy .npz; SQL over traces.
        .target(name: "Export", dependencies: ["SafeOutput", "TraceFormat", "Vocabulary", "Simulation", "CSQLite", "CZlib", "Archive"]),
        // ZIP archives written front to back (stored entries, ZIP64): .npz exports, slide sets.
        .target(name: "Archive", dependencies: ["SafeOutput", "CZlib"]),
        .target(name: "Charts", dependencies: ["CCairo", "CZlib", "Analysis", "SafeOutput"]),
        // Traces → HTML pages through the Mustache templates in Templates/; figures through Charts; atomic site output.
        .target(name: "Reports", dependencies: ["SafeOutput", "TraceFormat", "Vocabulary", "Analysis", "Charts", "Archive", .product(name: "Mustache", package: "swift-mustache"),
                                          .product(name: "Ink", package: "Ink"), .product(name: "Yams", package: "Yams")]),
        .target(name: "Course", dependencies: ["SafeOutput", "TraceFormat", "Vocabulary", "Simulation", "Analysis", "Charts", "Reports", "Export"]),
        .target(name: "VirtLabCommands", dependencies: [
            "Course",
            "SafeOutput", "TraceFormat", "Vocabulary", "Simulation", "Analysis", "Charts", "Reports", "Export",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "virtlab", dependencies: ["VirtLabCommands"]),
        // Replays files through the trace reader; built with -DFUZZING it is a libFuzzer target (`make fuzz`).
        .executableTarget(name: "TraceFuzz", dependencies: ["TraceFormat", "SafeOutput"]),
        // The same for the scenario decoder, sweep files and the sweep-axis parser (`make fuzz-scenarios`).
        .executableTarget(name: "ScenarioFuzz", dependencies: ["Simulation", "SafeOutput"]),

        // Helpers the Course and command tests share (scratch folders, small scenarios, a site checker).
        .target(name: "VirtLabTestSupport", dependencies: ["Course", "Simulation", "SafeOutput"], path: "Tests/Support"),
        // What every test target may use, depending on nothing: `expectEqual`, `expectLess`, `expectContains`… (one-comparison
        // `#expect`s as functions, the same failure message at a tenth of the compile time) and Python 3 as an independent
        // reader of VirtLab's files (ZIP, PowerPoint, the trace spec). One library, not two: each module costs its compile jobs.
        .target(name: "TestKit", path: "Tests/TestKit"),
        .testTarget(name: "SafeOutputTests", dependencies: ["TestKit", "SafeOutput"]),
        .testTarget(name: "VocabularyTests", dependencies: ["TestKit", "Vocabulary", "TraceFormat"]),
        .testTarget(name: "TraceFormatTests", dependencies: ["TestKit", "TraceFormat"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SimulationTests", dependencies: ["TestKit", "Simulation", "TraceFormat", "Vocabulary"], resources: [.copy("ScenarioCorpus")]),
        .testTarget(name: "AnalysisTests", dependencies: ["TestKit", "Analysis", "TraceFormat"]),
        .testTarget(name: "ChartsTests", dependencies: ["TestKit", "Charts", "Analysis", "SafeOutput", "CZlib"]),
        .testTarget(name: "ArchiveTests", dependencies: ["TestKit", "Archive", "SafeOutput"]),
        .testTarget(name: "ExportTests", dependencies: ["TestKit", "Export", "Archive", "TraceFormat", "Vocabulary", "Simulation", "SafeOutput"]),
        .testTarget(name: "ReportsTests", dependencies: ["TestKit", "Reports", "Analysis", "Charts", "TraceFormat", "SafeOutput", "Vocabulary"]),
        .testTarget(name: "CourseTests", dependencies: ["TestKit", "Course", "VirtLabTestSupport", "Simulation", "SafeOutput", "TraceFormat", "Charts", "Reports", "Vocabulary"]),
        .testTarget(name: "VirtLabCommandsTests", dependencies: ["TestKit", "VirtLabCommands", "VirtLabTestSupport", "Course", "SafeOutput", "Vocabulary", "Simulation", "TraceFormat", "Analysis", "Charts", "Reports", "Export"]),
    ]
)

// The same Swift settings for every target (the swift-configuration habit).
for target in package.targets where target.type != .system && target.name != "CRC32CHardware" {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
