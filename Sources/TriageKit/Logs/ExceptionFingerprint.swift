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

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes { add(byte) }
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
    static func stableLength(ofClassName name: UnsafeRawBufferPointer) -> Int {
        var end = name.count
        guard end > 0 else { return 0 }
        if name.firstIndex(of: 0x24, from: 0) != nil {   // `$`: proxies, lambdas, CGLIB, javassist
            for marker in generatedMarkers {
                if let position = find(marker, in: name, before: end) {
                    end = position + marker.utf8CodeUnitCount
                }
            }
        }
        // Trailing counters: GeneratedMethodAccessor85, $Proxy183, _$$_javassist_12
        if name[end - 1].isASCIIDigit {
            var start = end
            while start > 0, name[start - 1].isASCIIDigit { start -= 1 }
            let stem = UnsafeRawBufferPointer(rebasing: name[0..<start])
            if stem.count >= 8 && (stem.matches("Accessor", at: stem.count - 8) || stem.matches("$Proxy", at: stem.count - 6))
                || stem.last == 0x5F {
                end = start
            }
        }
        return end
    }

    private static let generatedMarkers: [StaticString] = [
        "$$Lambda", "$$EnhancerBy", "$$FastClassBy", "$$SpringCGLIB", "$$KeyFactoryBy",
        "_$$_javassist", "_$$_jvst", "$ByteBuddy$", "$HibernateProxy$", "$MockitoMock$",
    ]

    private static func find(_ marker: StaticString, in name: UnsafeRawBufferPointer, before end: Int) -> Int? {
        let length = marker.utf8CodeUnitCount
        guard end >= length else { return nil }
        for position in 0...(end - length) where name.matches(marker, at: position) { return position }
        return nil
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
