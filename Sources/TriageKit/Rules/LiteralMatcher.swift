/// Finds many literals at once in a block of bytes, ignoring ASCII case (Wu–Manber).
///
/// This is the prefilter: every rule's gating literals compiled into one matcher that runs
/// over whole blocks of lines, so only the records with a hit are parsed deeply. A shift
/// table over blocks of `B` bytes lets the scan skip up to `m - B + 1` bytes at a time, where
/// `m` is the shortest literal. `B` is 3 (hashed into 16 Ki entries) when every literal has
/// three bytes or more: with fifty literals, pairs of bytes are too common in them to skip
/// far. Blocks are hashed case-blind with `| 0x20` on every byte, which keeps the table sparse
/// (no case variants). Where the shift is 0, cheap tests come before the full case fold: the
/// window's last six bytes against a bitmap, the literal's first four bytes, then its words.
public final class LiteralMatcher: @unchecked Sendable {
    public struct Hit: Equatable {
        public var offset: Int
        public var literal: Int
    }

    /// A literal that may end where the shift is 0, with its first four bytes as the scan
    /// loads them (case-blind), so most false candidates cost one compare and no lookups.
    struct Candidate {
        var head: UInt32
        /// Covers the head's bytes that belong to the literal (all four unless it is shorter).
        var headMask: UInt32
        var id: Int32
    }

    public let literals: [String]
    private let windowLength: Int
    /// Bytes per block: 3, or 2 when a literal is that short.
    private let blockLength: Int
    /// Indexed by `blockHash` of the raw bytes that end the window.
    private let shift: UnsafeMutablePointer<UInt8>
    /// For a pair with shift 0: the literals whose window ends with that pair.
    private let bucketStart: UnsafeMutablePointer<Int32>
    private let bucketLiterals: UnsafeMutablePointer<Candidate>
    /// All literals, lower-cased, back to back; literal `i` is `[offsets[i], offsets[i + 1])`.
    private let folded: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<Int>
    private let fold: UnsafeMutablePointer<UInt8>
    /// Each literal of eight bytes or more as case-blind eight-byte words (`| 0x20` on every
    /// byte): those at 0, 8, … and the one that ends it; literal `i`'s are `[wordStart[i],
    /// wordStart[i + 1])`. A candidate is compared word by word before byte by byte.
    private let words: UnsafeMutablePointer<UInt64>
    private let wordStart: UnsafeMutablePointer<Int>
    /// A bit per hash of a window's last six bytes, set for the literals' windows: where the
    /// shift is 0, common endings (`ent`, `tio`, `erv`) rarely agree on the three bytes before,
    /// so this test spares most candidates the bucket lookups. Nil when windows are shorter
    /// than eight bytes.
    private let suffixBits: UnsafeMutablePointer<UInt64>?

