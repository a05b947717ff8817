// swift-tools-version: 6.0
import PackageDescription

// No package dependencies, by design: the standard library, Foundation, Dispatch and
// the system's zlib only (see README, "Ground rules").
let package = Package(
    name: "triage",
    products: [
        .executable(name: "triage", targets: ["triage"]),
        .library(name: "TriageKit", targets: ["TriageKit"]),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // Turns rules/*.json5 into string literals compiled into TriageKit, so a copied
        // `triage` binary still carries its built-in rules.
        .executableTarget(name: "triage-rule-embedder", path: "Sources/triage-rule-embedder"),
        .plugin(
            name: "EmbedRulesPlugin",
            capability: .buildTool(),
            dependencies: ["triage-rule-embedder"],
            path: "Sources/EmbedRulesPlugin"
        ),
        .target(
            name: "TriageKit",
            dependencies: ["CZlib"],
            plugins: ["EmbedRulesPlugin"]
        ),
        .executableTarget(name: "triage", dependencies: ["TriageKit"]),
        .executableTarget(name: "triage-bench", dependencies: ["TriageKit"]),
        // Depends on the executable so `swift test` builds it for the end-to-end tests.
        .testTarget(
            name: "TriageKitTests",
            dependencies: ["TriageKit", "triage"],
            // Java programs the tests compile and run, read from their path.
            exclude: ["Fixtures"]
        ),
    ]
)
