/// Reads HotSpot-family text dumps line by line: `jstack` (and `-l`), `kill -3` output in a
/// log, `jcmd <pid> Thread.print`, JDK 5 to 25 headers, VisualVM/JMX (`"name" - Thread t@12`,
/// `"name" id=12 in STATE`, ThreadInfo's `"name" Id=12 BLOCKED on … owned by …`), Spring
/// Boot Actuator text, dumps without a `Full thread dump` line, several dumps in a row, and
/// lines prefixed by a wrapper or log shipper.
///
/// Deadlock reports are read for their cycles; their second copy of the stacks ("Java stack
/// information for the threads listed above") is skipped, not counted as more threads.
public final class HotSpotDumpParser {
    private let source: String
    private let emit: (ThreadDump) -> Void
    private var dump: ThreadDump?
    private var thread: DumpThread?
    private var mode: Mode = .threads
    private var prefix: LinePrefix?
    private var pendingJVM: String?
    private var pendingLine = 0
    /// A bare timestamp line just before the dump (jstack prints one).
    public var pendingTimestamp: LogTimestamp?
    private var deadlockCycle: [String] = []

    private enum Mode {
        case threads, ownableSynchronizers, smrInfo, deadlockCycle, deadlockStacks, trailer
    }

    public init(source: String, emit: @escaping (ThreadDump) -> Void) {
        self.source = source
        self.emit = emit
    }

    /// Feeds one line of a dump section.
    public func line(_ bytes: UnsafeRawBufferPointer, number: Int) {
        var offset = 0
        if let prefix {
            guard let length = prefix.length(in: bytes) else { return }
            offset = length
        } else if dump == nil, let found = LinePrefix.detect(bytes) {
            // Only where a dump starts: searching every line for a prefix would cost more than the dump.
            prefix = found
            offset = found.shape.count
        }
        consume(UnsafeRawBufferPointer(rebasing: bytes[offset...]), number: number)
    }

    /// Whether the line carries this dump's wrapper prefix (so it belongs to the dump even if
    /// the prefix looks like a log record's header).
    public func claims(_ bytes: UnsafeRawBufferPointer) -> Bool {
        prefix?.length(in: bytes) != nil
    }

    /// Emits the dump being read, if it has threads; the section is over.
    public func finish() {
        finishDump()
        prefix = nil
    }

    /// Emits the dump being read (another one may follow with the same line prefix).
    private func finishDump() {
        finishThread()
        if let dump, !dump.threads.isEmpty || !dump.reportedDeadlocks.isEmpty { emit(dump) }
        dump = nil
        mode = .threads
    }

    /// Classifies the line from its first bytes; only the parts kept become strings.
    private func consume(_ line: UnsafeRawBufferPointer, number: Int) {
        let start = line.skippingBlanks(from: 0)
        guard start < line.count else { return }
        func rest(_ skip: Int) -> Substring { line.string((start + skip)..<line.count)[...] }
        if line.matches("Full thread dump", at: start) {
            finishDump()
            let jvm = rest(16).trimmingWhitespace()
            startDump(number: number, jvm: jvm.hasSuffix(":") ? String(jvm.dropLast()) : jvm)
            return
        }
        switch mode {
        case .smrInfo:
            if line[start] == UInt8(ascii: "}") { mode = .threads }
            return
        case .deadlockCycle:
            if line[start] == 0x22 {
                deadlockCycle.append(quotedName(rest(0)) ?? "")
            } else if line.matches("Java stack information", at: start) {
                recordDeadlockCycle()
                mode = .deadlockStacks
            } else if line.matches("Found ", at: start) {
                recordDeadlockCycle()
                mode = .trailer
            }
            return
        case .deadlockStacks:
            if line.matches("Found one Java-level deadlock", at: start) {
                mode = .deadlockCycle
            } else if line.matches("Found ", at: start) {
                mode = .trailer
            }
            return
        case .trailer:
            if line.matches("Found one Java-level deadlock", at: start) { mode = .deadlockCycle; deadlockCycle = [] }
            return
        case .threads, .ownableSynchronizers:
            break
        }
        switch line[start] {
        case 0x22:   // "
            header(rest(0), number: number)
        case UInt8(ascii: "a") where line.matches("at ", at: start):
            mode = .threads
            frame(line, from: line.skippingBlanks(from: start + 3))
        case UInt8(ascii: "-"):
            lockLine(rest(1).drop { $0 == " " })
        case UInt8(ascii: "j") where line.matches("java.lang.Thread.State:", at: start):
            stateLine(rest(23).drop { $0 == " " })
        case UInt8(ascii: "L") where line.matches("Locked ownable synchronizers:", at: start) || line.matches("Locked synchronizers:", at: start):
            mode = .ownableSynchronizers
        case UInt8(ascii: "C") where line.matches("Carrying virtual thread", at: start):
            thread?.carriedVirtualThread = rest(24).trimmingWhitespace()
        case UInt8(ascii: "T") where line.matches("Threads class SMR info:", at: start):
            finishThread()
            mode = .smrInfo
        case UInt8(ascii: "F") where line.matches("Found one Java-level deadlock", at: start):
            finishThread()
            deadlockCycle = []
            mode = .deadlockCycle
        case UInt8(ascii: "J") where line.matches("JNI global ref", at: start):
            finishThread()
            mode = .trailer
        default:
            break
        }
    }

