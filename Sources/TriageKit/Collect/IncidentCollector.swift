import Foundation

/// `triage collect --pid PID`: what the seeds' authors gathered by hand, gathered into one
/// folder on the incident host — thread dumps (jcmd, else jstack, else `kill -3` read back from
/// the JVM's stdout file, which works when the JVM has no descriptor left for the attach
/// socket), `top -H`, the sockets, the kernel settings, the process's limits and descriptors, its
/// flags and uptime, and the tails of the logs it has open — with a MANIFEST of every command.
/// A failing step is recorded and the others still run. Linux only (`/proc`).
public enum IncidentCollector {
    public struct Request: Sendable {
        public var pid: Int32
        public var folder: String
        public var dumps = 3
        public var interval: Double = 10

        public init(pid: Int32, folder: String) {
            self.pid = pid
            self.folder = folder
        }
    }

    /// One line of the MANIFEST.
    public struct Step: Sendable {
        public var what: String
        public var command: String
        public var status: Int32?
        public var started: Date
        public var seconds: Double
        public var file: String?
        public var note: String?

        var line: String {
            let status = self.status.map { "exit \($0)" } ?? "not run"
            return "\(ISO8601DateFormatter().string(from: started))  \(String(format: "%6.2f", seconds)) s  \(status)  \(what): \(command)"
                + (file.map { "  -> \($0)" } ?? "") + (note.map { "  (\($0))" } ?? "")
        }
    }

    /// Tails of open logs are cut to this many bytes each.
    static let tailBytes = 8 << 20

    public static func collect(_ request: Request, progress: ((String) -> Void)? = nil) -> [Step] {
        let fileManager = FileManager.default
        try? fileManager.createDirectory(atPath: request.folder, withIntermediateDirectories: true)
        var steps: [Step] = []
        let pid = request.pid
        func path(_ name: String) -> String { request.folder + "/" + name }
        func record(_ step: Step) {
            steps.append(step)
            progress?(step.line)
        }

        // Once: the process's limits and descriptors, as triage reads them.
        var started = Date()
        if let limits = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8) {
            let descriptors = (try? fileManager.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            var kinds: [String: Int] = [:]
            for fd in descriptors {
                let target = (try? fileManager.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) ?? "?"
                let kind = target.hasPrefix("socket:") ? "socket" : target.hasPrefix("pipe:") ? "pipe"
                    : target.hasPrefix("anon_inode:") ? "anon_inode" : target.hasPrefix("/") ? "file" : "other"
                kinds[kind, default: 0] += 1
            }
            let text = limits + "$ ls /proc/\(pid)/fd | wc -l\n\(descriptors.count)\n"
                + "# descriptors by kind: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            try? text.write(toFile: path("process.txt"), atomically: true, encoding: .utf8)
            record(Step(what: "limits and descriptors", command: "cat /proc/\(pid)/limits; ls /proc/\(pid)/fd", status: 0, started: started,
                        seconds: Date().timeIntervalSince(started), file: "process.txt", note: "\(descriptors.count) descriptors"))
        } else {
            record(Step(what: "limits and descriptors", command: "cat /proc/\(pid)/limits", status: 1, started: started, seconds: 0,
                        note: "no process \(pid), or not allowed to read it: run as its user or root"))
        }
        record(capture("kernel settings", "sysctl", ["net.ipv4.ip_local_port_range", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_fin_timeout",
                                                     "fs.file-max"], to: path("sysctl.txt")))
        for (what, command) in [("JVM flags", "VM.flags"), ("JVM uptime", "VM.uptime")] {
            record(capture(what, "jcmd", ["\(pid)", command], to: path("jvm-\(command.lowercased()).txt"), timeout: 15))
        }
        // The logs first: the JVM's stdout copied after a kill -3 would hold the dump twice.
        started = Date()
        let copied = copyOpenLogs(pid, to: path("logs"))
        record(Step(what: "tails of the open logs", command: "readlink /proc/\(pid)/fd/*", status: 0, started: started,
                    seconds: Date().timeIntervalSince(started), file: copied.isEmpty ? nil : "logs/",
                    note: copied.isEmpty ? "no open log file found" : copied.joined(separator: ", ")))
        // Each round: a dump, the threads' CPU, the sockets.
        for round in 1...max(1, request.dumps) {
            if round > 1 { Thread.sleep(forTimeInterval: request.interval) }
            record(threadDump(pid, to: path("dump-\(round).txt")))
            record(capture("threads' CPU", "top", ["-H", "-b", "-n", "1", "-p", "\(pid)"], to: path("top-\(round).txt")))
            var sockets = capture("sockets", "ss", ["-tanpi"], to: path("ss-\(round).txt"), dated: true)
            if sockets.status != 0 { sockets = capture("sockets", "netstat", ["-anp"], to: path("ss-\(round).txt"), dated: true) }
            record(sockets)
        }
        let manifest = "# triage collect --pid \(pid): each command, its exit status, start and duration\n"
            + steps.map { $0.line + "\n" }.joined()
        try? manifest.write(toFile: path("MANIFEST"), atomically: true, encoding: .utf8)
        return steps
    }

