import Foundation
import Testing
@testable import TriageKit

/// The real thread dumps in ../shared/corpus: every file parses with the right thread counts
/// (figures checked independently, by a separate line-based count), every deadlock is found,
/// and the idle dumps stay quiet.
@Suite(.enabled(if: TestPaths.corpusAvailable, "../shared/corpus is absent: the corpus tests are skipped"))
struct CorpusDumpTests {
    static let dumpsFolder = TestPaths.corpus.appending(path: "dumps")

    static func report(_ names: [String]) -> Report {
        Analysis.run(.init(paths: names.map { name in
            name.hasPrefix("logs/") ? TestPaths.corpus.appending(path: name).path : dumpsFolder.appending(path: name).path
        }, rules: .builtin)).report
    }

    static let threadCounts: [(String, [Int])] = [
        ("hotspot-jdk11-cpu-elapsed-fields__tda.log", [14]),
        ("hotspot-jdk11-deadlock-three-consecutive-dumps__samurai.dmp", [21, 21, 21]),
        ("hotspot-jdk11-high-cpu-three-dumps-cpu-deltas__samurai.txt", [27, 27, 27]),
        ("hotspot-jdk11-java-level-deadlock-liberica__samurai.dmp", [21]),
        ("hotspot-jdk11-java-level-deadlock-minimal__jifa.log", [18]),
        ("hotspot-jdk17-headerless-no-full-thread-dump-line__tdv-issue1.txt", [34]),
        ("hotspot-jdk17-monitor-blocker-three-dumps__samurai.dmp", [30, 30, 30]),
        ("hotspot-jdk21-jstack__tda.log", [18]),
        ("hotspot-jdk21-smr-info-intellij-visualvm__tdv-issue5.txt", [54]),
        ("hotspot-jdk21-virtual-thread-carrier-stuck__tda.log", [4]),
        ("hotspot-jdk25-lock-contention__jthreaddump.txt", [42]),
        ("hotspot-jdk25-thread-pool-exhaustion-extended-fields__jthreaddump.txt", [38]),
        ("hotspot-jdk5-dump-in-logfile-with-class-histogram__tda.log", [14]),
        ("hotspot-jdk6-apple-no-0x-tids-mixed-header-styles__spotify.txt", [54]),
        ("hotspot-jdk6-heritrix-monitor-contention-waiting-to-lock__tda.log", [70]),
        ("hotspot-jdk6-jenkins-java-level-deadlock__dumpling.log", [18]),
        ("hotspot-jdk6-three-dumps-one-file__tda.log", [88, 86, 86]),
        ("hotspot-jdk7-jenkins-large-idle-pools__dumpling.log", [143]),
        ("hotspot-jdk7-jenkins-reentrantlock-deadlock-not-reported-by-jvm__dumpling.log", [31]),
        ("hotspot-jdk8-openjdk-jstack__tda.log", [21]),
        ("hotspot-jdk8-reentrantlock-parking-blockage__dumpling.log", [22]),
        ("hotspot-many-virtual-threads__jthreaddump.txt", [54]),
        ("hotspot-three-way-deadlock__jthreaddump.txt", [54]),
        ("javacore-ibm-jdk142-weblogic-legacy-format__samurai.txt", [44]),
        ("javacore-ibmj9-jdk8-liberty-deadlock-1LKDEADLOCK__webspherelab.txt", [94]),
        ("javacore-ibmj9-jdk8-liberty-infinite-loop-cpu__webspherelab.txt", [94]),
        ("javacore-ibmj9-jdk8-liberty-linperf-series-0001__webspherelab.txt", [94]),
        ("javacore-ibmj9-jdk8-liberty-linperf-series-0002__webspherelab.txt", [98]),
        ("javacore-ibmj9-jdk8-liberty-oome-systhrow__webspherelab.txt", [92]),
        ("javacore-ibmj9-jdk8-windows-small__javacore-analyser.txt", [29]),
        ("jcmd-json-thread-dump-format__tda.json", [8]),
        ("jmx-threadmxbean-format-jdk17__tdv-issue6.txt", [52]),
        ("spring-boot-actuator-threaddump-json-with-http-headers__samurai.dmp", [22]),
        ("spring-boot-actuator-threaddump-text__samurai.dmp", [25]),
        ("visualvm-remote-thread-t-at-format__tda.log", [119]),
        ("logs/threaddumps/hotspot-jdk21-smr-info__tda-test_jstack_dump.log", [28]),
        ("logs/threaddumps/hotspot-jdk21-utf16le-encoded__tda-test_java21dump_utf16.log", [18]),
        ("logs/threaddumps/hpux-jdk1.5-two-dumps-euc-kr-timestamp_socketRead__tda-test_hpdump.log", [574, 574]),
    ]

