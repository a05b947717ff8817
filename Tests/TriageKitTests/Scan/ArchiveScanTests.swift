import Foundation
import Testing
@testable import TriageKit

/// `triage scan` over an archive shaped like a real one (hosts, rotated and gzipped logs, a
/// truncated gzip, a file that fails to read, a symbolic-link loop), its shards merged, and
/// GNU parallel running the shards.
@Suite(.serialized) struct ArchiveScanTests {
    /// host1: the Windows incident's log, and an older rotated one; host2: the HttpClient pool
    /// leak, the saturated pool gzipped with a dated name, a truncated gzip, an unreadable file.
    static func archive() throws -> URL {
        let root = try TestPaths.temporaryDirectory().appending(path: "archive")
        let manager = FileManager.default
        for host in ["host1", "host2"] { try manager.createDirectory(at: root.appending(path: host), withIntermediateDirectories: true) }
        let samples = TestPaths.samples
        try manager.copyItem(at: samples.appending(path: "windows-port-exhaustion/order-service.log"), to: root.appending(path: "host1/app.log"))
        try manager.copyItem(at: samples.appending(path: "windows-port-exhaustion/order-service.2024-12-20.log.gz"),
                             to: root.appending(path: "host1/app.2024-12-10.log.gz"))
        try manager.copyItem(at: samples.appending(path: "pool-timeouts/search-service.log"), to: root.appending(path: "host2/search.log"))
        let saturation = try Data(contentsOf: samples.appending(path: "pool-saturation/report-service.log"))
        try ProcessRunner.shell("gzip -n -c '\(samples.appending(path: "pool-saturation/report-service.log").path)' > "
                                + "'\(root.appending(path: "host2/report.2024-12-21.log.gz").path)'")
        // Cut in the middle of its deflate stream: half the file read, then an error.
        let cut = root.appending(path: "host2/cut.log.gz").path
        try ProcessRunner.shell("gzip -n -c '\(samples.appending(path: "pool-timeouts/search-service.log").path)' > '\(cut).whole' && "
                                + "head -c $(( $(wc -c < '\(cut).whole') / 2 )) '\(cut).whole' > '\(cut)' && rm '\(cut).whole'")
        // A zip whose only member's deflate data is damaged half-way (python's zipfile writes it).
        let zip = root.appending(path: "host2/old.zip").path
        try ProcessRunner.shell("python3 -c \"import zipfile; z = zipfile.ZipFile('\(zip)', 'w', zipfile.ZIP_DEFLATED); "
                                + "z.write('\(samples.appending(path: "pool-timeouts/search-service.log").path)', 'search.log'); z.close()\" && "
                                + "printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' | dd of='\(zip)' bs=1 seek=3000 conv=notrunc status=none")
        // A read that fails with EIO (even for root): /proc/self/mem at offset 0.
        try manager.createSymbolicLink(atPath: root.appending(path: "host2/mem.log").path, withDestinationPath: "/proc/self/mem")
        try manager.createSymbolicLink(atPath: root.appending(path: "host1/loop").path, withDestinationPath: "..")
        #expect(saturation.count > 0)
        return root
    }

