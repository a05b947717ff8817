import Foundation
import Testing
@testable import TriageKit

/// `--format markdown` for a ticket: the causes on one screen first, each piece of evidence
/// once, the long parts folded, and never past a ticket's comment limit.
struct MarkdownReportTests {
    static func sampleReport() throws -> Report {
        let text = try String(contentsOf: TestPaths.samples.appending(path: "pool-saturation/report-service.log"), encoding: .utf8)
        return Analyze.report(text, name: "report-service.log")
    }

    @Test func theCausesComeFirstAndEachEvidenceOnce() throws {
        let report = try Self.sampleReport()
        let markdown = OutputFormat.markdown.render(report, options: RenderOptions())
        let table = try #require(markdown.range(of: "| # | Severity | Confidence | Cause | Where | First step |"))
        let firstFinding = try #require(markdown.range(of: "## 1. "))
        #expect(table.lowerBound < firstFinding.lowerBound)
        // Within each finding's section, each piece of evidence is shown once (it was twice: a
        // table, then the same lines in a code block).
        let sections = markdown.components(separatedBy: "\n## ").dropFirst()
        for (finding, section) in zip(report.findings, sections) {
            let own = section.components(separatedBy: "<details>").first ?? section
            for evidence in finding.evidence {
                let excerpt = MarkdownReportRenderer.excerpt(evidence.text, 160)
                #expect(own.components(separatedBy: excerpt).count - 1 == 1, "\(excerpt) shown more than once")
            }
        }
        #expect(markdown.contains("<details><summary>Exception groups</summary>"))
        #expect(markdown.contains("<details><summary>Inputs</summary>"))
    }

    @Test func neverPassesATicketsCommentLimit() {
        // 3,000 different failures, all listed: far past 65,536 characters unless cut.
        let log = (0..<3_000).map { index in
            "2026-03-09 14:03:34,892 ERROR [exec-1] c.a.Client - call failed\njava.lang.IllegalStateException: state \(index)\n"
                + "\tat com.acme.Step\(index).run(Step\(index).java:\(index + 1))\n"
        }.joined()
        let report = Analyze.report(log, name: "app.log")
        let markdown = OutputFormat.markdown.render(report, options: RenderOptions(topExceptionGroups: 3_000))
        #expect(markdown.count <= 65_536)
        #expect(markdown.contains("> **Cut here:** "))
        #expect(markdown.hasSuffix("`--format json` or `-o report.md` keeps everything.\n"))
    }

    /// `--brief`: a line per cause with where to look, then its first step; nothing else.
    @Test func briefIsALinePerCauseAndItsFirstStep() throws {
        let report = try Self.sampleReport()
        let brief = OutputFormat.text.render(report, options: RenderOptions(brief: true))
        let lines = brief.split(separator: "\n")
        #expect(lines.count == 1 + 2 * report.findings.count)
        for (index, finding) in report.findings.enumerated() {
            let first = try #require(finding.evidence.first)
            #expect(lines[1 + 2 * index].hasPrefix("\(index + 1). \(finding.severity.rawValue.uppercased()) "))
            #expect(lines[1 + 2 * index].hasSuffix("  \(finding.title)  \(first.source):\(first.line)"))
            #expect(lines[2 + 2 * index] == "   → \(finding.guidance.steps[0])")
        }
    }
}
