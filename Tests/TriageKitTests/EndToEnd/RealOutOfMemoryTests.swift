import Foundation
import Testing
@testable import TriageKit

/// Real JVMs run out of each kind of memory (Fixtures/java/MemoryFailures.java), logging as an
/// application does; triage must name the kind's rule and the application frame that failed.
@Suite(.serialized, .enabled(if: JavaToolchain.available, "no JDK (javac, java, jstack, jcmd) on PATH: the out-of-memory tests are skipped"))
struct RealOutOfMemoryTests {
    /// Runs `MemoryFailures MODE` with `options` and analyses what it printed.
    private func run(_ mode: String, _ options: [String]) throws -> Report {
        let classes = try JavaToolchain.classes.get()
        let result = try ProcessRunner.run(JavaToolchain.tools!["java"]!, options + ["-cp", classes.path, "MemoryFailures", mode])
        let directory = try TestPaths.temporaryDirectory()
        let log = directory.appending(path: "\(mode).log")
        try result.standardOutput.write(to: log, atomically: true, encoding: .utf8)
        #expect(result.standardOutput.contains("java.lang.OutOfMemoryError"), "the JVM printed: \(result.standardOutput.prefix(400))")
        return Analysis.run(.init(paths: [log.path], rules: .builtin)).report
    }

    @Test(arguments: [
        ("heap", ["-Xmx24m"], "java-heap-exhausted", "heap-space", "MemoryFailures$ReportCache.fill(MemoryFailures.java:"),
        ("direct", ["-XX:MaxDirectMemorySize=4m"], "direct-memory-exhausted", "direct-buffer",
         "MemoryFailures$FrameBuffers.allocate(MemoryFailures.java:"),
        ("array", ["-Xmx64m"], "array-size-limit", "array-size", "MemoryFailures$ExportBuffer.sized(MemoryFailures.java:"),
        ("metaspace", ["-XX:MaxMetaspaceSize=24m"], "metaspace-exhausted", "metaspace",
         "MemoryFailures$PluginLoader.loadForever(MemoryFailures.java:"),
    ])
    func eachKindOfMemoryIsItsOwnCause(_ mode: String, _ options: [String], _ rule: String, _ signal: String, _ frame: String) throws {
        let report = try run(mode, options)
        #expect(report.findings.map(\.rule) == [rule], "exactly the kind's rule, no other memory rule")
        let finding = try #require(report.findings.first)
        #expect(finding.evidence.first?.signal == signal)
        #expect(finding.applicationFrames?.first?.frame.hasPrefix(frame) == true, "\(finding.applicationFrames ?? [])")
    }

    /// `unable to create native thread` under a real process limit: as root the limit does not
    /// bind, so the JVM runs as nobody under `prlimit --nproc`. Dumped while it holds its
    /// threads, with its /proc/PID/limits: the thread count at the limit says "limit too low".
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"),
                   "needs root, setpriv and prlimit to run a JVM under a process limit"))
    func nativeThreadsAtTheProcessLimit() throws {
        let classes = try JavaToolchain.classes.get()
        try ProcessRunner.shell("chmod -R a+rX '\(classes.path)'")
        let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let jvm = try RunningJVM(java: URL(fileURLWithPath: "/usr/bin/prlimit"),
                                 arguments: ["--nproc=300"] + asNobody + [JavaToolchain.tools!["java"]!.path, "-Xmx64m",
                                                                          "-cp", classes.path, "MemoryFailures", "threads", "hold"])
        defer { jvm.stop() }
        // The JVM is prlimit's and setpriv's exec: the same pid.
        let directory = try TestPaths.temporaryDirectory()
        try ProcessRunner.shell("chmod a+rwx '\(directory.path)'")
        try jvm.printed.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let limits = try String(contentsOfFile: "/proc/\(jvm.pid)/limits", encoding: .utf8)
        try limits.write(to: directory.appending(path: "limits.txt"), atomically: true, encoding: .utf8)
        let dump = try ProcessRunner.run(URL(fileURLWithPath: asNobody[0]), Array(asNobody.dropFirst())
                                         + [JavaToolchain.tools!["jstack"]!.path, "\(jvm.pid)"], directory: URL(fileURLWithPath: "/tmp"))
        #expect(dump.status == 0, "jstack as nobody: \(dump.standardError)")
        try dump.standardOutput.write(to: directory.appending(path: "jstack.txt"), atomically: true, encoding: .utf8)
        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        let finding = try #require(report.findings.first { $0.rule == "native-thread-limit" })
        let signals = Set(finding.evidence.map(\.signal))
        #expect(signals.isSuperset(of: ["native-thread", "pthread-create-failed", "threads-at-process-limit"]), "\(signals)")
        #expect(finding.guidance.appliedVariants == ["limit too low"])
        let limit = try #require(report.facts.first { $0.id == "threads-near-process-limit" })
        #expect((80...100).contains(limit.count), "\(limit.summary)")
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("MemoryFailures$WorkerSpawner.spawn(MemoryFailures.java:") == true)
    }
}