    @Test(arguments: threadCounts.map { $0.0 })
    func parsesEveryDumpWithItsThreadCount(_ name: String) throws {
        let expected = try #require(CorpusDumpTests.threadCounts.first { $0.0 == name }?.1)
        let report = CorpusDumpTests.report([name])
        #expect(report.inputs.allSatisfy { $0.status == .analysed })
        #expect(report.dumps.map(\.threads) == expected)
    }

    static let deadlocks: [(String, [Set<String>])] = [
        ("hotspot-jdk11-deadlock-three-consecutive-dumps__samurai.dmp", [["DeadLockThread1", "DeadLockThread2"]]),
        ("hotspot-jdk11-java-level-deadlock-liberica__samurai.dmp", [["DeadLockThread1", "DeadLockThread2"]]),
        ("hotspot-jdk11-java-level-deadlock-minimal__jifa.log", [["main", "Thread-0"]]),
        // The JVM lists three threads; the cycle is two of them, the third only waits behind.
        ("hotspot-jdk6-jenkins-java-level-deadlock__dumpling.log",
         [["Handling POST /hudson/job/some_other_job/doRename : ajp-127.0.0.1-8009-24",
           "Handling POST /hudson/view/some_view/configSubmit : ajp-127.0.0.1-8009-107"]]),
        // Not reported by the JVM: a ReentrantReadWriteLock / ReentrantLock cycle.
        ("hotspot-jdk7-jenkins-reentrantlock-deadlock-not-reported-by-jvm__dumpling.log",
         [["AtmostOneTaskExecutor[hudson.model.Queue$1@2f485891] [#15]", "Executing labels(hudson.slaves.NodeProvisionerTest)"]]),
        ("hotspot-three-way-deadlock__jthreaddump.txt",
         [["DeadlockThread-A", "DeadlockThread-B"], ["DeadlockCandidate-A", "DeadlockCandidate-B"], ["DeadlockThread-A", "DeadlockThread-B", "DeadlockThread-C"]]),
        ("javacore-ibmj9-jdk8-liberty-deadlock-1LKDEADLOCK__webspherelab.txt", [["Aristotle priority5", "Plato priority9", "Socrates priority5"]]),
        ("javacore-ibmj9-jdk8-liberty-infinite-loop-cpu__webspherelab.txt", [["Aristotle priority5", "Plato priority9", "Socrates priority5"]]),
        // Neither Actuator format reports deadlocks; the wait-for graph finds this one.
        ("spring-boot-actuator-threaddump-text__samurai.dmp", [["deadLock1", "deadLock2"]]),
        ("spring-boot-actuator-threaddump-json-with-http-headers__samurai.dmp", [["deadLock1", "deadLock2"]]),
    ]

