/// One refresh of `top -H` (threads) output: which OS threads burned CPU.
public struct TopSnapshot: Sendable {
    public struct Row: Sendable {
        /// The OS thread id (`top -H` prints it as PID): a HotSpot `nid`, a javacore native id.
        public var threadId: Int
        public var cpuPercent: Double
        public var command: String
        /// The row's own line, for the proof.
        public var line: Int
        /// TIME+ in hundredths of a second, when the screen has the column.
        public var cpuTime: Int?
    }

    public var source: String
    public var line: Int
    /// The time of day of the refresh (`top - 22:51:42 up …`).
    public var time: LogTimestamp?
    /// The busiest threads, most CPU first (at most `TopThreadsParser.rowsKept`).
    public var rows: [Row]
}

/// Reads `top -H -p PID` / `top -H -b` output, refresh by refresh.
public final class TopThreadsParser {
    public static let rowsKept = 20
    private let source: String
    private let emit: (TopSnapshot) -> Void
    private var snapshot: TopSnapshot?
    private var cpuColumn: Int?
    private var commandColumn: Int?
    private var virtColumn: Int?
    private var timeColumn: Int?
    /// TIME+ of every row of the refresh, busy or not: the leader's row may carry the whole process's.
    private var timeTotal = 0
    private var lowestThreadId: Int?
    /// The refresh counts `Tasks:` (processes: plain `top`, or `top -H` of procps before 3.3),
    /// not `Threads:`; its rows are threads only if they all share one address space (one VIRT).
    private var countsTasks = false
    private var firstVirt: Substring?
    private var oneAddressSpace = true

    public init(source: String, emit: @escaping (TopSnapshot) -> Void) {
        self.source = source
        self.emit = emit
    }

    public func line(_ bytes: UnsafeRawBufferPointer, number: Int) {
        let text = bytes.string(0..<bytes.count)
        if text.hasPrefix("top - ") {
            finish()
            let clock = text.dropFirst(6).prefix { $0 != " " }
            snapshot = TopSnapshot(source: source, line: number, time: LogTimestamp.parse(String(clock)), rows: [])
            countsTasks = false
            firstVirt = nil
            oneAddressSpace = true
            virtColumn = nil   // this screen's own header says where VIRT is; the lines above it are no rows
            timeTotal = 0
            lowestThreadId = nil
            return
        }
        if text.hasPrefix("Tasks:") {
            countsTasks = true
            return
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        if words.first == "PID" {
            cpuColumn = words.firstIndex(of: "%CPU")
            commandColumn = words.firstIndex(of: "COMMAND")
            virtColumn = words.firstIndex(of: "VIRT")
            timeColumn = words.firstIndex(of: "TIME+") ?? words.firstIndex(of: "TIME")
            return
        }
        if countsTasks, snapshot != nil, let virtColumn, words.count > virtColumn,
           InputNumber.decimal(words[0], in: InputNumber.threadId) != nil {
            if firstVirt == nil { firstVirt = words[virtColumn] } else if firstVirt != words[virtColumn] { oneAddressSpace = false }
        }
        // A header may put COMMAND before %CPU (top's field order is the user's): both must be in the row.
        guard snapshot != nil, let cpuColumn, let commandColumn, words.count > max(cpuColumn, commandColumn),
              let threadId = InputNumber.decimal(words[0], in: InputNumber.threadId),
              let cpu = InputNumber.real(words[cpuColumn], in: InputNumber.percent) else { return }
        let cpuTime = timeColumn.flatMap { $0 < words.count ? TopThreadsParser.hundredths(words[$0]) : nil }
        if let cpuTime { timeTotal = min(timeTotal + cpuTime, Int.max / 2) }
        lowestThreadId = min(lowestThreadId ?? threadId, threadId)
        guard cpu > 0 else { return }
        snapshot?.rows.append(TopSnapshot.Row(threadId: threadId, cpuPercent: cpu,
                                              command: String(words[commandColumn...].joined(separator: " ").prefix(200)),
                                              line: number, cpuTime: cpuTime))
        // A screen of a million threads keeps only its busiest.
        if let count = snapshot?.rows.count, count >= 4 * TopThreadsParser.rowsKept { keepBusiest() }
    }

    private func keepBusiest() {
        guard var rows = snapshot?.rows else { return }
        rows.sort { $0.cpuPercent > $1.cpuPercent }
        rows.removeLast(max(0, rows.count - TopThreadsParser.rowsKept))
        snapshot?.rows = rows
    }

    /// `m:ss.hh` (TIME+) or `m:ss` (TIME) in hundredths of a second; nil for other shapes
    /// (`1234:56` minutes past a day, `12h`, `3d`: too coarse to compare).
    static func hundredths(_ word: Substring) -> Int? {
        let parts = word.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let minutes = InputNumber.decimal(parts[0], in: 0...10_000_000) else { return nil }
        let seconds = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = InputNumber.decimal(seconds[0], in: 0...59) else { return nil }
        let fraction = seconds.count == 2 ? InputNumber.decimal(seconds[1].prefix(2), in: 0...99) ?? 0 : 0
        return (minutes * 60 + whole) * 100 + fraction
    }

    public func finish() {
        // procps' top -H can show the process's totals on its leader's row (TID = PID, the
        // lowest): a lowest TID whose TIME+ is the others' together is that, not a busy thread.
        if let leader = lowestThreadId {
            let total = timeTotal
            snapshot?.rows.removeAll { row in
                guard row.threadId == leader, let time = row.cpuTime, total - time > 0 else { return false }
                let others = Double(total - time)
                return Double(time) >= 0.9 * others && Double(time) <= 1.1 * others + 100
            }
        }
        keepBusiest()
        // A list of processes (linperf's and yc-360's `top -bc`) names no thread: a busy process
        // there is not a busy Java thread.
        if countsTasks && !oneAddressSpace { snapshot = nil }
        guard let snapshot else { return }
        emit(snapshot)
        self.snapshot = nil
    }
}
