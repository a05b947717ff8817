/// Replays bytes already read for sniffing, then continues with the underlying source.
final class PeekedSource: ByteSource {
    private var prefix: [UInt8]
    private var prefixOffset = 0
    private let rest: ByteSource

    init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard prefixOffset < prefix.count else { return try rest.read(into: buffer) }
        let count = min(buffer.count, prefix.count - prefixOffset)
        prefix.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + prefixOffset, byteCount: count)
        }
        prefixOffset += count
        if prefixOffset == prefix.count {
            prefix = []
            prefixOffset = 0
        }
        return count
    }

    func close() { rest.close() }

    /// Reads up to `count` bytes from `source` for sniffing, stopping early only at the end.
    static func peek(_ source: ByteSource, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try bytes.withUnsafeMutableBytes { buffer in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(count - filled)
        return bytes
    }
}
