import Foundation

/// Reads JSON thread dumps: Spring Boot Actuator's `/threaddump` (`{"threads":[…]}`) and
/// `jcmd <pid> Thread.dump_to_file -format=json` (`{"threadDump":{…}}`). The JSON text is held
/// until its braces balance (its size follows the thread count), then decoded.
public final class ThreadDumpJSONParser {
    private let source: String
    private let emit: (ThreadDump) -> Void
    private var text: [UInt8] = []
    private var firstLine = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// A dump larger than this is not decoded (it would not be a thread dump).
    private let limit = 256 << 20

    public init(source: String, emit: @escaping (ThreadDump) -> Void) {
        self.source = source
        self.emit = emit
    }

    /// Feeds a line; returns true when the JSON document ended with it.
    @discardableResult
    public func line(_ bytes: UnsafeRawBufferPointer, number: Int) -> Bool {
        if text.isEmpty {
            firstLine = number
            // jcmd's JSON opens with a lone `{` line, which arrived before the section was known.
            let start = bytes.skippingBlanks(from: 0)
            if start < bytes.count, bytes[start] != 0x7B {
                text.append(contentsOf: [0x7B, 0x0A])
                depth = 1
            }
        }
        guard text.count + bytes.count < limit else { return false }
        text.append(contentsOf: bytes)
        text.append(0x0A)
        for byte in bytes {
            if escaped { escaped = false; continue }
            if inString {
                if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            if byte == 0x22 { inString = true } else if byte == 0x7B { depth += 1 } else if byte == 0x7D { depth -= 1 }
        }
        if depth <= 0 && !text.isEmpty {
            finish()
            return true
        }
        return false
    }

    public func finish() {
        defer {
            text.removeAll(keepingCapacity: false)
            depth = 0
            inString = false
        }
        guard !text.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(text)) as? [String: Any] else { return }
        if let threads = object["threads"] as? [[String: Any]] {
            emit(actuator(threads))
        } else if let dump = object["threadDump"] as? [String: Any] {
            emit(jcmd(dump))
        }
    }

    private func actuator(_ threads: [[String: Any]]) -> ThreadDump {
        let dump = ThreadDump(source: source, line: firstLine, format: .actuatorJSON)
        for entry in threads {
            var thread = DumpThread(name: String((entry["threadName"] as? String ?? "?").prefix(DumpThread.maxNameBytes)), line: firstLine)
            if let id = entry["threadId"] as? Int { thread.javaId = "\(id)" }
            thread.daemon = entry["daemon"] as? Bool ?? false
            thread.state = (entry["threadState"] as? String).flatMap { ThreadState(rawValue: $0) } ?? .unknown
            for frame in entry["stackTrace"] as? [[String: Any]] ?? [] {
                let className = frame["className"] as? String ?? "?"
                let method = frame["methodName"] as? String ?? "?"
                let location: String
                if frame["nativeMethod"] as? Bool == true {
                    location = "Native Method"
                } else if let file = frame["fileName"] as? String {
                    let line = frame["lineNumber"] as? Int ?? -1
                    location = line >= 0 ? "\(file):\(line)" : file
                } else {
                    location = "Unknown Source"
                }
                thread.frames.append(dump.frames.intern("\(className).\(method)(\(location))"))
            }
            if let lockName = entry["lockName"] as? String, let lock = LockReference.parse(lockName[...]) {
                thread.waitingFor = lock
                thread.waitKind = thread.state == .blocked ? .monitorEntry : .parked
                thread.waitFrame = 0
                thread.waitingForOwner = entry["lockOwnerName"] as? String
            }
            for monitor in entry["lockedMonitors"] as? [[String: Any]] ?? [] {
                if let lock = lockReference(monitor) {
                    thread.lockedMonitors.append((lock, monitor["lockedStackDepth"] as? Int ?? 0))
                }
            }
            for synchronizer in entry["lockedSynchronizers"] as? [[String: Any]] ?? [] {
                if let lock = lockReference(synchronizer) { thread.ownableSynchronizers.append(lock) }
            }
            dump.threads.append(thread)
        }
        return dump
    }

    private func lockReference(_ entry: [String: Any]) -> LockReference? {
        guard let className = entry["className"] as? String, let hash = entry["identityHashCode"] as? Int else { return nil }
        return LockReference(key: "\(className)@\(String(hash, radix: 16))", className: className)
    }

    private func jcmd(_ object: [String: Any]) -> ThreadDump {
        let dump = ThreadDump(source: source, line: firstLine, format: .jcmdJSON)
        if let version = object["runtimeVersion"] as? String { dump.jvm = version }
        if let process = object["processId"] as? String { dump.processId = InputNumber.decimal(process, in: InputNumber.threadId) }
        if let time = object["time"] as? String { dump.timestamp = LogTimestamp.parse(String(time.prefix(23))) }
        // Later JDKs add what a thread waits for and who owns it (`parkBlocker.owner`): a
        // ReentrantLock's owner known without `jstack -l`. The owner holds the lock.
        var owned: [(owner: String, lock: LockReference)] = []
        for container in object["threadContainers"] as? [[String: Any]] ?? [] {
            for entry in container["threads"] as? [[String: Any]] ?? [] {
                var thread = DumpThread(name: String((entry["name"] as? String ?? "").prefix(DumpThread.maxNameBytes)), line: firstLine)
                thread.javaId = entry["tid"] as? String
                thread.isVirtual = entry["virtual"] as? Bool ?? false
                if let state = (entry["state"] as? String).flatMap({ ThreadState(rawValue: $0) }) { thread.state = state }
                for frame in entry["stack"] as? [String] ?? [] {
                    thread.frames.append(dump.frames.intern(HotSpotDumpParser.frameText(frame[...])))
                }
                if let monitor = (entry["blockedOn"] as? String).flatMap({ LockReference.parse($0[...]) }) {
                    thread.waitingFor = monitor
                    thread.waitKind = .monitorEntry
                    thread.waitFrame = 0
                } else if let blocker = entry["parkBlocker"] as? [String: Any],
                          let lock = (blocker["object"] as? String).flatMap({ LockReference.parse($0[...]) }) {
                    thread.waitingFor = lock
                    thread.waitKind = .parkedOnLock
                    thread.waitFrame = 0
                    if let owner = blocker["owner"] as? String { owned.append((owner, lock)) }
                } else if let object = (entry["waitingOn"] as? String).flatMap({ LockReference.parse($0[...]) }) {
                    thread.waitingFor = object
                    thread.waitKind = .objectWait
                }
                for entry in entry["monitorsOwned"] as? [[String: Any]] ?? [] {
                    let depth = entry["depth"] as? Int ?? 0
                    for lock in (entry["locks"] as? [String] ?? []).compactMap({ LockReference.parse($0[...]) }) {
                        thread.lockedMonitors.append((lock, depth))
                    }
                }
                if let carrier = entry["carrier"] as? String { thread.carrierId = carrier }
                dump.threads.append(thread)
            }
        }
        for (owner, lock) in owned {
            if let index = dump.threads.firstIndex(where: { $0.javaId == owner }) { dump.threads[index].ownableSynchronizers.append(lock) }
        }
        return dump
    }
}
