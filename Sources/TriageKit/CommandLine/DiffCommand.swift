import Foundation

/// `triage diff`: two captures, or two windows of one.
extension CommandRunner {
    // MARK: - diff

    static func diff(_ before: [String], _ after: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        if let output = options.output, let reason = OutputCollision.reason(output: output, inputs: before + after) {
            return usage(reason, command: "diff")
        }
        return withRules(options) { rules in
            func side(_ paths: [String], _ window: TimeWindow?) -> (Report, ReportDiff.Side, [TriageError]) {
                var request = Analysis.Request(paths: paths, rules: rules, window: window, parallelism: options.jobs, encoding: options.encoding)
                request.applicationPackages = options.applicationPackages
                let result = Analysis.run(request)
                let analysed = result.report.inputs.filter { $0.status == .analysed || $0.status == .partial }
                // The span of the records inside the side's window: its timeline's (inputs' own spans cover all records).
                var span: TimeSpan?
                if let timeline = result.report.timeline, let first = timeline.buckets.first, let last = timeline.buckets.last {
                    span = TimeSpan(first.time)
                    span?.add(LogTimestamp(milliseconds: last.time.milliseconds + Int64(timeline.minutes) * 60_000, hasDate: true))
                }
                let summary = ReportDiff.Side(inputs: paths, window: window.map { TimeWindow(since: $0.since, until: $0.until).text },
                                              records: analysed.reduce(0) { $0 + $1.records - $1.recordsOutsideWindow },
                                              firstSeen: span?.first, lastSeen: span?.last)
                return (result.report, summary, result.problems)
            }
            let windowed = options.beforeUntil != nil
            let (beforeReport, beforeSide, beforeProblems) = side(before, windowed ? TimeWindow(since: nil, until: options.beforeUntil) : nil)
            let (afterReport, afterSide, afterProblems) = side(after, windowed ? TimeWindow(since: options.afterSince, until: nil) : nil)
            let diff = ReportDiff(before: beforeReport, after: afterReport, beforeSide: beforeSide, afterSide: afterSide)
            let width = options.width ?? (options.output == nil ? environment.terminalWidth : nil) ?? 80
            var rendered = ReportDiffRenderer.render(diff, format: options.format, width: width == 0 ? nil : width)
            var diagnostics: [String] = []
            if options.redact, Redactor.mayHoldSecrets(rendered) {
                var redactor = Redactor()
                rendered = redactor.redact(rendered)
                if let masked = redactor.summary { diagnostics.append("triage: masked before writing: \(masked) (--no-redact shows them)") }
            }
            let problems = beforeProblems + afterProblems
            diagnostics += problems.map { "triage: " + $0.description }
            return CommandOutcome(output: rendered, diagnostics: diagnostics, status: problems.isEmpty ? .success : .unreadableInput)
        }
    }
}
