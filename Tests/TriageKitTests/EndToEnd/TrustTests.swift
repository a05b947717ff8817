import Foundation
import Testing

/// What a user must be able to rely on (issue 13): inputs are never written, reports are never
/// read back as evidence, and nothing read is not a clean result. Through the real binary.
@Suite struct TrustTests {
    static let log = "samples/pool-timeouts/search-service.log"

    /// A folder with a copy of the pool-timeouts log.
    static func incident() throws -> (folder: URL, log: URL, bytes: Data) {
        let folder = try TestPaths.temporaryDirectory()
        let log = folder.appending(path: "app.log")
        let bytes = try Data(contentsOf: TestPaths.root.appending(path: Self.log))
        try bytes.write(to: log)
        return (folder, log, bytes)
    }

    @Test func outputNamingAnInputIsRefusedBeforeAnythingIsWritten() throws {
        let (folder, log, bytes) = try Self.incident()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(at: folder.appending(path: "link.log"), withDestinationURL: log)
        try FileManager.default.linkItem(at: log, to: folder.appending(path: "hard.log"))
        let outside = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outside) }
        let cases: [([String], String)] = [
            ([log.path, "-o", log.path], "is one of the inputs"),
            ([log.path, "-o", folder.path + "/./app.log"], "is one of the inputs"),
            ([log.path, "-o", folder.appending(path: "link.log").path], "is one of the inputs"),
            ([folder.appending(path: "link.log").path, "-o", folder.appending(path: "hard.log").path], "is one of the inputs"),
            ([folder.path, "-o", folder.appending(path: "report.md").path], "is inside the input directory"),
            ([folder.path, "-o", outside.path + "/../" + outside.lastPathComponent + "/r.md"], ""),
        ]
        for (arguments, message) in cases {
            let result = try ProcessRunner.triage(["logs"] + arguments)
            if message.isEmpty {
                #expect(result.status == 0, "\(arguments)")
                continue
            }
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
            #expect(try Data(contentsOf: log) == bytes, "\(arguments) modified the input")
            #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "report.md").path))
        }
    }

    @Test func aReportSavedAmongTheInputsIsSkippedNotReadBack() throws {
        let (folder, _, _) = try Self.incident()
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = try ProcessRunner.triage(["logs", folder.path, "--format", "json"])
        // Reports in every format, written by triage itself, then the same folder analysed again.
        let saved = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: saved) }
        for (name, format) in [("report.md", "markdown"), ("report.json", "json"), ("report.txt", "text"), ("report.html", "html")] {
            #expect(try ProcessRunner.triage(["logs", folder.path, "--format", format, "-o", saved.appending(path: name).path]).status == 0)
            try FileManager.default.moveItem(at: saved.appending(path: name), to: folder.appending(path: name))
        }
        let coloured = try ProcessRunner.triage(["logs", TrustTests.log, "--color", "always"])
        try Data(coloured.standardOutput.utf8).write(to: folder.appending(path: "colour.txt"))
        let again = try ProcessRunner.triage(["logs", folder.path, "--format", "json"])
        #expect(again.status == 0)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(alone.standardOutput.utf8)) as? [String: Any])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8)) as? [String: Any])
        #expect(second["$triage"] as? String == "report")
        let inputs = try #require(second["inputs"] as? [[String: Any]])
        let skipped = inputs.filter { $0["status"] as? String == "skipped" }.map { ($0["source"] as? String ?? "", $0["reason"] as? String ?? "") }
        #expect(skipped.map { URL(fileURLWithPath: $0.0).lastPathComponent }.sorted() == ["colour.txt", "report.html", "report.json", "report.md", "report.txt"])
        #expect(skipped.allSatisfy { $0.1.hasPrefix("a triage report (") })
        // The same findings and counts as without the reports.
        for key in ["findings", "exceptions"] {
            let a = try JSONSerialization.data(withJSONObject: first[key] ?? [], options: [.sortedKeys])
            let b = try JSONSerialization.data(withJSONObject: second[key] ?? [], options: [.sortedKeys])
            #expect(a == b, "\(key) changed when the reports sat beside the log")
        }
    }

    @Test func nothingAnalysedIsNotACleanResult() throws {
        let empty = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let result = try ProcessRunner.triage(["logs", empty.path, "--fail-on", "info"])
        #expect(result.status == 3)
        #expect(result.standardError.contains("triage: nothing was analysed (no input files found)"))
        #expect(result.standardOutput.hasPrefix("triage: nothing was analysed"))

        let skipped = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: skipped) }
        try Data("BZh91AY&SY".utf8).write(to: skipped.appending(path: "old.log.bz2"))
        try Data([0, 1, 2, 3, 0, 0, 0, 9] + [UInt8](repeating: 0, count: 100)).write(to: skipped.appending(path: "heap.hprof"))
        let only = try ProcessRunner.triage(["logs", skipped.path, "--fail-on", "info", "--width", "0"])
        #expect(only.status == 3)
        #expect(only.standardError.contains("triage: nothing was analysed (2 skipped, see 'Read' in the report)"))
        #expect(only.standardOutput.contains("old.log.bz2: skipped: bzip2 data is not read directly; decompress it first"))
        #expect(!only.standardOutput.contains("no known root cause"))
    }

    @Test func theOtherInputsWereAnalysedOnlyWhenThereWereOthers() throws {
        let alone = try ProcessRunner.triage(["logs", "missing.log"])
        #expect(alone.status == 3)
        #expect(alone.standardError.contains("missing.log: cannot read: No such file or directory; check the path\n"))
        #expect(!alone.standardError.contains("the other inputs were analysed"))
        let beside = try ProcessRunner.triage(["logs", "missing.log", TrustTests.log])
        #expect(beside.standardError.contains("missing.log: cannot read: No such file or directory; check the path (the other inputs were analysed)"))
        #expect(beside.standardOutput.hasPrefix("triage: 1 root cause in 1 input (320 KB, 3,575 lines); 1 unreadable"))
    }

    @Test func pipedInputIsReadWithoutAPath() throws {
        let data = try Data(contentsOf: TestPaths.root.appending(path: TrustTests.log))
        let result = try ProcessRunner.triage(["logs", "--format", "json"], input: data)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\"source\" : \"<stdin>\""))
    }

    @Test func theOutputsExtensionPicksItsFormat() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, start) in [("r.json", "{\n  \"$triage\" : \"report\""), ("r.md", "# triage report\n"), ("r.txt", "triage: 1 root cause")] {
            #expect(try ProcessRunner.triage(["logs", TrustTests.log, "-o", folder.appending(path: name).path]).status == 0)
            #expect(try String(contentsOf: folder.appending(path: name), encoding: .utf8).hasPrefix(start), "\(name)")
        }
    }
}
