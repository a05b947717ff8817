/// Finds many literals at once in a block of bytes, ignoring ASCII case (Wu–Manber).
///
/// This is the prefilter: every rule's gating literals compiled into one matcher that runs
/// over whole blocks of lines, so only the records with a hit are parsed deeply. A shift
/// table over pairs of bytes lets the scan skip up to `m - 1` bytes at a time, where `m` is
/// the shortest literal.
public final class LiteralMatcher: @unchecked Sendable {
    public struct Hit: Equatable {
        public var offset: Int
        public var literal: Int
    }

    public let literals: [String]
    private let folded: [[UInt8]]
    private let windowLength: Int
    private let shift: UnsafeMutablePointer<UInt8>
    /// For a pair hash with shift 0: the literals whose window ends with that pair.
    private let bucketStart: UnsafeMutablePointer<Int32>
    private let bucketLiterals: [Int32]
    private static let fold: [UInt8] = (0...255).map { byte in
        (byte >= 0x41 && byte <= 0x5A) ? UInt8(byte) | 0x20 : UInt8(byte)
    }

    /// `literals` must be non-empty strings; empty ones are ignored.
    public init(literals: [String]) {
        self.literals = literals
        folded = literals.map { $0.utf8.map { LiteralMatcher.fold[Int($0)] } }
        let lengths = folded.filter { !$0.isEmpty }.map(\.count)
        windowLength = max(2, lengths.min() ?? 2)
        shift = .allocate(capacity: 65_536)
        bucketStart = .allocate(capacity: 65_537)
        let defaultShift = UInt8(min(windowLength - 1, 255))
        shift.initialize(repeating: lengths.isEmpty ? 0 : defaultShift, count: 65_536)
        var buckets = [[Int32]](repeating: [], count: 65_536)
        for (id, literal) in folded.enumerated() where !literal.isEmpty {
            if literal.count < 2 { continue }
            for end in 1..<windowLength {
                let hash = Int(literal[end - 1]) << 8 | Int(literal[end])
                let distance = UInt8(min(windowLength - 1 - end, 255))
                if distance < shift[hash] { shift[hash] = distance }
            }
            let last = Int(literal[windowLength - 2]) << 8 | Int(literal[windowLength - 1])
            buckets[last].append(Int32(id))
        }
        if lengths.isEmpty {
            // Nothing to find: make every pair skip as far as possible.
            shift.update(repeating: 255, count: 65_536)
        }
        var flat: [Int32] = []
        var position: Int32 = 0
        for hash in 0..<65_536 {
            bucketStart[hash] = position
            flat += buckets[hash]
            position += Int32(buckets[hash].count)
        }
        bucketStart[65_536] = position
        bucketLiterals = flat
    }

    deinit {
        shift.deallocate()
        bucketStart.deallocate()
    }

    /// Appends every occurrence in `text` to `hits`, in order of offset.
    public func scan(_ text: UnsafeRawBufferPointer, into hits: inout [Hit]) {
        guard let base = text.baseAddress, !literals.isEmpty else { return }
        let count = text.count
        let m = windowLength
        guard count >= m else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        LiteralMatcher.fold.withUnsafeBufferPointer { fold in
            bucketLiterals.withUnsafeBufferPointer { bucket in
                var position = m - 1
                while position < count {
                    let hash = Int(fold[Int(bytes[position - 1])]) << 8 | Int(fold[Int(bytes[position])])
                    let distance = Int(shift[hash])
                    if distance > 0 {
                        position += distance
                        continue
                    }
                    let start = position - m + 1
                    var entry = Int(bucketStart[hash])
                    let end = Int(bucketStart[hash + 1])
                    while entry < end {
                        let id = Int(bucket[entry])
                        if verify(id, bytes, start, count, fold) { hits.append(Hit(offset: start, literal: id)) }
                        entry += 1
                    }
                    position += 1
                }
            }
        }
    }

    @inline(__always)
    private func verify(_ id: Int, _ bytes: UnsafePointer<UInt8>, _ start: Int, _ count: Int,
                        _ fold: UnsafeBufferPointer<UInt8>) -> Bool {
        let literal = folded[id]
        guard start + literal.count <= count else { return false }
        for index in 0..<literal.count where fold[Int(bytes[start + index])] != literal[index] { return false }
        return true
    }

    /// Convenience for tests and small texts.
    public func hits(in text: String) -> [Hit] {
        var hits: [Hit] = []
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { scan(UnsafeRawBufferPointer($0), into: &hits) }
        return hits
    }
}
