import Foundation

/// The evidence folders other collectors leave: a sosreport, IBM's `linperf.sh` results
/// (`linperf_RESULTS…`), the yc-360 script's capture. Each holds the few files triage reads (the
/// socket table, the kernel settings, the thread dumps and `top -H`, the logs) among many it must
/// not: a sosreport's copies of /proc and /sys would be read as 600 logs, its `lsof` and
/// `/proc/net/tcp` as two more socket tables of the same moment, and `top -bc` (processes) as if
/// it were `top -H` (threads).
public enum CollectorBundle: String, Sendable {
    case sosreport
    case linperf
    case yc360 = "yc-360"

    /// Recognises a bundle folder from its name and the names at its top level.
    static func recognise(folderName: String, names: Set<String>) -> CollectorBundle? {
        if names.contains("sos_commands"), !names.isDisjoint(with: ["sos_logs", "sos_reports", "version.txt"]) {
            return .sosreport
        }
        if folderName.hasPrefix("linperf_RESULTS")
            || (names.contains("screen.out") && names.contains { $0.hasPrefix("topdashH.") }) {
            return .linperf
        }
        if names.contains("threaddump.out"), !names.isDisjoint(with: ["kernel.out", "vmstat.out", "ps.out"]) {
            return .yc360
        }
        return nil
    }

    /// A bundle inside an archive, told from the archive's name (linperf's members sit at the
    /// archive's top) or from a member's path (a sosreport's top folder is `sosreport-HOST-…`).
    /// Returns the bundle and the number of path components above its top.
    static func recognise(archiveName: String, memberPath: [Substring]) -> (bundle: CollectorBundle, depth: Int)? {
        if let index = memberPath.dropLast().firstIndex(where: { $0.hasPrefix("sosreport-") }) {
            return (.sosreport, index + 1)
        }
        if let index = memberPath.dropLast().firstIndex(where: { $0.hasPrefix("linperf_RESULTS") }) {
            return (.linperf, index + 1)
        }
        // An archive inside another is named `outer.tar!linperf_RESULTS.tar.gz`.
        let base = archiveName.split(whereSeparator: { $0 == "/" || $0 == "!" }).last ?? ""
        if base.hasPrefix("linperf_RESULTS") { return (.linperf, 0) }
        if base.hasPrefix("yc-") && base.hasSuffix(".zip") { return (.yc360, 0) }
        return nil
    }

    /// What is known of a bundle found as a folder (nothing is, inside an archive read in one pass).
    struct Surroundings: Sendable {
        /// The names beside the file, to take one socket table when both ss and netstat ran.
        var siblings: Set<String>
        /// The host's log files were copied (`var/log/messages` or `syslog`): the journal repeats them.
        var hostLogs: Bool
    }

    /// Why the file at `path` (components below the bundle's top) is left out, or nil to read it.
    func leftOut(_ path: [Substring], surroundings: Surroundings? = nil) -> String? {
        guard let name = path.last else { return nil }
        switch self {
        case .sosreport: return sosreportLeftOut(path, surroundings: surroundings)
        case .linperf, .yc360:
            guard path.count == 1 else { return nil }
            switch name {
            case "ps.out": return "ps -eLf"
            case "vmstat.out": return "vmstat"
            case "top.out": return "top -bc: processes, not threads"
            case "df-hk.out", "disk.out": return "disk usage"
            case "whoami.out", "screen.out": return "the collector's own notes"
            case "ping.out": return "ping"
            case "hdsub.out", "iostat.out": return "heap and disk statistics"
            default: return nil
            }
        }
    }

