import Foundation

/// Where things are, seen from the tests.
enum TestPaths {
    /// The package root (this file is Tests/TriageKitTests/Support/TestPaths.swift).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let samples = root.appending(path: "samples")
    static let rules = root.appending(path: "rules")

    /// The shared corpus of real material beside the project, when present.
    static let corpus = root.deletingLastPathComponent().appending(path: "shared/corpus")
    static var corpusAvailable: Bool { FileManager.default.fileExists(atPath: corpus.path) }

    /// The built `triage` executable, next to the test bundle.
    static var binary: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleDirectory.appending(path: "triage")]
        for configuration in ["debug", "release"] {
            candidates.append(root.appending(path: ".build/\(configuration)/triage"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "triage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
