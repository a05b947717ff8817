import Foundation

/// `triage scan`: an archive, a file at a time; its report and exit status (shared with merge).
extension CommandRunner {
    // MARK: - scan and merge

    static func scan(_ paths: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        if let output = options.output, let reason = OutputCollision.reason(output: output, inputs: paths) {
            return CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(reason, command: "scan").description], status: .usage)
        }
        let window = options.since == nil && options.until == nil ? nil : TimeWindow(since: options.since, until: options.until)
        if let window {
            // An archive spans many days: a bare time picks none of them.
            if [window.since, window.until].contains(where: { $0 != nil && !$0!.hasDate }) {
                return usage("a scan spans days: give --since and --until a date ('2026-03-01' or '2026-03-01 13:30')", command: "scan")
            }
            if window.isInverted {
                return usage("--since is after --until: nothing could be in that window; swap them", command: "scan")
            }
        }
        return withRules(options) { rules in
            var request = ArchiveScan.Request(roots: paths, rules: rules, window: window)
            request.parallelism = options.jobs
            request.shard = options.shard.map { ($0.index, $0.count) }
            request.encoding = options.encoding
            request.applicationPackages = options.applicationPackages
            request.hostFrom = options.hostFrom
            let result = ArchiveScan.run(request, progress: options.progress ? environment.progress : nil)
            return scanOutcome(result.rows, result.summary, problems: [], options, environment)
        }
    }

    static func scanOutcome(_ rows: [ScanFileRow], _ summary: ScanSummary, problems: [String], _ options: Options,
                                    _ environment: RunEnvironment) -> CommandOutcome {
        let width = options.width ?? (options.output == nil ? environment.terminalWidth : nil) ?? 80
        var rendered = options.scanFormat.render(rows, summary, width: width == 0 ? nil : width)
        var diagnostics = problems.map { "triage: " + $0 }
        if options.redact, Redactor.mayHoldSecrets(rendered) {
            var redactor = Redactor()
            rendered = redactor.redact(rendered)
            if let masked = redactor.summary { diagnostics.append("triage: masked before writing: \(masked) (--no-redact shows them)") }
        }
        var status = ExitStatus.success
        if let failOn = options.failOn, let highest = summary.causes.map(\.severity).max(), highest >= failOn { status = .findingAtOrAbove }
        let unreadable = rows.filter { $0.status == .unreadable || $0.status == .partial }
        if !unreadable.isEmpty {
            status = .unreadableInput
            diagnostics += unreadable.prefix(20).map { "triage: \($0.path): \($0.status == .partial ? "read in part" : "unreadable"): \($0.reason ?? "")" }
            if unreadable.count > 20 { diagnostics.append("triage: \(unreadable.count - 20) more files could not be read whole (see the report)") }
            diagnostics.append("triage: the other files were scanned")
        }
        return CommandOutcome(output: rendered, diagnostics: diagnostics, status: status)
    }
}
