import Foundation
import Testing
@testable import TriageKit

@Suite struct ReportRendererTests {
    static let report = Analyze.report(FindingRankerTests.windowsStorm, name: "order-service.log")

    @Test func jsonHasTheVersionedSchema() throws {
        let text = OutputFormat.json.render(ReportRendererTests.report, options: RenderOptions())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["schema"] as? Int == 1)
        #expect(Set(object.keys).isSuperset(of: ["schema", "findings", "exceptions", "inputs"]))
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(finding["rule"] as? String == "ephemeral-port-exhaustion")
        #expect(Set(finding.keys).isSuperset(of: ["rule", "title", "severity", "confidence", "evidence", "facts", "guidance"]))
        let evidence = try #require((finding["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["source"] as? String == "order-service.log")
        #expect(evidence["line"] as? Int == 4)
        #expect(evidence["count"] as? Int == 1)
        #expect((evidence["text"] as? String)?.hasPrefix("java.net.SocketException: No buffer space available") == true)
        // Decodes back into the same model: the schema is the model.
        let decoded = try JSONDecoder().decode(Report.self, from: Data(text.utf8))
        #expect(decoded.findings.map(\.rule) == ReportRendererTests.report.findings.map(\.rule))
    }

    @Test func textShowsCausesThenGroupsThenInputsWithoutColourUnlessAsked() {
        let plain = OutputFormat.text.render(ReportRendererTests.report, options: RenderOptions(color: false))
        #expect(!plain.contains("\u{1B}["))
        let causes = plain.range(of: "#1  CRITICAL  Ephemeral ports exhausted by connection churn")
        let groups = plain.range(of: "Exception groups")
        let inputs = plain.range(of: "\nRead\n")
        #expect(causes != nil && groups != nil && inputs != nil)
        if let causes, let groups, let inputs {
            #expect(causes.lowerBound < groups.lowerBound && groups.lowerBound < inputs.lowerBound)
        }
        #expect(plain.contains("order-service.log:4  java.net.SocketException: No buffer space available"))
        #expect(plain.contains("confidence 1 − (1 − 0.80)·(1 − 0.10)"))
        #expect(plain.contains("toward 10.20.1.15:8080 (1)"))
        let coloured = OutputFormat.text.render(ReportRendererTests.report, options: RenderOptions(color: true))
        #expect(coloured.contains("\u{1B}[1;31mCRITICAL\u{1B}[0m"))
    }

    @Test func markdownIsATicketReadyDocument() {
        let markdown = OutputFormat.markdown.render(ReportRendererTests.report, options: RenderOptions())
        #expect(markdown.hasPrefix("# triage report\n"))
        #expect(markdown.contains("## 1. CRITICAL: Ephemeral ports exhausted by connection churn"))
        #expect(markdown.contains("| `windows-no-buffer-space`: "))
        #expect(markdown.contains("`order-service.log:4`"))
        #expect(markdown.contains("<details><summary>Exception groups</summary>"))
        #expect(markdown.contains("<details><summary>Inputs</summary>"))
    }

    @Test func figuresReadLikeFigures() {
        #expect(NumberFormatting.count(1_234_567) == "1,234,567")
        #expect(NumberFormatting.count(12) == "12")
        #expect(NumberFormatting.bytes(1_234) == "1.2 KB")
        #expect(NumberFormatting.bytes(734_003_200) == "734 MB")
        #expect(NumberFormatting.weight(0.8) == "0.80")
    }
}
