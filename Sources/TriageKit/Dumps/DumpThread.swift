import Foundation

/// One thread of a dump.
public struct DumpThread: Sendable {
    /// Names longer than this are kept cut; they go into the report, group keys and samples.
    static let maxNameBytes = 256
    public var name: String
    /// The input line of the thread's header.
    public var line: Int
    /// `#31`, `t@332`, a javacore `getId` — the Java thread id as printed.
    public var javaId: String?
    /// The OS thread id (`nid`, javacore `native thread ID`): what `top -H` shows as PID.
    public var nativeId: Int?
    public var daemon = false
    public var state: ThreadState = .unknown
    /// `parking`, `on object monitor`, `sleeping`…
    public var stateDetail: String?
    public var cpuMilliseconds: Double?
    /// Frames, top first, as indices into the dump's `FrameTable`.
    public var frames: [Int32] = []
    /// What the thread waits for, if it waits.
    public var waitKind: WaitKind?
    public var waitingFor: LockReference?
    /// The frame index the wait was printed under.
    public var waitFrame: Int?
    /// The owner of the awaited lock when the dump names it (javacore `Owned by:`,
    /// ThreadInfo's `owned by`).
    public var waitingForOwner: String?
    /// Monitors locked (with the frame index under which each was printed) and ownable
    /// synchronizers held.
    public var lockedMonitors: [(lock: LockReference, frame: Int)] = []
    public var ownableSynchronizers: [LockReference] = []
    /// `Carrying virtual thread #21` on a carrier thread.
    public var carriedVirtualThread: String?
    /// A virtual thread (listed by jcmd's JSON dump).
    public var isVirtual = false
    /// The platform thread a virtual thread is mounted on (jcmd JSON's `carrier`, a thread id).
    public var carrierId: String?

    public init(name: String, line: Int) {
        self.name = name
        self.line = line
    }

    /// Locks this thread holds: its monitors (except one it is waiting on, which `wait()` has
    /// released) and its ownable synchronizers.
    public var heldLocks: [LockReference] {
        var held = lockedMonitors.map(\.lock).filter { waitKind != .objectWait || $0.key != waitingFor?.key }
        held += ownableSynchronizers
        return held
    }

    /// The pool the thread belongs to: its name with trailing numbers folded,
    /// `http-nio-8080-exec-12` → `http-nio-8080-exec-*`.
    public var poolName: String {
        ThreadNaming.pool(of: name)
    }
}

/// Folding thread names into pools.
enum ThreadNaming {
    /// `http-nio-8080-exec*` for `http-nio-8080-exec-12`: the name without its trailing digits.
    /// On UTF-8: digits are ASCII, and this runs for every thread of every dump.
    static func pool(of name: String) -> String {
        let utf8 = name.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex {
            let before = utf8.index(before: end)
            guard utf8[before] &- 0x30 < 10 else { break }
            end = before
        }
        guard end < utf8.endIndex, end > utf8.startIndex else { return name }
        return String(decoding: utf8[..<end], as: UTF8.self) + "*"
    }
}

/// Frame texts of one dump, each stored once: thousands of threads share most frames.
///
/// Frames are told apart by their bytes, in an open-addressing table of their hashes: a
/// frame seen before costs a hash, a probe and a memcmp, no `String` (this runs for every
/// frame line of every dump).
public final class FrameTable: @unchecked Sendable {
    /// Longer frames are kept cut (real ones, lambdas and generated classes included, stay
    /// well under it).
    static let maxFrameBytes = 1024
    public private(set) var texts: [String] = []
    /// Behind a pointer: the table is probed on every frame line, and a class's stored
    /// properties cost a run-time exclusivity check on each touch.
    private let index = UncheckedBox(ByteIndex())

    /// Frames by the hash of their bytes: open addressing, kept under half full.
    private struct ByteIndex {
        /// The frames' bytes back to back; frame `id` ends at `ends[id]`.
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var hashes: [UInt64] = []
        /// Slot → frame id + 1 (0: empty).
        var slots = [Int32](repeating: 0, count: 256)

