import Testing
@testable import TriageKit

/// Stuck-thread reports written by the servers themselves: the stack each carries is read as a
/// trace, so the finding names where the thread waits and which application code called it.
struct ServerStuckThreadTests {
    @Test func weblogicsFramesWithoutAtAreAStack() throws {
        let report = Analyze.report(Analyze.lines([
            "####<Dec 21, 2024 1:26:03 PM CET> <Error> <WebLogicServer> <app01> <ms1> <[ACTIVE] ExecuteThread: '12' for queue: 'weblogic.kernel.Default (self-tuning)'> <<WLS Kernel>> <> <> <1734783963117> <BEA-000337> <[STUCK] ExecuteThread: '44' for queue: 'weblogic.kernel.Default (self-tuning)' has been busy for \"668\" seconds working on the request \"Http Request Information: weblogic.servlet.internal.ServletRequestImpl@1fc30e99[GET /orders/export]\", which is more than the configured time (StuckThreadMaxTime) of \"600\" seconds in \"server-failure-trigger\". Stack trace:",
            "\tjava.net.SocketInputStream.socketRead0(Native Method)",
            "\tjava.net.SocketInputStream.read(SocketInputStream.java:152)",
            "\toracle.net.ns.Packet.receive(Packet.java:311)",
            "\tcom.acme.orders.ExportDao.fetchAll(ExportDao.java:77)",
            "\tcom.acme.orders.ExportServlet.doGet(ExportServlet.java:31)",
            ">",
        ]))
        let finding = try #require(report.findings.first { $0.rule == "server-stuck-threads" })
        #expect(finding.guidance.appliedVariants == ["waiting for a backend", "WebLogic"])
        let waiting = try #require(finding.evidence.first { $0.signal == "stuck-reading-backend" })
        #expect(waiting.text == "at java.net.SocketInputStream.socketRead0(Native Method)" && waiting.line == 2)
        #expect(finding.applicationFrames?.first?.frame == "com.acme.orders.ExportDao.fetchAll(ExportDao.java:77)")
        #expect(finding.applicationFrames?.first?.line == 5)
    }

    /// A WebLogic server log: each `####<…>` line is a record with its time and severity, so
    /// three stuck threads reported over three minutes are three, from 1:26 PM on.
    @Test func weblogicsServerLogIsOneRecordPerEntry() throws {
        func stuck(_ minute: Int, _ thread: Int) -> [String] {
            ["####<Dec 21, 2024 1:\(minute):03,117 PM CET> <Error> <WebLogicServer> <app01> <ms1> <[ACTIVE] ExecuteThread: '3' for queue: "
             + "'weblogic.kernel.Default (self-tuning)'> <<WLS Kernel>> <> <> <1734783963117> <BEA-000337> <[STUCK] ExecuteThread: "
             + "'\(thread)' for queue: 'weblogic.kernel.Default (self-tuning)' has been busy for \"645\" seconds working on the request "
             + "\"weblogic.servlet.internal.ServletRequestImpl@3f2a11[GET /orders]\", which is more than the configured time "
             + "(StuckThreadMaxTime) of \"600\" seconds. Stack trace:",
             "\tjava.net.SocketInputStream.socketRead0(Native Method)",
             "\toracle.net.ns.Packet.receive(Packet.java:311)",
             "\tcom.acme.orders.ExportDao.fetchAll(ExportDao.java:77)",
             ">"]
        }
        let text = Analyze.lines(["####<Dec 21, 2024 1:20:11,402 PM CET> <Info> <Health> <app01> <ms1> <weblogic.GCMonitor> <<anonymous>> <> <> "
                                  + "<1734783611402> <BEA-310002> <62% of the total memory in the server is free.> "]
                                 + stuck(26, 14) + stuck(27, 22) + stuck(28, 7))
        let report = Analyze.report(text)
        let input = try #require(report.inputs.first)
        #expect(input.records == 4)
        #expect(input.levels == ["ERROR": 3, "INFO": 1])
        let finding = try #require(report.findings.first { $0.rule == "server-stuck-threads" })
        #expect(finding.facts.occurrences == 3)
        #expect(finding.facts.firstSeen?.text == "2024-12-21 13:26:03.117")
        #expect(finding.facts.lastSeen?.text == "2024-12-21 13:28:03.117")
    }

    @Test(arguments: [
        ("\tcom.acme.orders.ExportDao.fetchAll(ExportDao.java:77)", true),
        ("\tjava.net.SocketInputStream.socketRead0(Native Method)", true),
        ("    app//com.acme.Worker.run(Worker.java:12)", true),
        ("\tsee docs.example.com/page (1) for more", false),
        ("\tjava.lang.Thread.State: WAITING (parking)", false),
        ("\tfoo(bar)", false),
        ("com.acme.orders.ExportDao.fetchAll(ExportDao.java:77)", false),   // not indented: could be prose
        ("\tcom.acme.Config.load(a) failed (retrying)", false),
    ])
    func bareFramesAreIndentedMethodCallsAlone(_ line: String, _ isFrame: Bool) {
        var bytes = Array(line.utf8)
        let kind = bytes.withUnsafeMutableBytes { TraceLineKind.classify(UnsafeRawBufferPointer($0)) }
        if case .frame = kind { #expect(isFrame, "\(line)") } else { #expect(!isFrame, "\(line)") }
    }
}
