/// Bytes a transcoding source has produced and not yet handed out.
///
/// Transcoders (UTF-16, legacy encodings) convert a chunk at a time, which seldom fits the
/// caller's buffer exactly; this queue hands the result out across reads.
struct TranscodedBytes {
    private(set) var bytes: [UInt8] = []
    private var offset = 0

    init(reserving capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var isDrained: Bool { offset == bytes.count }

    /// Starts a new chunk, keeping the storage.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        offset = 0
    }

    mutating func append<Bytes: Sequence>(contentsOf more: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: more)
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Copies as much as fits into `buffer`; returns how much.
    mutating func drain(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
