import CZlib
import Foundation

/// `triage scan`: many files, each analysed alone, in parallel, gathered into one summary.
/// The walk is recursive in name order, follows symbolic links once (a link back into a folder
/// already walked is a row saying so, never a loop), and skips unopened the files whose name
/// date or modification time lies outside the window.
public enum ArchiveScan {
    public struct Request: Sendable {
        public var roots: [String]
        public var rules: RuleSet
        public var window: TimeWindow?
        public var parallelism = 0
        /// `--shard K/N`: only files whose path under the root hashes to K of N.
        public var shard: (index: Int, count: Int)?
        public var encoding: LegacyEncoding?
        public var applicationPackages: [String] = []
        /// `--host-from`: the host from each file's path under its root.
        public var hostFrom: String?

        public init(roots: [String], rules: RuleSet, window: TimeWindow? = nil) {
            self.roots = roots
            self.rules = rules
            self.window = window
        }
    }

    public struct Result: Sendable {
        public var rows: [ScanFileRow]
        public var summary: ScanSummary
    }

    /// A file found by the walk, or a path that could not be walked.
    struct Entry: Sendable {
        var root: String
        var file: String
        var size: Int
        var modified: Int64
        var refusal: String?
        var path: String { root.hasSuffix("/") ? root + file : file.isEmpty ? root : root + "/" + file }
    }

