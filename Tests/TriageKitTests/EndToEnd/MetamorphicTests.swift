import Foundation
import Testing
@testable import TriageKit

/// Each bundled incident, changed in ways that must not change the answer (split, reordered,
/// gzipped, CRLF, a healthy log beside it, earlier reports beside it, a window around it all),
/// and in ways that must change it as stated (a window that leaves the incident out, dumps of
/// a second JVM added).
@Suite struct MetamorphicTests {
    static let samples = ["windows-port-exhaustion", "axis1-http-sender", "pool-timeouts", "close-wait-javacore", "pool-saturation"]

    /// What must not move: each finding's rule, occurrences and evidence counts, and the traces.
    struct Answer: Equatable, CustomStringConvertible {
        var findings: [String]
        var traces: Int
        var groups: [Int]

        init(_ report: Report) {
            findings = report.findings.map { finding in
                "\(finding.rule) ×\(finding.facts.occurrences) [" + finding.evidence.map { "\($0.signal) ×\($0.count)" }.joined(separator: ", ") + "]"
            }
            traces = report.inputs.reduce(0) { $0 + $1.traces }
            groups = report.exceptions.map(\.count)
        }

        var description: String { findings.joined(separator: "; ") + " traces \(traces)" }
    }

    static func copy(_ sample: String) throws -> (folder: URL, files: [URL]) {
        let folder = try TestPaths.temporaryDirectory()
        let source = TestPaths.samples.appending(path: sample)
        var files: [URL] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            try FileManager.default.copyItem(at: source.appending(path: name), to: folder.appending(path: name))
            files.append(folder.appending(path: name))
        }
        return (folder, files)
    }

    static func run(_ paths: [String], window: TimeWindow? = nil) -> Report {
        Analysis.run(.init(paths: paths, rules: .builtin, window: window)).report
    }

    static func baseline(_ sample: String) throws -> Answer {
        let (folder, _) = try copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let answer = Answer(run([folder.path]))
        #expect(!answer.findings.isEmpty)
        return answer
    }

    static func isGzip(_ url: URL) throws -> Bool {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return try handle.read(upToCount: 2) == Data([0x1f, 0x8b])
    }

    @Test(arguments: samples)
    func splittingTheLargestLogInTwoChangesNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, files) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try files.filter { try !Self.isGzip($0) }
        func size(_ url: URL) -> Int { (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0 }
        let logs = plain.filter { ["log", "out"].contains($0.pathExtension) }
        let largest = try #require(logs.max { size($0) < size($1) })
        // By bytes: a String would read `\r\n` (the Windows sample's) as one character, not a line end.
        let lines = [UInt8](try Data(contentsOf: largest)).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        // Cut at a record's first line, seconds after the record before (one failure is not cut
        // in two) and not the timestamp that opens a thread dump.
        var cut: Int?
        var previous: LogTimestamp?
        for index in Array((lines.count / 2)..<lines.count) + Array(1..<max(1, lines.count / 2)) {
            if index == 1 { previous = nil }
            guard let time = lines[index].withUnsafeBytes({ LogHeaderParser.parse($0)?.timestamp }) else { continue }
            defer { previous = time }
            guard let before = previous, time.milliseconds - before.milliseconds > EvidenceTally.sameFailureWindow,
                  index + 1 < lines.count, !lines[index + 1].starts(with: Array("Full thread dump".utf8)) else { continue }
            cut = index
            break
        }
        let at = try #require(cut, "no quiet record boundary in \(largest.lastPathComponent)")
        try Data(lines[..<at].joined(separator: [0x0A]) + [0x0A]).write(to: largest)
        try Data(lines[at...].joined(separator: [0x0A])).write(to: folder.appending(path: "zz-" + largest.lastPathComponent))
        #expect(Answer(Self.run([folder.path])) == expected)
    }

    @Test(arguments: samples)
    func theOrderOfTheInputsChangesNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, files) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Answer(Self.run(files.reversed().map(\.path))) == expected)
    }

    @Test(arguments: samples)
    func gzippingEveryInputChangesNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, files) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in try files.filter({ try !Self.isGzip($0) }) {
            try ProcessRunner.shell("gzip -n '\(file.lastPathComponent)'", directory: folder)
        }
        #expect(Answer(Self.run([folder.path])) == expected)
    }

    @Test(arguments: samples)
    func windowsLineEndingsChangeNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, files) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in try files.filter({ try !Self.isGzip($0) }) {
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
                .write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(Answer(Self.run([folder.path])) == expected)
    }

    @Test(arguments: samples)
    func aHealthyUnrelatedLogBesideItChangesNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, _) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let healthy = (0..<500).map { String(format: "2024-12-21 13:%02d:%02d,250 INFO  [billing-%d] c.e.billing.InvoiceJob - invoice %d sent", $0 / 60 % 60, $0 % 60, $0 % 4, $0) }
        try (healthy.joined(separator: "\n") + "\n").write(to: folder.appending(path: "billing.log"), atomically: true, encoding: .utf8)
        var answer = Answer(Self.run([folder.path]))
        #expect(answer.findings == expected.findings)
        answer.traces = expected.traces
        #expect(answer == expected)
    }

    @Test(arguments: samples)
    func earlierReportsInTheFolderChangeNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, _) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = Self.run([folder.path])
        for format in OutputFormat.allCases {
            try format.render(report, options: RenderOptions()).write(to: folder.appending(path: "report.\(format.rawValue)"),
                                                                      atomically: true, encoding: .utf8)
        }
        let again = Self.run([folder.path])
        #expect(Answer(again) == expected)
        #expect(again.inputs.filter { $0.status == .skipped }.count == OutputFormat.allCases.count)
    }

    @Test(arguments: samples)
    func aWindowAroundEverythingChangesNothing(_ sample: String) throws {
        let expected = try Self.baseline(sample)
        let (folder, _) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = Self.run([folder.path], window: TimeWindow(since: LogTimestamp.parse("2000-01-01"), until: LogTimestamp.parse("2100-01-01")))
        #expect(Answer(report) == expected)
        #expect(report.window?.recordsLeftOut == 0 && report.window?.dumpsLeftOut == 0 && report.window?.tablesLeftOut == 0)
    }

    @Test(arguments: samples)
    func aWindowAfterTheIncidentLeavesItsEvidenceOut(_ sample: String) throws {
        let (folder, _) = try Self.copy(sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = Self.run([folder.path], window: TimeWindow(since: LogTimestamp.parse("2100-01-01"), until: nil))
        // No log record is in the window: no finding rests on one, and every dated one is counted out.
        #expect(report.findings.allSatisfy { !$0.evidence.contains { $0.kind == "log" } }, "\(report.findings.map(\.rule))")
        #expect(report.exceptions.isEmpty)
        let dated = Self.run([folder.path]).inputs.reduce(0) { $0 + $1.records }
        #expect((report.window?.recordsLeftOut ?? 0) > dated / 2)
    }

    /// The saturated pool's two dumps, and a third from another service: the same answer, the
    /// stuck readers still found within their own JVM, and the report saying there are two.
    @Test func aSecondJVMsDumpDoesNotJoinTheSeries() throws {
        let expected = try Self.baseline("pool-saturation")
        let (folder, _) = try Self.copy("pool-saturation")
        defer { try? FileManager.default.removeItem(at: folder) }
        var other = ["31337:", "2024-12-21 10:15:00", "Full thread dump OpenJDK 64-Bit Server VM (11.0.21+9 mixed mode):", ""]
        for index in 1...80 {
            other += ["\"kafka-consumer-\(index)\" #\(index + 20) prio=5 os_prio=0 tid=0x\(index) nid=0x\(index + 500) waiting on condition  [0x0]",
                      "   java.lang.Thread.State: TIMED_WAITING (parking)", "\tat jdk.internal.misc.Unsafe.park(Native Method)", ""]
        }
        try (other.joined(separator: "\n") + "\n").write(to: folder.appending(path: "jstack-31337.txt"), atomically: true, encoding: .utf8)
        let report = Self.run([folder.path])
        #expect(Answer(report) == expected)
        #expect(report.notes.contains { $0.hasPrefix("the dumps come from 2 JVMs") })
        #expect(!report.facts.contains { $0.id == "thread-count-growth" })
    }
}
