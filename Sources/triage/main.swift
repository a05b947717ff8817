import Foundation
import TriageKit

// The executable parses arguments, calls the library, prints, and is the only place that exits.

let standardError = FileHandle.standardError

func printError(_ text: String) {
    standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Redraws one status line on standard error, at most ten times a second.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    func show(_ progress: AnalysisProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.inputsDone == progress.inputsTotal else { return }
        lastDraw = now
        drawn = true
        let line = ProgressLine.format(progress, elapsedSeconds: now.timeIntervalSince(start))
        standardError.write(Data(("\r\u{1B}[K" + String(line.prefix(160))).utf8))
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

let options: Options
do {
    options = try CommandLineParser.parse(Array(CommandLine.arguments.dropFirst()),
                                          standardInputIsTerminal: isatty(STDIN_FILENO) == 1)
} catch {
    printError("triage: " + error.description)
    exit(ExitStatus.usage.rawValue)
}

let environmentVariables = ProcessInfo.processInfo.environment
let colorAllowed = isatty(STDOUT_FILENO) == 1 && environmentVariables["NO_COLOR"].map(\.isEmpty) ?? true
let progress = isatty(STDERR_FILENO) == 1 ? ProgressPrinter() : nil
/// Standard output's columns, when it is a terminal.
func terminalWidth() -> Int? {
    guard isatty(STDOUT_FILENO) == 1 else { return nil }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return environmentVariables["COLUMNS"].flatMap { Int($0) }
}
let outcome = CommandRunner.run(options, environment: RunEnvironment(colorAllowed: colorAllowed, progress: progress.map { printer in
    { @Sendable update in printer.show(update) }
}, terminalWidth: terminalWidth(), emit: { text in
    FileHandle.standardOutput.write(Data(text.utf8))
}, errorLine: { line in printError("triage: collect: " + line) }))
progress?.clear()

for message in outcome.diagnostics { printError(message) }
// A refused command wrote nothing: `-o` must not even be truncated (it may name an input).
if outcome.status == .usage { exit(outcome.status.rawValue) }
// The --anonymize mapping first, owner-only: the report names it, so it must exist.
if let mapping = outcome.mappingFile {
    try? FileManager.default.removeItem(atPath: mapping.path)
    guard FileManager.default.createFile(atPath: mapping.path, contents: Data(mapping.text.utf8), attributes: [.posixPermissions: 0o600]) else {
        printError("triage: cannot write the --anonymize mapping to \(mapping.path); run where the folder is writable, or give -o in one")
        exit(ExitStatus.usage.rawValue)
    }
}
if let path = options.output {
    do {
        try outcome.output.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        printError("triage: " + TriageError.outputNotWritable(path: path, reason: "\(error.localizedDescription)").description)
        exit(ExitStatus.usage.rawValue)
    }
} else {
    FileHandle.standardOutput.write(Data(outcome.output.utf8))
}
exit(outcome.status.rawValue)
