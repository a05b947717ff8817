/// Reads IBM/OpenJ9 javacores (and the legacy 1.4 format) by their tags: `1TIDATETIME`,
/// `3XMTHREADINFO` (+ `3XMJAVALTHREAD`, `3XMTHREADINFO1`), `3XMCPUTIME`, `3XMTHREADBLOCK`,
/// `4XESTACKTRACE` (slash-separated class names), `5XESTACKTRACE` entered locks and the
/// `1LKDEADLOCK` report. Every other section (classes, memory, environment) is skipped
/// without making a string of it.
public final class JavacoreParser {
    private let source: String
    private let emit: (ThreadDump) -> Void
    private var dump: ThreadDump?
    private var thread: DumpThread?
    private var skippingNativeThread = false
    private var deadlockCycle: [String] = []
    /// J9 prints the thread that took the dump under `1XMCURTHDINFO` and not again in the list;
    /// the legacy format prints it in both places. It is kept once either way.
    private var inCurrentThreadSection = false
    private var currentThread: DumpThread?
    /// Reused for frame text.
    private var scratch: [UInt8] = []

    public init(source: String, emit: @escaping (ThreadDump) -> Void) {
        self.source = source
        self.emit = emit
    }

    public func line(_ bytes: UnsafeRawBufferPointer, number: Int) {
        guard bytes.count > 4 else { return }
        let first = bytes[0]
        // Tags start with a digit; only a few families matter.
        switch (first, bytes[1], bytes[2]) {
        case (0x30, 0x53, 0x45):   // 0SECTION
            section(bytes, number: number)
        case (0x31, 0x54, 0x49), (0x31, 0x43, 0x49):   // 1TI…, 1CI…
            info(bytes)
        case (0x31, 0x58, 0x4D):   // 1XMCURTHDINFO, 1XMTHDINFO
            finishThread()
            inCurrentThreadSection = bytes.matches("1XMCURTHDINFO", at: 0)
        case (0x33, 0x58, 0x4D), (0x34, 0x58, 0x45), (0x35, 0x58, 0x45), (0x32, 0x58, 0x4D):   // 3XM, 4XE, 5XE, 2XM
            threadLine(bytes, number: number)
        case (0x31, 0x4C, 0x4B), (0x32, 0x4C, 0x4B):   // 1LK…, 2LK…
            deadlockLine(bytes)
        default:
            break
        }
    }

    public func finish() {
        finishThread()
        recordDeadlock()
        if let current = currentThread, let dump {
            dump.currentThread = current.name
            if !dump.threads.contains(where: { $0.name == current.name }) { dump.threads.insert(current, at: 0) }
        }
        currentThread = nil
        inCurrentThreadSection = false
        if let dump, !dump.threads.isEmpty { emit(dump) }
        dump = nil
    }

    private func tagAndBody(_ bytes: UnsafeRawBufferPointer) -> (tag: Substring, body: Substring) {
        let text = bytes.string(0..<bytes.count)
        let tag = text.prefix { $0 != " " && $0 != "\t" }
        let body = text[tag.endIndex...].drop { $0 == " " || $0 == "\t" }
        return (tag, body)
    }

    private func section(_ bytes: UnsafeRawBufferPointer, number: Int) {
        let (_, body) = tagAndBody(bytes)
        if body.hasPrefix("TITLE") {
            finish()
            dump = ThreadDump(source: source, line: number, format: .javacore)
        } else if body.hasPrefix("Javadump End") {
            finish()
        } else {
            finishThread()
        }
    }

    private func info(_ bytes: UnsafeRawBufferPointer) {
        guard let dump else { return }
        let (tag, body) = tagAndBody(bytes)
        switch tag {
        case "1TIDATETIME":
            // `Date: 2019/11/05 at 22:50:18:657` (newer: `Date: 2019/11/05 at 22:50:18:657`, or with a zone)
            let text = body.replacingAll("Date:", with: "").replacingAll(" at ", with: " ").trimmingWhitespace()
            let parts = text.split(separator: " ")
            if parts.count >= 2 {
                var time = parts[1]
                // 22:50:18:657 → 22:50:18,657
                if time.filter({ $0 == ":" }).count == 3, let last = time.lastIndex(of: ":") {
                    time = time[..<last] + "," + time[time.index(after: last)...]
                }
                dump.timestamp = LogTimestamp.parse(parts[0].replacingAll("/", with: "-") + " " + time)
            }
        case "1CIJAVAVERSION":
            dump.jvm = body.trimmingWhitespace()
        case "1TISIGINFO":
            dump.reason = JavacoreParser.reason(body)
        case "1CIPROCESSID":
            // `Process ID: 17 (0x11)`
            if let range = body.firstRange(ofASCII: "Process ID:") {
                let digits = body[range.upperBound...].drop { $0 == " " }.prefix { $0.isASCII && $0.isNumber }
                dump.processId = InputNumber.decimal(digits, in: InputNumber.threadId)
            }
        default:
            break
        }
    }

