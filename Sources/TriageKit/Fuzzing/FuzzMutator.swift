/// Deterministic mutations of an input, the kinds that broke triage before it was fuzzed:
/// bytes flipped, lines cut, duplicated and swapped, numbers enlarged, a target's words
/// spliced in, long runs of blanks. The test suite's fuzz smoke and `triage-fuzz` without
/// libFuzzer use it; libFuzzer has mutators of its own.
public struct FuzzMutator {
    private var random: SplitMix64
    private let dictionary: [[UInt8]]
    /// Mutated inputs are cut to this size, as libFuzzer's `-max_len` does.
    public let maxLength: Int

    public init(seed: UInt64, dictionary: [String], maxLength: Int = 64 << 10) {
        random = SplitMix64(seed: seed)
        self.dictionary = dictionary.map { Array($0.utf8) }
        self.maxLength = maxLength
    }

    /// One to four mutations of `input`.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) { mutateOnce(&bytes) }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }

    private static let extremes = ["99999999999999999999", "9223372036854775807", "9223372036854775808",
                                   "-9223372036854775808", "18446744073709551616", "1e309", "inf", "nan", "-1", "0", "65536",
                                   "0xffffffffffffffffff"].map { Array($0.utf8) }

    private mutating func mutateOnce(_ bytes: inout [UInt8]) {
        let position = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
        switch random.below(9) {
        case 0 where !bytes.isEmpty:
            bytes[min(position, bytes.count - 1)] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
        case 1 where !bytes.isEmpty:
            bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            // Cut: a truncated copy, a line cut short.
            let end = min(bytes.count, position + random.below(256))
            bytes.removeSubrange(position..<end)
        case 3:
            // A line repeated (a log line written twice, a deep chain, many locks).
            let line = lineRange(around: position, in: bytes)
            let copies = [1, 2, 50, 2_000][random.below(4)]
            let text = Array(bytes[line])
            var repeated: [UInt8] = []
            for _ in 0..<copies where repeated.count < maxLength { repeated += text }
            bytes.insert(contentsOf: repeated, at: line.upperBound)
        case 4:
            // Two lines swapped.
            let first = lineRange(around: position, in: bytes)
            let second = lineRange(around: bytes.isEmpty ? 0 : random.below(bytes.count + 1), in: bytes)
            guard first.upperBound <= second.lowerBound else { return }
            let a = Array(bytes[first]), b = Array(bytes[second])
            bytes.replaceSubrange(second, with: a)
            bytes.replaceSubrange(first, with: b)
        case 5:
            // A number made extreme.
            var start = position
            while start < bytes.count, !bytes[start].isASCIIDigit { start += 1 }
            var end = start
            while end < bytes.count, bytes[end].isASCIIDigit { end += 1 }
            let value = Self.extremes[random.below(Self.extremes.count)]
            if start < bytes.count { bytes.replaceSubrange(start..<end, with: value) } else { bytes += value }
        case 6 where !dictionary.isEmpty:
            bytes.insert(contentsOf: dictionary[random.below(dictionary.count)], at: position)
        case 7:
            // A long run of blanks (columns padded by a tool, a wrapper gone wrong).
            let blank: UInt8 = random.below(2) == 0 ? 0x20 : 0x09
            bytes.insert(contentsOf: repeatElement(blank, count: [3, 100, 5_000][random.below(3)]), at: position)
        default:
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        }
    }

    private func lineRange(around position: Int, in bytes: [UInt8]) -> Range<Int> {
        var start = min(position, bytes.count)
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = min(position, bytes.count)
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return start..<min(bytes.count, end + 1)
    }
}