    /// jcmd, else jstack, else `kill -3` with the dump read back from the JVM's stdout file.
    static func threadDump(_ pid: Int32, to file: String) -> Step {
        let jcmd = capture("thread dump", "jcmd", ["\(pid)", "Thread.print", "-l"], to: file, timeout: 30)
        if jcmd.status == 0, dumpIsWhole(file) { return jcmd }
        let jstack = capture("thread dump", "jstack", ["-l", "\(pid)"], to: file, timeout: 30)
        if jstack.status == 0, dumpIsWhole(file) {
            var step = jstack
            step.note = "jcmd failed (exit \(jcmd.status.map(String.init) ?? "-"))"
            return step
        }
        let started = Date()
        // SIGQUIT ends a process that does not catch it: anything but a JVM, or a JVM run with -Xrs.
        guard catchesSIGQUIT(pid) else {
            return Step(what: "thread dump", command: "kill -3 \(pid)", status: nil, started: started, seconds: 0,
                        note: "jcmd and jstack failed, and the process does not catch SIGQUIT (not a JVM, or run with -Xrs): "
                            + "kill -3 would end it, so it was not sent")
        }
        // The JVM prints a SIGQUIT dump on its own stdout: where that is a file, it can be read back.
        guard let stdout = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/1"),
              stdout.hasPrefix("/"), let before = size(stdout) else {
            return Step(what: "thread dump", command: "kill -3 \(pid)", status: nil, started: started, seconds: 0,
                        note: "jcmd and jstack failed, and the JVM's stdout is not a file to read a kill -3 dump from")
        }
        kill(pid, SIGQUIT)
        // Wait for the dump to start, then for the file to stop growing.
        var last = before, steady = 0.0
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            let now = size(stdout) ?? last
            steady = now == last && now > before ? steady + 0.1 : 0
            last = now
            if steady >= 0.5 { break }
        }
        // Copied a megabyte at a time: the stdout file also takes whatever the application logs meanwhile.
        FileManager.default.createFile(atPath: file, contents: nil)
        if let input = FileHandle(forReadingAtPath: stdout), let output = FileHandle(forWritingAtPath: file) {
            try? input.seek(toOffset: UInt64(before))
            var left = max(0, last - before)
            while left > 0, let chunk = try? input.read(upToCount: min(left, 1 << 20)), !chunk.isEmpty {
                guard (try? output.write(contentsOf: chunk)) != nil else { break }
                left -= chunk.count
            }
            try? input.close()
            try? output.close()
        }
        let whole = dumpIsWhole(file)
        return Step(what: "thread dump", command: "kill -3 \(pid)", status: whole ? 0 : 1, started: started,
                    seconds: Date().timeIntervalSince(started), file: URL(fileURLWithPath: file).lastPathComponent,
                    note: "jcmd and jstack failed (no descriptor left for the attach socket?); read back from \(stdout)"
                        + (whole ? "" : ": no whole dump appeared"))
    }

    /// Whether the process has a handler for SIGQUIT (`SigCgt` in /proc/PID/status, signal 3 is bit 2).
    static func catchesSIGQUIT(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << (UInt64(SIGQUIT) - 1)) != 0
    }

    static func dumpIsWhole(_ file: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: file), let head = try? handle.read(upToCount: 64 << 10) else { return false }
        try? handle.close()
        return String(decoding: head, as: UTF8.self).contains("Full thread dump")
    }

    static func size(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    /// Runs a command with a time limit; its standard output goes to `file` (after a `date`
    /// line when `dated`, which times a socket table for triage).
    static func capture(_ what: String, _ tool: String, _ arguments: [String], to file: String, timeout: Double = 20,
                        dated: Bool = false) -> Step {
        let started = Date()
        let name = URL(fileURLWithPath: file).lastPathComponent
        let command = ([tool] + arguments).joined(separator: " ")
        guard let executable = locate(tool) else {
            return Step(what: what, command: command, status: nil, started: started, seconds: 0, note: "\(tool) not found")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        FileManager.default.createFile(atPath: file, contents: nil)
        guard let output = FileHandle(forWritingAtPath: file) else {
            return Step(what: what, command: command, status: nil, started: started, seconds: 0, note: "cannot write \(file)")
        }
        if dated {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE MMM d HH:mm:ss zzz yyyy"
            try? output.write(contentsOf: Data((formatter.string(from: started) + "\n").utf8))
        }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? output.close()
            return Step(what: what, command: command, status: nil, started: started, seconds: 0, note: "could not start: \(error)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        var note: String?
        if process.isRunning {
            process.terminate()
            note = "stopped after \(Int(timeout)) s"
        }
        process.waitUntilExit()
        try? output.close()
        return Step(what: what, command: command, status: process.terminationStatus, started: started,
                    seconds: Date().timeIntervalSince(started), file: name, note: note)
    }

    /// The tool on PATH, or in the JDK's folders for jcmd and jstack.
    static func locate(_ tool: String) -> String? {
        var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        folders += ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        if let home = ProcessInfo.processInfo.environment["JAVA_HOME"] { folders.append(home + "/bin") }
        return folders.map { $0 + "/" + tool }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The last `tailBytes` of each log file the process has open (and its stdout, when a file).
    static func copyOpenLogs(_ pid: Int32, to folder: String) -> [String] {
        let fileManager = FileManager.default
        var seen = Set<String>()
        var copied: [String] = []
        for fd in ((try? fileManager.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).sorted(by: { (Int($0) ?? 0) < (Int($1) ?? 0) }) {
            guard let target = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"), target.hasPrefix("/"),
                  !target.hasPrefix("/proc/"), !target.hasPrefix("/dev/"), !target.hasPrefix("/sys/"), seen.insert(target).inserted else { continue }
            let name = URL(fileURLWithPath: target).lastPathComponent
            let lower = name.lowercased()
            let looksLikeLog = fd == "1" || fd == "2" || [".log", ".out", ".txt", ".err"].contains { lower.hasSuffix($0) }
                || lower.contains("catalina") || lower.contains(".log.")
            guard looksLikeLog, let size = size(target), size > 0, let input = FileHandle(forReadingAtPath: target) else { continue }
            try? input.seek(toOffset: UInt64(max(0, size - tailBytes)))
            let data = (try? input.read(upToCount: tailBytes)) ?? Data()
            try? input.close()
            try? fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let copy = folder + "/" + (copied.contains(name) ? "\(fd)-\(name)" : name)
            if (try? data.write(to: URL(fileURLWithPath: copy))) != nil { copied.append(URL(fileURLWithPath: copy).lastPathComponent) }
        }
        return copied
    }
}