        /// The frame's id, or the slot where it would go.
        func find(_ frame: UnsafeRawBufferPointer, hash: UInt64) -> (id: Int32?, slot: Int) {
            let mask = slots.count - 1
            var slot = ByteIndex.slot(of: hash, mask: mask)
            while slots[slot] != 0 {
                let id = Int(slots[slot] - 1)
                if hashes[id] == hash, sameBytes(id, frame) { return (Int32(id), slot) }
                slot = (slot + 1) & mask
            }
            return (nil, slot)
        }

        mutating func insert(_ frame: UnsafeRawBufferPointer, hash: UInt64, id: Int32, at slot: Int) {
            bytes.append(contentsOf: frame)
            ends.append(bytes.count)
            hashes.append(hash)
            slots[slot] = id + 1
            if hashes.count * 2 > slots.count { grow() }
        }

        private func sameBytes(_ id: Int, _ frame: UnsafeRawBufferPointer) -> Bool {
            let start = id == 0 ? 0 : ends[id - 1]
            guard ends[id] - start == frame.count else { return false }
            return bytes.withUnsafeBytes { stored in
                frame.isEmpty || memcmp(stored.baseAddress! + start, frame.baseAddress!, frame.count) == 0
            }
        }

        /// The high bits of a multiplicative mix: the hash's low bits alone cluster.
        @inline(__always)
        private static func slot(of hash: UInt64, mask: Int) -> Int {
            Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        }

        private mutating func grow() {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            let mask = slots.count - 1
            for (id, hash) in hashes.enumerated() {
                var slot = ByteIndex.slot(of: hash, mask: mask)
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id + 1)
            }
        }
    }

    public init() {}

    func intern(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { intern(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The id of the frame whose text is `bytes` (UTF-8), adding it if new.
    func intern(bytes frame: UnsafeRawBufferPointer) -> Int32 {
        var hasher = ExceptionFingerprint()
        hasher.add(frame)
        let hash = hasher.value
        let (known, slot) = index.value.find(frame, hash: hash)
        if let known { return known }
        let id = Int32(texts.count)
        texts.append(frame.string(0..<frame.count, limit: FrameTable.maxFrameBytes))
        index.value.insert(frame, hash: hash, id: id, at: slot)
        return id
    }

    public subscript(id: Int32) -> String { texts[Int(id)] }

    /// `java.net.SocketInputStream.socketRead0` from `java.net.SocketInputStream.socketRead0(Native Method)`.
    public func method(_ id: Int32) -> Substring {
        let text = texts[Int(id)]
        return text[..<(text.firstIndex(of: "(") ?? text.endIndex)]
    }
}

/// One thread dump: a snapshot of every thread of a JVM at one moment.
public final class ThreadDump: @unchecked Sendable {
    public enum Format: String, Codable, Sendable {
        case hotspot, visualVM = "visualvm", jmx, javacore, javacoreLegacy = "javacore-1.4"
        case actuatorJSON = "actuator-json", jcmdJSON = "jcmd-json"
        /// JDK 21+ `jcmd PID Thread.dump_to_file` as text: `#23 "name" virtual`, frames without `at`.
        case jcmdText = "jcmd-text"
        /// Oracle/BEA JRockit: `===== FULL THREAD DUMP`, `"name" id=1 idx=0x4 tid=4184 prio=5 alive, in native`.
        case jrockit
    }

    public let source: String
    /// The first line of the dump in its input.
    public let line: Int
    public var format: Format
    public var timestamp: LogTimestamp?
    /// `OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode)` and the like.
    public var jvm: String?
    /// The JVM's process id, where the dump says it (jcmd's `4242:` line, a javacore's
    /// `1CIPROCESSID`, jcmd JSON's `processId`): which JVM a dump belongs to.
    public var processId: Int?
    /// Why the dump was written, where it says (a javacore's `1TISIGINFO`): an OutOfMemoryError,
    /// a crash, a user's signal.
    public var reason: String?
    /// The thread that was running when the dump was written (a javacore's `1XMCURTHDINFO`):
    /// for an OutOfMemoryError, the one whose allocation failed.
    public var currentThread: String?
    public var threads: [DumpThread] = []
    public let frames = FrameTable()
    /// Deadlocks the JVM itself reported (`Found one Java-level deadlock`, `1LKDEADLOCK`),
    /// as the thread names of each cycle.
    public var reportedDeadlocks: [[String]] = []

    public init(source: String, line: Int, format: Format) {
        self.source = source
        self.line = line
        self.format = format
    }
}