    private func startDump(number: Int, jvm: String?) {
        dump = ThreadDump(source: source, line: number, format: .hotspot)
        dump?.jvm = jvm
        dump?.timestamp = pendingTimestamp
        pendingTimestamp = nil
        mode = .threads
    }

    private func finishThread() {
        if let thread { dump?.threads.append(thread) }
        thread = nil
    }

    private func recordDeadlockCycle() {
        if !deadlockCycle.isEmpty { dump?.reportedDeadlocks.append(deadlockCycle) }
        deadlockCycle = []
    }

    /// The thread name between the opening quote and the quote that ends it: the first one
    /// followed by what HotSpot prints after a name (` #`, ` daemon`, ` prio=`, ` Id=`, `:`…),
    /// since names may contain quotes and ThreadInfo's header quotes the owner too.
    private func quotedName(_ text: Substring) -> String? {
        nameEnd(text).map { String(text[text.index(after: text.startIndex)..<$0]) }
    }

    private func nameEnd(_ text: Substring) -> Substring.Index? {
        let followers = [" #", " daemon", " prio=", " os_prio=", " tid=", " nid=", " Id=", " id=", " - Thread", ":"]
        var index = text.index(after: text.startIndex)
        var last: Substring.Index?
        while let quote = text[index...].firstIndex(of: "\"") {
            let after = text[text.index(after: quote)...]
            if after.isEmpty || followers.contains(where: { after.hasPrefix($0) }) { return quote }
            last = quote
            index = text.index(after: quote)
        }
        return last
    }

    // MARK: - Headers

    private func header(_ text: Substring, number: Int) {
        finishThread()
        if dump == nil { startDump(number: number, jvm: nil) }
        guard let dump, let close = nameEnd(text), close > text.startIndex else { return }
        var thread = DumpThread(name: String(text[text.index(after: text.startIndex)..<close]), line: number)
        let attributes = text[text.index(after: close)...]
        if attributes.hasPrefix(" - Thread t@") {
            dump.format = .visualVM
            thread.javaId = "t@" + attributes.dropFirst(12).prefix { $0.isNumber }
        } else if attributes.hasPrefix(" id=") || attributes.hasPrefix(" Id=") {
            jmxHeader(attributes, into: &thread, dump: dump)
        } else {
            hotspotHeader(attributes, into: &thread)
        }
        mode = .threads
        self.thread = thread
    }

