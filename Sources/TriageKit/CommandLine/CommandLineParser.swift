import Foundation

/// Turns `CommandLine.arguments` into `Options`. Pure, so tests cover every case.
public enum CommandLineParser {
    /// `standardInputIsTerminal`: false when something is piped in, which `logs` without a
    /// path then reads (`cat app.log | triage logs`).
    public static func parse(_ arguments: [String], standardInputIsTerminal: Bool = true) throws(UsageError) -> Options {
        var positional: [String] = []
        var values: [(OptionSpec, String?)] = []
        var command: String?
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                if command == nil { command = argument } else { positional.append(argument) }
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            let (spec, inlineValue) = try lookup(argument, command: command)
            if spec.value == nil {
                if inlineValue != nil { throw UsageError("--\(spec.long) takes no value", command: command) }
                values.append((spec, nil))
            } else if let inlineValue {
                values.append((spec, inlineValue))
            } else {
                guard index < arguments.count else {
                    throw UsageError("--\(spec.long) needs a value (\(spec.value!))", command: command)
                }
                values.append((spec, arguments[index]))
                index += 1
            }
        }

        if values.contains(where: { $0.0.name == .version }) { return Options(command: .version) }
        if values.contains(where: { $0.0.name == .help }) {
            return Options(command: .help(topic: command.map { $0 == "rules" && !positional.isEmpty ? "rules" : $0 }))
        }
        guard let command else { return Options(command: .help(topic: nil)) }

