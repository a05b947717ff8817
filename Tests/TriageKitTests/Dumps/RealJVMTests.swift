import Foundation
import Testing
@testable import TriageKit

/// Real JVMs put into known states (Fixtures/java), dumped with jstack and jcmd, then read by
/// triage: deadlocks on monitors and on ReentrantLocks, contention, pools.
@Suite(.serialized, .enabled(if: JavaToolchain.available, "no JDK (javac, java, jstack, jcmd) on PATH: the real-JVM tests are skipped"))
struct RealJVMTests {
    private func dumps(_ scenario: [String], count: Int = 1, jcmd: Bool = false) throws -> (report: Report, directory: URL) {
        let jvm = try JavaToolchain.launch(scenario)
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        for index in 1...count {
            let file = directory.appending(path: "dump-\(index).txt")
            if jcmd && index % 2 == 0 { try jvm.jcmdThreadPrint(to: file) } else { try jvm.jstack(to: file) }
            if index < count { Thread.sleep(forTimeInterval: 1.0) }
        }
        return (Analysis.run(.init(paths: [directory.path], rules: .builtin)).report, directory)
    }

    @Test func findsAMonitorDeadlockTheJVMReports() throws {
        let report = try dumps(["Scenarios", "monitor-deadlock"]).report
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "java-deadlock")
        #expect(Set(finding.evidence.map(\.signal)) == ["wait-for-cycle", "jvm-reported"])
        let deadlock = try #require(report.dumps.first?.deadlocks.first)
        #expect(Set(deadlock.members.map(\.thread)) == ["transfer-a-to-b", "transfer-b-to-a"])
        #expect(deadlock.kind == "monitors")
        #expect(deadlock.members.allSatisfy { $0.waitingAt?.hasPrefix("Scenarios.transfer") == true })
        #expect(deadlock.members.allSatisfy { $0.holdingAt?.hasPrefix("Scenarios.transfer") == true })
    }

    @Test func findsAReentrantLockDeadlockFromOwnableSynchronizers() throws {
        let report = try dumps(["Scenarios", "lock-deadlock"]).report
        let deadlock = try #require(report.dumps.first?.deadlocks.first)
        #expect(Set(deadlock.members.map(\.thread)) == ["settle-1", "settle-2"])
        #expect(deadlock.kind == "ownable synchronizers")
        #expect(deadlock.members.allSatisfy { $0.waitsFor.contains("ReentrantLock$NonfairSync") })
        #expect(report.findings.first?.rule == "java-deadlock")
    }

    @Test func namesTheHolderOfAContendedLock() throws {
        let report = try dumps(["Scenarios", "contention", "7"]).report
        let lock = try #require(report.dumps.first?.contendedLocks.first)
        #expect(lock.waiters == 7)
        #expect(lock.holder == "audit-writer")
        #expect(lock.holderFrames.first?.hasPrefix("java.lang.Thread.sleep") == true)
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "lock-contention")
        #expect(finding.evidence.first?.text.hasPrefix("7 threads wait for") == true)
        #expect(report.dumps.first?.stackGroups.first?.count == 7)
    }

    /// Threads a deadlock explains are the deadlock finding's only: the queue behind a member is
    /// not a second finding (lock contention), nor are its threads "stuck" across dumps.
    @Test func theQueueBehindADeadlockBelongsToTheDeadlock() throws {
        let report = try dumps(["Scenarios", "deadlock-with-queue", "8"], count: 2).report
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
        let deadlock = try #require(report.facts.first { $0.id == "deadlock-cycle" })
        #expect(deadlock.summary.contains("; 8 more threads blocked behind it (\"posting-"))
        #expect(report.dumps.first?.deadlocks.first?.blockedBehindCount == 8)
        #expect(report.dumps.first?.deadlocks.first?.blockedBehind?.count == 5)
        // The dump section still shows the queue: the eight, and the member that waits for it too.
        #expect(report.dumps.first?.contendedLocks.first?.waiters == 9)
    }

    /// An acceptor waiting in accept() holds the server socket's lock while the others queue for
    /// it: a healthy server, not lock contention.
    @Test func idleAcceptorsAreNoContention() throws {
        let report = try dumps(["Scenarios", "idle-acceptors", "8"], count: 2).report
        #expect(report.findings.isEmpty, "\(report.findings.map(\.rule))")
        let queued = try #require(report.dumps.first?.contendedLocks.first)
        #expect(queued.waiters == 7)
        #expect(queued.holder?.hasPrefix("http-acceptor-") == true)
    }

    /// Dumps of two services given together are two series: the thread counts of one JVM are
    /// never compared with the other's (7 + 1 threads against 60 + 2 once read as growth).
    /// A start-up hang the JVM does not call a deadlock: "boot" holds the registry and waits on a
    /// future whose task needs the registry; request threads queue for it. The finding names the
    /// lock, the holder's wait and frame, and the waiters.
    @Test func aLockHeldAcrossAFutureIsAHang() throws {
        let report = try dumps(["Scenarios", "startup-hang", "3"]).report
        let hang = try #require(report.findings.first { $0.rule == "lock-held-while-waiting" }, "\(report.findings.map(\.rule))")
        let fact = try #require(report.facts.first { $0.id == "lock-held-while-waiting" })
        #expect(fact.count == 4, "the loader and three request threads wait: \(fact.summary)")
        #expect(fact.summary.hasPrefix("\"boot\" holds "))
        #expect(fact.summary.contains("Scenarios$PluginRegistry") && fact.summary.contains("while it waits for another thread's result at java.util.concurrent.FutureTask."))
        #expect(fact.summary.contains("\"plugin-loader-1\""))
        #expect(hang.applicationFrames?.first?.frame.hasPrefix("Scenarios$PluginRegistry.loadAll(Scenarios.java:") == true)
        #expect(!report.findings.contains { $0.rule == "java-deadlock" }, "no cycle of owners: not a deadlock")
    }

    /// Six threads read from a backend that never answers; three idle connections go to
    /// another. The dumps say they read a socket, `ss -tanp` where the connections go: joined,
    /// the finding names the backend, its connection count and the process.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ss") || FileManager.default.isExecutableFile(atPath: "/bin/ss"),
                   "ss (iproute2) is missing: the socket side cannot be taken"))
    func namesTheBackendStuckReadersReadFrom() throws {
        let jvm = try JavaToolchain.launch(["Scenarios", "silent-backend", "6", "3"])
        defer { jvm.stop() }
        let ports = try #require(jvm.printed.split(separator: "\n").first { $0.hasPrefix("PORTS ") }).split(separator: " ").dropFirst()
        let silent = try #require(ports.first), other = try #require(ports.last)
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try jvm.jstack(to: directory.appending(path: "dump-1.txt"))
        Thread.sleep(forTimeInterval: 1.0)
        try jvm.jcmdThreadPrint(to: directory.appending(path: "dump-2.txt"))
        let ss = try ProcessRunner.shell(Self.ownSockets(jvm.pid))
        try ss.standardOutput.write(to: directory.appending(path: "ss-tanp.txt"), atomically: true, encoding: .utf8)
        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        let fact = try #require(report.facts.first { $0.id == "threads-stuck-in-socket-read" })
        #expect(fact.count == 6)
        #expect(fact.destination == "127.0.0.1:\(silent)")
        #expect(fact.summary.hasSuffix("they read from 127.0.0.1:\(silent) (6 ESTABLISHED, java/\(jvm.pid))"), "\(fact.summary)")
        #expect(!fact.summary.contains(":\(other)"))
        let finding = try #require(report.findings.first { $0.rule == "stuck-threads" })
        #expect(finding.evidence.contains { $0.text.contains("they read from 127.0.0.1:\(silent)") })
        // JDK 17 reads through NioSocketImpl.implRead, never timedRead: no timeout, and the advice says so.
        let untimed = try #require(report.facts.first { $0.id == "threads-reading-without-timeout" })
        #expect(untimed.count == 6)
        #expect(untimed.destination == "127.0.0.1:\(silent)")
        #expect(finding.evidence.map(\.signal).contains("reads-without-timeout"))
        #expect(finding.guidance.steps.first?.hasPrefix("The dumps prove these reads have no timeout") == true)
    }

    /// The nearest neighbour: the same silent backend, read with a (long) timeout. Stuck still,
    /// but not "without a timeout".
    @Test func aTimedReadIsNotAReadWithoutTimeout() throws {
        let jvm = try JavaToolchain.launch(["Scenarios", "silent-backend", "4", "0", "600000"])
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try jvm.jstack(to: directory.appending(path: "dump-1.txt"))
        Thread.sleep(forTimeInterval: 1.0)
        try jvm.jstack(to: directory.appending(path: "dump-2.txt"))
        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        #expect(report.facts.first { $0.id == "threads-stuck-in-socket-read" }?.count == 4)
        #expect(!report.facts.contains { $0.id == "threads-reading-without-timeout" })
        let finding = try #require(report.findings.first { $0.rule == "stuck-threads" })
        #expect(!finding.evidence.map(\.signal).contains("reads-without-timeout"))
    }

    /// HotSpot lists a waiter in its deadlock report when its search starts there: the cycle is
    /// triage's own (two threads), the waiter is named as blocked behind it, and the report says
    /// the JVM listed a thread that is not in the cycle.
    @Test func aWaiterTheJVMListsIsNotInTheCycle() throws {
        let (report, directory) = try dumps(["Scenarios", "deadlock-chain"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let dumpText = try String(contentsOf: directory.appending(path: "dump-1.txt"), encoding: .utf8)
        let reported = try #require(dumpText.components(separatedBy: "Found one Java-level deadlock").last)
        // The JVM's own report names the waiter: the case this test is about.
        #expect(reported.components(separatedBy: "Java stack information").first?.contains("\"early-waiter\":") == true)
        let deadlock = try #require(report.dumps.first?.deadlocks.first)
        #expect(Set(deadlock.members.map(\.thread)) == ["settle-a", "settle-b"])
        #expect(deadlock.blockedBehind == ["early-waiter"])
        #expect(deadlock.reportedOutsideCycle == ["early-waiter"])
        let jvm = try #require(report.facts.first { $0.id == "jvm-reported-deadlock" })
        #expect(jvm.count == 2)
        #expect(jvm.summary.hasSuffix("its report also lists \"early-waiter\", not in the cycle but waiting behind it"))
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
    }

    /// A client that leaks sockets into CLOSE_WAIT until `prlimit --nofile=128` makes connect fail
    /// (issue 16, item 4). With the limits, the descriptor count a collection script prints and
    /// `ss -tanp`, the finding is the descriptors (the limit, the count, what holds them), and the
    /// CLOSE_WAIT is its evidence, not a rival finding.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") && FileManager.default.isExecutableFile(atPath: "/usr/bin/ss"),
                   "prlimit (util-linux) or ss (iproute2) is missing"))
    func socketsLeakedToTheOpenFilesLimit() throws {
        let classes = try JavaToolchain.classes.get()
        let jvm = try RunningJVM(java: URL(fileURLWithPath: "/usr/bin/prlimit"),
                                 arguments: ["--nofile=128:128", JavaToolchain.tools!["java"]!.path, "-cp", classes.path, "Scenarios", "fd-leak"])
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pid = jvm.pid
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
        // As a collection script writes them: the limits, then the command and its count.
        try (limits + "$ ls /proc/\(pid)/fd | wc -l\n\(descriptors)\n")
            .write(to: directory.appending(path: "collect.txt"), atomically: true, encoding: .utf8)
        try ProcessRunner.shell(Self.ownSockets(jvm.pid)).standardOutput.write(to: directory.appending(path: "ss.txt"), atomically: true, encoding: .utf8)
        try jvm.printed.write(to: directory.appending(path: "status.log"), atomically: true, encoding: .utf8)

        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        #expect(report.findings.map(\.rule) == ["fd-exhaustion"])
        let finding = try #require(report.findings.first)
        #expect(Set(finding.evidence.map(\.signal)) == ["too-many-open-files", "descriptors-near-limit", "close-wait-held"])
        let held = try #require(finding.evidence.first { $0.signal == "descriptors-near-limit" })
        #expect(held.text.hasPrefix("\(descriptors) descriptors open against a limit of 128"), "\(held.text)")
        #expect(held.text.contains("java/\(pid) holds"))
        #expect(held.text.contains("CLOSE_WAIT most toward 127.0.0.1:"))
        #expect(descriptors >= 120)
    }

    /// The JVM is the server (issue 16, item 6): its handlers deadlock, callers give up and
    /// close, and their connections sit in CLOSE_WAIT on its listening port. That is the
    /// deadlock's symptom, evidence inside its finding, never a CLOSE_WAIT leak of the server's.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ss"), "ss (iproute2) is missing"))
    func callersGivingUpOnAHungServerAreItsSymptom() throws {
        let jvm = try JavaToolchain.launch(["Scenarios", "hung-server", "12"])
        defer { jvm.stop() }
        let port = try #require(jvm.port)
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try jvm.jstack(to: directory.appending(path: "dump-1.txt"))
        Thread.sleep(forTimeInterval: 1.0)
        try jvm.jstack(to: directory.appending(path: "dump-2.txt"))
        try ProcessRunner.shell(Self.ownSockets(jvm.pid)).standardOutput.write(to: directory.appending(path: "ss.txt"), atomically: true, encoding: .utf8)
        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
        let finding = try #require(report.findings.first)
        let symptom = try #require(finding.evidence.first { $0.signal == "callers-gave-up" })
        #expect(symptom.context)
        #expect(symptom.text.hasPrefix("12 CLOSE_WAIT on this host's listening port \(port): callers closed requests"), "\(symptom.text)")
        #expect(!report.facts.contains { $0.id == "close-wait-toward-endpoint" })
    }

    @Test func dumpsOfTwoJVMsAreTwoSeries() throws {
        let small = try JavaToolchain.launch(["Scenarios", "contention", "7"])
        defer { small.stop() }
        let large = try JavaToolchain.launch(["Scenarios", "semaphore-pool", "2", "60"])
        defer { large.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // jstack (no process id in the output) then jcmd (which prints it): names must tell them apart.
        // First the small service's dumps, then the large one's: first to last once read as growth.
        try small.jstack(to: directory.appending(path: "1-small.txt"))
        try small.jcmdThreadPrint(to: directory.appending(path: "2-small.txt"))
        try large.jstack(to: directory.appending(path: "3-large.txt"))
        try large.jcmdThreadPrint(to: directory.appending(path: "4-large.txt"))
        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        #expect(report.dumps.map(\.series) == [1, 1, 2, 2])
        #expect(report.dumps.map { $0.process != nil } == [false, true, false, true])
        #expect(!report.findings.contains { $0.rule == "thread-count-growth" }, "\(report.findings.map(\.rule))")
        #expect(!report.facts.contains { $0.id == "thread-count-growth" })
        #expect(report.notes.contains { $0.hasPrefix("the dumps come from 2 JVMs — JVM 1 (") })
        // Within each JVM, the series still works: the contention in JVM 1 is in both its dumps.
        let stuck = report.facts.filter { $0.id == "threads-stuck-blocked" }
        #expect(stuck.count == 1)
        #expect(stuck.first?.summary.hasSuffix("; dumps of JVM 1") == true)
    }

    @Test func groupsThreadsParkedOnASmallPoolAndRaisesNothing() throws {
        let report = try dumps(["Scenarios", "semaphore-pool", "2", "5"], count: 2, jcmd: true).report
        #expect(report.dumps.count == 2)
        for dump in report.dumps {
            let groups = dump.stackGroups.map { ($0.count, $0.state) }
            #expect(groups.contains { $0 == (5, .waiting) })
            #expect(groups.contains { $0 == (2, .timedWaiting) })
            #expect(dump.pools.contains(Tally(key: "borrower-*", count: 7)))
        }
        // A Semaphore is not a connection pool, and parked borrowers are not a deadlock.
        #expect(report.findings.isEmpty)
    }

    @Test(.enabled(if: JavaToolchain.httpClientJars != nil, "HttpClient 4 jars (libhttpclient-java) absent"))
    func tellsALeakedHttpClientPoolFromTheDumps() throws {
        let report = try dumps(["HttpPools", "leak", "3", "8"], count: 2, jcmd: true).report
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "connection-leak")
        #expect(finding.determined)
        #expect(!report.findings.contains { $0.rule == "pool-saturation" })
        for dump in report.dumps {
            let wait = try #require(dump.poolWaits.first)
            #expect(wait.pool == "HttpClient 4")
            #expect(wait.waiters == 5)
            #expect(wait.users == 0)
        }
    }

    /// A healthy, busy client: its threads are in socketRead on the same line in every dump, but
    /// each served dozens of requests in between (cpu= grows): not stuck.
    @Test(.enabled(if: JavaToolchain.httpClientJars != nil, "HttpClient 4 jars (libhttpclient-java) absent"))
    func busyReadersAreNotStuck() throws {
        let (report, directory) = try dumps(["HttpPools", "busy", "4", "4"], count: 3)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The workers read in every dump (the server answers after 30 ms, a request takes a few).
        let reading = report.dumps.map { dump in
            dump.stackGroups.filter { group in
                group.threads.contains { $0.hasPrefix("search-worker") } && group.frames.contains { $0.contains("socketRead") || $0.contains("NioSocketImpl") }
            }.map(\.count).reduce(0, +)
        }
        #expect(reading.count == 3 && reading.allSatisfy { $0 >= 2 }, "\(reading)")
        #expect(!report.findings.contains { $0.rule == "stuck-threads" }, "\(report.findings.map(\.rule))")
        #expect(!report.facts.contains { $0.id == "threads-stuck-in-socket-read" })
    }

    @Test(.enabled(if: JavaToolchain.httpClientJars != nil, "HttpClient 4 jars (libhttpclient-java) absent"))
    func tellsASaturatedHttpClientPoolFromTheDumps() throws {
        let report = try dumps(["HttpPools", "slow", "3", "8"], count: 2).report
        #expect(report.findings.map(\.rule) == ["pool-saturation", "stuck-threads"])
        #expect(report.findings.first?.determined == true)
        let wait = try #require(report.dumps.first?.poolWaits.first)
        #expect(wait.waiters == 5)
        #expect(wait.users == 3)
        #expect(wait.readingFromBackend == 3)
        let stuck = try #require(report.facts.first { $0.id == "threads-stuck-in-socket-read" })
        #expect(stuck.count == 3)
    }

    /// `ss -tanp` of this JVM only (the header kept): other tests' JVMs run alongside on the same
    /// loopback, one of them leaking connections into CLOSE_WAIT on purpose.
    static func ownSockets(_ pid: Int32) -> String { "ss -tanp | grep -E '^State|pid=\(pid),'" }
}
