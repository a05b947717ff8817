/// Replays bytes already read for sniffing, then continues with the underlying source.
final class PeekedSource: ByteSource {
    private var prefix: [UInt8]
    private var prefixOffset = 0
    private let rest: ByteSource
    /// A failure met while peeking, raised once the bytes before it are replayed.
    private var deferredError: Error?

    init(prefix: [UInt8], rest: ByteSource, deferredError: Error? = nil) {
        self.prefix = prefix
        self.rest = rest
        self.deferredError = deferredError
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard prefixOffset < prefix.count else {
            if let error = deferredError {
                deferredError = nil
                throw error
            }
            return try rest.read(into: buffer)
        }
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

    /// Reads up to `count` bytes from `source` for sniffing, stopping early at the end. A read
    /// that fails after some bytes came back (a truncated gzip) returns those bytes and the
    /// error, so the caller can analyse them before reporting it; a failure before any byte
    /// is thrown.
    static func peek(_ source: ByteSource, count: Int) throws -> (bytes: [UInt8], error: Error?) {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        var failure: Error?
        while filled < count {
            do {
                let n = try bytes.withUnsafeMutableBytes { buffer in
                    try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
                if n == 0 { break }
                filled += n
            } catch {
                if filled == 0 { throw error }
                failure = error
                break
            }
        }
        bytes.removeLast(count - filled)
        return (bytes, failure)
    }
}