    /// ` #31 daemon prio=5 os_prio=0 cpu=10.00ms elapsed=100.00s tid=0x… nid=0x1f waiting on condition  [0x…]`
    private func hotspotHeader(_ attributes: Substring, into thread: inout DumpThread) {
        var stateWords: [Substring] = []
        for word in attributes.split(separator: " ") {
            if word.hasPrefix("#") {
                thread.javaId = String(word)
            } else if word == "daemon" {
                thread.daemon = true
            } else if word.hasPrefix("[") && word.hasSuffix("]") && word.dropFirst().first?.isNumber == true && !word.hasPrefix("[0x") {
                thread.nativeId = Int(word.dropFirst().dropLast())   // JDK 21+: `#3 [5379]`, decimal
            } else if word.hasPrefix("nid=") {
                thread.nativeId = HotSpotDumpParser.number(word.dropFirst(4))
            } else if word.hasPrefix("cpu=") {
                thread.cpuMilliseconds = HotSpotDumpParser.duration(word.dropFirst(4))
            } else if word.utf8.contains(UInt8(ascii: "=")) || word.hasPrefix("[0x") || word.hasPrefix("0x") {
                continue
            } else {
                stateWords.append(word)
            }
        }
        if let state = ThreadState.fromHeaderText(stateWords.joined(separator: " ")[...]) { thread.state = state }
    }

    /// ` id=12 in BLOCKED on lock=java.lang.Object@6d06d69c` (TDA's JMX) or ThreadInfo's
    /// ` Id=12 BLOCKED on java.lang.Object@6d06d69c owned by "main" Id=1`.
    private func jmxHeader(_ attributes: Substring, into thread: inout DumpThread, dump: ThreadDump) {
        dump.format = .jmx
        var words = attributes.split(separator: " ")[...]
        if let id = words.popFirst() { thread.javaId = String(id.dropFirst(3)) }
        if words.first == "in" { words = words.dropFirst() }
        if let state = words.first.flatMap({ ThreadState.named($0) }) {
            thread.state = state
            words = words.dropFirst()
        }
        if words.first == "on", words.count > 1 {
            let lockText = words.dropFirst().first!
            let lock = LockReference.parse(lockText.hasPrefix("lock=") ? lockText.dropFirst(5) : lockText)
            thread.waitingFor = lock
            thread.waitKind = thread.state == .blocked ? .monitorEntry : .parked
        }
    }

