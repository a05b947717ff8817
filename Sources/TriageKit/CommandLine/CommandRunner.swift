import Foundation

/// What a command produced: the report (or listing) for standard output, messages for
/// standard error, and the exit status. The executable prints these and exits.
public struct CommandOutcome: Sendable {
    public var output: String
    public var diagnostics: [String]
    public var status: ExitStatus
    /// `--anonymize`: the token-to-value mapping, for a file of its own (written owner-only).
    public var mappingFile: (path: String, text: String)?

    init(output: String, diagnostics: [String], status: ExitStatus) {
        self.output = output
        self.diagnostics = diagnostics
        self.status = status
    }
}

/// What the executable knows about where it runs.
public struct RunEnvironment: Sendable {
    /// Standard output is a terminal and `NO_COLOR` is not set.
    public var colorAllowed: Bool
    public var progress: (@Sendable (AnalysisProgress) -> Void)?
    /// Standard output's columns when it is a terminal.
    public var terminalWidth: Int?
    /// Writes to standard output at once (`--follow`'s events, while the run goes on).
    public var emit: (@Sendable (String) -> Void)?
    /// Writes a line to standard error at once (`collect`'s steps as they run).
    public var emitError: (@Sendable (String) -> Void)?

    public init(colorAllowed: Bool, progress: (@Sendable (AnalysisProgress) -> Void)? = nil, terminalWidth: Int? = nil,
                emit: (@Sendable (String) -> Void)? = nil, errorLine: (@Sendable (String) -> Void)? = nil) {
        self.colorAllowed = colorAllowed
        self.progress = progress
        self.terminalWidth = terminalWidth
        self.emit = emit
        self.emitError = errorLine
    }
}

/// Executes parsed options. Everything but printing and exiting happens here.
public enum CommandRunner {
    public static func run(_ options: Options, environment: RunEnvironment) -> CommandOutcome {
        switch options.command {
        case .version:
            return CommandOutcome(output: "triage \(TriageVersion.current)\n", diagnostics: [], status: .success)
        case .help(let topic):
            return CommandOutcome(output: HelpText.text(for: topic) + "\n", diagnostics: [], status: .success)
        case .logs(let paths):
            return logs(paths, options, environment)
        case .scan(let paths):
            return scan(paths, options, environment)
        case .merge(let paths):
            return merge(paths, options, environment)
        case .diff(let before, let after):
            return diff(before, after, options, environment)
        case .collect:
            return collect(options, environment)
        case .rulesList:
            return withRules(options) { rules in
                CommandOutcome(output: RuleCatalogRenderer.list(rules.rules, format: options.format), diagnostics: [], status: .success)
            }
        case .rulesShow(let id):
            return withRules(options) { rules in
                guard let rule = rules.rule(id: id) else {
                    return CommandOutcome(output: "", diagnostics: [TriageError.unknownRule(id: id).description], status: .usage)
                }
                return CommandOutcome(output: RuleCatalogRenderer.show(rule, format: options.format), diagnostics: [], status: .success)
            }
        case .rulesCheck(let directory):
            return checkRules(directory)
        }
    }

    private static func withRules(_ options: Options, _ body: (RuleSet) -> CommandOutcome) -> CommandOutcome {
        do {
            return body(try RuleSet.loading(userDirectories: options.ruleDirectories))
        } catch {
            return CommandOutcome(output: "", diagnostics: error.problems.map(\.description) + ["fix the rules above ('triage rules check DIR' explains each problem)"], status: .usage)
        }
    }

