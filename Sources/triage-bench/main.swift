import Foundation
import TriageKit

// triage-bench: generates deterministic inputs and times triage against the commands an
// engineer would otherwise run, in the same run, interleaved. See README, "Benchmark".

struct BenchOptions {
    var sizeMB = 1024
    var runs = 3
    var dataDirectory = ".build/bench-data"
    var quiet = false
    var installPeers = false
    var only: Set<String> = []
}

func parseOptions() -> BenchOptions {
    var options = BenchOptions()
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--inflate", arguments.count == 2 { inflate(arguments[1]) }
    while !arguments.isEmpty {
        let argument = arguments.removeFirst()
        func value() -> String {
            guard !arguments.isEmpty else { fail("\(argument) needs a value") }
            return arguments.removeFirst()
        }
        switch argument {
        case "--size": options.sizeMB = Int(value()) ?? { fail("--size takes megabytes") }()
        case "--runs": options.runs = max(1, Int(value()) ?? { fail("--runs takes a number") }())
        case "--data": options.dataDirectory = value()
        case "--quiet": options.quiet = true
        case "--install-peers": options.installPeers = true
        case "--only": options.only.formUnion(value().split(separator: ",").map(String.init))
        case "-h", "--help":
            print("""
            usage: swift run -c release triage-bench [--size MB] [--runs N] [--only LIST] [--install-peers] [--data DIR] [--quiet]

            Generates deterministic inputs in DIR (default .build/bench-data; reused while the
            generator version matches): a Java log of MB megabytes (default 1024) with stack
            traces and embedded thread dumps, its .gz, the same log split into 8 files, a 10 MB
            log, a 10,000-thread HotSpot dump, a log with 20 embedded dumps and a javacore with
            3,000 threads. Then runs triage and the commands an engineer would otherwise use,
            interleaved, N times each (default 3), and prints medians, MB/s, peak RSS, ratios
            to triage and the targets met or missed.

            --only LIST       scenarios to run, comma-separated: log, gzip, files, json, memory,
                              archive, dump, series, javacore (default: all)
            --install-peers   install the peers that can be installed and are missing: lnav
                              (apt-get) and IBM's javacore-analyser (pip, into DIR/venv)
            """)
            exit(0)
        default: fail("unknown argument \(argument); see --help")
        }
    }
    return options
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("triage-bench: \(message)\n".utf8))
    exit(2)
}

/// `triage-bench --inflate FILE`: zlib's own inflate rate, in process, output discarded — the
/// ceiling triage's gzip reading is measured against.
func inflate(_ path: String) -> Never {
    do {
        let source = try GzipSource(try FileDescriptorSource(path: path))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        var total = 0
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            total += count
        }
        print(total)
        exit(0)
    } catch {
        fail("cannot inflate \(path): \(error)")
    }
}

let options = parseOptions()
@MainActor func note(_ text: String) { if !options.quiet { FileHandle.standardError.write(Data((text + "\n").utf8)) } }
@MainActor func wanted(_ scenario: String) -> Bool { options.only.isEmpty || options.only.contains(scenario) }

let benchDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let triage = benchDirectory.appending(path: "triage").path
let benchSelf = benchDirectory.appending(path: "triage-bench").path
guard FileManager.default.isExecutableFile(atPath: triage) else {
    fail("no triage binary next to triage-bench (\(triage)); build both with: swift build -c release")
}
try FileManager.default.createDirectory(atPath: options.dataDirectory, withIntermediateDirectories: true)
let data = URL(fileURLWithPath: options.dataDirectory).standardizedFileURL.path
@MainActor func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
@MainActor func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// Runs `make` unless `path` was made by this generator version (its `.stamp` says so).
let generatorVersion = "log-v1, dump-v2, javacore-v2, split-v1"
@MainActor func generate(_ path: String, _ what: String, _ make: () throws -> Void) throws {
    let stamp = path + ".stamp"
    guard (try? String(contentsOfFile: stamp, encoding: .utf8)) != generatorVersion || !exists(path) else { return }
    note("generating \(what) …")
    try make()
    try generatorVersion.write(toFile: stamp, atomically: true, encoding: .utf8)
}