    private func stateLine(_ text: Substring) {
        guard thread != nil else { return }
        if let state = ThreadState.named(text) { thread?.state = state }
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            thread?.stateDetail = String(text[text.index(after: open)..<close])
        }
        // VisualVM: `TIMED_WAITING on java.util.TaskQueue@7311acb7`
        if let on = text.firstRange(ofASCII: " on "), thread?.waitingFor == nil {
            let blocked = thread?.state == .blocked
            thread?.waitingFor = LockReference.parse(text[on.upperBound...])
            thread?.waitKind = blocked ? .monitorEntry : .objectWait
        }
    }

    // MARK: - Frames and locks

    private func frame(_ line: UnsafeRawBufferPointer, from start: Int) {
        guard let dump, thread != nil else { return }
        let id = dump.frames.intern(HotSpotDumpParser.frameText(UnsafeRawBufferPointer(rebasing: line[start...])))
        thread?.frames.append(id)
    }

    /// The frame without module or class loader, from bytes (this runs for every frame line).
    static func frameText(_ bytes: UnsafeRawBufferPointer) -> String {
        var end = bytes.count
        while end > 0, bytes[end - 1].isBlank || bytes[end - 1] == 0x0D { end -= 1 }
        let open = bytes.firstIndex(of: 0x28, from: 0, limit: end) ?? end
        // `java.base@17/java.lang.Thread.run`, `app//com.example.Main.main`; a hidden class
        // (`Svc$$Lambda$12/0x…`) keeps its slash.
        var nameStart = 0
        var position = 0
        while position < open {
            if bytes[position] == 0x2F {
                if bytes.matches("0x", at: position + 1) { break }
                nameStart = position + 1
            }
            position += 1
        }
        // `(java.base@17.0.15/Native Method)` → `(Native Method)`
        var locationStart = open + 1
        if open < end {
            var scan = end - 1
            while scan > open {
                if bytes[scan] == 0x2F { locationStart = scan + 1; break }
                scan -= 1
            }
        }
        if nameStart == 0 && locationStart == open + 1 { return bytes.string(0..<end) }
        var text = bytes.string(nameStart..<open)
        if open < end { text += "(" + bytes.string(min(locationStart, end)..<end) }
        return text
    }

    /// The frame text of a frame given as text (JSON dumps).
    static func frameText(_ text: Substring) -> String {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { frameText(UnsafeRawBufferPointer($0)) }
    }

    private func lockLine(_ text: Substring) {
        guard thread != nil else { return }
        let frameIndex = max(0, (thread?.frames.count ?? 1) - 1)
        if mode == .ownableSynchronizers {
            if text.hasPrefix("None") { return }
            let body = text.hasPrefix("locked ") ? text.dropFirst(7) : text
            if let lock = LockReference.parse(body) { thread?.ownableSynchronizers.append(lock) }
            return
        }
        func lock(after prefix: Int) -> LockReference? {
            var body = text.dropFirst(prefix)
            if let owned = body.firstRange(ofASCII: " owned by ") { body = body[..<owned.lowerBound] }
            return LockReference.parse(body)
        }
        if text.hasPrefix("locked ") {
            if let lock = lock(after: 7) { thread?.lockedMonitors.append((lock, frameIndex)) }
        } else if text.hasPrefix("waiting to lock ") {
            setWait(.monitorEntry, lock(after: 16), frameIndex)
        } else if text.hasPrefix("waiting to re-lock in wait() ") {
            setWait(.monitorEntry, lock(after: 29), frameIndex)
        } else if text.hasPrefix("blocked on ") {
            setWait(.monitorEntry, lock(after: 11), frameIndex)
        } else if text.hasPrefix("parking to wait for ") {
            setWait(.parked, lock(after: 20), frameIndex)
        } else if text.hasPrefix("waiting on ") {
            let target = lock(after: 11)
            let topIsPark = thread.flatMap { $0.frames.first }.map { dump?.frames.method($0).hasSuffix(".park") ?? false } ?? false
            setWait(topIsPark ? .parked : .objectWait, target, frameIndex)
        }
    }

    private func setWait(_ kind: WaitKind, _ lock: LockReference?, _ frame: Int) {
        // The first wait printed is the one in effect (the top of the stack).
        guard thread?.waitKind == nil || thread?.waitFrame == nil else { return }
        thread?.waitKind = kind
        thread?.waitingFor = lock
        thread?.waitFrame = frame
    }

    // MARK: - Numbers

    static func number(_ text: Substring) -> Int? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text)
    }

    /// `897.33ms` or `1.2s` → milliseconds.
    static func duration(_ text: Substring) -> Double? {
        if text.hasSuffix("ms") { return Double(text.dropLast(2)) }
        if text.hasSuffix("s") { return Double(text.dropLast()).map { $0 * 1000 } }
        return Double(text)
    }
}

/// A prefix a wrapper or log shipper put before every line of a dump
/// (`INFO   | jvm 1    | 2024/12/21 13:26:03 | `, `2024-12-21T13:26:03.117Z stdout F `).
/// Lines match it by shape: digits may differ, everything else must be the same.
struct LinePrefix {
    /// The prefix's bytes with every digit replaced by `0`.
    let shape: [UInt8]

    /// A prefix before `Full thread dump`.
    static func detect(_ bytes: UnsafeRawBufferPointer) -> LinePrefix? {
        guard bytes.count > 16 else { return nil }
        for position in 1...(bytes.count - 16) where bytes[position] == UInt8(ascii: "F") && bytes.matches("Full thread dump", at: position) {
            return LinePrefix(shape: (0..<position).map { bytes[$0].isASCIIDigit ? UInt8(ascii: "0") : bytes[$0] })
        }
        return nil
    }

    /// The prefix's length when `bytes` starts with it, nil otherwise.
    func length(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= shape.count else { return nil }
        for (index, expected) in shape.enumerated() {
            let actual = bytes[index]
            if expected == UInt8(ascii: "0") ? !actual.isASCIIDigit : actual != expected { return nil }
        }
        return shape.count
    }
}
