import Foundation
import Testing
@testable import TriageKit

/// The README's recipes for running a scan's shards on GNU parallel, Spark and a Kubernetes
/// Indexed Job, run as written there (the archive's path and the binary replaced): each
/// merged report must be the one scan's report, byte for byte.
@Suite(.serialized) struct ScanEngineTests {
    static let readme: String = (try? String(contentsOf: TestPaths.root.appending(path: "README.md"), encoding: .utf8)) ?? ""

    /// The first fenced block of `language` after the line starting with `lead`.
    static func recipe(after lead: String, language: String) throws -> String {
        let lines = readme.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix(lead) }, "README has no '\(lead)'")
        let open = try #require(lines[start...].firstIndex { $0 == "```" + language })
        let close = try #require(lines[(open + 1)...].firstIndex { $0 == "```" })
        return lines[(open + 1)..<close].joined(separator: "\n")
    }

    /// The recipe with the archive, the output folder and the binary of this test run.
    static func localised(_ recipe: String, archive: URL, out: URL) -> String {
        recipe.replacingOccurrences(of: "/archive", with: archive.path)
            .replacingOccurrences(of: "/out/", with: out.path + "/")
            .replacingOccurrences(of: "triage scan ", with: "'\(TestPaths.binary.path)' scan ")
            .replacingOccurrences(of: "triage merge ", with: "'\(TestPaths.binary.path)' merge ")
            .replacingOccurrences(of: "\"parts.jsonl\"", with: "\"\(out.path)/parts.jsonl\"")
            .replacingOccurrences(of: "> parts.jsonl", with: "> '\(out.path)/parts.jsonl'")
    }

    static func oneScan(_ archive: URL) throws -> String {
        try ProcessRunner.triage(["scan", archive.path, "--format", "json"]).standardOutput
    }

    static func merged(_ parts: [URL]) throws -> String {
        try ProcessRunner.triage(["merge"] + parts.map(\.path) + ["--format", "json"]).standardOutput
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/parallel"),
                   "GNU parallel is absent (Debian's parallel; .ci/run installs it): its recipe is not run"))
    func theGNUParallelRecipe() throws {
        let archive = try ArchiveScanTests.archive()
        defer { try? FileManager.default.removeItem(at: archive.deletingLastPathComponent()) }
        let out = archive.deletingLastPathComponent()
        let recipe = try Self.recipe(after: "GNU parallel, on one host", language: "sh")
        let scanLine = try #require(recipe.components(separatedBy: "\n").first { $0.hasPrefix("parallel ") })
        // --will-cite: parallel's one-time notice otherwise asks on the terminal.
        let command = Self.localised(scanLine, archive: archive, out: out).replacingOccurrences(of: "parallel ", with: "parallel --will-cite ")
        // Its exit status counts failed jobs: shards holding the damaged files exit 3, by design.
        _ = try ProcessRunner.shell(command)
        #expect(try Self.merged([out.appending(path: "parts.jsonl")]) == Self.oneScan(archive))
    }

    static let sparkPython: URL = TestPaths.root.appending(path: ".build/venv/bin/python")
    static let sparkAvailable: Bool = {
        guard FileManager.default.isExecutableFile(atPath: sparkPython.path) else { return false }
        return (try? ProcessRunner.run(sparkPython, ["-c", "import pyspark"]).status) == 0
    }()

    @Test(.enabled(if: sparkAvailable, "no pyspark in .build/venv (.ci/run installs it there): the Spark recipe is not run"))
    func theSparkRecipe() throws {
        let archive = try ArchiveScanTests.archive()
        defer { try? FileManager.default.removeItem(at: archive.deletingLastPathComponent()) }
        let out = archive.deletingLastPathComponent()
        let script = Self.localised(try Self.recipe(after: "Apache Spark", language: "python"), archive: archive, out: out)
        try script.write(to: out.appending(path: "scan.py"), atomically: true, encoding: .utf8)
        let run = try ProcessRunner.run(Self.sparkPython, [out.appending(path: "scan.py").path])
        #expect(run.status == 0, "\(run.standardError.suffix(600))")
        #expect(try Self.merged([out.appending(path: "parts.jsonl")]) == Self.oneScan(archive))
    }

    /// Each pod's command, run as the Job runs it: one process per index, JOB_COMPLETION_INDEX set.
    @Test func theKubernetesIndexedJobsCommand() throws {
        let archive = try ArchiveScanTests.archive()
        defer { try? FileManager.default.removeItem(at: archive.deletingLastPathComponent()) }
        let out = archive.deletingLastPathComponent().appending(path: "out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let manifest = try Self.recipe(after: "Kubernetes, an Indexed Job", language: "yaml")
        let completions = try #require(manifest.components(separatedBy: "\n").first { $0.contains("completions:") }
            .flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) })
        let commandLine = try #require(manifest.components(separatedBy: "\n").first { $0.contains("command: [\"sh\", \"-c\", ") })
        // The third element of the array: the shell line.
        let script = try #require(commandLine.components(separatedBy: "\"sh\", \"-c\", \"").last.map { String($0.dropLast(2)) })
        let local = Self.localised(script, archive: archive, out: out)
        for index in 0..<completions {
            let process = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", local],
                                                environment: ProcessInfo.processInfo.environment.merging(["JOB_COMPLETION_INDEX": "\(index)"]) { $1 })
            #expect(process.status == 0 || process.status == 3, "\(process.standardError)")
        }
        let parts = (0..<completions).map { out.appending(path: "part-\($0).jsonl") }
        #expect(parts.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
        #expect(try Self.merged(parts) == Self.oneScan(archive))
    }
}
