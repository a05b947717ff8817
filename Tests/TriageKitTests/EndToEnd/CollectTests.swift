import Foundation
import Testing
import TriageKit

/// `triage collect --pid PID` on real JVMs: a deadlocked one (jcmd works), and one at its
/// open-files limit, where the attach socket cannot be opened and the dump must come from
/// `kill -3` read back from the JVM's stdout file.
@Suite(.serialized, .enabled(if: JavaToolchain.available, "no JDK: the collect tests are skipped"))
struct CollectTests {
    @Test func aDeadlockedJVMIsCollectedAndDiagnosed() throws {
        let jvm = try JavaToolchain.launch(["Scenarios", "monitor-deadlock"])
        defer { jvm.stop() }
        let folder = try TestPaths.temporaryDirectory().appending(path: "incident")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let result = try ProcessRunner.triage(["collect", "--pid", "\(jvm.pid)", "--out", folder.path, "--dumps", "2", "--interval", "500ms",
                                               "--tar", "--no-progress", "--width", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        for name in ["MANIFEST", "process.txt", "sysctl.txt", "dump-1.txt", "dump-2.txt", "ss-1.txt", "top-1.txt"] {
            #expect(FileManager.default.fileExists(atPath: folder.appending(path: name).path), "\(name) missing")
        }
        let manifest = try String(contentsOf: folder.appending(path: "MANIFEST"), encoding: .utf8)
        #expect(manifest.contains("exit 0  thread dump: jcmd \(jvm.pid) Thread.print -l  -> dump-1.txt"))
        #expect(try String(contentsOf: folder.appending(path: "dump-2.txt"), encoding: .utf8).contains("Found one Java-level deadlock"))
        #expect(FileManager.default.fileExists(atPath: folder.path + ".tar.gz"))
        #expect(result.standardError.contains("triage: collected into \(folder.path)/"))
        #expect(result.standardOutput.contains("java-deadlock"), "\(result.standardOutput.prefix(600))")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "prlimit (util-linux) is missing"))
    func aJVMWithNoDescriptorLeftIsDumpedByKill3() throws {
        let classes = try JavaToolchain.classes.get()
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdout = folder.appending(path: "catalina.out")
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--nofile=128:128", JavaToolchain.tools!["java"]!.path, "-cp", classes.path, "Scenarios", "fd-leak"]
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        // The leak is done when the poller has failed three times against the limit.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try? String(contentsOf: stdout, encoding: .utf8))?.components(separatedBy: "poll failed").count ?? 0 < 4 {
            Thread.sleep(forTimeInterval: 0.2)
        }
        let incident = folder.appending(path: "incident")
        let result = try ProcessRunner.triage(["collect", "--pid", "\(process.processIdentifier)", "--out", incident.path, "--dumps", "1",
                                               "--no-progress", "--width", "0"])
        let manifest = try String(contentsOf: incident.appending(path: "MANIFEST"), encoding: .utf8)
        #expect(manifest.contains("thread dump: kill -3 \(process.processIdentifier)"), "\(manifest)")
        #expect(manifest.contains("read back from \(stdout.path)"))
        let dump = try String(contentsOf: incident.appending(path: "dump-1.txt"), encoding: .utf8)
        #expect(dump.contains("Full thread dump"))
        #expect(result.standardError.contains("collect: thread dump failed") == false, "the dump was had, by kill -3")
        #expect(result.standardOutput.contains("fd-exhaustion"), "\(result.standardOutput.prefix(800))")
    }

    /// `triage diff` of two collections of one real JVM: healthy (every response closed), then
    /// after it starts leaking leases (responses never closed, the server dropping the idle
    /// connections into CLOSE_WAIT).
    @Test(.enabled(if: JavaToolchain.httpClientJars != nil, "HttpClient 4 jars (libhttpclient-java) absent"))
    func aHealthyAndALeakingCaptureOfOneJVM() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trigger = folder.appending(path: "start-leaking")
        let jvm = try JavaToolchain.launch(["HttpPools", "turns-leaky", "4", "8", trigger.path])
        defer { jvm.stop() }
        let port = try #require(jvm.port)
        let collect = { (name: String) throws -> ProcessResult in
            try ProcessRunner.triage(["collect", "--pid", "\(jvm.pid)", "--out", folder.appending(path: name).path, "--dumps", "2",
                                      "--interval", "500ms", "--no-progress", "--format", "json"])
        }
        let healthy = try collect("healthy")
        #expect(healthy.status == 0, "\(healthy.standardError)")
        _ = FileManager.default.createFile(atPath: trigger.path, contents: nil)
        let deadline = Date().addingTimeInterval(15)
        while !jvm.printed.contains("LEAKING") && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try collect("leaking").status == 0)

        let result = try ProcessRunner.triage(["diff", "healthy", "leaking", "--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let diff = try JSONDecoder().decode(ReportDiff.self, from: Data(result.standardOutput.utf8))
        let leak = try #require(diff.findings.first { $0.rule == "connection-leak" }, "\(diff.findings.map(\.rule))")
        #expect(leak.change == .new && leak.occurrencesBefore == 0 && leak.occurrencesAfter > 0)
        // The leases leak at the pool's maximum: four connections, all dead.
        let closeWait = try #require(diff.sockets.first { $0.state == "CLOSE_WAIT" && $0.destination == "127.0.0.1:\(port)" })
        #expect(closeWait.after == 4)
        let established = diff.sockets.first { $0.state == "ESTABLISHED" && $0.destination == "127.0.0.1:\(port)" }
        #expect(established.map { $0.before > 0 && $0.after == 0 } ?? false, "\(diff.sockets)")
        // Healthy, nobody waits for the pool; leaking, the server's connection threads are gone.
        #expect(diff.pools.contains { $0.pool == "test-server-connection" && $0.after.isEmpty && !$0.before.isEmpty })
        let text = try ProcessRunner.triage(["diff", "healthy", "leaking", "--width", "0"], directory: folder).standardOutput
        #expect(text.contains("  NEW  HIGH  Connection pool exhausted: leased connections are not returned"))
        #expect(text.contains("  CLOSE_WAIT → 127.0.0.1:\(port): \(closeWait.before) → 4\n"))
    }

    /// A PID that is not a JVM (or a JVM run with -Xrs) does not catch SIGQUIT: kill -3 would end
    /// it. It is not sent, the MANIFEST says why, and the process lives on.
    @Test func aProcessThatDoesNotCatchSIGQUITIsNotSentIt() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["60"]
        try sleeper.run()
        defer { sleeper.terminate(); sleeper.waitUntilExit() }
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let incident = folder.appending(path: "incident")
        let result = try ProcessRunner.triage(["collect", "--pid", "\(sleeper.processIdentifier)", "--out", incident.path,
                                               "--dumps", "1", "--no-progress"])
        #expect(sleeper.isRunning, "kill -3 ended a process that does not catch it")
        let manifest = try String(contentsOf: incident.appending(path: "MANIFEST"), encoding: .utf8)
        #expect(manifest.contains("not run  thread dump: kill -3 \(sleeper.processIdentifier)  (jcmd and jstack failed, and the process "
                                  + "does not catch SIGQUIT (not a JVM, or run with -Xrs): kill -3 would end it, so it was not sent)"),
                "\(manifest)")
        #expect(result.standardError.contains("triage: collect: thread dump failed: kill -3"))
    }

    /// The report is of what was collected: a folder that already holds files, or one that cannot
    /// be made, is refused before anything runs.
    @Test func theFolderMustBeNewAndWritable() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "2026-12-07 10:00:00,000 INFO [main] app - started\n".write(to: folder.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let pid = "\(ProcessInfo.processInfo.processIdentifier)"
        let full = try ProcessRunner.triage(["collect", "--pid", pid, "--out", folder.path])
        #expect(full.status == 2)
        #expect(full.standardError.contains("\(folder.path) already holds files: collect into a new folder (--out \(folder.path)/incident-1)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["app.log"], "nothing was written")
        let blocked = try ProcessRunner.triage(["collect", "--pid", pid, "--out", folder.appending(path: "app.log/incident").path])
        #expect(blocked.status == 2 && blocked.standardError.contains("cannot create the folder \(folder.path)/app.log/incident: "),
                "\(blocked.standardError)")
    }

    @Test func withoutAProcessItSaysWhatToDo() throws {
        let missing = try ProcessRunner.triage(["collect"])
        #expect(missing.status == 2 && missing.standardError.contains("collect needs --pid PID"))
        let gone = try ProcessRunner.triage(["collect", "--pid", "999999"])
        #expect(gone.status == 2 && gone.standardError.contains("no process 999999 here"))
    }
}