    private static func logs(_ paths: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        // Refused before anything is read: an input is never written.
        if let output = options.output, let reason = OutputCollision.reason(output: output, inputs: paths) {
            return CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(reason, command: "logs").description], status: .usage)
        }
        if options.follow {
            for path in paths {
                var info = stat()
                let isDirectory = stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 2) } ?? Data()
                if path == "-" || isDirectory || head == Data([0x1f, 0x8b]) {
                    return usage("--follow reads plain files as they grow; \(path) is \(path == "-" ? "standard input" : isDirectory ? "a folder" : "gzip data")"
                                 + ": give the log files themselves (triage logs -f /var/log/app/app.log)")
                }
            }
        }
        if options.anonymize, let reason = OutputCollision.reason(output: Anonymizer.mappingPath(output: options.output), inputs: paths) {
            return usage("the --anonymize mapping: " + reason)
        }
        var window = options.since == nil && options.until == nil ? nil : TimeWindow(since: options.since, until: options.until)
        var readings: [String] = []
        if let given = window {
            if given.isInverted, let since = given.since, let until = given.until {
                if !since.hasDate {
                    return usage("--since \(since.clock) is after --until \(until.clock); for a window across midnight give "
                                 + "dates (--since '2024-12-21 23:00' --until '2024-12-22 01:00'), otherwise swap them")
                }
                return usage("--since \(since.text) is after --until \(until.text): nothing could be in that window; swap them")
            }
            if given.hasBareTime {
                let probe = LatestRecordProbe.latest(InputCollector.collect(paths).inputs, encoding: options.encoding)
                if probe.time == nil && probe.skippedStandardInput {
                    return usage("a time without a date needs the day of the latest record, and standard input cannot be read "
                                 + "twice to find it: give a date (--since '2024-12-21 13:30')")
                }
                (window, readings) = given.resolved(latest: probe.time)
                if probe.skippedStandardInput && probe.time != nil {
                    readings.append("standard input was not read for the latest record (it can be read once only)")
                }
            }
        }
        return withRules(options) { rules in
            var request = Analysis.Request(paths: paths, rules: rules, window: window, parallelism: options.jobs, encoding: options.encoding)
            request.windowReadings = readings
            request.applicationPackages = options.applicationPackages
            request.pattern = options.pattern
            let result = options.follow ? follow(paths, rules, options, environment)
                : Analysis.run(request, progress: options.progress ? environment.progress : nil)
            let color: Bool
            switch options.color {
            case .always: color = true
            case .never: color = false
            case .auto: color = environment.colorAllowed && options.output == nil
            }
            // Text wraps at --width, else the terminal's width, else 80 (a pipe, a file).
            let width = options.width ?? (options.output == nil ? environment.terminalWidth : nil) ?? 80
            let renderOptions = RenderOptions(color: color, topExceptionGroups: options.top, brief: options.brief,
                                              width: width == 0 ? nil : width)
            var report = result.report
            var rendered = options.format.render(report, options: renderOptions)
            var changed = false
            // Should the report not rebuild, the rendered text is masked instead.
            var maskRenderedText = false
            if options.redact, Redactor.mayHoldSecrets(rendered) {
                // Every string of the report masked before any format escapes it; counted, then
                // said in the report.
                var redactor = Redactor()
                let redacted = redactor.redact(report)
                if redacted == nil { _ = redactor.redact(rendered) }
                if let masked = redactor.summary {
                    report = redacted ?? report
                    maskRenderedText = redacted == nil
                    // Keys are the kinds' names (`urlPassword`): its descriptions hold words a second pass would mask.
                    report.redactions = Dictionary(uniqueKeysWithValues: redactor.counts.map { (String(describing: $0.key), $0.value) })
                    report.notes.append("masked before writing: \(masked) (--no-redact shows evidence as read)")
                    changed = true
                }
            }
            var mapping: (path: String, text: String)?
            if options.anonymize {
                var anonymizer = Anonymizer()
                guard let anonymized = anonymizer.anonymize(report) else {
                    return CommandOutcome(output: "", diagnostics: ["triage: the report could not be anonymized; nothing was written"],
                                          status: .usage)
                }
                report = anonymized
                if let summary = anonymizer.summary {
                    let path = Anonymizer.mappingPath(output: options.output)
                    var note = "anonymized: \(summary) replaced by tokens (the same value the same token everywhere); "
                        + "the mapping is in \(path), not in this report"
                    if anonymizer.leftOut > 0 { note += "; \(NumberFormatting.count(anonymizer.leftOut)) more names were left as they are" }
                    report.notes.append(note)
                    mapping = (path, anonymizer.mappingText)
                    changed = true
                }
            }
            if changed {
                rendered = options.format.render(report, options: renderOptions)
                if maskRenderedText {
                    var again = Redactor()
                    rendered = again.redact(rendered)
                }
            }
            var status = ExitStatus.success
            if let failOn = options.failOn, let highest = result.report.highestSeverity, highest >= failOn {
                status = .findingAtOrAbove
            }
            // An incomplete read must not pass for a clean one: 3 wins over 1.
            if !result.problems.isEmpty { status = .unreadableInput }
            let inputs = result.report.inputs
            let analysed = inputs.filter { $0.status == .analysed || $0.status == .partial }.count
            var diagnostics = result.problems.map { problem -> String in
                guard case .unreadableInput = problem, analysed > 0 else { return "triage: " + problem.description }
                return "triage: " + problem.description + " (the other inputs were analysed)"
            }
            // Nothing read is not a clean result, whatever --fail-on says.
            if analysed == 0 {
                status = .unreadableInput
                let skipped = inputs.filter { $0.status == .skipped }.count
                let unreadable = inputs.filter { $0.status == .unreadable }.count
                var parts: [String] = []
                if skipped > 0 { parts.append("\(skipped) skipped") }
                if unreadable > 0 { parts.append("\(unreadable) unreadable") }
                diagnostics.append("triage: nothing was analysed" + (parts.isEmpty ? " (no input files found)" : " (" + parts.joined(separator: ", ") + ", see 'Read' in the report)")
                                   + "; give logs, thread dumps or socket tables as text or .gz")
            }
            var outcome = CommandOutcome(output: rendered, diagnostics: diagnostics, status: status)
            outcome.mappingFile = mapping
            return outcome
        }
    }

    // MARK: - collect

    private static func collect(_ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        guard let pid = options.pid else { return usage("collect needs --pid PID", command: "collect") }
        #if !os(Linux)
        return usage("collect reads /proc: it runs on Linux only", command: "collect")
        #else
        guard FileManager.default.fileExists(atPath: "/proc/\(pid)") else {
            return usage("no process \(pid) here (jcmd -l or ps -ef | grep java lists the JVMs)", command: "collect")
        }
        let stamp = String(ISO8601DateFormatter().string(from: Date()).prefix(19)).replacingAll(":", with: "").replacingAll("-", with: "")
        let folder = options.collectFolder ?? "triage-collect-\(pid)-\(stamp)"
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

    // MARK: - follow

    /// Follows the files until SIGINT or SIGTERM, writing each finding as it appears.
    private static func follow(_ paths: [String], _ rules: RuleSet, _ options: Options, _ environment: RunEnvironment) -> Analysis.Result {
        let stopped = StopFlag()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopped.set() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        var request = LogFollower.Request(paths: paths, rules: rules)
        request.applicationPackages = options.applicationPackages
        let jsonLines = options.format == .jsonl || options.format == .json
        let emit = environment.emit
        return LogFollower.run(request, stop: { stopped.isSet }) { event in
            let line: String
            if jsonLines {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                line = (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            } else {
                let time = String(Date().description.dropFirst(11).prefix(8))
                line = "[\(time)] \(event.change.uppercased())  \(event.severity.rawValue.uppercased()) \(NumberFormatting.weight(event.confidence))"
                    + "  \(event.title)" + (event.at.map { "  \($0)" } ?? "") + ", \(NumberFormatting.count(event.occurrences)) occurrences"
            }
            var redactor = Redactor()
            emit?(redactor.redact(line) + "\n")
        }
    }

    // MARK: - diff

    private static func diff(_ before: [String], _ after: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
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

    // MARK: - scan and merge

    private static func scan(_ paths: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
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

    private static func merge(_ paths: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
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
    private static func scanOutcome(_ rows: [ScanFileRow], _ summary: ScanSummary, problems: [String], _ options: Options,
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

    private static func usage(_ message: String, command: String) -> CommandOutcome {
        CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(message, command: command).description], status: .usage)
    }

    private static func usage(_ message: String) -> CommandOutcome {
        CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(message, command: "logs").description], status: .usage)
    }

    private static func checkRules(_ directory: String) -> CommandOutcome {
        let loaded: LoadedRules
        do {
            loaded = try RuleLoader.loadDirectory(directory)
        } catch {
            return CommandOutcome(output: "", diagnostics: [error.description], status: .usage)
        }
        var lines: [String] = []
        var problems = loaded.problems.map(\.description)
        // A rule identical to a built-in one is that rule (checking the project's own rules/).
        let builtinTexts = Dictionary(BuiltinRuleSources.files.map { ("rules/" + $0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
        let builtins = RuleSet.builtin.rules.filter { builtin in
            !loaded.rules.contains { rule in
                rule.id == builtin.id && builtinTexts[builtin.origin ?? ""] == (try? String(contentsOfFile: rule.origin ?? "", encoding: .utf8))
            }
        }
        problems += RuleSet.duplicateProblems(builtins + loaded.rules).map(\.description)
        for rule in loaded.rules {
            let failures = RuleExampleRunner.run(rule)
            let origin = rule.origin ?? rule.id
            if failures.isEmpty {
                lines.append("ok    \(rule.id) (\(origin)): \(rule.examples.match.count + rule.examples.noMatch.count) examples pass")
            } else {
                let locator = JSON5Locator((try? String(contentsOfFile: origin, encoding: .utf8)) ?? "")
                for failure in failures {
                    let position = locator.position(for: failure.path)
                    problems.append(TriageError.invalidRule(file: origin, line: position?.line, column: position?.column,
                                                            reason: "\(failure.path) \(failure.reason)").description)
                }
            }
        }
        for list in loaded.libraries {
            let examples = (list.examples?.application.count ?? 0) + (list.examples?.library.count ?? 0)
            let packages = list.libraries.reduce(0) { $0 + $1.packages.count }
            lines.append("ok    libraries (\(list.origin ?? "?")): \(packages) packages, \(examples) examples pass")
        }
        if loaded.rules.isEmpty && loaded.libraries.isEmpty && loaded.problems.isEmpty {
            problems.append("\(directory): no .json5 rule files found")
        }
        let summary = problems.isEmpty
            ? "\(loaded.rules.count) rule\(loaded.rules.count == 1 ? "" : "s") checked, no problems"
            : "\(problems.count) problem\(problems.count == 1 ? "" : "s") found"
        return CommandOutcome(output: (lines + [summary]).joined(separator: "\n") + "\n", diagnostics: problems,
                              status: problems.isEmpty ? .success : .findingAtOrAbove)
    }
}