    /// `literals` must be non-empty strings; empty or one-byte ones are ignored.
    public init(literals: [String]) {
        self.literals = literals
        fold = .allocate(capacity: 256)
        for byte in 0..<256 { fold[byte] = (byte >= 0x41 && byte <= 0x5A) ? UInt8(byte) | 0x20 : UInt8(byte) }
        let lowered = literals.map { $0.utf8.map { (($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0) } }
        let usable = lowered.filter { $0.count >= 2 }
        windowLength = max(2, usable.map(\.count).min() ?? 2)
        let block = windowLength >= 3 ? 3 : 2
        blockLength = block

        offsets = .allocate(capacity: lowered.count + 1)
        let total = lowered.reduce(0) { $0 + $1.count }
        folded = .allocate(capacity: max(1, total))
        var position = 0
        for (id, literal) in lowered.enumerated() {
            offsets[id] = position
            for byte in literal { folded[position] = byte; position += 1 }
        }
        offsets[lowered.count] = position
        wordStart = .allocate(capacity: lowered.count + 1)
        var allWords: [UInt64] = []
        for (id, literal) in lowered.enumerated() {
            wordStart[id] = allWords.count
            guard literal.count >= 8 else { continue }
            for from in Array(stride(from: 0, to: literal.count - 7, by: 8)) + [literal.count - 8] {
                allWords.append(literal[from..<(from + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1 | 0x20) })
            }
        }
        wordStart[lowered.count] = allWords.count
        words = .allocate(capacity: max(1, allWords.count))
        for (index, word) in allWords.enumerated() { words[index] = word }
        if windowLength >= 8, block == 3 {
            let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1 << 10)
            bits.initialize(repeating: 0, count: 1 << 10)
            for literal in lowered where literal.count >= 8 {
                // The eight bytes that end the window, as the scan loads them.
                let word = literal[(windowLength - 8)..<windowLength].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let hash = LiteralMatcher.suffixHash(word)
                bits[hash >> 6] |= 1 << UInt64(hash & 63)
            }
            suffixBits = bits
        } else {
            suffixBits = nil
        }

        shift = .allocate(capacity: 65_536)
        shift.initialize(repeating: usable.isEmpty ? 255 : UInt8(min(windowLength - block + 1, 255)), count: 65_536)
        var buckets = [[Int32]](repeating: [], count: 65_536)
        func variants(_ byte: UInt8) -> [UInt8] {
            (byte >= 0x61 && byte <= 0x7A) ? [byte, byte - 0x20] : [byte]
        }
        for (id, literal) in lowered.enumerated() where literal.count >= 2 {
            for end in (block - 1)..<windowLength {
                let distance = UInt8(min(windowLength - 1 - end, 255))
                // Triples hash case-blind (`| 0x20`), so they need no case variants.
                let zeroth = block == 3 ? [literal[end - 2]] : [0]
                for first in zeroth {
                    for second in block == 3 ? [literal[end - 1]] : variants(literal[end - 1]) {
                        for third in block == 3 ? [literal[end]] : variants(literal[end]) {
                            let hash = block == 3 ? LiteralMatcher.blockHash(first, second, third) : Int(second) | Int(third) << 8
                            if distance < shift[hash] { shift[hash] = distance }
                            if distance == 0, buckets[hash].last != Int32(id) { buckets[hash].append(Int32(id)) }
                        }
                    }
                }
            }
        }
        bucketStart = .allocate(capacity: 65_537)
        let flat = buckets.flatMap { $0 }
        bucketLiterals = .allocate(capacity: max(1, flat.count))
        var next: Int32 = 0
        for hash in 0..<65_536 {
            bucketStart[hash] = next
            for id in buckets[hash] {
                let literal = lowered[Int(id)]
                var head: UInt32 = 0, mask: UInt32 = 0
                for (index, byte) in literal.prefix(4).enumerated() {
                    head |= UInt32(byte | 0x20) << (8 * index)
                    mask |= 0xFF << (8 * index)
                }
                bucketLiterals[Int(next)] = Candidate(head: head, headMask: mask, id: id)
                next += 1
            }
        }
        bucketStart[65_536] = next
    }

    deinit {
        shift.deallocate()
        bucketStart.deallocate()
        bucketLiterals.deallocate()
        folded.deallocate()
        offsets.deallocate()
        fold.deallocate()
        words.deallocate()
        wordStart.deallocate()
        suffixBits?.deallocate()
    }