    public static func run(_ request: Request, progress: (@Sendable (AnalysisProgress) -> Void)? = nil) -> Result {
        // Each file's 256 KB buffers, freed, would raise glibc's mmap threshold and leave them in a
        // heap fragmented by the rows kept between them: 10,000 small files took 95 MB, 44 MB with it fixed.
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 128 << 10)
        #endif
        var walked: [Entry] = []
        for root in request.roots { walk(root: root, into: &walked) }
        if let shard = request.shard {
            walked = walked.filter { Int(stableHash($0.file.isEmpty ? $0.root : $0.file) % UInt64(shard.count)) == shard.index - 1 }
        }
        let entries = walked
        let matcher = SignalMatcher(rules: request.rules.rules,
                                    applicationCode: request.rules.applicationCode(packages: request.applicationPackages))
        let rows = Locked<[[ScanFileRow]?]>(Array(repeating: nil, count: entries.count))
        let done = Locked<(count: Int, bytes: Int, disk: Int)>((0, 0, 0))
        let total = entries.count
        let diskTotal = entries.reduce(0) { $0 + $1.size }
        let work = { @Sendable (index: Int, matcher: SignalMatcher) in
            let entry = entries[index]
            let found = scanOne(entry, request: request, matcher: matcher)
            rows.withLock { $0[index] = found }
            let state = done.withLock { state in
                state.count += 1
                state.bytes += found.reduce(0) { $0 + $1.bytes }
                state.disk += entry.size
                return state
            }
            var update = AnalysisProgress(inputsDone: state.count, inputsTotal: total, bytesRead: state.bytes, current: entry.path)
            (update.diskBytesDone, update.diskBytesTotal) = (state.disk, diskTotal)
            progress?(update)
        }
        let width = request.parallelism > 0 ? request.parallelism : System.coreCount
        Analysis.forEachInParallel(entries.count, width: width, matcher: matcher, work)
        var ordered = ScanFileRow.ordered(rows.withLock { $0.compactMap { $0 }.flatMap { $0 } }, roots: request.roots)
        if let pattern = request.hostFrom, let regex = try? NSRegularExpression(pattern: pattern) {
            for index in ordered.indices {
                let file = ordered[index].file
                guard let match = regex.firstMatch(in: file, range: NSRange(file.startIndex..., in: file)) else { continue }
                let range = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
                if let bounds = Range(range, in: file), !file[bounds].isEmpty { ordered[index].host = String(file[bounds]) }
            }
        }
        return Result(rows: ordered, summary: ScanSummary(rows: ordered, roots: request.roots, since: request.window?.since,
                                                          until: request.window?.until))
    }

    /// The file's row, or a row per member of an archive (`bundle.tar.gz!host1/app.log`).
    private static func scanOne(_ entry: Entry, request: Request, matcher: SignalMatcher) -> [ScanFileRow] {
        if let refusal = entry.refusal { return [ScanFileRow(root: entry.root, file: entry.file, status: .skipped, reason: refusal)] }
        if let window = request.window, let reason = outsideWindow(entry, window) {
            return [ScanFileRow(root: entry.root, file: entry.file, status: .skipped, reason: reason)]
        }
        let analyses = Analysis.analyzeAll(.file(path: entry.path), matcher: matcher, window: request.window, encoding: request.encoding)
        return analyses.map { analysis in
            // The file alone is the incident: its findings ranked as `triage logs FILE` ranks them.
            let report = Analysis.merge([analysis], rules: request.rules)
            let source = analysis.summary.source
            let member = source.hasPrefix(entry.path + "!") ? String(source.dropFirst(entry.path.count)) : ""
            return ScanFileRow(root: entry.root, file: entry.file + member, report: report)
        }
    }

    // MARK: - Window

    /// A day of slack either side: a log rotated at midnight is named for one day and holds
    /// the last records of the day before; modification times are UTC, log times local.
    static let slack: Int64 = 86_400_000

    static func outsideWindow(_ entry: Entry, _ window: TimeWindow) -> String? {
        let name = entry.file.split(separator: "/").last.map(String.init) ?? entry.root
        if let day = nameDate(name) {
            if let since = window.since, since.hasDate, day.milliseconds + 86_400_000 + slack <= since.milliseconds {
                return ScanSummary.outsideWindowReason + ": its name's date \(day.text.prefix(10)) is before the window"
            }
            if let until = window.until, until.hasDate, day.milliseconds - slack > until.milliseconds {
                return ScanSummary.outsideWindowReason + ": its name's date \(day.text.prefix(10)) is after the window"
            }
        }
        // Nothing in a file was written after it was last modified.
        if let since = window.since, since.hasDate, entry.modified + slack < since.milliseconds {
            return ScanSummary.outsideWindowReason + ": last modified \(LogTimestamp(milliseconds: entry.modified, hasDate: true).text.prefix(16)), before the window"
        }
        return nil
    }

    /// `app.log.2026-03-01.gz`, `catalina.2026-03-01.log`, `app-20260301.log`: the day it names.
    static func nameDate(_ name: String) -> LogTimestamp? {
        let bytes = Array(name.utf8)
        var index = 0
        while index + 8 <= bytes.count {
            func digits(_ from: Int, _ count: Int) -> Int? {
                guard from + count <= bytes.count else { return nil }
                var value = 0
                for byte in bytes[from..<(from + count)] {
                    guard byte >= 0x30 && byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return value
            }
            let boundary = index == 0 || !(bytes[index - 1] >= 0x30 && bytes[index - 1] <= 0x39)
            if boundary, let year = digits(index, 4), (1990...2100).contains(year) {
                let dashed = index + 10 <= bytes.count && bytes[index + 4] == UInt8(ascii: "-") && bytes[index + 7] == UInt8(ascii: "-")
                let month = dashed ? digits(index + 5, 2) : digits(index + 4, 2)
                let day = dashed ? digits(index + 8, 2) : digits(index + 6, 2)
                let end = index + (dashed ? 10 : 8)
                let endsNumber = end < bytes.count && bytes[end] >= 0x30 && bytes[end] <= 0x39
                if let month, let day, !endsNumber,
                   let date = LogTimestamp(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, millisecond: 0) {
                    return date
                }
            }
            index += 1
        }
        return nil
    }

    // MARK: - Walk

    private static func walk(root: String, into entries: inout [Entry]) {
        var info = stat()
        guard stat(root, &info) == 0 else {
            entries.append(Entry(root: root, file: "", size: 0, modified: 0, refusal: "cannot read: \(FileDescriptorSource.reason(errno))"))
            return
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            entries.append(Entry(root: root, file: "", size: Int(info.st_size), modified: modified(info), refusal: nil))
            return
        }
        var visited: Set<[UInt64]> = [[UInt64(info.st_dev), UInt64(info.st_ino)]]
        var bundle: CollectorBundle.InFolder?
        walk(root: root, relative: "", visited: &visited, bundle: &bundle, into: &entries)
    }

    private static func walk(root: String, relative: String, visited: inout Set<[UInt64]>, bundle: inout CollectorBundle.InFolder?,
                             into entries: inout [Entry]) {
        let directory = relative.isEmpty ? root : (root.hasSuffix("/") ? root + relative : root + "/" + relative)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            entries.append(Entry(root: root, file: relative, size: 0, modified: 0,
                                 refusal: "cannot list the folder: "
                                    + (access(directory, R_OK | X_OK) != 0 ? FileDescriptorSource.reason(errno) : "unknown error")))
            return
        }
        // A sosreport, linperf or yc-360 folder: its evidence files are rows, the rest one row saying so.
        let depth = relative.isEmpty ? 0 : relative.split(separator: "/").count
        let nameSet = Set(names)
        let opened = bundle == nil
        if opened { bundle = CollectorBundle.InFolder(directory: directory, names: nameSet, depth: depth, root: relative) }
        defer {
            if opened, let tally = bundle?.tally {
                if tally.total > 0 {
                    entries.append(Entry(root: root, file: relative.isEmpty ? "" : relative + "/", size: 0, modified: 0,
                                         refusal: tally.summary))
                }
                bundle = nil
            }
        }
        for name in names where !name.hasPrefix(".") {
            let file = relative.isEmpty ? name : relative + "/" + name
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if bundle != nil {
                var link = stat(), target = stat()
                let isLink = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
                let isFile = stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG
                if isFile, bundle?.leavesOut(file.split(separator: "/"), isLink: isLink, siblings: nameSet) == true { continue }
            }
            var info = stat()
            // stat follows links: a link to a folder is walked, once.
            guard stat(path, &info) == 0 else {
                var link = stat()
                let dangling = lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
                entries.append(Entry(root: root, file: file, size: 0, modified: 0,
                                     refusal: dangling ? "a symbolic link to nothing (\(FileDescriptorSource.reason(errno)))"
                                                       : "cannot read: \(FileDescriptorSource.reason(errno))"))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else {
                    if let depth = bundle?.depth {
                        let inBundle = file.split(separator: "/").dropFirst(depth).joined(separator: "/")
                        bundle?.tally.leave(inBundle + "/", because: "a second name of a folder already walked")
                        continue
                    }
                    entries.append(Entry(root: root, file: file, size: 0, modified: 0,
                                         refusal: "a symbolic link to a folder already scanned (a loop, or a second name): not followed"))
                    continue
                }
                walk(root: root, relative: file, visited: &visited, bundle: &bundle, into: &entries)
            case S_IFREG:
                entries.append(Entry(root: root, file: file, size: Int(info.st_size), modified: modified(info), refusal: nil))
            default:
                break   // FIFOs, sockets, devices: not archived logs
            }
        }
    }

    private static func modified(_ info: stat) -> Int64 {
        Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec / 1_000_000)
    }

    /// FNV-1a, 64 bits (the fingerprints' hash): the same shard for the same path on every
    /// machine and run.
    static func stableHash(_ text: String) -> UInt64 {
        var hash = ExceptionFingerprint()
        for byte in text.utf8 { hash.add(byte) }
        return hash.value
    }
}
