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
    public private(set) var inflatedBytes = 0
    /// An error met after bytes were inflated in the same call, raised on the next.
    private var deferredError: ByteSourceError?
    /// The gzip data ended and plain text followed: the rest is passed through.
    private var plainTail = false
    private var ownNotes: [String] = []
    /// Past 1 GiB inflated at more than 1,000 times the compressed size, reading stops: real logs
    /// compress 10–50×, and a bomb would otherwise be read for minutes.
    public static let bombFloor = 1 << 30
    static let bombRatio = 1000
    private let bombFloor: Int

    /// `bombFloor`: inflated bytes before the ratio check applies (tests lower it).
    public init(_ compressed: ByteSource, inputBufferSize: Int = 256 * 1024, bombFloor: Int = GzipSource.bombFloor) throws {
        self.compressed = compressed
        self.bombFloor = bombFloor
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
        guard let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if let error = deferredError {
            deferredError = nil
            finished = true
            throw error
        }
        if plainTail { return try readPlainTail(into: buffer) }
        guard !finished else { return 0 }
        stream.pointee.next_out = out.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        // A failure after some bytes were inflated in this call is raised on the next one, so
        // those bytes are analysed (a bad CRC is only found after the whole member inflated).
        func fail(_ error: ByteSourceError) throws -> Int {
            let produced = buffer.count - Int(stream.pointee.avail_out)
            inflatedBytes += produced
            guard produced > 0 else {
                finished = true
                throw error
            }
            deferredError = error
            return produced
        }
        while stream.pointee.avail_out > 0 {
            try refillInput()
            let status = inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_OK:
                break
            case Z_STREAM_END:
                switch try nextAfterMember() {
                case .member:
                    continue
                case .end:
                    finished = true
                case .plainText:
                    plainTail = true
                    ownNotes.append("plain text follows the gzip data after \(NumberFormatting.bytes(compressedOffset)) "
                                 + "(a log appended to after it was compressed); it was read too")
                case .garbage(let count):
                    return try fail(ByteSourceError("\(NumberFormatting.count(count)) bytes after the gzip data are neither "
                        + "gzip nor text (at compressed byte \(compressedOffset)); they were skipped"))
                }
                let produced = buffer.count - Int(stream.pointee.avail_out)
                inflatedBytes += produced
                if produced == 0 && plainTail { return try readPlainTail(into: buffer) }
                return produced
            case Z_BUF_ERROR:
                // No progress possible: zlib needs input we do not have.
                if compressedEnded && stream.pointee.avail_in == 0 {
                    return try fail(ByteSourceError("the gzip stream is truncated (it ends in the middle of a member)"))
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                return try fail(ByteSourceError("the gzip data is corrupt (\(message)) after \(compressedBytesRead) compressed bytes"))
            }
        }
        let produced = buffer.count
        inflatedBytes += produced
        if inflatedBytes > bombFloor, inflatedBytes / max(1, compressedOffset) > GzipSource.bombRatio {
            return try fail(ByteSourceError("\(NumberFormatting.bytes(inflatedBytes)) inflated from "
                + "\(NumberFormatting.bytes(compressedOffset)) (more than \(GzipSource.bombRatio)×): a gzip bomb or one "
                + "byte repeated, not a log; reading stopped there"))
        }
        return produced
    }

    private enum AfterMember { case member, end, plainText, garbage(Int) }

    /// After a member ends: another member (inflation reset), the end, NUL padding (some
    /// rotators and tape archives add it; ignored), plain text (read as it is), or garbage.
    private func nextAfterMember() throws -> AfterMember {
        try refillInput()
        guard stream.pointee.avail_in > 0 else { return .end }
        let rest = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
        if rest.count >= 2, rest[0] == 0x1f, rest[1] == 0x8b {
            return inflateReset(stream) == Z_OK ? .member : .garbage(rest.count)
        }
        if rest.allSatisfy({ $0 == 0 }) {
            // Padding to the end: read it off without keeping it.
            while true {
                stream.pointee.avail_in = 0
                try refillInput()
                if compressedEnded { return .end }
                let more = UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if !more.allSatisfy({ $0 == 0 }) { return .garbage(more.count) }
            }
        }
        if InputSniffer.looksLikeText(UnsafeRawBufferPointer(rebasing: rest.prefix(4096))) { return .plainText }
        return .garbage(rest.count)
    }

    /// Plain bytes after the gzip data: what zlib has not consumed, then the rest of the source.
    private func readPlainTail(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if stream.pointee.avail_in > 0 {
            let count = min(buffer.count, Int(stream.pointee.avail_in))
            buffer.baseAddress!.copyMemory(from: stream.pointee.next_in, byteCount: count)
            stream.pointee.next_in += count
            stream.pointee.avail_in -= UInt32(count)
            return count
        }
        guard !compressedEnded else { return 0 }
        let count = try compressed.read(into: buffer)
        if count == 0 { compressedEnded = true }
        compressedBytesRead += count
        return count
    }

    /// Where zlib stands in the compressed input.
    private var compressedOffset: Int { compressedBytesRead - Int(stream.pointee.avail_in) }

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

    public var notes: [String] { ownNotes + compressed.notes }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        compressed.close()
    }
}
