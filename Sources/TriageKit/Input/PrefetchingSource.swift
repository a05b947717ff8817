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
    private let blocks: SlotRing<Block>
    private let finished = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    /// The block being handed out, and how much of it already was; nil before one is taken.
    private var current: (block: Block, offset: Int)?
    private var ended = false
    private var closed = false
    /// A block lent out (`lend`), given back on the next call.
    private var lent = false

    public init(_ source: ByteSource, blockSize: Int = 1 << 20, depth: Int = 4) {
        self.source = source
        blocks = SlotRing((0..<max(2, depth)).map { _ in Block(size: blockSize) })
        let thread = Thread { [self] in produce() }
        thread.name = "triage-prefetch"
        thread.start()
    }

    private func produce() {
        defer { finished.signal() }
        while true {
            let block = blocks.takeFree()
            if stopping.load(ordering: .acquiring) { return }
            do {
                block.count = try source.read(into: block.bytes)
                block.error = nil
            } catch {
                block.count = 0
                block.error = error
            }
            let last = block.count == 0
            blocks.handOver()
            if last { return }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        giveBackLent()
        guard !ended, buffer.count > 0 else { return 0 }
        let (block, offset) = current ?? (blocks.takeFilled(), 0)
        if block.count == 0 {
            ended = true
            current = nil
            if let error = block.error { throw error }
            return 0
        }
        let length = min(buffer.count, block.count - offset)
        buffer.baseAddress!.copyMemory(from: block.bytes.baseAddress! + offset, byteCount: length)
        if offset + length == block.count {
            current = nil
            blocks.giveBack()
        } else {
            current = (block, offset + length)
        }
        return length
    }

    /// The inflated block itself (what `read` has not handed out of it yet), not a copy.
    public var lends: Bool { true }

    public func lend() throws -> UnsafeRawBufferPointer {
        giveBackLent()
        guard !ended else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let (block, offset) = current ?? (blocks.takeFilled(), 0)
        current = nil
        if block.count == 0 {
            ended = true
            if let error = block.error { throw error }
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        lent = true
        return UnsafeRawBufferPointer(start: block.bytes.baseAddress! + offset, count: block.count - offset)
    }

    /// Read once the last block was taken: the producer wrote them before handing it over.
    public var notes: [String] { source.notes }

    private func giveBackLent() {
        guard lent else { return }
        lent = false
        blocks.giveBack()
    }

    public func close() {
        guard !closed else { return }
        closed = true
        stopping.store(true, ordering: .releasing)
        blocks.wakeProducer()
        finished.wait()
        source.close()
    }

    deinit { close() }
}
