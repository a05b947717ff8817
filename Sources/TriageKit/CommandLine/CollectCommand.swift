import Foundation

/// `triage collect --pid PID`: gather, then `logs` on the folder.
extension CommandRunner {
    // MARK: - collect

    static func collect(_ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        guard let pid = options.pid else { return usage("collect needs --pid PID", command: "collect") }
        #if !os(Linux)
        return usage("collect reads /proc: it runs on Linux only", command: "collect")
        #else
        guard FileManager.default.fileExists(atPath: "/proc/\(pid)") else {
            return usage("no process \(pid) here (jcmd -l or ps -ef | grep java lists the JVMs)", command: "collect")
        }
        let stamp = String(ISO8601DateFormatter().string(from: Date()).prefix(19)).replacingAll(":", with: "").replacingAll("-", with: "")
        let folder = options.collectFolder ?? "triage-collect-\(pid)-\(stamp)"
        // The report is of what was collected: a folder holding other files would mix them in.
        if let present = try? FileManager.default.contentsOfDirectory(atPath: folder), !present.isEmpty {
            return usage("\(folder) already holds files: collect into a new folder (--out \(folder)/incident-1)", command: "collect")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return usage("cannot create the folder \(folder): \(FileDescriptorSource.reason(errno))",
                         command: "collect")
        }
        var request = IncidentCollector.Request(pid: pid, folder: folder)
        request.dumps = options.dumps
        request.interval = options.interval
        let steps = IncidentCollector.collect(request, progress: options.progress ? { line in environment.emitError?(line) } : nil)
        var diagnostics = steps.filter { $0.status != 0 }.map { "triage: collect: \($0.what) failed: \($0.command)" + ($0.note.map { " (\($0))" } ?? "") }
        if options.tar {
            let tarball = folder + ".tar.gz"
            let url = URL(fileURLWithPath: folder)
            let step = IncidentCollector.capture("tarball", "tar", ["czf", URL(fileURLWithPath: tarball).path, "-C",
                                                                    url.deletingLastPathComponent().path, url.lastPathComponent],
                                                 to: "/dev/null")
            if step.status != 0 { diagnostics.append("triage: collect: the tarball \(tarball) could not be written") }
        }
        diagnostics.append("triage: collected into \(folder)/ (MANIFEST lists every command); the report follows")
        var outcome = logs([folder], options, environment)
        outcome.diagnostics = diagnostics + outcome.diagnostics
        return outcome
        #endif
    }
}
