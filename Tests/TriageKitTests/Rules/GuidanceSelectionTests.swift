import Foundation
import Testing
@testable import TriageKit

/// Advice for what was seen: every step and reference a finding shows belongs to the rule's
/// general part or to a variant whose signals matched; nothing is said twice; a link to a
/// library's or a platform's documentation lives in that library's or platform's variant.
struct GuidanceSelectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: Rule
        var index: Int
        var testDescription: String { "\(rule.id) examples.match[\(index)]" }
    }

    static let cases: [Case] = RuleSet.builtin.rules.flatMap { rule in
        rule.examples.match.indices.map { Case(rule: rule, index: $0) }
    }

    @Test(arguments: cases)
    func showsOnlyAdviceForWhatWasSeen(_ example: Case) throws {
        let rule = example.rule
        let finding = try #require(RuleExampleRunner.finding(rule.examples.match[example.index], "examples.match[\(example.index)]",
                                                             rule, SignalMatcher(rules: [rule])))
        let matched = Set(finding.evidence.filter { $0.bystander != true }.map(\.signal))
        let applied = (rule.guidance.variants ?? []).filter { !matched.isDisjoint(with: $0.when) }
        #expect(finding.guidance.appliedVariants == applied.map(\.title))
        let allowedSteps = Set(rule.guidance.steps + applied.flatMap(\.steps))
        let allowedReferences = Set((rule.guidance.references ?? []) + applied.flatMap { $0.references ?? [] })
        for step in finding.guidance.steps { #expect(allowedSteps.contains(step), "a step from a variant that did not apply: \(step)") }
        for reference in finding.guidance.references {
            #expect(allowedReferences.contains(reference), "a link from a variant that did not apply: \(reference)")
        }
        #expect(Set(finding.guidance.steps).count == finding.guidance.steps.count, "a step said twice")
        #expect(Set(finding.guidance.references).count == finding.guidance.references.count, "a link given twice")
        // The variant's own links come first: the library in use, then the general reading.
        let variantLinks = applied.flatMap { $0.references ?? [] }
        #expect(Array(finding.guidance.references.prefix(variantLinks.count)) == variantLinks.reduce(into: []) { list, link in
            if !list.contains(link) { list.append(link) }
        })
    }

    /// A rule's general references are read by everyone it fires for: none may be documentation
    /// of a library or platform one of its variants covers (same site and first path segment).
    @Test(arguments: RuleSet.builtin.rules.map(\.id))
    func generalLinksNameNoLibraryOrPlatform(_ id: String) throws {
        let rule = try #require(RuleSet.builtin.rule(id: id))
        let specific = Set((rule.guidance.variants ?? []).flatMap { $0.references ?? [] }.map(Self.site))
        for reference in rule.guidance.references ?? [] {
            #expect(!specific.contains(Self.site(reference)), "\(id): \(reference) is a library's or platform's page; put it in its variant")
        }
    }

    /// `hc.apache.org/httpcomponents-client-4.5.x`, `github.com/brettwooldridge`.
    static func site(_ url: String) -> String {
        let parts = url.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return url }
        return parts[1...].prefix(2).joined(separator: "/")
    }

    @Test func aHikariLeakGetsHikarisAdviceAndNoHTTPClientLinks() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:20:00.001  WARN 1 --- [ool-1 housekeeper] com.zaxxer.hikari.pool.ProxyLeakTask : Connection leak detection triggered for conn0 on thread exec-4, stack trace follows",
            "java.lang.Exception: Apparent connection leak detected",
            "\tat com.acme.orders.OrderDao.find(OrderDao.java:42)",
        ]))
        let leak = try #require(report.findings.first { $0.rule == "connection-leak" })
        #expect(leak.guidance.appliedVariants.first == "HikariCP")
        #expect(leak.guidance.references.first == "https://github.com/brettwooldridge/HikariCP#gear-configuration-knobs-baby")
        #expect(leak.guidance.references.allSatisfy { !$0.contains("hc.apache.org") })
        #expect(leak.guidance.steps.allSatisfy { !$0.contains("HttpClient") })
    }

    @Test func aPostgreSQLResetGetsJDBCAdvice() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-2] c.a.orders.OrderRepository - query failed",
            "org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.",
            "\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:395)",
            "Caused by: java.net.SocketException: Connection reset",
            "\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:323)",
        ]))
        let reset = try #require(report.findings.first { $0.rule == "connection-reset" })
        #expect(reset.guidance.appliedVariants == ["JDBC"])
        #expect(reset.guidance.steps.first?.contains("maxLifetime") == true)
        #expect(reset.guidance.references.isEmpty, "no HTTP client page for a database reset")
    }

    @Test func windowsPortExhaustionGetsWindowsNumbersOnly() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [pool-3-thread-7] c.a.InventoryClient - call failed",
            "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
        ]))
        let exhaustion = try #require(report.findings.first { $0.rule == "ephemeral-port-exhaustion" })
        #expect(exhaustion.guidance.appliedVariants == ["Windows"])
        let text = (exhaustion.guidance.steps + exhaustion.guidance.avoid).joined(separator: "\n")
        #expect(text.contains("netsh int ipv4 set dynamicport"))
        #expect(!text.contains("sysctl") && !text.contains("tcp_tw_recycle"), "no Linux settings for a Windows host")
        #expect(exhaustion.guidance.references.first?.contains("learn.microsoft.com") == true)
    }
}