    private func sosreportLeftOut(_ path: [Substring], surroundings: Surroundings?) -> String? {
        guard let top = path.first else { return nil }
        switch top {
        case "var":
            return path.count > 2 && path[1] == "log" ? nil : "a copy of the host's files"
        case "sos_commands":
            guard path.count == 3 else { return "a command triage does not use" }
            let name = path[2]
            switch path[1] {
            case "networking":
                if name.hasPrefix("netstat_") && name.contains("-neopa") { return nil }
                // ss and netstat are the same moment: one table, not two snapshots.
                if name.hasPrefix("ss_") {
                    let netstat = surroundings?.siblings.contains { $0.hasPrefix("netstat_") && $0.contains("-neopa") } ?? false
                    return netstat ? "the same sockets as netstat -neopa" : nil
                }
                return "a command triage does not use"
            case "kernel":
                return name == "sysctl_-a" || name == "dmesg" ? nil : "a command triage does not use"
            case "logs":
                // The journal, unless the host's log files are in the bundle too (the same lines).
                guard name == "journalctl_--no-pager" else { return "a command triage does not use" }
                return surroundings?.hostLogs == true ? "the journal (var/log holds the same lines)" : nil
            default:
                return "a command triage does not use"
            }
        case "version.txt":
            return "the report's own"
        default:
            // A file at the top is not sosreport's (it writes folders and links there): the user's.
            return path.count == 1 ? nil : "a copy of the host's files or the report's own"
        }
    }

    /// Inside an archive read in one pass, which of the files read must go once all are known:
    /// ss beside netstat -neopa, the journal beside var/log (`paths`: each file read, below the top).
    static func repeated(among paths: [[Substring]], in bundle: CollectorBundle) -> [Int: String] {
        guard bundle == .sosreport else { return [:] }
        let hostLogs = paths.contains { $0.count == 3 && $0[0] == "var" && $0[1] == "log" && ($0[2] == "messages" || $0[2] == "syslog") }
        var repeated: [Int: String] = [:]
        for (index, path) in paths.enumerated() where path.count == 3 && path[0] == "sos_commands" {
            let siblings = Set(paths.filter { $0.count == 3 && $0[0] == path[0] && $0[1] == path[1] }.map { String($0[2]) })
            if let reason = bundle.leftOut(path, surroundings: Surroundings(siblings: siblings, hostLogs: hostLogs)) {
                repeated[index] = reason
            }
        }
        return repeated
    }

    /// A bundle met in a folder walk (`triage logs DIR`, `triage scan`): where its top is, what
    /// is known around it, and what it has left out so far.
    struct InFolder: Sendable {
        var tally: Tally
        /// Path components of the walk above the bundle's top.
        let depth: Int
        let hostLogs: Bool

        /// The bundle whose top is `directory`, if it is one; `root` names it in the report.
        init?(directory: String, names: Set<String>, depth: Int, root: String) {
            guard let bundle = CollectorBundle.recognise(folderName: String(directory.split(separator: "/").last ?? ""),
                                                         names: names) else { return nil }
            let logs = directory + "/var/log/"
            hostLogs = access(logs + "messages", F_OK) == 0 || access(logs + "syslog", F_OK) == 0
            tally = Tally(bundle: bundle, root: root)
            self.depth = depth
        }

        /// Whether the file at `path` (components from the walk's start) is left out; tallied either way.
        mutating func leavesOut(_ path: [Substring], isLink: Bool, siblings: Set<String>) -> Bool {
            let inBundle = Array(path.dropFirst(depth))
            // A bundle's top-level links (a sosreport's `netstat`, `ps`) repeat files inside it.
            let reason = isLink && inBundle.count == 1 && tally.bundle == .sosreport
                ? "a link to a file inside the bundle"
                : tally.bundle.leftOut(inBundle, surroundings: Surroundings(siblings: siblings, hostLogs: hostLogs))
            guard let reason else {
                tally.read += 1
                return false
            }
            tally.leave(inBundle.joined(separator: "/"), because: reason)
            return true
        }
    }

    /// What the one line about a bundle says: the files read and those left out.
    struct Tally: Sendable {
        var bundle: CollectorBundle
        var root: String
        var read = 0
        var leftOut: [String: Int] = [:]
        var examples: [String] = []

        mutating func leave(_ name: String, because reason: String) {
            leftOut[reason, default: 0] += 1
            if examples.count < 6 { examples.append(name) }
        }

        var total: Int { leftOut.values.reduce(0, +) }

        /// "a sosreport: 585 of its 591 files left out (…)".
        var summary: String {
            let reasons = leftOut.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.value) \($0.key)" }.joined(separator: "; ")
            let shown = examples.sorted().joined(separator: ", ") + (total > examples.count ? ", …" : "")
            return "a \(bundle.rawValue) bundle: \(total) of its \(total + read) files left out (\(reasons)): \(shown)"
        }
    }
}
