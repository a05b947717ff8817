#if canImport(Glibc)
import Glibc
#endif

/// Identifies "the same exception" across occurrences: the exception classes of the chain and
/// their frames (class and method, no line numbers), with generated names normalised.
///
/// Reflection plumbing is left out: the JVM calls a method through `NativeMethodAccessorImpl`
/// for its first ~15 calls and through a `GeneratedMethodAccessorN` after, so one code path
/// would otherwise yield two fingerprints.
public struct ExceptionFingerprint: Hashable, Sendable, Comparable, CustomStringConvertible {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Frames hashed per exception; deeper frames rarely tell two failures apart and make
    /// one failure reached from many callers look like many.
    public static let framesPerException = 24

    public init() {}

    public init(value: UInt64) { self.value = value }

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Eight bytes per step (a trace hashes a kilobyte of frame names), then the tail bytewise;
    /// the shift folds high bits down, which the multiply alone never moves.
    @inline(__always)
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            hash = (hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            index += 8
        }
        while index < count {
            hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01b3
            index += 1
        }
        value = hash
    }

    /// Adds a class name with generated parts (`$Proxy183`, `$$Lambda$12/0x…`, CGLIB and
    /// javassist suffixes, `GeneratedMethodAccessor85`) reduced to their stable stem.
    mutating func addClassName(_ name: UnsafeRawBufferPointer) {
        add(UnsafeRawBufferPointer(rebasing: name[0..<ExceptionFingerprint.stableLength(ofClassName: name)]))
        add(0x01)
    }

    /// Adds a method name; `lambda$run$3` loses its counter.
    mutating func addMethodName(_ name: UnsafeRawBufferPointer) {
        var end = name.count
        if name.matches("lambda$", at: 0) {
            while end > 0, name[end - 1].isASCIIDigit { end -= 1 }
        }
        add(UnsafeRawBufferPointer(rebasing: name[0..<end]))
        add(0x02)
    }

    /// How much of a class name survives normalisation.
    @inline(__always)
    static func stableLength(ofClassName name: UnsafeRawBufferPointer) -> Int {
        let count = name.count
        guard count > 0, let base = name.baseAddress else { return 0 }
        // Nearly every name has no `$` and does not end in a digit: nothing to normalise.
        let hasDollar = memchr(base, 0x24, count) != nil
        if !hasDollar && !name[count - 1].isASCIIDigit { return count }
        return normalisedLength(name, hasDollar: hasDollar)
    }

    private static func normalisedLength(_ name: UnsafeRawBufferPointer, hasDollar: Bool) -> Int {
        var end = name.count
        if hasDollar, let cut = generatedMarkerEnd(name) { end = cut }
        // Trailing counters: GeneratedMethodAccessor85, $Proxy183, _$$_javassist_12
        if name[end - 1].isASCIIDigit {
            var start = end
            while start > 0, name[start - 1].isASCIIDigit { start -= 1 }
            let stem = UnsafeRawBufferPointer(rebasing: name[0..<start])
            if stem.matches("Accessor", at: stem.count - 8) || stem.matches("$Proxy", at: stem.count - 6)
                || stem.last == 0x5F {
                end = start
            }
        }
        return end
    }

    /// Where the first generated-class marker ends (`Svc$$EnhancerBy|SpringCGLIB$$5f2a`): every
    /// marker has a `$` first or second, so only the `$` positions are tried.
    private static func generatedMarkerEnd(_ name: UnsafeRawBufferPointer) -> Int? {
        var position = 0
        while position < name.count {
            // Every marker's `$` is followed by `$`, `B`, `H` or `M`: most `$`s (`Outer$1`,
            // `ThreadPoolExecutor$Worker`) are passed over with one look.
            if name[position] == 0x24, position + 1 < name.count, followsMarkerDollar(name[position + 1]) {
                for marker in generatedMarkers {
                    let start = marker.utf8Start[0] == 0x24 ? position : position - 1
                    if name.matches(marker, at: start) { return start + marker.utf8CodeUnitCount }
                }
            }
            position += 1
        }
        return nil
    }

    private static let generatedMarkers: [StaticString] = [
        "$$Lambda", "$$EnhancerBy", "$$FastClassBy", "$$SpringCGLIB", "$$KeyFactoryBy",
        "_$$_javassist", "_$$_jvst", "$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$",
    ]

    /// Whether `byte` follows a `$` in one of `generatedMarkers` (`$`, `B`, `H`, `M`).
    @inline(__always)
    private static func followsMarkerDollar(_ byte: UInt8) -> Bool {
        byte == 0x24 || byte == 0x42 || byte == 0x48 || byte == 0x4D
    }

    /// Reflection dispatch frames, skipped when fingerprinting.
    static func isReflectionFrame(className name: UnsafeRawBufferPointer) -> Bool {
        name.matches("sun.reflect.", at: 0) || name.matches("jdk.internal.reflect.", at: 0)
            || (name.count == 24 && name.matches("java.lang.reflect.Method", at: 0))
    }

    public static func < (lhs: ExceptionFingerprint, rhs: ExceptionFingerprint) -> Bool { lhs.value < rhs.value }

    /// Sixteen hex digits, the form reports and JSON use.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
