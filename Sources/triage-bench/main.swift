import Foundation
import TriageKit

// triage-bench: generates deterministic inputs and times triage against the commands an
// engineer would otherwise run, in the same run, interleaved. See README, "Benchmark".

struct BenchOptions {
    var sizeMB = 1024
    var runs = 3
    var dataDirectory = ".build/bench-data"
    var quiet = false
}

func parseOptions() -> BenchOptions {
    var options = BenchOptions()
    var arguments = Array(CommandLine.arguments.dropFirst())
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
        case "-h", "--help":
            print("""
            usage: swift run -c release triage-bench [--size MB] [--runs N] [--data DIR] [--quiet]

            Generates a realistic Java log of MB megabytes (default 1024) in DIR (default
            .build/bench-data; reused while its size and generator version match), then runs,
            interleaved, N times each (default 3): cat, grep -c Exception, grep -cF -f with the
            rules' literals, and triage logs. Prints medians, MB/s, peak RSS and ratios to triage.
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

let options = parseOptions()
func note(_ text: String) { if !options.quiet { FileHandle.standardError.write(Data((text + "\n").utf8)) } }

let benchDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let triage = benchDirectory.appending(path: "triage").path
guard FileManager.default.isExecutableFile(atPath: triage) else {
    fail("no triage binary next to triage-bench (\(triage)); build both with: swift build -c release")
}
try FileManager.default.createDirectory(atPath: options.dataDirectory, withIntermediateDirectories: true)
let data = URL(fileURLWithPath: options.dataDirectory).standardizedFileURL.path

// 1. Inputs, generated once per size and generator version.
let generatorVersion = "log-v1, dump-v2"
let logPath = "\(data)/app-\(options.sizeMB)MB.log"
let stampPath = logPath + ".stamp"
if (try? String(contentsOfFile: stampPath, encoding: .utf8)) != generatorVersion {
    note("generating \(options.sizeMB) MB of log into \(logPath) …")
    var generator = LogGenerator()
    try generator.write(bytes: options.sizeMB << 20, to: logPath)
    try generatorVersion.write(toFile: stampPath, atomically: true, encoding: .utf8)
}
let literalsPath = "\(data)/rule-literals.txt"
let literals = SignalMatcher(rules: RuleSet.builtin.rules).prefilter.literals
try (literals.joined(separator: "\n") + "\n").write(toFile: literalsPath, atomically: true, encoding: .utf8)
let logBytes = (try FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0

// 2. Commands: what a user would type, and triage.
let log = BenchScenario(
    title: "Java log, all rules (\(literals.count) literals), one file",
    inputBytes: logBytes,
    commands: [
        BenchCommand(label: "cat > /dev/null", arguments: ["cat", logPath], outputPath: "/dev/null"),
        BenchCommand(label: "grep -c Exception", arguments: ["grep", "-c", "Exception", logPath], outputPath: "\(data)/out-grep.txt"),
        BenchCommand(label: "grep -cF -f rule-literals.txt", arguments: ["grep", "-cF", "-f", literalsPath, logPath], outputPath: "\(data)/out-grep-f.txt"),
        BenchCommand(label: "triage logs --format json", arguments: [triage, "logs", logPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage.json"),
    ],
    reference: "triage logs --format json")

// 3. Thread dumps: one with 10,000 threads (~50 MB), and a log with dumps inside it.
let dumpPath = "\(data)/jstack-10000-threads.txt"
let seriesPath = "\(data)/catalina-with-dumps.out"
if (try? String(contentsOfFile: dumpPath + ".stamp", encoding: .utf8)) != generatorVersion {
    note("generating a 10,000-thread dump and a log with 20 dumps inside …")
    var dumps = DumpGenerator()
    try dumps.dump(threads: 10_000, time: "2024-12-21 13:26:03").write(toFile: dumpPath, atomically: true, encoding: .utf8)
    FileManager.default.createFile(atPath: seriesPath, contents: nil)
    let series = FileHandle(forWritingAtPath: seriesPath)!
    var logs = LogGenerator()
    let slice = 10 << 20
    for index in 0..<20 {
        try logs.write(bytes: slice, to: seriesPath + ".part")
        series.write(try Data(contentsOf: URL(fileURLWithPath: seriesPath + ".part")))
        series.write(Data(dumps.dump(threads: 1_000, time: "2024-12-21 13:\(10 + index):00").utf8))
    }
    try series.close()
    try? FileManager.default.removeItem(atPath: seriesPath + ".part")
    try generatorVersion.write(toFile: dumpPath + ".stamp", atomically: true, encoding: .utf8)
}
func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }

let dump = BenchScenario(
    title: "HotSpot dump, 10,000 threads",
    inputBytes: size(dumpPath),
    commands: [
        BenchCommand(label: "cat > /dev/null", arguments: ["cat", dumpPath], outputPath: "/dev/null"),
        BenchCommand(label: "grep -c java.lang.Thread.State", arguments: ["grep", "-c", "java.lang.Thread.State", dumpPath], outputPath: "\(data)/out-grep-dump.txt"),
        BenchCommand(label: "triage logs --format json", arguments: [triage, "logs", dumpPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-dump.json"),
    ],
    reference: "triage logs --format json")
let series = BenchScenario(
    title: "Log with 20 embedded dumps of 1,000 threads",
    inputBytes: size(seriesPath),
    commands: [
        BenchCommand(label: "cat > /dev/null", arguments: ["cat", seriesPath], outputPath: "/dev/null"),
        BenchCommand(label: "grep -cF -f rule-literals.txt", arguments: ["grep", "-cF", "-f", literalsPath, seriesPath], outputPath: "\(data)/out-grep-series.txt"),
        BenchCommand(label: "triage logs --format json", arguments: [triage, "logs", seriesPath, "--format", "json", "--no-progress"], outputPath: "\(data)/out-triage-series.json"),
    ],
    reference: "triage logs --format json")

print("triage-bench on \(System.coreCount) cores, \(options.runs) runs each, median shown\n")
for scenario in [log, dump, series] {
    note("running \(scenario.title), \(options.runs) interleaved rounds …")
    let results = try scenario.run(runs: options.runs, log: note)
    print(scenario.table(results) + "\n")
}
