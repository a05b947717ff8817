import Testing
@testable import TriageKit

/// Evidence agrees only when it is of one time: a log from one day and a socket table from
/// another year are two incidents, however alike.
struct TimeAgreementTests {
    static let log = Analyze.lines([
        "2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-3] c.e.order.InventoryClient - lookup failed",
        "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
        "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
        "2024-12-21 13:40:03,117 ERROR [http-nio-8080-exec-4] c.e.order.InventoryClient - lookup failed",
        "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
        "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
    ])

    static func netstat(date: String) -> String {
        var rows = [date, "Active Connections", "", "  Proto  Local Address          Foreign Address        State           PID"]
        for port in 49_152...65_000 { rows.append("  TCP    10.0.0.5:\(port)      10.0.0.9:8080        TIME_WAIT       0") }
        return Analyze.lines(rows)
    }

    static func report(date: String) -> Report {
        Analysis.merge([Analyze.text(Self.log, name: "app.log"), Analyze.text(Self.netstat(date: date), name: "netstat.txt")],
                       rules: RuleSet.builtin)
    }

    static func finding(date: String) throws -> Finding {
        try #require(report(date: date).findings.first { $0.rule == "ephemeral-port-exhaustion" })
    }

    @Test func theReportWarnsThatTheInputsLookLikeTwoIncidents() {
        #expect(Self.report(date: "Sat Dec  5 10:00:00 UTC 2026").notes == [
            "the logs span 2024-12-21 13:26:03.117 → 2024-12-21 13:40:03.117, but the socket tables were taken at "
                + "2026-12-05 10:00:00.000, 713d 20h after them: they look like different incidents, and do not count as agreeing",
        ])
        #expect(Self.report(date: "Sat Dec 21 13:45:00 UTC 2024").notes.isEmpty)
    }

    @Test func aSocketTableOfTheSameHourAgrees() throws {
        let finding = try Self.finding(date: "Sat Dec 21 13:45:00 UTC 2024")
        #expect(finding.agreement == ["log", "socket"])
        #expect(finding.confidence == 0.96)
        #expect(finding.facts.duration == "18m 56s")
        #expect(finding.note == nil)
    }

    @Test func aSocketTableTakenTwoYearsLaterDoesNotAgree() throws {
        let finding = try Self.finding(date: "Sat Dec  5 10:00:00 UTC 2026")
        #expect(finding.agreement == nil, "no boost from evidence of another time")
        #expect(finding.confidence == 0.92, "noisy-OR of the weights alone")
        #expect(finding.facts.duration == "14m 00s", "the span is the log's, not 714 days")
        #expect(finding.note?.hasPrefix("the socket evidence lies 713d 20h away from the log evidence's time") == true, "\(finding.note ?? "")")
    }

    @Test func undatedEvidenceStillAgrees() throws {
        let finding = try Self.finding(date: "")
        #expect(finding.agreement == ["log", "socket"])
    }
}
