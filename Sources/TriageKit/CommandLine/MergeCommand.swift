import Foundation

/// `triage merge`: the jsonl parts of a sharded scan, as one scan's report.
extension CommandRunner {
    static func merge(_ paths: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        if let output = options.output, let reason = OutputCollision.reason(output: output, inputs: paths) {
            return CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(reason, command: "merge").description], status: .usage)
        }
        let result = ScanMerge.merge(paths)
        if result.rows.isEmpty && result.summary.roots.isEmpty {
            return CommandOutcome(output: "", diagnostics: result.problems.map { "triage: " + $0 }
                                  + ["triage: no scan rows were found; give the files 'triage scan --format jsonl' wrote"], status: .unreadableInput)
        }
        return scanOutcome(result.rows, result.summary, problems: result.problems, options, environment)
    }

    /// The scan's report (secrets masked unless --no-redact) and its exit status: 3 when a
    /// file could not be read whole, 1 for --fail-on.
}
