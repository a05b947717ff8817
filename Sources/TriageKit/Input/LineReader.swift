#if canImport(Glibc)
import Glibc
#endif

/// Receives an input as blocks of whole lines, as they sit in the read buffer.
///
/// A consumer that scans many lines at once (the literal prefilter) works on the block; it then
/// walks the lines with `LineBlock.forEachLine`. The block is valid only during the call.
public protocol LineSink: AnyObject {
    /// Consumes `block` (whole lines; the last one may lack its `\n` at the end of the input)
    /// and returns how many lines it held.
    func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int
}

/// Walking the lines of a block.
public enum LineBlock {
    /// Calls `body` with each line (without `\n` or `\r\n`), its number and its offset in the
    /// block; returns the number of lines.
    @inline(__always)
    public static func forEachLine(
        _ block: UnsafeRawBufferPointer, firstLineNumber: Int,
        _ body: (UnsafeRawBufferPointer, Int, Int) -> Void
    ) -> Int {
        guard let base = block.baseAddress else { return 0 }
        let end = base + block.count
        var start = base
        var number = firstLineNumber
        while start < end {
            let newline = memchr(start, 0x0A, end - start).map { UnsafeRawPointer($0) } ?? end
            var lineEnd = newline
            if lineEnd > start && lineEnd.load(fromByteOffset: -1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
            body(UnsafeRawBufferPointer(start: start, count: lineEnd - start), number, start - base)
            number += 1
            start = newline + 1
        }
        return number - firstLineNumber
    }
}

/// Splits a byte source into blocks of whole lines, in bounded memory.
///
/// One reusable buffer; the unfinished tail of a read moves to the front before the next one.
/// A line longer than the buffer grows it, up to `maxLineLength`; beyond that the line is cut
/// there (counted in `truncatedLines`) and the rest of it is skipped.
public final class LineReader {
    private let source: ByteSource
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private let maxLineLength: Int
    /// Decoded bytes read so far (after gzip and transcoding).
    public private(set) var bytesRead = 0
    public private(set) var lineCount = 0
    public private(set) var truncatedLines = 0