    /// 16 bits from the last six of eight bytes (a window's end in the high bytes), case-blind.
    @inline(__always)
    static func suffixHash(_ word: UInt64) -> Int {
        Int(((word | 0x2020_2020_2020_2020) >> 16 &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    @inline(__always)
    static func blockHash(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int {
        blockHash(UInt32(first) | UInt32(second) << 8 | UInt32(third) << 16)
    }

    /// The hash of a window's last three bytes, given as the low three bytes of `word` (the
    /// fourth is ignored, so the scan can load four bytes at once).
    @inline(__always)
    static func blockHash(_ word: UInt32) -> Int {
        // `| 0x20` folds ASCII letters' case (and merges a few punctuation pairs, which only
        // costs a verification now and then); one multiply spreads the three bytes over 14 bits
        // in fewer instructions than shifting and xoring each, and collides less.
        Int(((word | 0x2020_2020) << 8 &* 0x9E37_79B1) >> 18)
    }

    /// Appends every occurrence in `text` to `hits`, in order of offset.
    public func scan(_ text: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        guard let base = text.baseAddress, !literals.isEmpty, text.count >= windowLength else { return }
        let scan = TextScan(bytes: base.assumingMemoryBound(to: UInt8.self), count: text.count, windowLength: windowLength,
                            shift: shift, bucketStart: bucketStart, bucketLiterals: bucketLiterals,
                            folded: folded, offsets: offsets, fold: fold, words: words, wordStart: wordStart,
                            suffixBits: suffixBits)
        // One loop per block width, so the width is not tested at every step.
        if blockLength == 3 { scan.run(triples: true, into: &hits) } else { scan.run(triples: false, into: &hits) }
    }

    /// One scan of a text, with the tables in locals: read through `self` inside the loop,
    /// every pointer was loaded again at every step.
    private struct TextScan {
        let bytes: UnsafePointer<UInt8>
        let count: Int
        let windowLength: Int
        let shift: UnsafeMutablePointer<UInt8>
        let bucketStart: UnsafeMutablePointer<Int32>
        let bucketLiterals: UnsafeMutablePointer<Candidate>
        let folded: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int>
        let fold: UnsafeMutablePointer<UInt8>
        let words: UnsafeMutablePointer<UInt64>
        let wordStart: UnsafeMutablePointer<Int>
        let suffixBits: UnsafeMutablePointer<UInt64>?

        /// The text is scanned as eight stretches at once. One scan is a chain of dependent
        /// loads (bytes → hash → shift → next position), so it waits on memory at every step;
        /// independent chains keep the core busy (measured: four chains twice as fast as one,
        /// eight a quarter faster again once the hash is one multiply).
        @inline(__always)
        func run(triples: Bool, into hits: inout [Hit]) {
            let m = windowLength
            // Scan `k` covers the windows starting in `[k × eighth, (k + 1) × eighth)`; its
            // position is where its current window ends.
            let eighth = count / 8
            guard eighth >= 64 else {
                var position = m - 1
                run(&position, to: count, triples: triples, into: &hits)
                return
            }
            var p0 = m - 1, p1 = eighth + m - 1, p2 = 2 * eighth + m - 1, p3 = 3 * eighth + m - 1
            var p4 = 4 * eighth + m - 1, p5 = 5 * eighth + m - 1, p6 = 6 * eighth + m - 1, p7 = 7 * eighth + m - 1
            let e0 = p1, e1 = p2, e2 = p3, e3 = p4, e4 = p5, e5 = p6, e6 = p7
            // The last scan stops a byte short of the end, where a four-byte load would overrun.
            let e7 = count - 1
            var h1: [Hit] = [], h2: [Hit] = [], h3: [Hit] = [], h4: [Hit] = [], h5: [Hit] = [], h6: [Hit] = [], h7: [Hit] = []
            while p0 < e0, p1 < e1, p2 < e2, p3 < e3, p4 < e4, p5 < e5, p6 < e6, p7 < e7 {
                step(&p0, triples: triples, into: &hits)
                step(&p1, triples: triples, into: &h1)
                step(&p2, triples: triples, into: &h2)
                step(&p3, triples: triples, into: &h3)
                step(&p4, triples: triples, into: &h4)
                step(&p5, triples: triples, into: &h5)
                step(&p6, triples: triples, into: &h6)
                step(&p7, triples: triples, into: &h7)
            }
            run(&p0, to: e0, triples: triples, into: &hits)
            run(&p1, to: e1, triples: triples, into: &h1)
            run(&p2, to: e2, triples: triples, into: &h2)
            run(&p3, to: e3, triples: triples, into: &h3)
            run(&p4, to: e4, triples: triples, into: &h4)
            run(&p5, to: e5, triples: triples, into: &h5)
            run(&p6, to: e6, triples: triples, into: &h6)
            run(&p7, to: count, triples: triples, into: &h7)
            for more in [h1, h2, h3, h4, h5, h6, h7] where !more.isEmpty { hits += more }
        }

        /// Steps until the window's end reaches `end`; the text's last byte, which a four-byte
        /// load cannot reach from its window, is hashed byte by byte.
        @inline(__always)
        func run(_ position: inout Int, to end: Int, triples: Bool, into hits: inout [Hit]) {
            let wideEnd = min(end, count - 1)
            while position < wideEnd { step(&position, triples: triples, into: &hits) }
            while position < end { step(&position, triples: triples, wide: false, into: &hits) }
        }

        /// Looks at the window ending at `position`: skips ahead by the shift table, or verifies
        /// the literals that may start there. `wide`: the byte after `position` may be read.
        @inline(__always)
        func step(_ position: inout Int, triples: Bool, wide: Bool = true, into hits: inout [Hit]) {
            let raw = UnsafeRawPointer(bytes)
            let hash = triples
                ? (wide ? LiteralMatcher.blockHash(raw.loadUnaligned(fromByteOffset: position &- 2, as: UInt32.self).littleEndian)
                        : LiteralMatcher.blockHash(bytes[position - 2], bytes[position - 1], bytes[position]))
                : Int(raw.loadUnaligned(fromByteOffset: position &- 1, as: UInt16.self).littleEndian)
            let distance = Int(shift[hash])
            if distance > 0 {
                // Positions stay below the text's count: no overflow to check.
                position &+= distance
                return
            }
            if let suffixBits {
                // Windows are eight bytes or longer here: the load stays inside the text.
                let suffix = LiteralMatcher.suffixHash(raw.loadUnaligned(fromByteOffset: position &- 7, as: UInt64.self).littleEndian)
                if suffixBits[suffix >> 6] & (1 << UInt64(suffix & 63)) == 0 {
                    position &+= 1
                    return
                }
            }
            verify(endingAt: position, hash: hash, into: &hits)
            position &+= 1
        }

        /// The literals whose window ends with this block: their heads compared first, then
        /// the ones that agree in full.
        func verify(endingAt position: Int, hash: Int, into hits: inout [Hit]) {
            let start = position - windowLength + 1
            let head = start + 4 <= count
                ? UnsafeRawPointer(bytes).loadUnaligned(fromByteOffset: start, as: UInt32.self).littleEndian | 0x2020_2020
                : nil
            for entry in Int(bucketStart[hash])..<Int(bucketStart[hash + 1]) {
                let candidate = bucketLiterals[entry]
                if let head, head & candidate.headMask != candidate.head { continue }
                let id = Int(candidate.id)
                let from = offsets[id], length = offsets[id + 1] - from
                guard start + length <= count, agreesByWords(id, length: length, start: start) else { continue }
                var index = 0
                while index < length, fold[Int(bytes[start + index])] == folded[from + index] { index += 1 }
                if index == length { hits.append(Hit(offset: start, literal: id)) }
            }
        }

        /// Whether the text at `start` equals the literal's words, `| 0x20` on every byte (which
        /// also pairs a few punctuation bytes: the byte-by-byte fold decides). Literals sharing
        /// a long beginning (`Connection reset`, `Connection refused`, …) differ in a word or two.
        @inline(__always)
        func agreesByWords(_ id: Int, length: Int, start: Int) -> Bool {
            var word = wordStart[id]
            let end = wordStart[id + 1]
            guard word < end else { return true }
            let raw = UnsafeRawPointer(bytes) + start
            var from = 0
            while word < end - 1 {
                if raw.loadUnaligned(fromByteOffset: from, as: UInt64.self).littleEndian | 0x2020_2020_2020_2020 != words[word] { return false }
                from += 8
                word += 1
            }
            return raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self).littleEndian | 0x2020_2020_2020_2020 == words[word]
        }
    }

    /// Convenience for tests and small texts.
    public func hits(in text: String) -> [Hit] {
        var hits: [Hit] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { scan(UnsafeRawBufferPointer($0), into: &hits) }
        return hits
    }
}
