import Dispatch
import Foundation

/// Records copied out of the assembler's buffer, several at a time, so another thread can
/// analyse them after the buffer has moved on; and the thread dumps read meanwhile, which
/// their parsers no longer touch once emitted.
final class RecordBatch: @unchecked Sendable {
    struct Entry {
        var bytes: Range<Int>
        /// Into `lineStarts`/`lineEnds`, which are relative to `bytes.lowerBound`.
        var lines: Range<Int>
        var literals: Range<Int>
        var firstLineNumber: Int
        var header: LogHeader?
        var timestamp: LogTimestamp?
        var level: LogLevel?
        var frameLineCount: Int
        var droppedLines: Int
        var candidate: Bool
        var statesPoolLimit: Bool
    }

    /// One stored property, so appending a record costs one exclusivity check, not one per array.
    private struct Storage {
        var bytes: [UInt8] = []
        var lineStarts: [Int] = []
        var lineEnds: [Int] = []
        var literals: [Int] = []
        var entries: [Entry] = []
        var dumps: [ThreadDump] = []

        mutating func removeAll() {
            dumps.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            lineStarts.removeAll(keepingCapacity: true)
            lineEnds.removeAll(keepingCapacity: true)
            literals.removeAll(keepingCapacity: true)
            entries.removeAll(keepingCapacity: true)
        }

        mutating func append(_ record: LogRecordView, literals hits: [Int], candidate: Bool, statesPoolLimit: Bool) {
            let start = bytes.count
            bytes.append(contentsOf: record.bytes)
            let firstLine = lineStarts.count
            lineStarts.append(contentsOf: record.lineStarts)
            lineEnds.append(contentsOf: record.lineEnds)
            let firstLiteral = literals.count
            literals.append(contentsOf: hits)
            entries.append(Entry(
                bytes: start..<bytes.count, lines: firstLine..<lineStarts.count, literals: firstLiteral..<literals.count,
                firstLineNumber: record.firstLineNumber, header: record.header, timestamp: record.timestamp, level: record.level,
                frameLineCount: record.frameLineCount, droppedLines: record.droppedLines,
                candidate: candidate, statesPoolLimit: statesPoolLimit))
        }
    }

    private var storage = Storage()

    /// Batches are handed over when they hold about this much, or this many records.
    static let byteBudget = 256 * 1024
    static let recordBudget = 512

    var isFull: Bool { storage.bytes.count >= RecordBatch.byteBudget || storage.entries.count >= RecordBatch.recordBudget }
    var isEmpty: Bool { storage.entries.isEmpty && storage.dumps.isEmpty }
    var dumps: [ThreadDump] { storage.dumps }

    func removeAll() { storage.removeAll() }

    func append(_ record: LogRecordView, literals hits: [Int], candidate: Bool, statesPoolLimit: Bool) {
        storage.append(record, literals: hits, candidate: candidate, statesPoolLimit: statesPoolLimit)
    }

    func append(_ dump: ThreadDump) { storage.dumps.append(dump) }

    /// Each record again as a view, with its literals.
    func forEach(_ body: (LogRecordView, ArraySlice<Int>, Entry) -> Void) {
        let storage = storage
        storage.bytes.withUnsafeBytes { allBytes in
            storage.lineStarts.withUnsafeBufferPointer { starts in
                storage.lineEnds.withUnsafeBufferPointer { ends in
                    for entry in storage.entries {
                        let view = LogRecordView(
                            bytes: UnsafeRawBufferPointer(rebasing: allBytes[entry.bytes]),
                            lineStarts: UnsafeBufferPointer(rebasing: starts[entry.lines]),
                            lineEnds: UnsafeBufferPointer(rebasing: ends[entry.lines]),
                            firstLineNumber: entry.firstLineNumber, header: entry.header, timestamp: entry.timestamp,
                            level: entry.level, frameLineCount: entry.frameLineCount, droppedLines: entry.droppedLines)
                        body(view, storage.literals[entry.literals], entry)
                    }
                }
            }
        }
    }
}

/// Runs a `RecordAnalyzer` on a thread of its own, fed batches in order through a few
/// reusable slots (bounded memory: `depth` batches of about `RecordBatch.byteBudget`).
final class RecordPipeline: @unchecked Sendable {
    private let analyzer: RecordAnalyzer
    private let batches: SlotRing<RecordBatch>
    private let finished = DispatchSemaphore(value: 0)
    /// The batch being filled, taken from the ring.
    private var current: RecordBatch?
    /// Set by the producer before it signals an empty batch: the end.
    private var closed = false

    init(analyzer: RecordAnalyzer, depth: Int = 4) {
        self.analyzer = analyzer
        batches = SlotRing((0..<max(2, depth)).map { _ in RecordBatch() })
        let thread = Thread { [self] in consume() }
        thread.name = "triage-records"
        thread.start()
    }

    /// Copies the record into the current batch; hands the batch over when it is full.
    func send(_ record: LogRecordView, literals: [Int], candidate: Bool, statesPoolLimit: Bool) {
        let batch = currentBatch()
        batch.append(record, literals: literals, candidate: candidate, statesPoolLimit: statesPoolLimit)
        if batch.isFull { handOver() }
    }

    /// Hands the dump over at once: a dump can be large, and only `depth` may wait.
    func send(_ dump: ThreadDump) {
        currentBatch().append(dump)
        handOver()
    }

    /// Hands over what is left and waits for the thread to finish every record.
    func finish() -> RecordAnalyzer {
        guard !closed else { return analyzer }
        if let current, !current.isEmpty { handOver() }
        closed = true
        _ = currentBatch()   // an empty batch: the end
        handOver()
        finished.wait()
        return analyzer
    }

    private func currentBatch() -> RecordBatch {
        if let current { return current }
        let batch = batches.takeFree()
        batch.removeAll()
        current = batch
        return batch
    }

    private func handOver() {
        current = nil
        batches.handOver()
    }

    private func consume() {
        defer { finished.signal() }
        while true {
            let batch = batches.takeFilled()
            if batch.isEmpty { return }
            batch.forEach { record, literals, entry in
                analyzer.handle(record, literals: literals, candidate: entry.candidate, statesPoolLimit: entry.statesPoolLimit)
            }
            for dump in batch.dumps { analyzer.handle(dump) }
            batches.giveBack()
        }
    }
}
