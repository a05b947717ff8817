import Foundation
import Testing
@testable import TriageKit

/// A real bounded ThreadPoolExecutor that rejects work (Fixtures/java/ExecutorFailures.java):
/// full while running is a saturated pool; shut down is a pool used after it was closed. The
/// same exception class, told apart by the executor's state in its message.
@Suite(.serialized, .enabled(if: JavaToolchain.available, "no JDK (javac, java, jstack, jcmd) on PATH: the executor tests are skipped"))
struct RealExecutorFailureTests {
    private func run(_ mode: String) throws -> (Report, String) {
        let classes = try JavaToolchain.classes.get()
        let result = try ProcessRunner.run(JavaToolchain.tools!["java"]!, ["-cp", classes.path, "ExecutorFailures", mode])
        let log = try TestPaths.temporaryDirectory().appending(path: "\(mode).log")
        try result.standardOutput.write(to: log, atomically: true, encoding: .utf8)
        return (Analysis.run(.init(paths: [log.path], rules: .builtin)).report, result.standardOutput)
    }

    @Test func aFullPoolIsSaturated() throws {
        let (report, log) = try run("saturated")
        #expect(log.contains("[Running, pool size = 4, active threads = 4, queued tasks = 8"), "\(log.prefix(400))")
        #expect(report.findings.map(\.rule) == ["executor-saturated"])
        let finding = try #require(report.findings.first)
        #expect(finding.facts.occurrences == 8, "twenty submitted, twelve taken (four running, eight queued)")
        #expect(finding.evidence.map(\.signal) == ["thread-pool-rejected"])
        #expect(finding.guidance.appliedVariants == ["ThreadPoolExecutor"])
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("ExecutorFailures$OrderController.order(ExecutorFailures.java:") == true)
    }

    @Test func aPoolShutDownIsNotSaturated() throws {
        let (report, log) = try run("shut-down")
        #expect(log.contains("[Terminated, pool size = 0"), "\(log.prefix(400))")
        #expect(report.findings.map(\.rule) == ["pool-shut-down"])
        let finding = try #require(report.findings.first)
        #expect(finding.facts.occurrences == 3)
        #expect(finding.evidence.map(\.signal) == ["executor-shut-down"])
        #expect(finding.guidance.appliedVariants == ["executor"])
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("ExecutorFailures$PriceSync.sync(ExecutorFailures.java:") == true)
    }
}
