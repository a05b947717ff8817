import Foundation
import Testing
@testable import TriageKit

/// Runs the built `triage` on every sample and compares with `samples/expected/`.
/// `TRIAGE_RECORD=1 swift test` re-records the golden files after an intended change.
@Suite struct GoldenReportTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var sample: String
        var format: String
        var testDescription: String { "\(sample) as \(format)" }
    }

    static let samples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.samples.path)) ?? []
        return names.filter { $0 != "expected" && !$0.hasPrefix(".") }.sorted()
    }()

    static let cases: [Case] = samples.flatMap { sample in
        [("text", "txt"), ("markdown", "md"), ("jira", "jira"), ("html", "html"), ("json", "json")].map { Case(sample: sample, format: $0.0) }
    }

    @Test func thereAreSamplesForEachSeedIncident() {
        #expect(GoldenReportTests.samples == ["axis1-http-sender", "close-wait-javacore", "pool-saturation", "pool-timeouts", "windows-port-exhaustion"])
    }

    @Test(arguments: cases)
    func matchesTheGoldenReport(_ golden: Case) throws {
        let result = try ProcessRunner.triage(["logs", "samples/\(golden.sample)/", "--format", golden.format])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        let fileExtension = ["text": "txt", "markdown": "md", "jira": "jira", "html": "html", "json": "json"][golden.format]!
        let expected = TestPaths.samples.appending(path: "expected/\(golden.sample).\(fileExtension)")
        if ProcessInfo.processInfo.environment["TRIAGE_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: expected.deletingLastPathComponent(), withIntermediateDirectories: true)
            try result.standardOutput.write(to: expected, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try String(contentsOf: expected, encoding: .utf8)
        #expect(result.standardOutput == recorded, "differs from \(expected.path); re-record with TRIAGE_RECORD=1 if the change is intended")
    }

    /// Every format tells the same story: each finding's title, confidence, and each piece of
    /// evidence's count and `file:line`, read back through the format's own escaping.
    @Test(arguments: samples)
    func everyFormatNamesTheSameFindingsFiguresAndCitations(_ sample: String) throws {
        let json = try ProcessRunner.triage(["logs", "samples/\(sample)/", "--format", "json"]).standardOutput
        let report = try JSONDecoder().decode(TriageKit.Report.self, from: Data(json.utf8))
        #expect(!report.findings.isEmpty)
        for format in ["text", "markdown", "jira", "html"] {
            var shown = try ProcessRunner.triage(["logs", "samples/\(sample)/", "--format", format]).standardOutput
            switch format {
            case "html":
                for (entity, character) in [("&#39;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
                    shown = shown.replacingOccurrences(of: entity, with: character)
                }
            case "jira": shown = shown.replacingOccurrences(of: "\\", with: "")
            case "markdown": shown = shown.replacingOccurrences(of: "\\|", with: "|")
            default: break
            }
            for finding in report.findings {
                #expect(shown.contains(finding.title), "\(format) lacks \(finding.title)")
                #expect(shown.contains(NumberFormatting.weight(finding.confidence)), "\(format) lacks \(finding.rule)'s confidence")
                for evidence in finding.evidence {
                    #expect(shown.contains("\(evidence.source):\(evidence.line)"), "\(format) lacks \(evidence.source):\(evidence.line)")
                    #expect(shown.contains(NumberFormatting.count(evidence.count)), "\(format) lacks \(evidence.signal)'s count")
                }
            }
        }
    }
}
