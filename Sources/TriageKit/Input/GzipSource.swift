import CZlib

/// Inflates gzip data through zlib, member after member.
///
/// Rotated logs are often several gzip members concatenated (`cat a.gz b.gz`), so at the end
/// of one member the stream is reset and inflation continues while gzip data remains.
public final class GzipSource: ByteSource {
    private let compressed: ByteSource
    // zlib keeps a pointer back to its stream: it must not move, so it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var compressedEnded = false
    private var finished = false
    private var initialized = false
    /// Bytes of compressed input consumed so far, for error messages.
    public private(set) var compressedBytesRead = 0

    public init(_ compressed: ByteSource, inputBufferSize: Int = 256 * 1024) throws {
        self.compressed = compressed
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputBufferSize, alignment: 16)
        // 15 + 32: the largest window, with gzip/zlib header auto-detection.
        let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            stream.deallocate()
            throw ByteSourceError("zlib could not start (status \(status))")
        }
        initialized = true
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        while stream.pointee.avail_out > 0 {
            try refillInput()
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                break
            case Z_STREAM_END:
                if try !startNextMember() {
                    finished = true
                    return buffer.count - Int(stream.pointee.avail_out)
                }
            case Z_BUF_ERROR:
                // No progress possible: zlib needs input we do not have.
                if compressedEnded && stream.pointee.avail_in == 0 {
                    let produced = buffer.count - Int(stream.pointee.avail_out)
                    if produced > 0 { return produced }
                    throw ByteSourceError("the gzip stream is truncated (it ends in the middle of a member)")
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw ByteSourceError("the gzip data is corrupt (\(message)) after \(compressedBytesRead) compressed bytes")
            }
        }
        return buffer.count - Int(stream.pointee.avail_out)
    }

    /// After a member ends: true when another gzip member follows and inflation was reset.
    private func startNextMember() throws -> Bool {
        try refillInput()
        guard stream.pointee.avail_in > 0 else { return false }
        // Trailing zero padding (tape archives, some rotators) is not another member.
        if stream.pointee.next_in[0] != 0x1f { return false }
        return inflateReset(stream) == Z_OK
    }

    /// Reads more compressed bytes when zlib has used up the last ones.
    private func refillInput() throws {
        guard stream.pointee.avail_in == 0 && !compressedEnded else { return }
        let count = try compressed.read(into: input)
        if count == 0 {
            compressedEnded = true
        } else {
            compressedBytesRead += count
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(count)
        }
    }

    public func close() {
        compressed.close()
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        compressed.close()
    }
}
