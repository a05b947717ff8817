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

    static func withRules(_ options: Options, _ body: (RuleSet) -> CommandOutcome) -> CommandOutcome {
        do {
            return body(try RuleSet.loading(userDirectories: options.ruleDirectories))
        } catch {
            return CommandOutcome(output: "", diagnostics: error.problems.map(\.description) + ["fix the rules above ('triage rules check DIR' explains each problem)"], status: .usage)
        }
    }

    static func usage(_ message: String, command: String) -> CommandOutcome {
        CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(message, command: command).description], status: .usage)
    }

    static func usage(_ message: String) -> CommandOutcome {
        CommandOutcome(output: "", diagnostics: ["triage: " + UsageError(message, command: "logs").description], status: .usage)
    }

}

