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
            let source: FileDescriptorSource
            do {
                source = try FileDescriptorSource(path: path)
            } catch {
                problems.append("\(path): cannot read: \((error as? ByteSourceError)?.reason ?? "\(error)")")
                continue
            }
            defer { source.close() }
            // The project's line reader: a line past its limit is cut, so a part without line
            // breaks cannot grow memory.
            let sink = JSONLineSink { line, number in
                guard !line.isEmpty else { return }
                let data = Data(line)
                if let row = try? decoder.decode(ScanFileRow.self, from: data), row.kind == "scan-file" {
                    if seen.insert(row.root + "\u{1}" + row.file).inserted {
                        rows.append(row)
                    } else {
                        problems.append("\(path):\(number): \(row.path) is in more than one part (kept once): were the shards given the same N?")
                    }
                } else if let summary = try? decoder.decode(ScanSummary.self, from: data), summary.kind == "scan-summary" {
                    for root in summary.roots where !roots.contains(root) { roots.append(root) }
                    if let window, window.since != summary.since || window.until != summary.until {
                        problems.append("\(path):\(number): this part was scanned with another --since/--until than the first")
                    }
                    window = (summary.since, summary.until)
                } else {
                    problems.append("\(path):\(number): not a line of 'triage scan --format jsonl' (skipped)")
                }
            }
            do {
                try LineReader(source: source, initialCapacity: 1 << 20).read(into: sink)
            } catch {
                problems.append("\(path): reading stopped: \((error as? ByteSourceError)?.reason ?? "\(error)")")
            }
        }
        let ordered = ScanFileRow.ordered(rows, roots: roots)
        return Result(rows: ordered, summary: ScanSummary(rows: ordered, roots: roots, since: window?.since, until: window?.until),
                      problems: problems)
    }
}

/// Hands each line of a block to `body`, with its number.
private final class JSONLineSink: LineSink {
    let body: (UnsafeRawBufferPointer, Int) -> Void
    init(_ body: @escaping (UnsafeRawBufferPointer, Int) -> Void) { self.body = body }

    func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { line, number, _ in body(line, number) }
    }
}
