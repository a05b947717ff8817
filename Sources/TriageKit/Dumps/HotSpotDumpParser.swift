import Foundation

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
    /// The current thread's frames, apart from it until the thread ends: appending through
    /// `thread?.frames` copied the whole thread on every frame line. Behind a pointer, as
    /// every frame line appends (a class property costs a run-time exclusivity check).
    private let frames = UncheckedBox([Int32]())
    private var mode: Mode = .threads
    private var prefix: LinePrefix?
    /// The runtime version line `Thread.dump_to_file` prints before its threads (`21.0.2+13-58`).
    public var pendingJVM: String?
    /// A bare timestamp line just before the dump (jstack prints one).
    public var pendingTimestamp: LogTimestamp?
    /// jcmd's `4242:` line just before the dump: the JVM's process id.
    public var pendingProcessId: Int?
    private var deadlockCycle: [String] = []
    /// The current thread's state line was read: another one starts a headerless thread.
    private var threadHasState = false
    private var unnamedThreads = 0
    /// Reused for frame text that has to be joined from two pieces.
    private var scratch: [UInt8] = []

    private enum Mode {
        case threads, ownableSynchronizers, smrInfo, deadlockCycle, deadlockWaiters, deadlockStacks, trailer
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
        if line.matches("===== FULL THREAD DUMP", at: start) {
            finishDump()
            startDump(number: number, jvm: nil)
            dump?.format = .jrockit
            return
        }
        if dump?.format == .jrockit, jrockitLine(line, from: start) { return }
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
        case .deadlockCycle, .deadlockWaiters:
            if line[start] == 0x22 {
                // SAP JVM lists the threads queued behind a member under `Threads (indirectly)
                // waiting on deadlocked thread "x"`: they wait, but are not in the cycle.
                if mode == .deadlockCycle { deadlockCycle.append(quotedName(rest(0)) ?? "") }
            } else if line.matches("Threads (", at: start) {
                mode = .deadlockWaiters
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
        if dump?.format == .jcmdText, start >= 2, HotSpotDumpParser.isBareFrame(line, from: start) {
            frame(line, from: start)
            return
        }
        switch line[start] {
        case 0x22:   // "
            header(UnsafeRawBufferPointer(rebasing: line[start...]), number: number)
        case UInt8(ascii: "#") where HotSpotDumpParser.isDumpToFileHeader(UnsafeRawBufferPointer(rebasing: line[start...])):
            dumpToFileHeader(UnsafeRawBufferPointer(rebasing: line[start...]), number: number)
        case UInt8(ascii: "a") where line.matches("at ", at: start):
            mode = .threads
            frame(line, from: line.skippingBlanks(from: start + 3))
        case UInt8(ascii: "-"):
            let body = line.skippingBlanks(from: start + 1)
            lockLine(UnsafeRawBufferPointer(rebasing: line[body...]))
        case UInt8(ascii: "j") where line.matches("java.lang.Thread.State:", at: start):
            var value = start + 23
            while value < line.count, line[value] == 0x20 { value += 1 }
            stateLine(UnsafeRawBufferPointer(rebasing: line[value...]), number: number)
        case UInt8(ascii: "L") where line.matches("Locked ownable synchronizers:", at: start) || line.matches("Locked synchronizers:", at: start):
            mode = .ownableSynchronizers
        case UInt8(ascii: "p"), UInt8(ascii: "t"):
            // SAP JVM prints `prio=5 tid=0x… nid=0x… waiting on condition` on the line under the name.
            guard frames.value.isEmpty, !threadHasState, thread != nil,
                  line.matches("prio=", at: start) || line.matches("tid=", at: start) else { break }
            hotspotHeader(UnsafeRawBufferPointer(rebasing: line[start...]), into: &thread!)
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
        dump?.jvm = jvm ?? pendingJVM
        pendingJVM = nil
        dump?.timestamp = pendingTimestamp
        dump?.processId = pendingProcessId
        pendingTimestamp = nil
        pendingProcessId = nil
        mode = .threads
    }

    private func finishThread() {
        // Moved into the dump, not copied: a copy retains every field of the thread.
        if var finished = thread.take() {
            finished.frames = frames.value
            frames.value = []
            dump?.threads.append(finished)
        } else if !frames.value.isEmpty {
            frames.value = []
        }
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

    /// `#23 "name"` (`Thread.dump_to_file`'s text): `#`, digits, a space, a quote.
    static func isDumpToFileHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        var index = 1
        while index < line.count, line[index].isASCIIDigit { index += 1 }
        return index > 1 && line.matches(" \"", at: index)
    }

    /// A frame as `Thread.dump_to_file` prints it: indented, no `at`, `pkg.Class.method(…)`.
    static func isBareFrame(_ line: UnsafeRawBufferPointer, from start: Int) -> Bool {
        guard start < line.count, line[start].isJavaIdentifierByte, let open = line.firstIndex(of: 0x28, from: start) else { return false }
        return line.firstIndex(of: 0x20, from: start, limit: open) == nil && line.lastIndex(of: 0x29) != nil
    }

    /// `#23 "name"`, `#31 "" virtual`: a thread of `jcmd Thread.dump_to_file`'s text. It has no
    /// state in JDK 21; JDK 25 puts it after the name (`#25 "vt-req-1" virtual BLOCKED 2026-…Z`).
    private func dumpToFileHeader(_ line: UnsafeRawBufferPointer, number: Int) {
        finishThread()
        if dump == nil { startDump(number: number, jvm: nil) }
        dump?.format = .jcmdText
        guard let open = line.firstIndex(of: 0x22, from: 0) else { return }
        let close = line.lastIndex(of: 0x22).flatMap { $0 > open ? $0 : nil } ?? line.count
        var thread = DumpThread(name: line.string((open + 1)..<close, limit: DumpThread.maxNameBytes), line: number)
        thread.javaId = line.string(0..<(line.firstIndex(of: 0x20, from: 0) ?? 1))
        if close < line.count, UnsafeRawBufferPointer(rebasing: line[close...]).range(of: " virtual") != nil { thread.isVirtual = true }
        threadHasState = false
        // The first upper-case word after the name that is a state (`virtual` comes before it).
        var word = close + 1
        while word < line.count, word < close + 64 {
            word = line.skippingBlanks(from: word)
            var end = word
            while end < line.count, line[end] != 0x20 { end += 1 }
            if end > word, line[word].isASCIIUppercase,
               let state = ThreadState.named(UnsafeRawBufferPointer(rebasing: line[word..<end])), state != .unknown {
                thread.state = state
                threadHasState = true
                break
            }
            word = end + 1
        }
        mode = .threads
        self.thread = thread
    }

    /// The byte after the closing quote of a thread name (see `nameEnd`), from bytes.
    private static func nameEnd(_ line: UnsafeRawBufferPointer) -> Int? {
        var last: Int?
        var index = 1
        while let quote = line.firstIndex(of: 0x22, from: index) {
            let after = quote + 1
            if after == line.count || line.matches(" #", at: after) || line.matches(" daemon", at: after)
                || line.matches(" prio=", at: after) || line.matches(" os_prio=", at: after) || line.matches(" tid=", at: after)
                || line.matches(" nid=", at: after) || line.matches(" Id=", at: after) || line.matches(" id=", at: after)
                || line.matches(" - Thread", at: after) || line.matches(":", at: after) {
                return quote
            }
            last = quote
            index = after
        }
        return last
    }

    /// A thread's header line, from its opening quote. HotSpot's own headers (nearly all of
    /// them) are read from bytes; VisualVM's and JMX's go through text.
    private func header(_ line: UnsafeRawBufferPointer, number: Int) {
        finishThread()
        if dump == nil { startDump(number: number, jvm: nil) }
        guard let dump, let close = HotSpotDumpParser.nameEnd(line), close > 0 else { return }
        var thread = DumpThread(name: line.string(1..<close, limit: DumpThread.maxNameBytes), line: number)
        threadHasState = false
        let attributes = UnsafeRawBufferPointer(rebasing: line[(close + 1)...])
        if dump.format == .jrockit || attributes.range(of: " idx=0x") != nil {
            dump.format = .jrockit
            jrockitHeader(attributes, into: &thread)
        } else if attributes.matches(" - Thread t@", at: 0) {
            dump.format = .visualVM
            var end = 12
            while end < attributes.count, attributes[end].isASCIIDigit { end += 1 }
            thread.javaId = "t@" + attributes.string(12..<end)
        } else if attributes.matches(" id=", at: 0) || attributes.matches(" Id=", at: 0) {
            jmxHeader(attributes.string(0..<attributes.count)[...], into: &thread, dump: dump)
        } else {
            hotspotHeader(attributes, into: &thread)
        }
        mode = .threads
        self.thread = thread
    }

    /// ` #31 daemon prio=5 os_prio=0 cpu=10.00ms elapsed=100.00s tid=0x… nid=0x1f waiting on condition  [0x…]`
    private func hotspotHeader(_ attributes: UnsafeRawBufferPointer, into thread: inout DumpThread) {
        var position = 0
        var stateText: Range<Int>?
        while position < attributes.count {
            position = attributes.skippingBlanks(from: position)
            guard position < attributes.count else { break }
            var end = position
            var hasEquals = false
            while end < attributes.count, attributes[end] != 0x20 {
                if attributes[end] == 0x3D { hasEquals = true }
                end += 1
            }
            let first = attributes[position]
            if first == UInt8(ascii: "#") {
                thread.javaId = attributes.string(position..<end)
            } else if attributes.matches("daemon", at: position), end - position == 6 {
                thread.daemon = true
            } else if first == UInt8(ascii: "["), end - position > 2, attributes[position + 1].isASCIIDigit, !attributes.matches("[0x", at: position) {
                // JDK 21+: `#3 [5379]`, decimal
                thread.nativeId = InputNumber.decimal(attributes.string((position + 1)..<(end - 1)), in: InputNumber.threadId)
            } else if attributes.matches("nid=", at: position) {
                thread.nativeId = HotSpotDumpParser.number(UnsafeRawBufferPointer(rebasing: attributes[(position + 4)..<end]))
            } else if attributes.matches("cpu=", at: position) {
                thread.cpuMilliseconds = HotSpotDumpParser.duration(attributes.string((position + 4)..<end)[...])
            } else if hasEquals || attributes.matches("[0x", at: position) || attributes.matches("0x", at: position) {
                // tid=, prio=, elapsed=, addresses
            } else {
                stateText = (stateText?.lowerBound ?? position)..<end
            }
            position = end
        }
        if let range = stateText, let state = ThreadState.fromHeaderText(UnsafeRawBufferPointer(rebasing: attributes[range])) { thread.state = state }
    }

    // MARK: - JRockit

    /// ` id=1 idx=0x4 tid=4184 prio=5 alive, in native` (and `, daemon`): the native id is `tid`,
    /// decimal; the state is in JRockit's words after `alive`.
    private func jrockitHeader(_ attributes: UnsafeRawBufferPointer, into thread: inout DumpThread) {
        let text = attributes.string(0..<attributes.count)
        for word in text.split(separator: " ") {
            if word.hasPrefix("id=") { thread.javaId = String(word.dropFirst(3)) }
            if word.hasPrefix("tid=") { thread.nativeId = InputNumber.decimal(word.dropFirst(4), in: InputNumber.threadId) }
        }
        let flags = text.split(separator: ",").map { $0.trimmingWhitespace() }
        thread.daemon = flags.contains("daemon")
        if flags.contains(where: { $0.hasSuffix("blocked") && !$0.hasPrefix("native") }) {
            thread.state = .blocked
        } else if flags.contains("sleeping") {
            thread.state = .timedWaiting
        } else if flags.contains("waiting") || flags.contains("parked") {
            thread.state = .waiting
        } else if flags.contains(where: { $0.hasSuffix("in native") || $0.hasSuffix("native_waiting") || $0.hasSuffix("native_blocked") || $0.hasSuffix("running") }) {
            thread.state = .runnable
        }
        threadHasState = true
    }

    /// JRockit's frame and lock lines; false for anything else.
    private func jrockitLine(_ line: UnsafeRawBufferPointer, from start: Int) -> Bool {
        if line.matches("at ", at: start) {
            jrockitFrame(UnsafeRawBufferPointer(rebasing: line[(start + 3)...]))
            return true
        }
        let lock: (kind: WaitKind?, body: Int)?
        if line.matches("-- Blocked trying to get lock:", at: start) {
            lock = (.monitorEntry, start + 30)
        } else if line.matches("-- Waiting for notification on:", at: start) {
            lock = (.objectWait, start + 31)
        } else if line.matches("-- Parking to wait for:", at: start) {
            lock = (.parked, start + 23)
        } else if line.matches("^-- Holding lock:", at: start) || line.matches("-- Holding lock:", at: start) {
            lock = (nil, line.firstIndex(of: 0x3A, from: start).map { $0 + 1 } ?? line.count)
        } else if line.matches("-- end of trace", at: start) || line.matches("Oracle JRockit", at: start) || line.matches("BEA JRockit", at: start) {
            if line[start] != 0x2D { dump?.jvm = line.string(start..<line.count) }
            return true
        } else {
            if dump?.timestamp == nil, let time = LogTimestamp.dateCommand(line.string(start..<line.count).trimmingWhitespace()) {
                dump?.timestamp = time
                return true
            }
            return false
        }
        guard let found = lock, thread != nil else { return true }
        // `java/lang/Object@0x01ABCDEF[fat lock]`: the same text names the lock for holder and waiter.
        var body = line.string(found.body..<line.count).trimmingWhitespace()
        if let bracket = body.firstIndex(of: "[") { body = String(body[..<bracket]) }
        guard let reference = LockReference.parse(body[...]) else { return true }
        if let kind = found.kind {
            setWait(kind, reference, max(0, frames.value.count - 1))
        } else {
            thread?.lockedMonitors.append((reference, max(0, frames.value.count - 1)))
        }
        return true
    }

    /// `java/net/Socket.connect(Ljava/net/SocketAddress;I)V(Socket.java:525)` →
    /// `java.net.Socket.connect(Socket.java:525)`: slashes to dots, the method's descriptor dropped.
    private func jrockitFrame(_ bytes: UnsafeRawBufferPointer) {
        guard let dump, thread != nil else { return }
        let open = bytes.firstIndex(of: 0x28, from: 0) ?? bytes.count
        // Native frames print the descriptor and then the location; others only the location.
        var location = 0..<0
        if open < bytes.count, let close = bytes.lastIndex(of: 0x29), close > open {
            let second = bytes.firstIndex(of: 0x28, from: open + 1).flatMap { $0 < close ? $0 : nil }
            location = (second ?? open)..<(close + 1)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[..<open].map { $0 == 0x2F ? 0x2E : $0 })
        scratch.append(contentsOf: location.isEmpty ? [0x28, 0x29] : Array(bytes[location]))
        let id = scratch.withUnsafeBytes { dump.frames.intern(bytes: $0) }
        frames.value.append(id)
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

    /// `RUNNABLE`, `TIMED_WAITING (parking)`: read from bytes, once per thread of every dump.
    /// A state line with no header before it (a stack pasted without its `"name" … tid=` line)
    /// starts a thread of its own.
    private func stateLine(_ text: UnsafeRawBufferPointer, number: Int) {
        if thread == nil || threadHasState {
            finishThread()
            if dump == nil { startDump(number: number, jvm: nil) }
            unnamedThreads += 1
            thread = DumpThread(name: "unnamed thread \(unnamedThreads)", line: number)
        }
        threadHasState = true
        if let state = ThreadState.named(text) { thread?.state = state }
        if let open = text.firstIndex(of: 0x28, from: 0), let close = text.lastIndex(of: 0x29), open < close {
            thread?.stateDetail = HotSpotDumpParser.stateDetail(UnsafeRawBufferPointer(rebasing: text[(open + 1)..<close]))
        }
        // VisualVM: `TIMED_WAITING on java.util.TaskQueue@7311acb7`
        if let on = text.range(of: " on "), thread?.waitingFor == nil {
            let blocked = thread?.state == .blocked
            thread?.waitingFor = LockReference.parse(text.string(on.upperBound..<text.count)[...])
            thread?.waitKind = blocked ? .monitorEntry : .objectWait
        }
    }

    /// The detail in a state line's parentheses; the JVM's three spellings without making a
    /// string each time (`on object monitor` is too long for a string without storage).
    static func stateDetail(_ bytes: UnsafeRawBufferPointer) -> String {
        for known in knownStateDetails where known.utf8.count == bytes.count && known.utf8.elementsEqual(bytes) {
            return known
        }
        return bytes.string(0..<bytes.count)
    }

    private static let knownStateDetails = ["parking", "sleeping", "on object monitor"]

    // MARK: - Frames and locks

    private func frame(_ line: UnsafeRawBufferPointer, from start: Int) {
        guard let dump, thread != nil else { return }
        let frame = UnsafeRawBufferPointer(rebasing: line[start...])
        let parts = HotSpotDumpParser.frameParts(frame)
        let id: Int32
        if parts.location == nil {
            id = dump.frames.intern(bytes: UnsafeRawBufferPointer(rebasing: frame[parts.name]))
        } else {
            // `name(location)` without the module: joined in a reusable buffer.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: frame[parts.name])
            scratch.append(0x28)
            scratch.append(contentsOf: frame[parts.location!])
            id = scratch.withUnsafeBytes { dump.frames.intern(bytes: $0) }
        }
        frames.value.append(id)
    }

    /// Where the name and the location of a frame lie once the module or class loader is cut
    /// (`java.base@17/java.lang.Thread.run(java.base@17/Thread.java:833)` →
    /// `java.lang.Thread.run` and `Thread.java:833)`); `location` is nil when nothing is cut.
    static func frameParts(_ bytes: UnsafeRawBufferPointer) -> (name: Range<Int>, location: Range<Int>?) {
        var end = bytes.count
        while end > 0, bytes[end - 1].isBlank || bytes[end - 1] == 0x0D { end -= 1 }
        // memchr for `(` and `/`: nearly every frame has no module or loader prefix.
        guard end > 0, let base = bytes.baseAddress else { return (0..<0, nil) }
        let open = memchr(base, 0x28, end).map { UnsafeRawPointer($0) - base } ?? end
        let nameStart = ExceptionChainParser.FrameOutline.nameStart(in: bytes, from: 0, before: open)
        var locationStart = open + 1
        if open + 1 < end, memchr(base + open + 1, 0x2F, end - open - 1) != nil {
            var scan = end - 1
            while scan > open {
                if bytes[scan] == 0x2F { locationStart = scan + 1; break }
                scan -= 1
            }
        }
        if nameStart == 0 && locationStart == open + 1 { return (0..<end, nil) }
        return (nameStart..<open, open < end ? min(locationStart, end)..<end : nil)
    }

    /// The frame without module or class loader, from bytes (this runs for every frame line).
    static func frameText(_ bytes: UnsafeRawBufferPointer) -> String {
        let parts = frameParts(bytes)
        guard let location = parts.location else { return bytes.string(parts.name) }
        return bytes.string(parts.name) + "(" + bytes.string(location)
    }

    /// The frame text of a frame given as text (JSON dumps).
    static func frameText(_ text: Substring) -> String {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { frameText(UnsafeRawBufferPointer($0)) }
    }

    /// `locked <0x…> (a Class)`, `waiting to lock …`, `parking to wait for …`, `waiting on …`:
    /// read from bytes, as every thread has a few.
    private func lockLine(_ text: UnsafeRawBufferPointer) {
        guard thread != nil else { return }
        let frameIndex = max(0, frames.value.count - 1)
        if mode == .ownableSynchronizers {
            if text.matches("None", at: 0) { return }
            let body = text.matches("locked ", at: 0) ? 7 : 0
            if let lock = LockReference.parse(UnsafeRawBufferPointer(rebasing: text[body...])) { thread?.ownableSynchronizers.append(lock) }
            return
        }
        func lock(after prefix: Int) -> LockReference? {
            LockReference.parse(UnsafeRawBufferPointer(rebasing: text[min(prefix, text.count)...]))
        }
        if text.matches("locked ", at: 0) {
            if let lock = lock(after: 7) { thread?.lockedMonitors.append((lock, frameIndex)) }
        } else if text.matches("waiting to lock ", at: 0) {
            setWait(.monitorEntry, lock(after: 16), frameIndex)
        } else if text.matches("waiting to re-lock in wait() ", at: 0) {
            setWait(.monitorEntry, lock(after: 29), frameIndex)
        } else if text.matches("blocked on ", at: 0) {
            setWait(.monitorEntry, lock(after: 11), frameIndex)
        } else if text.matches("parking to wait for ", at: 0) {
            setWait(.parked, lock(after: 20), frameIndex)
        } else if text.matches("waiting on ", at: 0) {
            let target = lock(after: 11)
            let topIsPark = frames.value.first.map { dump?.frames.method($0).hasSuffix(".park") ?? false } ?? false
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

    /// `nid=0x2f3a` or `nid=12090` from bytes; anything unusual goes through `InputNumber`.
    static func number(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let hex = bytes.matches("0x", at: 0) || bytes.matches("0X", at: 0)
        let digits = hex ? 2 : 0
        // At most 15 digits: no overflow to check for.
        guard bytes.count > digits, bytes.count - digits <= 15 else { return number(bytes.string(0..<bytes.count)[...]) }
        var value = 0
        for index in digits..<bytes.count {
            let byte = bytes[index]
            if byte.isASCIIDigit {
                value = value &* (hex ? 16 : 10) &+ Int(byte &- 0x30)
            } else if hex, byte.isASCIIHexDigit {
                value = value &* 16 &+ Int((byte | 0x20) &- 0x61 &+ 10)
            } else {
                return number(bytes.string(0..<bytes.count)[...])
            }
        }
        return InputNumber.threadId.contains(value) ? value : nil
    }

    static func number(_ text: Substring) -> Int? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return InputNumber.hex(text, in: InputNumber.threadId) }
        return InputNumber.decimal(text, in: InputNumber.threadId)
    }

    /// `897.33ms` or `1.2s` → milliseconds.
    static func duration(_ text: Substring) -> Double? {
        let range = InputNumber.milliseconds
        if text.hasSuffix("ms") { return InputNumber.real(text.dropLast(2), in: range) }
        if text.hasSuffix("s") { return InputNumber.real(text.dropLast(), in: 0...(range.upperBound / 1000)).map { $0 * 1000 } }
        return InputNumber.real(text, in: range)
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
