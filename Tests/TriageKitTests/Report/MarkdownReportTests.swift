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

    /// A 6,000-character exception message (a payload logged whole) and a connection failure:
    /// in Markdown and Jira no line passes 1,000 characters, and the message's start is kept.
    @Test func noTicketLineIsLongerThanTheStatedLimit() {
        let payload = (0..<600).map { "field\($0)=v" }.joined(separator: ",")
        let log = "2026-03-09 14:03:34,892 ERROR [exec-1] c.a.Client - call failed\n"
            + "java.lang.IllegalStateException: rejected \(payload)\n\tat com.acme.Step.run(Step.java:7)\n"
            + "2026-03-09 14:03:35,001 ERROR [exec-2] c.a.Client - call failed\n"
            + "java.net.SocketException: No buffer space available (maximum connections reached?): connect \(payload)\n"
            + "\tat java.net.Socket.connect(Socket.java:589)\n"
        let report = Analyze.report(log, name: "app.log")
        #expect(!report.findings.isEmpty)
        for format in [OutputFormat.markdown, .jira] {
            let rendered = format.render(report, options: RenderOptions())
            let longest = rendered.split(separator: "\n").map(\.count).max() ?? 0
            #expect(longest <= MarkdownReportRenderer.lineLimit, "\(format): a line of \(longest) characters")
            #expect(longest > 300, "\(format): the long message is there, cut, not dropped")
            #expect(rendered.contains("rejected field0=v,field1=v"))
        }
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