    public init(source: ByteSource, initialCapacity: Int = 1 << 20, maxLineLength: Int = 8 << 20) {
        self.source = source
        capacity = max(16, initialCapacity)
        self.maxLineLength = max(capacity, maxLineLength)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Reads to the end, handing every line to `sink`. Throws what the source throws; the lines
    /// delivered before the error stay delivered.
    public func read<Sink: LineSink>(into sink: Sink) throws {
        if source.lends { return try readLent(into: sink) }
        var filled = 0
        var skippingOverlongTail = false
        while true {
            if filled == capacity {
                if capacity < maxLineLength {
                    grow()
                } else {
                    // A line longer than the limit: deliver its head, skip the rest of it.
                    deliver(UnsafeRawBufferPointer(start: buffer, count: filled), to: sink)
                    truncatedLines += 1
                    filled = 0
                    skippingOverlongTail = true
                }
            }
            let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            if count == 0 {
                if filled > 0 && !skippingOverlongTail {
                    deliver(UnsafeRawBufferPointer(start: buffer, count: filled), to: sink)
                }
                return
            }
            bytesRead += count
            if skippingOverlongTail {
                guard let newline = memchr(buffer + filled, 0x0A, count) else { continue }
                let rest = buffer + filled + count - (UnsafeMutableRawPointer(mutating: newline) + 1)
                buffer.copyMemory(from: newline + 1, byteCount: rest)
                filled = rest
                skippingOverlongTail = false
            } else {
                filled += count
            }
            guard filled > 0, let completeLength = lengthThroughLastNewline(filled) else { continue }
            deliver(UnsafeRawBufferPointer(start: buffer, count: completeLength), to: sink)
            let tail = filled - completeLength
            if tail > 0 { buffer.copyMemory(from: buffer + completeLength, byteCount: tail) }
            filled = tail
        }
    }

    /// `read` on a source that lends its blocks (inflated gzip): whole lines are handed on where
    /// they sit, and only a line split between two blocks is put together in the buffer.
    private func readLent<Sink: LineSink>(into sink: Sink) throws {
        var carried = 0   // an unfinished line's first bytes, in `buffer`
        var skippingOverlongTail = false
        while true {
            let lent = try source.lend()
            guard let base = lent.baseAddress, lent.count > 0 else {
                if carried > 0 && !skippingOverlongTail {
                    deliver(UnsafeRawBufferPointer(start: buffer, count: carried), to: sink)
                }
                return
            }
            bytesRead += lent.count
            // No piece longer than a line may be: a longer line then spans two pieces and is
            // cut in `carry`, as `read` cuts it (one piece per block unless blocks are larger).
            var pieceStart = 0
            while pieceStart < lent.count {
                let pieceLength = min(lent.count - pieceStart, maxLineLength)
                let piece = UnsafeRawBufferPointer(start: base + pieceStart, count: pieceLength)
                pieceStart += pieceLength
                var start = 0
                if carried > 0 || skippingOverlongTail {
                    guard let newline = memchr(piece.baseAddress!, 0x0A, piece.count) else {
                        if !skippingOverlongTail { carried = carry(piece, after: carried, into: sink, skipping: &skippingOverlongTail) }
                        continue
                    }
                    start = UnsafeRawPointer(newline) - piece.baseAddress! + 1
                    if !skippingOverlongTail {
                        carried = carry(UnsafeRawBufferPointer(rebasing: piece[..<start]), after: carried, into: sink, skipping: &skippingOverlongTail)
                        if !skippingOverlongTail { deliver(UnsafeRawBufferPointer(start: buffer, count: carried), to: sink) }
                    }
                    carried = 0
                    skippingOverlongTail = false
                }
                var complete = piece.count
                while complete > start, piece[complete - 1] != 0x0A { complete -= 1 }
                if complete > start { deliver(UnsafeRawBufferPointer(rebasing: piece[start..<complete]), to: sink) }
                if complete < piece.count {
                    carried = carry(UnsafeRawBufferPointer(rebasing: piece[max(start, complete)...]), after: 0, into: sink, skipping: &skippingOverlongTail)
                }
            }
        }
    }

    /// Appends `bytes` (no `\n` but maybe the last) to the `carried` bytes of an unfinished
    /// line; returns how many there are now. A line longer than `maxLineLength` is cut as
    /// `read` cuts it: its head is delivered, and `skipping` is set for the rest of it.
    private func carry<Sink: LineSink>(_ bytes: UnsafeRawBufferPointer, after carried: Int, into sink: Sink, skipping: inout Bool) -> Int {
        let needed = carried + bytes.count
        while capacity < min(needed, maxLineLength) { grow() }
        let kept = min(bytes.count, capacity - carried)
        if kept > 0 { (buffer + carried).copyMemory(from: bytes.baseAddress!, byteCount: kept) }
        guard needed > capacity else { return needed }
        deliver(UnsafeRawBufferPointer(start: buffer, count: capacity), to: sink)
        truncatedLines += 1
        skipping = true
        return 0
    }

    @inline(__always)
    private func deliver<Sink: LineSink>(_ block: UnsafeRawBufferPointer, to sink: Sink) {
        lineCount += sink.consume(block, firstLineNumber: lineCount + 1)
    }

    /// Bytes up to and including the last `\n` of the first `count` (the last line break is
    /// nearly always close to the end, so a backward scan is short).
    @inline(__always)
    private func lengthThroughLastNewline(_ count: Int) -> Int? {
        let bytes = buffer.assumingMemoryBound(to: UInt8.self)
        var index = count - 1
        while index >= 0 {
            if bytes[index] == 0x0A { return index + 1 }
            index -= 1
        }
        return nil
    }

    private func grow() {
        let newCapacity = min(capacity * 2, maxLineLength)
        let newBuffer = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
        newBuffer.copyMemory(from: buffer, byteCount: capacity)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }
}
