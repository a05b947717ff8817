import Foundation
import Testing
@testable import TriageKit

/// The real logs in ../shared/corpus/logs (public material, not copied into the project):
/// nothing crashes, and the counts match what `grep` counts in them.
@Suite(.enabled(if: TestPaths.corpusAvailable, "../shared/corpus is absent: the corpus tests are skipped"))
struct CorpusLogTests {
    static let report: Report = Analysis.run(.init(paths: [TestPaths.corpus.appending(path: "logs").path], rules: .builtin)).report

    private func input(_ suffix: String) throws -> InputSummary {
        try #require(CorpusLogTests.report.inputs.first { $0.source.hasSuffix(suffix) })
    }

    @Test func everyFileIsReadInFull() {
        let inputs = CorpusLogTests.report.inputs
        #expect(inputs.count >= 16)
        #expect(inputs.allSatisfy { $0.status == .analysed }, "\(inputs.filter { $0.status != .analysed }.map(\.source))")
    }

    @Test func theFortyTwoCausedByChainsAreFortyTwo() throws {
        let manager = try input("tomcat9_manager.2021-02-26_42-caused-by-chains_nguyenhuythac.log")
        #expect(manager.causes == 42)
        #expect(manager.traces == 8)
        #expect(manager.records == 52)
    }

    @Test func causedByCountsMatchGrep() throws {
        #expect(try input("tomcat8.5_catalina.out_bindexception-saxparse_kaparthiwar.out").causes == 12)
        #expect(try input("tomcat9_camunda-h2_catalina.out_RahulVerma1990.out").causes == 11)
        #expect(try input("tomcat9_catalina.2021-02-23_jdbc-hibernate-springboot_nguyenhuythac.log").causes == 13)
        #expect(try input("tomcat7.0.23_jul-two-line_liferay_repeated-traces_catalina_mferretti.out").causes == 579)
    }

    /// Both real logs whose stated cause is a port clash at start-up (Tomcat 8.5 on glibc, and
    /// ActiveMQ in musl's words, `Address in use (Bind failed)`) name it, and neither is read
    /// as a client out of ports.
    @Test(arguments: ["tomcat8.5_catalina.out_bindexception-saxparse_kaparthiwar.out",
                      "activemq5.15_pipe-delimited_bindexception_packaging-data-frames__elastic-beats.log"])
    func aPortClashAtStartUpIsNamed(_ name: String) {
        let path = TestPaths.corpus.appending(path: "logs/\(name)").path
        let report = Analysis.run(.init(paths: [path], rules: .builtin)).report
        #expect(report.findings.first?.rule == "server-cannot-bind", "\(report.findings.map(\.rule))")
        #expect(!report.findings.contains { $0.rule == "ephemeral-port-exhaustion" })
    }

    /// loghub's Hadoop sample is a job whose namenode's network was cut: its traces were sampled
    /// away, and the NoRouteToHostException is only in the messages, with a wiki link after it.
    @Test func aCutNetworkIsNamedWithItsDestination() throws {
        let path = TestPaths.corpus.appending(path: "logs/loghub_hadoop-mapreduce_log4j_2k.log").path
        let report = Analysis.run(.init(paths: [path], rules: .builtin)).report
        #expect(report.findings.map(\.rule) == ["upstream-unreachable"])
        let finding = try #require(report.findings.first)
        #expect(finding.evidence.first?.signal == "host-unreachable")
        #expect(finding.facts.destinations.first?.key == "msra-sa-41:9000", "not the wiki page the message links")
        #expect(finding.guidance.appliedVariants == ["host unreachable"])
    }

    @Test func theLiferayRepeatsAreOneFingerprint() throws {
        let liferay = try #require(CorpusLogTests.report.exceptions.first)
        #expect(liferay.exception.hasPrefix("com.liferay.portlet.documentlibrary.NoSuchFileException"))
        // 576 printed traces; one has a deeper stack than the rest.
        #expect((570...576).contains(liferay.count))
        #expect(liferay.chain == ["com.liferay.portlet.documentlibrary.NoSuchFileException", "java.io.FileNotFoundException"])
    }

    @Test func oneLineFormatsGiveOneRecordPerLine() throws {
        for name in ["loghub_hadoop-mapreduce_log4j_2k.log", "loghub_hdfs-0.18_yymmdd_2k.log",
                     "loghub_spark_log4j-yy-mm-dd_2k.log", "loghub_zookeeper-3.4_log4j_2k.log"] {
            let summary = try input(name)
            #expect(summary.records == 2000, "\(name)")
            #expect(summary.lines == 2000, "\(name)")
        }
        #expect(try input("loghub_hadoop-mapreduce_log4j_2k.log").levels == ["FATAL": 2, "ERROR": 150, "WARN": 808, "INFO": 1040])
    }

    @Test func mixedAndTwoLineFormatsAreRecognised() throws {
        let pinpoint = try input("tomcat8_pinpoint-collector_mixed-formats_io-connection-timed-out_zzfox.out")
        #expect(pinpoint.traces == 10)
        #expect(pinpoint.records == 1313)
        let liferay = try input("tomcat7.0.23_jul-two-line_liferay_repeated-traces_catalina_mferretti.out")
        #expect(liferay.levels["ERROR"] == 577)
        #expect(liferay.firstSeen?.text == "2012-01-12 15:53:59.000")
    }

    @Test func encodingsAndEmbeddedDumpsAreDetected() throws {
        let utf16 = try input("hotspot-jdk21-utf16le-encoded__tda-test_java21dump_utf16.log")
        #expect(utf16.format?.encoding == .utf16LittleEndian)
        #expect(utf16.sections["hotspot-thread-dump"] == 1)
        let eucKR = try input("hpux-jdk1.5-two-dumps-euc-kr-timestamp_socketRead__tda-test_hpdump.log")
        #expect(eucKR.sections["hotspot-thread-dump"] != nil)
        #expect(eucKR.traces == 0)
    }

    @Test func findsTheRealFailuresAndNotTheNearMisses() throws {
        let findings = CorpusLogTests.report.findings
        // Server-side BindException at start-up and Hadoop's NoRouteToHost are not port exhaustion.
        #expect(!findings.contains { $0.rule == "ephemeral-port-exhaustion" })
        let timeout = try #require(findings.first { $0.rule == "socket-timeout" })
        #expect(timeout.evidence.first { $0.signal == "tcp-retransmission-timeout" }?.count == 10)
        // The Chinese Windows message matches by class and frame, not by English words.
        let reset = try #require(findings.first { $0.rule == "connection-reset" })
        let windows = try #require(reset.evidence.first { $0.signal == "windows-nio-read-failure" })
        #expect(windows.count == 3)
        #expect(windows.text == "java.io.IOException: 远程主机强迫关闭了一个现有的连接。")
    }
}

/// Every other corpus folder must go through without a crash or an unreadable input.
@Suite(.enabled(if: TestPaths.corpusAvailable, "../shared/corpus is absent: the corpus tests are skipped"))
struct CorpusSmokeTests {
    @Test(arguments: ["dumps", "sockets", "logs/threaddumps"])
    func readsEveryFile(_ folder: String) {
        let report = Analysis.run(.init(paths: [TestPaths.corpus.appending(path: folder).path], rules: .builtin)).report
        #expect(!report.inputs.isEmpty)
        #expect(report.inputs.allSatisfy { $0.status == .analysed })
        #expect(!report.findings.contains { $0.rule == "ephemeral-port-exhaustion" })
    }
}