    /// `Dump Event "systhrow" (00040000) Detail "java/lang/OutOfMemoryError" "Java heap space" received`
    /// → `OutOfMemoryError: Java heap space`; `"gpf"` → a crash; `"user"` → a user's request.
    static func reason(_ body: Substring) -> String {
        let quoted = body.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        guard let event = quoted.first else { return body.trimmingWhitespace() }
        let detail = quoted.dropFirst().map { $0.replacingAll("/", with: ".") }
        switch event {
        case "systhrow", "throw", "catch", "uncaught":
            guard let thrown = detail.first else { return "an exception was thrown (\(event))" }
            let simple = thrown.split(separator: ".").last.map(String.init) ?? thrown
            return simple + (detail.count > 1 ? ": " + detail[1] : "")
        case "gpf": return "the JVM crashed (gpf, a general protection fault)"
        case "abort": return "the JVM aborted"
        case "user": return "a user asked for it (kill -3 or jcmd)"
        case "vmstop": return "the JVM was stopping"
        case "slow": return "a slow exclusive access"
        default: return "dump event \(event)" + (detail.isEmpty ? "" : " " + detail.joined(separator: " "))
        }
    }

    private func threadLine(_ bytes: UnsafeRawBufferPointer, number: Int) {
        // Stack lines are most of a javacore: read from bytes, and the native ones skipped.
        if bytes.matches("4XESTACKTRACE", at: 0) {
            stackLine(bytes)
            return
        }
        if bytes.matches("4XENATIVESTACK", at: 0) || bytes.matches("3XMHEAPALLOC", at: 0) || bytes.matches("3XMTHREADINFO2", at: 0)
            || bytes.matches("3XMTHREADINFO3", at: 0) {
            return
        }
        let (tag, body) = tagAndBody(bytes)
        switch tag {
        case "3XMTHREADINFO":
            threadHeader(body, number: number)
        case "2XMFULLTHDDUMP":
            dump?.format = .javacoreLegacy
        case "3XMJAVALTHREAD":
            // (java/lang/Thread getId:0x9, isDaemon:true)
            if let id = value(after: "getId:", in: body) { thread?.javaId = id }
            thread?.daemon = body.firstRange(ofASCII: "isDaemon:true") != nil
        case "3XMTHREADINFO1":
            if let id = value(after: "native thread ID:", in: body) {
                thread?.nativeId = HotSpotDumpParser.number(id[...])
            }
        case "3XMCPUTIME":
            // CPU usage total: 0.003525050 secs, current category="JIT"
            if let total = value(after: "CPU usage total:", in: body), let seconds = InputNumber.real(total, in: 0...(InputNumber.milliseconds.upperBound / 1000)) {
                thread?.cpuMilliseconds = seconds * 1000
            }
        case "3XMTHREADBLOCK":
            blockLine(body)
        case "5XESTACKTRACE":
            // (entered lock: java/util/TaskQueue@0x00000000E05FF328, entry count: 1)
            if let range = body.firstRange(ofASCII: "entered lock:"), thread != nil {
                let rest = body[range.upperBound...].prefix { $0 != "," }
                if let lock = LockReference.parse(rest) {
                    let frame = max(0, (thread?.frames.count ?? 1) - 1)
                    thread?.lockedMonitors.append((lock, frame))
                }
            }
        default:
            break
        }
    }

