import Foundation

/// `triage merge`: the JSONL parts of a sharded scan read back into the report one scan of
/// the whole archive gives (rows put in scan order, the summary computed again from them).
public enum ScanMerge {
    public struct Result: Sendable {
        public var rows: [ScanFileRow]
        public var summary: ScanSummary
        /// Lines that were not rows or summaries, parts that disagree, files in two parts.
        public var problems: [String]
    }

    public static func merge(_ paths: [String]) -> Result {
        var rows: [ScanFileRow] = []
        var seen = Set<String>()
        var roots: [String] = []
        var window: (since: LogTimestamp?, until: LogTimestamp?)?
        var problems: [String] = []
        let decoder = JSONDecoder()
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                problems.append("\(path): cannot read: \(FileDescriptorSource.reason(errno))")
                continue
            }
            defer { try? handle.close() }
            var number = 0
            var pending = Data()
            func consume(_ line: Data) {
                number += 1
                guard !line.isEmpty else { return }
                if let row = try? decoder.decode(ScanFileRow.self, from: line), row.kind == "scan-file" {
                    if seen.insert(row.root + "\u{1}" + row.file).inserted {
                        rows.append(row)
                    } else {
                        problems.append("\(path):\(number): \(row.path) is in more than one part (kept once): were the shards given the same N?")
                    }
                } else if let summary = try? decoder.decode(ScanSummary.self, from: line), summary.kind == "scan-summary" {
                    for root in summary.roots where !roots.contains(root) { roots.append(root) }
                    if let window, window.since != summary.since || window.until != summary.until {
                        problems.append("\(path):\(number): this part was scanned with another --since/--until than the first")
                    }
                    window = (summary.since, summary.until)
                } else {
                    problems.append("\(path):\(number): not a line of 'triage scan --format jsonl' (skipped)")
                }
            }
            // A line at a time: parts of a large archive are read in blocks, not whole.
            while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty {
                pending.append(block)
                while let newline = pending.firstIndex(of: 0x0A) {
                    consume(pending[pending.startIndex..<newline])
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { consume(pending) }
        }
        let ordered = ScanFileRow.ordered(rows, roots: roots)
        return Result(rows: ordered, summary: ScanSummary(rows: ordered, roots: roots, since: window?.since, until: window?.until),
                      problems: problems)
    }
}