        var options: Options
        switch command {
        case "logs":
            if positional.isEmpty && !standardInputIsTerminal { positional = ["-"] }
            guard !positional.isEmpty else {
                throw UsageError("logs needs at least one PATH: a file, a .gz, a directory, or - for standard input", command: "logs")
            }
            options = Options(command: .logs(paths: positional))
        case "scan":
            guard !positional.isEmpty else {
                throw UsageError("scan needs at least one PATH: a folder of logs (walked recursively) or a file", command: "scan")
            }
            options = Options(command: .scan(paths: positional))
        case "merge":
            guard !positional.isEmpty else {
                throw UsageError("merge needs the jsonl parts of a sharded scan (triage scan --shard K/N --format jsonl)", command: "merge")
            }
            options = Options(command: .merge(paths: positional))
        case "collect":
            guard positional.isEmpty else {
                throw UsageError("collect takes no PATH: --pid PID names the JVM, --out DIR the folder to write", command: "collect")
            }
            options = Options(command: .collect)
        case "diff":
            guard !positional.isEmpty else {
                throw UsageError("diff needs BEFORE and AFTER (two captures), or inputs with --before-until and --after-since", command: "diff")
            }
            // Sides from the window options when given (checked below), else the two paths.
            options = Options(command: .diff(before: positional, after: positional))
        case "rules":
            options = Options(command: try rulesCommand(positional))
        case "help":
            if let topic = positional.first, !HelpText.topics.contains(topic) {
                let hint = suggestion(for: topic, among: HelpText.topics).map { " (did you mean '\($0)'?)" } ?? ""
                throw UsageError("no help on '\(topic)'\(hint); the commands are logs, rules and help")
            }
            options = Options(command: .help(topic: positional.first))
        case "version":
            options = Options(command: .version)
        default:
            let hint = suggestion(for: command, among: ["logs", "scan", "merge", "diff", "collect", "rules", "help"]).map { " (did you mean '\($0)'?)" } ?? ""
            throw UsageError("unknown command '\(command)'\(hint); the commands are logs, scan, merge, diff, collect, rules and help")
        }
        for (spec, value) in values {
            guard spec.applies(to: command) else {
                throw UsageError("--\(spec.long) does not apply to '\(command)'", command: command)
            }
            try apply(spec, value, to: &options, command: command)
        }
        // `-f` follows, as `tail -f`: `-f json` was the format before it moved.
        if options.follow, case .logs(let paths) = options.command,
           let format = paths.first(where: { OutputFormat(rawValue: $0) != nil && !FileManager.default.fileExists(atPath: $0) }) {
            throw UsageError("-f means --follow now (as tail -f); for the report format write --format \(format)", command: command)
        }
        if case .collect = options.command, options.pid == nil {
            throw UsageError("collect needs --pid PID: the JVM to gather evidence from (jcmd -l lists them)", command: "collect")
        }
        if case .diff(let paths, _) = options.command {
            let windowed = options.beforeUntil != nil || options.afterSince != nil
            if windowed {
                guard let until = options.beforeUntil, let since = options.afterSince else {
                    throw UsageError("--before-until and --after-since go together: one set of inputs split in two", command: "diff")
                }
                if since < until {
                    throw UsageError("--after-since is before --before-until: the two sides would overlap", command: "diff")
                }
            } else {
                guard paths.count == 2 else {
                    throw UsageError("diff compares two captures: give BEFORE and AFTER (a file or a folder each), "
                                     + "or one set of inputs with --before-until and --after-since", command: "diff")
                }
                options.command = .diff(before: [paths[0]], after: [paths[1]])
            }
            if [.jira, .html].contains(options.format) {
                throw UsageError("diff writes text, markdown or json", command: "diff")
            }
        }
        // `-o report.md` writes Markdown unless --format says otherwise; saying both differently is a mistake.
        if command == "scan" || command == "merge" {
            if let output = options.output, let implied = ScanFormat.implied(byFileName: output) {
                let explicit = values.last { $0.0.name == .format }.flatMap { $0.1.flatMap(ScanFormat.init(rawValue:)) }
                if let explicit, explicit != implied {
                    throw UsageError("--format \(explicit.rawValue) contradicts -o \(output), which names a \(implied.rawValue) file", command: command)
                }
                options.scanFormat = implied
            }
            return options
        }
        if let output = options.output, let implied = OutputFormat.implied(byFileName: output) {
            let explicit = values.last { $0.0.name == .format }.flatMap { $0.1.flatMap(OutputFormat.init(rawValue:)) }
            if let explicit, explicit != implied {
                throw UsageError("--format \(explicit.rawValue) contradicts -o \(output), which names a \(implied.rawValue) file; "
                                 + "drop one, or name the file for its format", command: command)
            }
            options.format = implied
        }
        return options
    }

    private static func rulesCommand(_ positional: [String]) throws(UsageError) -> Options.Command {
        switch positional.first {
        case nil, "list":
            guard positional.count <= 1 else { throw UsageError("'rules list' takes no arguments", command: "rules") }
            return .rulesList
        case "show":
            guard positional.count == 2 else { throw UsageError("'rules show' needs one rule ID (see 'triage rules list')", command: "rules") }
            return .rulesShow(id: positional[1])
        case "check":
            guard positional.count == 2 else { throw UsageError("'rules check' needs one DIR of .json5 rule files", command: "rules") }
            return .rulesCheck(directory: positional[1])
        case let other?:
            throw UsageError("unknown rules subcommand '\(other)'; use list, show ID or check DIR", command: "rules")
        }
    }

    private static func lookup(_ argument: String, command: String?) throws(UsageError) -> (OptionSpec, String?) {
        if argument.hasPrefix("--") {
            let body = argument.dropFirst(2)
            let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            // The same spelling may be two options (`--format` of logs and of scan): the command's own first.
            guard let spec = OptionSpec.all.first(where: { $0.long == name && $0.applies(to: command ?? "") })
                    ?? OptionSpec.all.first(where: { $0.long == name }) else {
                let hint = suggestion(for: name, among: OptionSpec.all.map(\.long)).map { " (did you mean --\($0)?)" } ?? ""
                throw UsageError("unknown option --\(name)\(hint)", command: command)
            }
            return (spec, parts.count > 1 ? String(parts[1]) : nil)
        }
        let letters = Array(argument.dropFirst())
        // `-format json` is `--format` with one dash too few, not `-f ormat`.
        let word = String(argument.dropFirst().prefix { $0 != "=" })
        if word.count > 1, let spec = OptionSpec.all.first(where: { $0.long == word }) {
            throw UsageError("unknown option \(argument) (did you mean --\(spec.long)?); long options take two dashes", command: command)
        }
        guard let letter = letters.first, let spec = OptionSpec.all.first(where: { $0.short == letter && $0.applies(to: command ?? "") })
                ?? OptionSpec.all.first(where: { $0.short == letter }) else {
            throw UsageError("unknown option \(argument)", command: command)
        }
        // `-ojson` style: the rest of the argument is the value.
        return (spec, letters.count > 1 ? String(letters.dropFirst()) : nil)
    }

    private static func apply(_ spec: OptionSpec, _ value: String?, to options: inout Options, command: String) throws(UsageError) {
        let value = value ?? ""
        switch spec.name {
        case .format where command == "scan" || command == "merge":
            guard let format = ScanFormat(rawValue: value) else {
                throw UsageError("--format must be one of \(ScanFormat.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(value)')", command: command)
            }
            options.scanFormat = format
        case .hostFrom:
            guard (try? NSRegularExpression(pattern: value)) != nil else {
                throw UsageError("--host-from '\(value)' is not a regular expression; e.g. --host-from 'app-([a-z0-9]+)\\.log'", command: command)
            }
            options.hostFrom = value
        case .pid:
            guard let pid = Int32(value), pid > 0 else { throw UsageError("--pid needs a process id (got '\(value)')", command: command) }
            options.pid = pid
        case .out:
            guard !value.isEmpty else { throw UsageError("--out needs a folder", command: command) }
            options.collectFolder = value
        case .dumps:
            guard let dumps = Int(value), (1...100).contains(dumps) else {
                throw UsageError("--dumps needs a number from 1 to 100 (got '\(value)')", command: command)
            }
            options.dumps = dumps
        case .interval:
            let number = value.hasSuffix("ms") ? Double(value.dropLast(2)).map { $0 / 1000 } : Double(value.hasSuffix("s") ? String(value.dropLast()) : value)
            guard let seconds = number, seconds >= 0, seconds <= 3600 else {
                throw UsageError("--interval needs seconds ('10', '10s' or '500ms'; got '\(value)')", command: command)
            }
            options.interval = seconds
        case .tar:
            options.tar = true
        case .beforeUntil, .afterSince:
            guard let time = LogTimestamp.parse(value), time.hasDate else {
                throw UsageError("--\(spec.long) needs a date and time ('2024-12-21 13:20'; got '\(value)')", command: command)
            }
            if spec.name == .beforeUntil { options.beforeUntil = time } else { options.afterSince = time }
        case .shard:
            let parts = value.split(separator: "/")
            guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
                throw UsageError("--shard needs K/N with 1 ≤ K ≤ N (got '\(value)'): --shard 3/16 scans the third of sixteen parts", command: command)
            }
            options.shard = Options.Shard(index: index, count: count)
        case .format:
            guard let format = OutputFormat(rawValue: value) else {
                throw UsageError("--format must be one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(value)')", command: command)
            }
            options.format = format
        case .output:
            guard !value.isEmpty else { throw UsageError("--output needs a file name", command: command) }
            options.output = value
        case .rules:
            options.ruleDirectories.append(value)
        case .appPackage:
            let packages = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !packages.isEmpty, packages.allSatisfy({ ApplicationCode.isPackageName($0) }) else {
                throw UsageError("--app-package '\(value)' is not a Java package; write it like com.acme or com.acme.orders", command: command)
            }
            options.applicationPackages += packages
        case .pattern:
            do {
                options.pattern = try LogPattern(value)
            } catch {
                throw UsageError("--pattern '\(value)': \(error.description)", command: command)
            }
        case .failOn:
            guard let severity = Severity(rawValue: value.lowercased()) else {
                throw UsageError("--fail-on must be one of \(Severity.allCases.reversed().map(\.rawValue).joined(separator: ", ")) (got '\(value)')", command: command)
            }
            options.failOn = severity
        case .color:
            guard let choice = Options.ColorChoice(rawValue: value) else {
                throw UsageError("--color must be auto, always or never (got '\(value)')", command: command)
            }
            options.color = choice
        case .top:
            guard let top = Int(value), top >= 0 else { throw UsageError("--top needs a whole number ≥ 0 (got '\(value)')", command: command) }
            options.top = top
        case .since, .until:
            guard let time = LogTimestamp.parse(value) else {
                throw UsageError("--\(spec.long) '\(value)' is not a time; write it like '2024-12-21 13:00:00' or '13:00:00'", command: command)
            }
            if spec.name == .since { options.since = time } else { options.until = time }
        case .encoding:
            guard let encoding = LegacyEncoding.named(value) else {
                throw UsageError("--encoding '\(value)' is not one triage knows; use one of \(LegacyEncoding.allCases.map(\.rawValue).joined(separator: ", "))", command: command)
            }
            options.encoding = encoding
        case .jobs:
            guard let jobs = Int(value), jobs >= 1 else { throw UsageError("--jobs needs a whole number ≥ 1 (got '\(value)')", command: command) }
            options.jobs = jobs
        case .noProgress:
            options.progress = false
        case .noRedact:
            options.redact = false
        case .brief:
            options.brief = true
        case .anonymize:
            options.anonymize = true
        case .follow:
            options.follow = true
        case .width:
            guard let width = Int(value), width == 0 || (20...1000).contains(width) else {
                throw UsageError("--width needs a number of columns from 20 to 1000, or 0 for no wrapping (got '\(value)')", command: command)
            }
            options.width = width
        case .help, .version:
            break
        }
    }

    /// The closest candidate within two edits, for "did you mean".
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        // Case counts for nothing: `topframe` is `topFrame` mistyped.
        candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
