import Foundation

/// `triage logs`: the main job, and `--follow`.
extension CommandRunner {
    static func logs(_ paths: [String], _ options: Options, _ environment: RunEnvironment) -> CommandOutcome {
        // Refused before anything is read: an input is never written.
        if let output = options.output, let reason = OutputCollision.reason(output: output, inputs: paths) {
            return CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(reason, command: "logs").description], status: .usage)
        }
        if options.follow {
            if let encoding = options.encoding {
                return usage("--follow does not transcode --encoding \(encoding.rawValue): drop --encoding to follow (records "
                             + "are still found; other than ASCII text shows as \u{FFFD}), or drop -f for a report read as \(encoding.rawValue)")
            }
            for path in paths {
                var info = stat()
                let isDirectory = stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 2) } ?? Data()
                // What the follower cannot read as it grows: it reads bytes as UTF-8 lines, never sniffed.
                let kind = path == "-" ? "standard input" : isDirectory ? "a folder" : head == Data([0x1f, 0x8b]) ? "gzip data"
                    : head == Data([0xff, 0xfe]) || head == Data([0xfe, 0xff]) ? "UTF-16 text" : nil
                if let kind {
                    return usage("--follow reads plain UTF-8 files as they grow; \(path) is \(kind)"
                                 + ": give the log files themselves (triage logs -f /var/log/app/app.log), or drop -f for a report")
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
            let result = options.follow ? follow(paths, rules, options, window, environment)
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

    // MARK: - follow

    /// Follows the files until SIGINT or SIGTERM, writing each finding as it appears.
    static func follow(_ paths: [String], _ rules: RuleSet, _ options: Options, _ window: TimeWindow?,
                       _ environment: RunEnvironment) -> Analysis.Result {
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
        request.window = window
        request.pattern = options.pattern
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
}
