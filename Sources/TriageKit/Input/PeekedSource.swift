/// Replays bytes already read for sniffing, then continues with the underlying source.
final class PeekedSource: ByteSource {
    /// Kept until the source goes, so it can be lent.
    private let prefix: UnsafeMutableRawBufferPointer
    private var prefixOffset = 0
    private let rest: ByteSource
    /// A failure met while peeking, raised once the bytes before it are replayed.
    private var deferredError: Error?

    init(prefix: [UInt8], rest: ByteSource, deferredError: Error? = nil) {
        self.prefix = .allocate(byteCount: prefix.count, alignment: 16)
        self.prefix.copyBytes(from: prefix)
        self.rest = rest
        self.deferredError = deferredError
    }

    deinit { prefix.deallocate() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard prefixOffset < prefix.count else {
            try raiseDeferredError()
            return try rest.read(into: buffer)
        }
        let count = min(buffer.count, prefix.count - prefixOffset)
        buffer.baseAddress!.copyMemory(from: prefix.baseAddress! + prefixOffset, byteCount: count)
        prefixOffset += count
        return count
    }

    var lends: Bool { rest.lends }

    func lend() throws -> UnsafeRawBufferPointer {
        guard prefixOffset < prefix.count else {
            try raiseDeferredError()
            return try rest.lend()
        }
        let replayed = UnsafeRawBufferPointer(rebasing: prefix[prefixOffset...])
        prefixOffset = prefix.count
        return replayed
    }

    private func raiseDeferredError() throws {
        guard let error = deferredError else { return }
        deferredError = nil
        throw error
    }

    func close() { rest.close() }

    var notes: [String] { rest.notes }

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
