import Dispatch
import Foundation
import Synchronization

/// Reads its source on a thread of its own, a few blocks ahead of the consumer: gzip inflation
/// then runs on one core while the analysis runs on another, instead of taking turns.
///
/// Memory is bounded: `depth` blocks of `blockSize` bytes, whatever the input's size. Errors
/// arrive in order, after the bytes read before them.
public final class PrefetchingSource: ByteSource, @unchecked Sendable {
    private final class Block: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer
        var count = 0
        var error: Error?
        init(size: Int) { bytes = .allocate(byteCount: size, alignment: 16) }
        deinit { bytes.deallocate() }
    }

    private let source: ByteSource
    private let blocks: [Block]
    /// Blocks the producer may fill, and blocks the consumer may read. Both start at 0 and are
    /// signalled up: a DispatchSemaphore must not end below its starting value.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    private var readIndex = 0
    /// Bytes of the current block already handed out; nil before a block is taken.
    private var readOffset: Int?
    private var ended = false
    private var closed = false

    public init(_ source: ByteSource, blockSize: Int = 1 << 20, depth: Int = 4) {
        self.source = source
        blocks = (0..<max(2, depth)).map { _ in Block(size: blockSize) }
        for _ in blocks { free.signal() }
        let thread = Thread { [self] in produce() }
        thread.name = "triage-prefetch"
        thread.start()
    }

    private func produce() {
        var index = 0
        defer { finished.signal() }
        while true {
            free.wait()
            if stopping.load(ordering: .acquiring) { return }
            let block = blocks[index]
            do {
                block.count = try source.read(into: block.bytes)
                block.error = nil
            } catch {
                block.count = 0
                block.error = error
            }
            let last = block.count == 0
            filled.signal()
            if last { return }
            index = (index + 1) % blocks.count
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !ended, buffer.count > 0 else { return 0 }
        if readOffset == nil {
            filled.wait()
            readOffset = 0
        }
        let block = blocks[readIndex]
        if block.count == 0 {
            ended = true
            if let error = block.error { throw error }
            return 0
        }
        let offset = readOffset!
        let length = min(buffer.count, block.count - offset)
        buffer.baseAddress!.copyMemory(from: block.bytes.baseAddress! + offset, byteCount: length)
        if offset + length == block.count {
            readOffset = nil
            readIndex = (readIndex + 1) % blocks.count
            free.signal()
        } else {
            readOffset = offset + length
        }
        return length
    }

    public func close() {
        guard !closed else { return }
        closed = true
        stopping.store(true, ordering: .releasing)
        free.signal()   // wakes a producer waiting for a block
        finished.wait()
        source.close()
    }

    deinit { close() }
}
