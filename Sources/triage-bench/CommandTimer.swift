#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One command of the benchmark, run with its standard output sent to a file (GNU grep stops
/// at the first match when its output is /dev/null, which would flatter it).
struct BenchCommand {
    var label: String
    var arguments: [String]
    var outputPath: String
    /// A slow peer (minutes per run) runs this many times at most.
    var maxRuns: Int = .max

    /// Runs the command once: wall-clock seconds and peak resident set size (bytes).
    func run() throws -> (seconds: Double, peakRSS: Int) {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        guard status == 0 else { throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
        // Peak memory is sampled from /proc while the command runs: wait4's ru_maxrss would
        // include this process's own high-water mark, inherited through the spawn. Every 2 ms
        // for the first tenth of a second (short commands), then every 25 ms: each sample reads
        // /proc and wakes this process, which on two cores takes time from a command that uses
        // both (sampling every 2 ms throughout cost triage's two-core runs about 5 %). A thread
        // of its own waits for the command, so its end is timed when it comes, not at the
        // next sample.
        let exit = CommandExit()
        let child = pid
        let waiter = Thread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            clock_gettime(CLOCK_MONOTONIC, &exit.end)
            exit.status = status
            exit.done.signal()
        }
        waiter.start()
        var peak = 0
        var samples = 0
        repeat {
            peak = max(peak, ProcessMemory.peak(of: pid))
            samples += 1
        } while exit.done.wait(timeout: .now() + .milliseconds(samples < 50 ? 2 : 25)) == .timedOut
        let exitStatus = exit.status
        let end = exit.end
        // A command that crashed or failed measured nothing (grep's 1, "no match", is fine).
        let signal = exitStatus & 0x7F
        let code = (exitStatus >> 8) & 0xFF
        if signal != 0 { throw BenchError("\(label) was killed by signal \(signal)") }
        if code > 1 { throw BenchError("\(label) failed with exit status \(code)") }
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        return (seconds, peak)
    }
}

/// What the waiting thread learns of a command's end; read after `done` is signalled.
private final class CommandExit: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var status: Int32 = 0
    var end = timespec()
}

/// Resident memory of a process tree, read from /proc.
enum ProcessMemory {
    /// The larger of the process's own high-water mark and the current resident total of the
    /// process and its descendants (a pipeline's stages run at once).
    static func peak(of pid: pid_t) -> Int {
        var total = 0
        var highWater = 0
        var pending = [pid]
        while let current = pending.popLast() {
            guard let status = try? String(contentsOfFile: "/proc/\(current)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") {
                if line.hasPrefix("VmRSS:") { total += kilobytes(line) }
                if current == pid, line.hasPrefix("VmHWM:") { highWater = kilobytes(line) }
            }
            if let children = try? String(contentsOfFile: "/proc/\(current)/task/\(current)/children", encoding: .utf8) {
                pending += children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        return max(total, highWater) * 1024
    }

    private static func kilobytes(_ line: Substring) -> Int {
        Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }
}

/// Medians of repeated, interleaved runs of several commands over the same input.
struct BenchScenario {
    var title: String
    var inputBytes: Int
    var commands: [BenchCommand]
    /// The command the others are compared with (triage's).
    var reference: String

    func run(runs: Int, log: (String) -> Void) throws -> [(command: BenchCommand, seconds: Double, peakRSS: Int)] {
        var times = [[Double]](repeating: [], count: commands.count)
        var peaks = [Int](repeating: 0, count: commands.count)
        for run in 1...runs {
            // Interleaved, so a noisy moment on a shared machine hits every command alike.
            for (index, command) in commands.enumerated() where run <= command.maxRuns {
                let result = try command.run()
                times[index].append(result.seconds)
                peaks[index] = max(peaks[index], result.peakRSS)
                log("  run \(run)/\(runs) \(command.label): \(String(format: "%.3f", result.seconds)) s")
            }
        }
        return commands.indices.map { index in
            let sorted = times[index].sorted()
            return (commands[index], sorted[sorted.count / 2], peaks[index])
        }
    }

    func table(_ results: [(command: BenchCommand, seconds: Double, peakRSS: Int)]) -> String {
        let referenceTime = results.first { $0.command.label == reference }?.seconds ?? 1
        var lines = ["\(title) — \(String(format: "%.1f", Double(inputBytes) / 1e6)) MB input",
                     "| command | median s | MB/s | peak RSS MB | time ÷ triage |",
                     "|---|---:|---:|---:|---:|"]
        for result in results {
            let rate = Double(inputBytes) / 1e6 / max(result.seconds, 1e-9)
            let runs = result.command.maxRuns < Int.max ? " (\(result.command.maxRuns) run)" : ""
            lines.append("| `\(result.command.label)`\(runs) | \(String(format: "%.3f", result.seconds)) | \(String(format: "%.0f", rate)) | \(String(format: "%.1f", Double(result.peakRSS) / 1_048_576)) | \(String(format: "%.2f", result.seconds / referenceTime)) |")
        }
        return lines.joined(separator: "\n")
    }
}
