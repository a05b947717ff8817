/// A parsed command line: what to do and how.
public struct Options: Sendable, Equatable {
    public enum Command: Sendable, Equatable {
        case logs(paths: [String])
        case scan(paths: [String])
        case merge(paths: [String])
        /// `triage diff BEFORE AFTER`, or one set of inputs split by `--before-until`/`--after-since`.
        case diff(before: [String], after: [String])
        /// `triage collect --pid PID`: gather the evidence on the incident host, then analyse it.
        case collect
        case rulesList
        case rulesShow(id: String)
        case rulesCheck(directory: String)
        case help(topic: String?)
        case version
    }

    public enum ColorChoice: String, CaseIterable, Sendable {
        case auto, always, never
    }

    public var command: Command
    public var format: OutputFormat = .text
    public var output: String?
    public var ruleDirectories: [String] = []
    /// `--pattern`: the layout of logs the built-in headers do not know.
    public var pattern: LogPattern?
    /// `--app-package`: the application's packages.
    public var applicationPackages: [String] = []
    public var failOn: Severity?
    public var color: ColorChoice = .auto
    public var top = 10
    public var since: LogTimestamp?
    public var until: LogTimestamp?
    /// Inputs analysed at once; 0 = one per core.
    public var jobs = 0
    public var progress = true
    /// `--follow`: keep reading the files as they grow, report findings as they appear.
    public var follow = false
    /// `--brief`: causes only, a line each.
    public var brief = false
    /// Secrets masked in the report (`--no-redact` turns it off).
    public var redact = true
    /// `--anonymize`: IP addresses, host and user names as tokens, the mapping in a file of its own.
    public var anonymize = false
    /// `--width`: text wrapped at this many columns; nil = the terminal's, or 80; 0 = none.
    public var width: Int?
    public var encoding: LegacyEncoding?
    /// `scan` and `merge`: their own formats (`jsonl` is theirs alone).
    public var scanFormat: ScanFormat = .text
    /// `--shard K/N`.
    public var shard: Shard?
    /// `--host-from REGEX`: the host of a scanned file, from its path.
    public var hostFrom: String?
    /// `diff` of one set of inputs: the before side ends here, the after side starts here.
    public var beforeUntil: LogTimestamp?
    public var afterSince: LogTimestamp?
    /// `collect`: the JVM, where to write, how many dumps how far apart, and a tarball too.
    public var pid: Int32?
    public var collectFolder: String?
    public var dumps = 3
    public var interval: Double = 10
    public var tar = false

    public struct Shard: Sendable, Equatable {
        public var index: Int
        public var count: Int
    }

    public init(command: Command) {
        self.command = command
    }
}
