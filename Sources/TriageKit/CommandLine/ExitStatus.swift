/// The process exit codes: a public contract, documented in the README.
public enum ExitStatus: Int32, Sendable {
    /// Done (findings or not, unless `--fail-on` says otherwise).
    case success = 0
    /// A finding at or above `--fail-on`; for `rules check`, a rule with problems.
    case findingAtOrAbove = 1
    /// The command line was wrong; nothing was analysed.
    case usage = 2
    /// Some input could not be read; the others were analysed and the report says which.
    case unreadableInput = 3
}

/// A wrong command line; the message says what to type instead. Exit status 2.
public struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// The command whose help to point at (`triage logs --help`).
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String {
        let help = command.map { "triage \($0) --help" } ?? "triage --help"
        return "\(message)\n(see '\(help)')"
    }
}
