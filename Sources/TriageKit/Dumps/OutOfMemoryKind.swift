/// Which memory an `OutOfMemoryError` says ran out: each has its own cause and fix.
enum OutOfMemoryKind: CaseIterable {
    case heap, metaspace, directMemory, nativeThread, arraySize

    /// From the error's message (`Java heap space`, `Metaspace`, `unable to create native thread…`,
    /// OpenJ9's `Failed to create a thread: retVal …, errno 11`).
    init?(message: String) {
        let lowered = message.lowercased()
        if lowered.contains("java heap space") || lowered.contains("gc overhead limit") {
            self = .heap
        } else if lowered.contains("metaspace") || lowered.contains("compressed class space") || lowered.contains("permgen") {
            self = .metaspace
        } else if lowered.contains("direct buffer memory") {
            self = .directMemory
        } else if lowered.contains("native thread") || lowered.contains("failed to create a thread") {
            self = .nativeThread
        } else if lowered.contains("array size exceeds") {
            self = .arraySize
        } else {
            return nil
        }
    }

    /// The fact a dump written because of this error establishes (a javacore's `1TISIGINFO`).
    var dumpFact: String {
        switch self {
        case .heap: "dump-written-for-heap-exhaustion"
        case .metaspace: "dump-written-for-metaspace-exhaustion"
        case .directMemory: "dump-written-for-direct-memory-exhaustion"
        case .nativeThread: "dump-written-for-native-thread-failure"
        case .arraySize: "dump-written-for-array-size-limit"
        }
    }

    /// The dump's reason when it names an OutOfMemoryError (`OutOfMemoryError: Java heap space`).
    static func of(dumpReason reason: String) -> OutOfMemoryKind? {
        guard reason.contains("OutOfMemoryError") else { return nil }
        return OutOfMemoryKind(message: reason)
    }
}
