/// One command-line option: how it is spelled, what value it takes, what it does. The same
/// table parses the command line and writes `--help`, so the two cannot disagree.
struct OptionSpec: Sendable {
    enum Name: Sendable {
        case format, output, rules, appPackage, pattern, failOn, color, top, brief, width, since, until, encoding, jobs, noProgress,
             noRedact, anonymize, shard, hostFrom, beforeUntil, afterSince, follow, pid, out, dumps, interval, tar, help, version
    }

    let name: Name
    let long: String
    let short: Character?
    /// Placeholder of the value in help (`FORMAT`); nil for a flag.
    let value: String?
    let help: String
    /// Commands the option applies to (`logs`, `rules`); empty means everywhere.
    let commands: Set<String>

    static let all: [OptionSpec] = [
        OptionSpec(name: .format, long: "format", short: nil, value: "FORMAT",
                   help: "report format: " + OutputFormat.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: ", "),
                   commands: ["logs", "rules", "collect"]),
        OptionSpec(name: .format, long: "format", short: nil, value: "FORMAT",
                   help: "text (the default), markdown, json", commands: ["diff"]),
        OptionSpec(name: .format, long: "format", short: nil, value: "FORMAT",
                   help: "text (the default), markdown, json (the summary and every file), jsonl (a line per file, then "
                       + "the summary: what 'triage merge' reads)",
                   commands: ["scan", "merge"]),
        OptionSpec(name: .output, long: "output", short: "o", value: "FILE",
                   help: "write the report to FILE instead of standard output", commands: ["logs", "scan", "merge", "diff"]),
        OptionSpec(name: .hostFrom, long: "host-from", short: nil, value: "REGEX",
                   help: "the host of each file: the first group of REGEX matched against its path under the root "
                       + "('app-([a-z0-9]+)\\.log', '^logs/([^/]+)/'); default: the first folder under the root",
                   commands: ["scan"]),
        OptionSpec(name: .follow, long: "follow", short: "f", value: nil,
                   help: "read the files to their end, then keep reading as they grow (and across rotation, as tail -F); "
                       + "print each root cause the moment its evidence is enough, then its changes; Ctrl-C prints the report",
                   commands: ["logs"]),
        OptionSpec(name: .pid, long: "pid", short: nil, value: "PID", help: "the JVM to collect from (run as its user or root)",
                   commands: ["collect"]),
        OptionSpec(name: .out, long: "out", short: nil, value: "DIR",
                   help: "the incident folder to write (default: triage-collect-PID-DATE-TIME here)", commands: ["collect"]),
        OptionSpec(name: .dumps, long: "dumps", short: nil, value: "N", help: "thread dumps, top -H and sockets N times (default 3)",
                   commands: ["collect"]),
        OptionSpec(name: .interval, long: "interval", short: nil, value: "SECONDS",
                   help: "between them (default 10s; '5', '5s' or '500ms')", commands: ["collect"]),
        OptionSpec(name: .tar, long: "tar", short: nil, value: nil, help: "also write DIR.tar.gz of the folder", commands: ["collect"]),
        OptionSpec(name: .beforeUntil, long: "before-until", short: nil, value: "TIME",
                   help: "diff one set of inputs: the before side is what came up to TIME ('2024-12-21 13:20')", commands: ["diff"]),
        OptionSpec(name: .afterSince, long: "after-since", short: nil, value: "TIME",
                   help: "diff one set of inputs: the after side is what came from TIME on", commands: ["diff"]),
        OptionSpec(name: .shard, long: "shard", short: nil, value: "K/N",
                   help: "scan only part K of N (1 ≤ K ≤ N), picked by a stable hash of each file's path under its root; "
                       + "'triage merge' joins the parts' jsonl into the report one scan gives",
                   commands: ["scan"]),
        OptionSpec(name: .rules, long: "rules", short: nil, value: "DIR",
                   help: "also use the rules in DIR (*.json5; repeatable); see 'triage rules check'", commands: ["logs", "rules", "scan", "diff", "collect"]),
        OptionSpec(name: .appPackage, long: "app-package", short: nil, value: "PKG",
                   help: "your code is in package PKG (com.acme; repeatable or comma-separated): findings name its first "
                       + "frame as 'in your code' (default: the first frame outside the JDK and the libraries in rules/libraries.json5)",
                   commands: ["logs", "scan", "collect"]),
        OptionSpec(name: .pattern, long: "pattern", short: nil, value: "PATTERN",
                   help: "read records in this logback/log4j2 layout ('%d{dd.MM.yyyy HH:mm:ss.SSS} | %-5level | %thread | %logger - %msg%n') "
                       + "where the built-in layouts do not know it; %d, %level and %msg are read, anything else is text",
                   commands: ["logs"]),
        OptionSpec(name: .failOn, long: "fail-on", short: nil, value: "SEVERITY",
                   help: "exit 1 when a finding is at least SEVERITY: " + Severity.allCases.reversed().map(\.rawValue).joined(separator: ", "),
                   commands: ["logs", "scan", "merge", "collect"]),
        OptionSpec(name: .color, long: "color", short: nil, value: "WHEN",
                   help: "colour: auto (on a terminal, unless NO_COLOR is set), always, never", commands: ["logs", "collect"]),
        OptionSpec(name: .top, long: "top", short: nil, value: "N",
                   help: "list the N most frequent exception groups in text and Markdown (default 10; JSON has all)",
                   commands: ["logs", "collect"]),
        OptionSpec(name: .since, long: "since", short: nil, value: "TIME",
                   help: "only records, dumps and socket tables at or after TIME ('2024-12-21 13:00', '2024-12-21T13:00:00'); "
                       + "a bare '13:30' is the last 13:30 up to the latest record read",
                   commands: ["logs", "scan", "collect"]),
        OptionSpec(name: .until, long: "until", short: nil, value: "TIME",
                   help: "only those at or before TIME; a bare '14:00' is the first 14:00 after --since", commands: ["logs", "scan", "collect"]),
        OptionSpec(name: .encoding, long: "encoding", short: nil, value: "NAME",
                   help: "read non-UTF-8 inputs as NAME: " + LegacyEncoding.allCases.map(\.rawValue).joined(separator: ", ")
                       + " (UTF-8 and UTF-16 are recognised on their own; without this, other bytes show as �)",
                   commands: ["logs", "scan", "diff"]),
        OptionSpec(name: .jobs, long: "jobs", short: "j", value: "N",
                   help: "analyse N inputs at once (default: one per core)", commands: ["logs", "scan"]),
        OptionSpec(name: .brief, long: "brief", short: nil, value: nil,
                   help: "text: one line per root cause (severity, confidence, where) and its first fix step", commands: ["logs", "collect"]),
        OptionSpec(name: .width, long: "width", short: nil, value: "N",
                   help: "text: wrap lines at N columns (default: the terminal's width, 80 when not a terminal; 0: no wrapping)",
                   commands: ["logs", "scan", "merge", "diff", "collect"]),
        OptionSpec(name: .noRedact, long: "no-redact", short: nil, value: nil,
                   help: "show evidence as read: by default passwords, tokens, keys, Authorization headers and cookies are masked (****) "
                       + "in every format, and the report says how many of which kind",
                   commands: ["logs", "scan", "merge", "diff", "collect"]),
        OptionSpec(name: .anonymize, long: "anonymize", short: nil, value: nil,
                   help: "also replace IP addresses, host names and user names by stable tokens (ip-1, host-1, user-1: the same "
                       + "value the same token everywhere); the mapping goes to FILE.anonymize-map.tsv beside -o FILE "
                       + "(else ./triage-anonymize-map.tsv), never into the report",
                   commands: ["logs", "collect"]),
        OptionSpec(name: .noProgress, long: "no-progress", short: nil, value: nil,
                   help: "no progress line on standard error (it is only ever shown on a terminal)", commands: ["logs", "scan", "diff", "collect"]),
        OptionSpec(name: .help, long: "help", short: "h", value: nil, help: "show help", commands: []),
        OptionSpec(name: .version, long: "version", short: nil, value: nil, help: "print the version", commands: []),
    ]

    func applies(to command: String) -> Bool { commands.isEmpty || commands.contains(command) }

    var spelling: String {
        let long = "--\(self.long)" + (value.map { " \($0)" } ?? "")
        return short.map { "-\($0), \(long)" } ?? "    \(long)"
    }
}