    static func json(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test func everyFileIsARowAndTheBadOnesDoNotStopTheScan() throws {
        let root = try Self.archive()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let result = try ProcessRunner.triage(["scan", root.path, "--format", "json"])
        #expect(result.status == 3, "files that could not be read whole: exit 3")
        #expect(result.standardError.contains("cut.log.gz: read in part: "))
        #expect(result.standardError.contains("mem.log: unreadable: Input/output error"))
        let document = try Self.json(result.standardOutput)
        #expect(document["$triage"] as? String == "scan")
        let files = try #require(document["files"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: files.map { ($0["file"] as? String ?? "", $0) })
        #expect(files.map { $0["file"] as? String ?? "" } == ["host1/app.2024-12-10.log.gz", "host1/app.log", "host1/loop",
                                                              "host2/cut.log.gz", "host2/mem.log", "host2/old.zip!search.log",
                                                              "host2/report.2024-12-21.log.gz", "host2/search.log"])
        #expect(byName["host2/old.zip!search.log"]?["status"] as? String == "partial", "the damaged zip member is not passed off as read")
        #expect((byName["host1/loop"]?["reason"] as? String)?.contains("a symbolic link to a folder already scanned") == true)
        #expect(byName["host2/cut.log.gz"]?["status"] as? String == "partial")
        #expect((byName["host2/cut.log.gz"]?["lines"] as? Int ?? 0) > 100, "the part before the cut was read")
        #expect(byName["host2/mem.log"]?["status"] as? String == "unreadable")
        let appFindings = try #require(byName["host1/app.log"]?["findings"] as? [[String: Any]])
        #expect(appFindings.first?["rule"] as? String == "ephemeral-port-exhaustion")
        #expect(appFindings.first?["destination"] as? String == "inventory.internal:8080")
        // Gathered by rule and destination, with files, hosts and figures.
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 8)
        #expect(summary["unreadable"] as? Int == 3, "the unreadable file, the cut gzip and the damaged zip member")
        let causes = try #require(summary["causes"] as? [[String: Any]])
        let leak = try #require(causes.first { $0["rule"] as? String == "connection-leak" })
        #expect(leak["hosts"] as? [String] == ["host2"])
        #expect((leak["files"] as? Int ?? 0) >= 3, "search.log, its cut copy, the saturated pool's log (and what the zip held)")
        let exhaustion = try #require(causes.first { $0["rule"] as? String == "ephemeral-port-exhaustion" })
        #expect(exhaustion["example"] as? String == root.path + "/host1/app.log:339")
        let days = try #require(summary["days"] as? [[String: Any]])
        // The rotated log of the 20th has no finding: the day table holds the 21st only.
        #expect(days.map { $0["day"] as? String } == ["2024-12-21"])
        let perRule = (days.first?["findings"] as? [[String: Any]] ?? []).map { "\($0["key"] as? String ?? "") \($0["count"] as? Int ?? 0)" }
        #expect(perRule.contains { $0.hasPrefix("connection-leak ") } && perRule.contains("ephemeral-port-exhaustion 1"), "\(perRule)")
    }

    @Test func mergedShardsAreOneScanWhateverTheJobs() throws {
        let root = try Self.archive()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let whole = try ProcessRunner.triage(["scan", root.path, "--format", "json"]).standardOutput
        let oneJob = try ProcessRunner.triage(["scan", root.path, "--format", "json", "--jobs", "1"]).standardOutput
        #expect(oneJob == whole, "--jobs 1 and all cores give the same bytes")
        let parts = root.deletingLastPathComponent()
        var sizes: [Int] = []
        for index in 1...3 {
            let part = try ProcessRunner.triage(["scan", root.path, "--shard", "\(index)/3", "--format", "jsonl"]).standardOutput
            sizes.append(part.split(separator: "\n").count - 1)
            try part.write(to: parts.appending(path: "part-\(index).jsonl"), atomically: true, encoding: .utf8)
        }
        #expect(sizes.reduce(0, +) == 8, "every file in exactly one shard: \(sizes)")
        #expect(sizes.filter { $0 > 0 }.count >= 2, "the shards split the files: \(sizes)")
        let merged = try ProcessRunner.triage(["merge"] + (1...3).map { parts.appending(path: "part-\($0).jsonl").path } + ["--format", "json"])
        #expect(merged.status == 3)
        #expect(merged.standardOutput == whole, "merged shards give exactly one scan's report")
        for format in ["text", "markdown"] {
            let scanned = try ProcessRunner.triage(["scan", root.path, "--format", format]).standardOutput
            let joined = try ProcessRunner.triage(["merge", "--format", format] + (1...3).map { parts.appending(path: "part-\($0).jsonl").path })
            #expect(joined.standardOutput == scanned, "\(format)")
        }
    }

    @Test func theWindowLeavesFilesUnopenedByTheirNameDate() throws {
        let root = try Self.archive()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let result = try ProcessRunner.triage(["scan", root.path, "--since", "2024-12-21", "--until", "2024-12-21 23:59", "--format", "json"])
        let document = try Self.json(result.standardOutput)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["outsideWindow"] as? Int == 1)
        let files = try #require(document["files"] as? [[String: Any]])
        let old = try #require(files.first { $0["file"] as? String == "host1/app.2024-12-10.log.gz" })
        #expect((old["reason"] as? String)?.hasPrefix("outside --since/--until: its name's date 2024-12-10 is before the window") == true)
        #expect(old["lines"] as? Int == 0, "not opened")
        let text = try ProcessRunner.triage(["scan", root.path, "--since", "2024-12-21", "--width", "0"]).standardOutput
        #expect(text.contains(", 1 left unopened outside the window"))
        // A bare time means nothing across days.
        let bare = try ProcessRunner.triage(["scan", root.path, "--since", "13:30"])
        #expect(bare.status == 2)
        #expect(bare.standardError.contains("a scan spans days: give --since and --until a date"))
    }

    @Test func hostsComeFromThePathWhenTold() throws {
        let root = try Self.archive()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let result = try ProcessRunner.triage(["scan", root.path, "--host-from", "^host([0-9]+)/", "--format", "json"])
        let document = try Self.json(result.standardOutput)
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(Set(files.map { $0["host"] as? String ?? "" }) == ["1", "2"])
        let causes = try #require((document["summary"] as? [String: Any])?["causes"] as? [[String: Any]])
        #expect(causes.first { $0["rule"] as? String == "connection-leak" }?["hosts"] as? [String] == ["2"])
        let wrong = try ProcessRunner.triage(["scan", root.path, "--host-from", "(unclosed"])
        #expect(wrong.status == 2 && wrong.standardError.contains("is not a regular expression"))
    }

    @Test func failOnWorksAsInLogs() throws {
        let critical = try ProcessRunner.triage(["scan", "samples/windows-port-exhaustion", "--fail-on", "critical"])
        #expect(critical.status == 1, "a critical finding in the archive")
        let none = try ProcessRunner.triage(["scan", "samples/pool-saturation", "--fail-on", "critical"])
        #expect(none.status == 0, "only high and medium there")
    }

    @Test func namesAndShardsAreStable() {
        #expect(ArchiveScan.nameDate("app.log.2026-03-01.gz")?.text == "2026-03-01 00:00:00.000")
        #expect(ArchiveScan.nameDate("catalina.2026-03-01.log")?.text == "2026-03-01 00:00:00.000")
        #expect(ArchiveScan.nameDate("app-20260301.log.gz")?.text == "2026-03-01 00:00:00.000")
        #expect(ArchiveScan.nameDate("app.log.1") == nil)
        #expect(ArchiveScan.nameDate("build-202603011200.log") == nil, "12 digits are not a date")
        // FNV-1a 64 of the path: the same shard on every machine.
        #expect(ArchiveScan.stableHash("") == 0xcbf2_9ce4_8422_2325)
        #expect(ArchiveScan.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