/// A command's exit status, for the generation steps that use the system's tools.
@MainActor @discardableResult
func shell(_ command: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try? process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

@MainActor func which(_ tool: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(directory)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

// 1. Inputs.
let logPath = "\(data)/app-\(options.sizeMB)MB.log"
try generate(logPath, "\(options.sizeMB) MB of log into \(logPath)") {
    var generator = LogGenerator()
    try generator.write(bytes: options.sizeMB << 20, to: logPath)
}
let literalsPath = "\(data)/rule-literals.txt"
// The rules' literals as the rules spell them: grep -F matches case as written.
let literals = RuleSet.builtin.rules.flatMap { rule in
    rule.signals.filter { !$0.isFactSignal && (!$0.isContext || $0.isIncidentWide) }.flatMap(SignalMatcher.gatingLiterals(of:))
}
let uniqueLiterals = literals.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
try (uniqueLiterals.joined(separator: "\n") + "\n").write(toFile: literalsPath, atomically: true, encoding: .utf8)
let logBytes = size(logPath)
let triageJSON = "triage logs --format json"

var summaries: [String] = []
var figures: [String: (seconds: Double, peakRSS: Int)] = [:]
@MainActor func record(_ scenario: String, _ results: [(command: BenchCommand, seconds: Double, peakRSS: Int)]) {
    for result in results { figures["\(scenario)/\(result.command.label)"] = (result.seconds, result.peakRSS) }
}

print("triage-bench on \(System.coreCount) cores, \(options.runs) runs each, median shown\n")

@MainActor func runScenario(_ key: String, _ scenario: BenchScenario) throws {
    note("running \(scenario.title), \(options.runs) interleaved rounds …")
    let results = try scenario.run(runs: options.runs, log: note)
    record(key, results)
    print(scenario.table(results) + "\n")
}

// 2. The log, against cat, grep and lnav.
if wanted("log") {
    var commands = [
        BenchCommand(label: "cat > /dev/null", arguments: ["cat", logPath], outputPath: "/dev/null"),
        BenchCommand(label: "grep -c Exception", arguments: ["grep", "-c", "Exception", logPath], outputPath: "\(data)/out-grep.txt"),
        BenchCommand(label: "grep -cF -f rule-literals.txt", arguments: ["grep", "-cF", "-f", literalsPath, logPath], outputPath: "\(data)/out-grep-f.txt"),
    ]
    if options.installPeers, which("lnav") == nil { shell("apt-get install -y -qq lnav >/dev/null 2>&1") }
    if which("lnav") != nil {
        commands.append(BenchCommand(label: "lnav -n (headless index)", arguments: ["lnav", "-n", "-c", ";SELECT count(*) FROM all_logs", logPath], outputPath: "\(data)/out-lnav.txt"))
    } else {
        summaries.append("lnav: not installed, skipped (apt-get install lnav, or --install-peers)")
    }
    commands.append(BenchCommand(label: triageJSON, arguments: [triage, "logs", logPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage.json"))
    // The target is for one core: grep uses one.
    if let taskset = which("taskset") {
        commands.append(BenchCommand(label: "taskset -c 0 \(triageJSON) (one core)", arguments: [taskset, "-c", "0", triage, "logs", logPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-1.json"))
    }
    try runScenario("log", BenchScenario(title: "Java log, all rules (\(uniqueLiterals.count) literals), one file", inputBytes: logBytes, commands: commands, reference: triageJSON))
}

// 3. The same log gzipped: zlib's own rate, zcat pipelines, triage.
let gzipPath = logPath + ".gz"
if wanted("gzip") {
    try generate(gzipPath, "\(gzipPath) (gzip -6)") {
        guard shell("gzip -6 -c '\(logPath)' > '\(gzipPath).part' && mv '\(gzipPath).part' '\(gzipPath)'") == 0 else { throw BenchError("gzip failed") }
    }
    try runScenario("gzip", BenchScenario(
        title: "The log gzipped (\(String(format: "%.0f", Double(size(gzipPath)) / 1e6)) MB compressed); MB/s of uncompressed text",
        inputBytes: logBytes,
        commands: [
            BenchCommand(label: "zlib inflate, in process", arguments: [benchSelf, "--inflate", gzipPath], outputPath: "/dev/null"),
            BenchCommand(label: "zcat > /dev/null", arguments: ["zcat", gzipPath], outputPath: "/dev/null"),
            BenchCommand(label: "zcat | grep -c Exception", arguments: ["sh", "-c", "zcat '\(gzipPath)' | grep -c Exception"], outputPath: "\(data)/out-zgrep.txt"),
            BenchCommand(label: "zcat | grep -cF -f rule-literals.txt", arguments: ["sh", "-c", "zcat '\(gzipPath)' | grep -cF -f '\(literalsPath)'"], outputPath: "\(data)/out-zgrep-f.txt"),
            BenchCommand(label: triageJSON, arguments: [triage, "logs", gzipPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-gz.json"),
        ],
        reference: triageJSON))
}

// 4. Many files at once: one core against all of them.
let splitDirectory = "\(data)/split-\(options.sizeMB)MB"
if wanted("files") {
    try generate(splitDirectory, "the log split into 8 files") {
        try? FileManager.default.removeItem(atPath: splitDirectory)
        try FileManager.default.createDirectory(atPath: splitDirectory, withIntermediateDirectories: true)
        guard shell("split -n l/8 -d '\(logPath)' '\(splitDirectory)/part-' ") == 0 else { throw BenchError("split failed") }
    }
    try runScenario("files", BenchScenario(
        title: "The log as 8 files, one core against \(System.coreCount)", inputBytes: logBytes,
        commands: [
            BenchCommand(label: "triage logs --jobs 1", arguments: [triage, "logs", splitDirectory, "--format", "json", "--no-progress", "--jobs", "1"], outputPath: "\(data)/out-triage-j1.json"),
            BenchCommand(label: "triage logs (all cores)", arguments: [triage, "logs", splitDirectory, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-jn.json"),
        ],
        reference: "triage logs (all cores)"))
    let one = try String(contentsOfFile: "\(data)/out-triage-j1.json", encoding: .utf8)
    let all = try String(contentsOfFile: "\(data)/out-triage-jn.json", encoding: .utf8)
    summaries.append("8 files: the report with --jobs 1 and with all cores is \(one == all ? "byte-for-byte the same" : "DIFFERENT")")
}

// 4b. The log as JSON lines (logstash-logback-encoder) and under `kubectl logs --timestamps`.
let jsonPath = "\(data)/app-\(options.sizeMB)MB.json"
let kubectlPath = "\(data)/app-\(options.sizeMB)MB-kubectl.log"
if wanted("json") {
    try generate(jsonPath, "the log as JSON lines") { try JSONLogWriter.convert(logPath, to: jsonPath) }
    try generate(kubectlPath, "the log under kubectl --timestamps") {
        guard shell("sed 's/^/2024-12-21T13:26:03.123456789Z /' '\(logPath)' > '\(kubectlPath)'") == 0 else { throw BenchError("sed failed") }
    }
    var commands: [BenchCommand] = []
    if let taskset = which("taskset") {
        for (label, path) in [("plain", logPath), ("JSON lines", jsonPath), ("kubectl --timestamps", kubectlPath)] {
            commands.append(BenchCommand(label: "triage, one core, \(label)", arguments: [taskset, "-c", "0", triage, "logs", path, "--format", "json", "--no-progress"],
                                         outputPath: "\(data)/out-triage-\(label.prefix(5)).json"))
        }
        commands.append(BenchCommand(label: "grep -cF -f rule-literals.txt, JSON lines", arguments: ["grep", "-cF", "-f", literalsPath, jsonPath], outputPath: "\(data)/out-grep-json.txt"))
        try runScenario("json", BenchScenario(title: "The log as JSON lines and under kubectl --timestamps (MB/s of each file)", inputBytes: logBytes,
                                              commands: commands, reference: "triage, one core, plain"))
        for (label, path) in [("JSON lines", jsonPath), ("kubectl --timestamps", kubectlPath)] {
            if let seconds = figures["json/triage, one core, \(label)"]?.seconds, let plain = figures["json/triage, one core, plain"]?.seconds {
                let rate = Double(size(path)) / seconds, plainRate = Double(logBytes) / plain
                summaries.append("\(label): \(String(format: "%.0f", rate / 1e6)) MB/s on one core, \(String(format: "%.2f", rate / plainRate))× the plain log's \(String(format: "%.0f", plainRate / 1e6)) MB/s (target ≥ 0.50: \(rate / plainRate >= 0.5 ? "met" : "NOT met")); peak RSS \(String(format: "%.1f", Double(figures["json/triage, one core, \(label)"]!.peakRSS) / 1_048_576)) MB")
            }
        }
    } else {
        summaries.append("json: taskset not found, skipped")
    }
}

// 5. Memory: a 10 MB log against the big one.
let smallPath = "\(data)/app-10MB.log"
if wanted("memory") {
    try generate(smallPath, "a 10 MB log") {
        var generator = LogGenerator()
        try generator.write(bytes: 10 << 20, to: smallPath)
    }
    try runScenario("memory", BenchScenario(
        title: "Memory: a 10 MB log against the \(options.sizeMB) MB one", inputBytes: logBytes,
        commands: [
            BenchCommand(label: "triage, 10 MB log", arguments: [triage, "logs", smallPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-10.json"),
            BenchCommand(label: "triage, \(options.sizeMB) MB log", arguments: [triage, "logs", logPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-big.json"),
        ],
        reference: "triage, \(options.sizeMB) MB log"))
}

// 5b. An archive: the log twice over as 200 files on 8 hosts, nine in ten gzipped (`triage
// scan`), and 10,000 small files, for memory whatever the number of files.
let archiveDirectory = "\(data)/archive-\(options.sizeMB)MB"
let smallFilesDirectory = "\(data)/archive-10000-small"
if wanted("archive") {
    try generate(archiveDirectory, "an archive of 200 files on 8 hosts (the log twice, 9 in 10 gzipped)") {
        try? FileManager.default.removeItem(atPath: archiveDirectory)
        let parts = "\(archiveDirectory)/.parts"
        try FileManager.default.createDirectory(atPath: parts, withIntermediateDirectories: true)
        guard shell("split -n l/100 -d -a 3 '\(logPath)' '\(parts)/p'") == 0 else { throw BenchError("split failed") }
        for copy in 0..<2 {
            for part in 0..<100 {
                let index = copy * 100 + part
                let host = "\(archiveDirectory)/host\(index % 8)"
                try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
                let name = "\(host)/app.log.2026-03-\(String(format: "%02d", 1 + index / 8 % 28))-\(index)"
                let from = "\(parts)/p\(String(format: "%03d", part))"
                let command = index % 10 == 9 ? "cp '\(from)' '\(name)'" : "gzip -1 -c '\(from)' > '\(name).gz'"
                guard shell(command) == 0 else { throw BenchError("\(command) failed") }
            }
        }
        try FileManager.default.removeItem(atPath: parts)
    }
    try generate(smallFilesDirectory, "10,000 small log files") {
        try? FileManager.default.removeItem(atPath: smallFilesDirectory)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: logPath)).read(upToCount: 4 << 20) ?? Data()
        let lines = head.split(separator: 0x0A, omittingEmptySubsequences: false)
        for index in 0..<10_000 {
            let folder = "\(smallFilesDirectory)/h\(index % 100)"
            if index < 100 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let start = (index * 7) % max(1, lines.count - 12)
            var text = Data()
            for line in lines[start..<min(lines.count, start + 12)] { text.append(line); text.append(0x0A) }
            try text.write(to: URL(fileURLWithPath: "\(folder)/app-\(index).log"))
        }
    }
    let inflated = 2 * logBytes
    // One core is one core: --jobs 1 alone still inflates each .gz on a second thread.
    let oneCore = which("taskset").map { [$0, "-c", "0"] } ?? []
    var commands = [
        BenchCommand(label: "triage scan --jobs 1", arguments: [triage, "scan", archiveDirectory, "--format", "json", "--no-progress", "--jobs", "1"],
                     outputPath: "\(data)/out-scan-j1.json"),
        BenchCommand(label: "taskset -c 0 triage scan (one core)", arguments: oneCore + [triage, "scan", archiveDirectory, "--format", "json", "--no-progress", "--jobs", "1"],
                     outputPath: "\(data)/out-scan-core.json"),
        BenchCommand(label: "triage scan (all cores)", arguments: [triage, "scan", archiveDirectory, "--format", "json", "--no-progress"],
                     outputPath: "\(data)/out-scan-jn.json"),
        BenchCommand(label: "triage scan, 10,000 small files", arguments: [triage, "scan", smallFilesDirectory, "--format", "jsonl", "--no-progress"],
                     outputPath: "\(data)/out-scan-small.jsonl"),
    ]
    commands.append(BenchCommand(label: "zcat -rf | grep -cF -f rule-literals.txt",
                                 arguments: ["sh", "-c", "find '\(archiveDirectory)' -type f | sort | xargs zcat -f | grep -cF -f '\(literalsPath)'"],
                                 outputPath: "\(data)/out-zcat-archive.txt"))
    try runScenario("archive", BenchScenario(title: "An archive: 200 files on 8 hosts, 9 in 10 gzipped (\(inflated >> 20) MB inflated)",
                                             inputBytes: inflated, commands: commands, reference: "triage scan (all cores)"))
    let one = try String(contentsOfFile: "\(data)/out-scan-j1.json", encoding: .utf8)
    let all = try String(contentsOfFile: "\(data)/out-scan-jn.json", encoding: .utf8)
    summaries.append("archive: the scan with --jobs 1 and with all cores is \(one == all ? "byte-for-byte the same" : "DIFFERENT")")
    if let j1 = figures["archive/taskset -c 0 triage scan (one core)"], let jn = figures["archive/triage scan (all cores)"],
       let small = figures["archive/triage scan, 10,000 small files"] {
        let speedup = j1.seconds / jn.seconds
        summaries.append("archive: \(String(format: "%.0f", Double(inflated) / 1e6 / jn.seconds)) MB/s inflated on \(System.coreCount) cores, "
            + "\(String(format: "%.0f", Double(inflated) / 1e6 / j1.seconds)) MB/s on one core: \(String(format: "%.2f", speedup))× (target ≥ 1.80: \(verdict(speedup >= 1.8))); "
            + "peak RSS \(String(format: "%.1f", Double(max(j1.peakRSS, jn.peakRSS)) / 1_048_576)) MB, 10,000 small files "
            + "\(String(format: "%.1f", Double(small.peakRSS) / 1_048_576)) MB in \(String(format: "%.2f", small.seconds)) s "
            + "(target ≤ 64 MB: \(verdict(max(j1.peakRSS, jn.peakRSS, small.peakRSS) <= 64 << 20)))")
    }
}

// 6. Thread dumps: one with 10,000 threads, and a log with dumps inside it.
let dumpPath = "\(data)/jstack-10000-threads.txt"
let seriesPath = "\(data)/catalina-with-dumps.out"
if wanted("dump") || wanted("series") {
    try generate(dumpPath, "a 10,000-thread dump") {
        var dumps = DumpGenerator()
        try dumps.dump(threads: 10_000, time: "2024-12-21 13:26:03").write(toFile: dumpPath, atomically: true, encoding: .utf8)
    }
    try generate(seriesPath, "a log with 20 dumps inside") {
        var dumps = DumpGenerator()
        _ = FileManager.default.createFile(atPath: seriesPath, contents: nil)
        let series = FileHandle(forWritingAtPath: seriesPath)!
        var logs = LogGenerator()
        for index in 0..<20 {
            try logs.write(bytes: 10 << 20, to: seriesPath + ".part")
            series.write(try Data(contentsOf: URL(fileURLWithPath: seriesPath + ".part")))
            series.write(Data(dumps.dump(threads: 1_000, time: "2024-12-21 13:\(10 + index):00").utf8))
        }
        try series.close()
        try? FileManager.default.removeItem(atPath: seriesPath + ".part")
    }
}
if wanted("dump") {
    try runScenario("dump", BenchScenario(
        title: "HotSpot dump, 10,000 threads", inputBytes: size(dumpPath),
        commands: [
            BenchCommand(label: "cat > /dev/null", arguments: ["cat", dumpPath], outputPath: "/dev/null"),
            BenchCommand(label: "grep -c java.lang.Thread.State", arguments: ["grep", "-c", "java.lang.Thread.State", dumpPath], outputPath: "\(data)/out-grep-dump.txt"),
            BenchCommand(label: triageJSON, arguments: [triage, "logs", dumpPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-dump.json"),
        ],
        reference: triageJSON))
}
if wanted("series") {
    try runScenario("series", BenchScenario(
        title: "Log with 20 embedded dumps of 1,000 threads", inputBytes: size(seriesPath),
        commands: [
            BenchCommand(label: "cat > /dev/null", arguments: ["cat", seriesPath], outputPath: "/dev/null"),
            BenchCommand(label: "grep -cF -f rule-literals.txt", arguments: ["grep", "-cF", "-f", literalsPath, seriesPath], outputPath: "\(data)/out-grep-series.txt"),
            BenchCommand(label: triageJSON, arguments: [triage, "logs", seriesPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-series.json"),
        ],
        reference: triageJSON))
}

// 7. A javacore, against IBM's javacore-analyser.
let javacorePath = "\(data)/javacore.20241221.142105.4242.0001.txt"
if wanted("javacore") {
    try generate(javacorePath, "a javacore with 3,000 threads") {
        var generator = JavacoreGenerator()
        try generator.javacore(threads: 3_000).write(toFile: javacorePath, atomically: true, encoding: .utf8)
    }
    let venv = "\(data)/venv"
    var analyser = which("javacore_analyser_batch") ?? (exists("\(venv)/bin/javacore_analyser_batch") ? "\(venv)/bin/javacore_analyser_batch" : nil)
    if analyser == nil, options.installPeers {
        note("installing javacore-analyser into \(venv) …")
        if shell("python3 -m venv '\(venv)' && '\(venv)/bin/pip' install -q javacore-analyser") == 0 { analyser = "\(venv)/bin/javacore_analyser_batch" }
    }
    var commands = [
        BenchCommand(label: "grep -c 3XMTHREADINFO ", arguments: ["grep", "-c", "3XMTHREADINFO ", javacorePath], outputPath: "\(data)/out-grep-javacore.txt"),
        BenchCommand(label: triageJSON, arguments: [triage, "logs", javacorePath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-javacore.json"),
    ]
    if let analyser {
        // Run from the data directory: javacore-analyser writes a config.ini where it runs.
        commands.insert(BenchCommand(label: "javacore_analyser_batch", arguments: ["sh", "-c", "cd '\(data)' && rm -rf jca-report && '\(analyser)' '\(javacorePath)' '\(data)/jca-report'"], outputPath: "\(data)/out-jca.txt", maxRuns: 1), at: 1)
    } else {
        summaries.append("javacore-analyser: not installed, skipped (pip install javacore-analyser, or --install-peers)")
    }
    try runScenario("javacore", BenchScenario(title: "IBM javacore, 3,000 threads", inputBytes: size(javacorePath), commands: commands, reference: triageJSON))
}

// 8. The targets, judged by this run's ratios.
@MainActor func ratio(_ numerator: String, _ denominator: String) -> Double? {
    guard let top = figures[numerator]?.seconds, let bottom = figures[denominator]?.seconds, bottom > 0 else { return nil }
    return top / bottom
}
@MainActor func verdict(_ met: Bool) -> String { met ? "met" : "NOT met" }
var targets: [String] = []
if let value = ratio("log/taskset -c 0 \(triageJSON) (one core)", "log/grep -cF -f rule-literals.txt") {
    targets.append("triage on one core ÷ grep -cF -f on the log: \(String(format: "%.2f", value))× (target ≤ 1.00: \(verdict(value <= 1.0)))")
}
if let value = ratio("log/\(triageJSON)", "log/grep -cF -f rule-literals.txt") {
    targets.append("triage on \(System.coreCount) cores ÷ grep -cF -f on the log: \(String(format: "%.2f", value))×")
}
if let triageGzip = figures["gzip/\(triageJSON)"]?.seconds, let zlib = figures["gzip/zlib inflate, in process"]?.seconds {
    let share = zlib / triageGzip
    targets.append(".gz: triage reads at \(String(format: "%.2f", share))× zlib's own inflate rate (target ≥ 0.80: \(verdict(share >= 0.8)))")
}
if let small = figures["memory/triage, 10 MB log"]?.peakRSS, let big = figures["memory/triage, \(options.sizeMB) MB log"]?.peakRSS {
    let difference = Double(big - small) / 1_048_576
    targets.append("peak RSS: \(String(format: "%.1f", Double(small) / 1_048_576)) MB on 10 MB, \(String(format: "%.1f", Double(big) / 1_048_576)) MB on \(options.sizeMB) MB: \(String(format: "%+.1f", difference)) MB (target ≤ 8 MB and ≤ 64 MB: \(verdict(difference <= 8 && Double(big) / 1_048_576 <= 64)))")
}
if let value = ratio("files/triage logs --jobs 1", "files/triage logs (all cores)") {
    targets.append("8 files on \(System.coreCount) cores: \(String(format: "%.2f", value))× the speed of one core (target ≥ 1.80: \(verdict(value >= 1.8)))")
}
if let value = ratio("javacore/javacore_analyser_batch", "javacore/\(triageJSON)") {
    targets.append("javacore: triage \(String(format: "%.0f", value))× faster than javacore-analyser (target ≥ 20: \(verdict(value >= 20)))")
}
if let dump = figures["dump/\(triageJSON)"] {
    targets.append("10,000-thread dump: \(String(format: "%.0f", Double(size(dumpPath)) / 1e6 / dump.seconds)) MB/s, \(String(format: "%.1f", Double(dump.peakRSS) / 1_048_576)) MB peak RSS")
}
if !targets.isEmpty || !summaries.isEmpty {
    print("Targets\n" + (targets + summaries).map { "- " + $0 }.joined(separator: "\n"))
}
