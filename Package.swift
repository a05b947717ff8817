// swift-tools-version: 6.0
import PackageDescription
import Foundation

// `TRIAGE_LIBFUZZER=1` (set by .ci/fuzz, with a build folder of its own) instruments the library
// for libFuzzer and AddressSanitizer and links the fuzz driver with libFuzzer. Per target, because
// the rule embedder, a build tool, must not be linked with libFuzzer.
let libFuzzer = ProcessInfo.processInfo.environment["TRIAGE_LIBFUZZER"] != nil
let fuzzed: [SwiftSetting] = libFuzzer ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []

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
            swiftSettings: fuzzed,
            plugins: ["EmbedRulesPlugin"]
        ),
        .executableTarget(name: "triage", dependencies: ["TriageKit"]),
        .executableTarget(name: "triage-bench", dependencies: ["TriageKit"]),
        // libFuzzer driver for the fuzz targets (.ci/fuzz builds it with -sanitize=fuzzer).
        .executableTarget(
            name: "triage-fuzz", dependencies: ["TriageKit"],
            swiftSettings: fuzzed + (libFuzzer ? [.define("LIBFUZZER")] : []),
            linkerSettings: libFuzzer ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []
        ),
        // Depends on the executable so `swift test` builds it for the end-to-end tests.
        .testTarget(
            name: "TriageKitTests",
            dependencies: ["TriageKit", "triage"],
            // Java programs the tests compile and run, read from their path.
            exclude: ["Fixtures"]
        ),
    ]
)