    @Test(arguments: deadlocks.map { $0.0 })
    func findsEveryDeadlock(_ name: String) throws {
        let expected = try #require(CorpusDumpTests.deadlocks.first { $0.0 == name }?.1)
        let report = CorpusDumpTests.report([name])
        for dump in report.dumps {
            let found = dump.deadlocks.map { Set($0.members.map(\.thread)) }
            #expect(found.sorted { $0.count < $1.count || ($0.count == $1.count && $0.sorted().joined() < $1.sorted().joined()) }
                    == expected.sorted { $0.count < $1.count || ($0.count == $1.count && $0.sorted().joined() < $1.sorted().joined()) })
        }
        #expect(report.findings.first?.rule == "java-deadlock")
    }

    @Test func namesTheLockEveryoneWaitsForAndItsHolder() throws {
        let heritrix = try #require(CorpusDumpTests.report(["hotspot-jdk6-heritrix-monitor-contention-waiting-to-lock__tda.log"]).dumps.first?.contendedLocks.first)
        #expect(heritrix.waiters == 30)
        #expect(heritrix.lock.hasPrefix("<0xd5bada80>"))
        #expect(heritrix.holder?.hasPrefix("ToeThread #18: http://www.urbanoutfitters.com") == true)
        #expect(heritrix.holderFrames.first?.hasPrefix("java.io.RandomAccessFile.seek") == true)
        let jdk25 = CorpusDumpTests.report(["hotspot-jdk25-lock-contention__jthreaddump.txt"])
        #expect(jdk25.dumps.first?.contendedLocks.first?.waiters == 7)
        #expect(jdk25.dumps.first?.contendedLocks.first?.holder == "pool-6-thread-4")
        #expect(jdk25.findings.first?.rule == "lock-contention")
        let series = CorpusDumpTests.report(["hotspot-jdk17-monitor-blocker-three-dumps__samurai.dmp"])
        #expect(series.dumps.map { $0.contendedLocks.first?.waiters } == [9, 9, 9])
    }

    @Test func theIdleDumpsStayQuiet() {
        let report = CorpusDumpTests.report([
            "hotspot-jdk7-jenkins-large-idle-pools__dumpling.log",
            "javacore-ibmj9-jdk8-liberty-linperf-series-0001__webspherelab.txt",
            "javacore-ibmj9-jdk8-liberty-linperf-series-0002__webspherelab.txt",
            "javacore-ibmj9-jdk8-liberty-oome-systhrow__webspherelab.txt",
            "javacore-ibmj9-jdk8-windows-small__javacore-analyser.txt",
            "top-H-threads-linperf-liberty-pid17__webspherelab.out",
        ])
        let loud = report.findings.filter { ["connection-leak", "pool-saturation", "lock-contention"].contains($0.rule) && $0.severity > .low }
        #expect(loud.isEmpty, "\(loud.map(\.rule))")
        #expect(report.dumps.allSatisfy { $0.poolWaits.isEmpty })
        // The one written for an OutOfMemoryError says so; nothing else about memory is claimed.
        let memory = report.findings.filter { $0.rule.contains("exhausted") || $0.rule.contains("limit") }
        #expect(memory.map(\.rule) == ["java-heap-exhausted"])
        #expect(memory.first?.evidence.map(\.signal) == ["heap-dump-event"])
        #expect(memory.first?.evidence.first?.source.hasSuffix("oome-systhrow__webspherelab.txt") == true)
    }

    /// The memory, pool-shutdown, TLS and DNS rules added with issue 15 stay silent on every
    /// dump of the corpus but the one written for an OutOfMemoryError.
    @Test func theNewRulesStaySilentOnTheCorpusDumps() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: CorpusDumpTests.dumpsFolder.path)
            .filter { !$0.hasSuffix(".md") && !$0.contains("oome-systhrow") }
        let newRules: Set<String> = ["java-heap-exhausted", "metaspace-exhausted", "direct-memory-exhausted", "native-thread-limit",
                                     "array-size-limit", "pool-shut-down", "tls-handshake-failure", "dns-resolution-failure",
                                     "server-stuck-threads", "lock-held-while-waiting", "server-cannot-bind"]
        for name in names {
            let report = CorpusDumpTests.report([name])
            let raised = report.findings.map(\.rule).filter(newRules.contains)
            #expect(raised.isEmpty, "\(name) raised \(raised)")
        }
    }

    @Test func joinsTopHWithTheJavacoreToNameTheBusyThread() throws {
        let report = CorpusDumpTests.report(["javacore-ibmj9-jdk8-liberty-infinite-loop-cpu__webspherelab.txt",
                                             "top-H-threads-infinite-loop-companion__webspherelab.out"])
        let busy = try #require(report.findings.first { $0.rule == "cpu-hot-threads" })
        #expect(busy.evidence.first?.text.hasPrefix("\"Default Executor-thread-492\" (native id 3887 = 0xf2f)") == true)
        #expect(busy.evidence.first?.text.contains("com.ibm.InfiniteLoop.doWork") == true)
    }

    @Test func measuresCPUGrowthBetweenDumps() throws {
        let report = CorpusDumpTests.report(["hotspot-jdk11-high-cpu-three-dumps-cpu-deltas__samurai.txt"])
        let busy = try #require(report.facts.first { $0.id == "thread-busy-on-cpu" })
        #expect((95...100).contains(busy.count))
        #expect(busy.summary.hasPrefix("\"high-cpu\" used"))
    }
}
