import Foundation
import Testing
@testable import TriageKit

/// `--format jira`: Jira wiki markup whose input text cannot open a macro, a link, an image
/// or an effect, and that names what the other formats name.
struct JiraReportTests {
    /// Hostile text inside an exception message, as logs can carry it.
    static let log = """
        2026-03-09 14:03:34,892 ERROR [exec-1] c.a.Client - call failed
        java.net.SocketException: Connection reset {code}x{code} [click|http://evil.example] !tracker.png! {noformat} *bold* _em_ -strike- ??cite?? {color:red}red{color}
        \tat java.net.SocketInputStream.read(SocketInputStream.java:210)
        \tat com.acme.Client.call(Client.java:40)

        """

    @Test func inputTextIsEscapedForJira() throws {
        let report = Analyze.report(Self.log, name: "app.log")
        let jira = OutputFormat.jira.render(report, options: RenderOptions())
        // Outside {noformat} blocks, no markup from the input survives unescaped.
        var outside = ""
        var inBlock = false
        for line in jira.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "{noformat}" { inBlock.toggle(); continue }
            if !inBlock { outside += line + "\n" }
        }
        for raw in ["{code}", "[click|http", "!tracker.png!", " *bold* ", " _em_ ", " -strike- ", "??cite??", "{color:red}"] {
            #expect(!outside.contains(raw), "\(raw) left as markup")
        }
        #expect(outside.contains("\\{code\\}x\\{code\\}"))
        #expect(outside.contains("\\[click\\|http://evil.example\\]"))
        // Inside the evidence block only the block's own end is defused.
        #expect(!jira.contains("{noformat} *bold*"))
        #expect(jira.contains("{ noformat} *bold*"))
    }

    @Test func namesWhatMarkdownNames() throws {
        let text = try String(contentsOf: TestPaths.samples.appending(path: "pool-saturation/report-service.log"), encoding: .utf8)
        let report = Analyze.report(text, name: "report-service.log")
        let jira = OutputFormat.jira.render(report, options: RenderOptions())
        #expect(jira.hasPrefix("h1. triage report\n"))
        for (index, finding) in report.findings.enumerated() {
            #expect(jira.contains("h2. \(index + 1). \(finding.severity.rawValue.uppercased()): "))
            #expect(jira.contains("{{\(finding.rule)}}"))
            for evidence in finding.evidence { #expect(jira.contains("{{\(evidence.source):\(evidence.line)}}")) }
        }
        #expect(jira.contains("||Evidence||Weight||Count||First seen||Where||"))
        #expect(OutputFormat.implied(byFileName: "ticket.jira") == .jira)
    }
}