    /// `4XESTACKTRACE                at com/ibm/Foo$Bar.run(Foo.java:12)`: the frame, with dots
    /// for slashes in its name, interned from bytes.
    private func stackLine(_ bytes: UnsafeRawBufferPointer) {
        guard let dump, thread != nil else { return }
        let start = bytes.skippingBlanks(from: 13)
        guard bytes.matches("at ", at: start) else { return }
        var begin = bytes.skippingBlanks(from: start + 3)
        var end = bytes.count
        while end > begin, bytes[end - 1].isBlank || bytes[end - 1] == 0x0D { end -= 1 }
        guard begin < end else { return }
        scratch.removeAll(keepingCapacity: true)
        var inName = true
        while begin < end {
            let byte = bytes[begin]
            if byte == 0x28 { inName = false }
            scratch.append(inName && byte == 0x2F ? 0x2E : byte)
            begin += 1
        }
        let id = scratch.withUnsafeBytes { dump.frames.intern(bytes: $0) }
        thread?.frames.append(id)
    }

    /// `"name" J9VMThread:0x…, omrthread_t:0x…, java/lang/Thread:0x…, state:R, prio=5`, or
    /// legacy `"name" (TID:0x…, sys_thread_t:0x…, state:CW, native ID:0x1580) prio=5`.
    private func threadHeader(_ body: Substring, number: Int) {
        finishThread()
        guard body.hasPrefix("\""), let close = body.lastIndex(of: "\""), close > body.startIndex else {
            skippingNativeThread = true   // `Anonymous native thread`: not a Java thread
            return
        }
        skippingNativeThread = false
        if dump == nil { dump = ThreadDump(source: source, line: number, format: .javacore) }
        var thread = DumpThread(name: String(body[body.index(after: body.startIndex)..<close].prefix(DumpThread.maxNameBytes)), line: number)
        let attributes = body[body.index(after: close)...]
        if let state = value(after: "state:", in: attributes) { thread.state = ThreadState.javacore(state[...]) }
        if let native = value(after: "native ID:", in: attributes) { thread.nativeId = HotSpotDumpParser.number(native[...]) }
        self.thread = thread
    }

    /// `Blocked on: X@0x… Owned by: "name" (J9VMThread:…)`, `Waiting on: …`, `Parked on: …`.
    private func blockLine(_ body: Substring) {
        guard thread != nil else { return }
        let kind: WaitKind
        let rest: Substring
        if body.hasPrefix("Blocked on:") {
            kind = .monitorEntry
            rest = body.dropFirst(11)
        } else if body.hasPrefix("Waiting on:") {
            kind = .objectWait
            rest = body.dropFirst(11)
        } else if body.hasPrefix("Parked on:") {
            kind = .parked
            rest = body.dropFirst(10)
        } else {
            return
        }
        let lockText = rest.drop { $0 == " " }.prefix { $0 != " " }
        thread?.waitKind = kind
        thread?.waitingFor = LockReference.parse(lockText)
        thread?.waitFrame = 0
        if let owned = rest.firstRange(ofASCII: "Owned by: \""), let end = rest[owned.upperBound...].firstIndex(of: "\"") {
            thread?.waitingForOwner = String(rest[owned.upperBound..<end])
        }
    }

    private func deadlockLine(_ bytes: UnsafeRawBufferPointer) {
        let (tag, body) = tagAndBody(bytes)
        if tag == "1LKDEADLOCK" {
            recordDeadlock()
        } else if tag == "2LKDEADLOCKTHR", let open = body.firstIndex(of: "\""), let close = body.lastIndex(of: "\""), open < close {
            let name = String(body[body.index(after: open)..<close])
            // The report closes the cycle by naming its first thread again.
            if deadlockCycle.first == name, deadlockCycle.count > 1 {
                recordDeadlock()
            } else {
                deadlockCycle.append(name)
            }
        }
    }

    private func recordDeadlock() {
        if deadlockCycle.count > 1 { dump?.reportedDeadlocks.append(deadlockCycle) }
        deadlockCycle = []
    }

    private func finishThread() {
        if let thread {
            if inCurrentThreadSection { currentThread = thread } else { dump?.threads.append(thread) }
        }
        thread = nil
    }

    /// The word after `label` up to `,` `)` or a blank.
    private func value(after label: StaticString, in text: Substring) -> String? {
        guard let range = text.firstRange(ofASCII: label) else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        let word = rest.prefix { $0 != "," && $0 != ")" && $0 != " " }
        return word.isEmpty ? nil : String(word)
    }
}
