import Dispatch

/// Reusable slots handed from one thread to another, in order: the producer takes a free slot,
/// fills it and hands it over; the consumer takes the next filled one and gives it back when
/// done. Memory is bounded by the slots, made once. Used for inflated blocks
/// (`PrefetchingSource`) and for batches of records (`RecordPipeline`).
///
/// Only one producer and one consumer: each index is touched by one side, and the semaphores
/// order the slots' contents between them.
final class SlotRing<Slot>: @unchecked Sendable {
    let slots: [Slot]
    /// Slots the producer may fill, and slots the consumer may read. Both start at 0 and are
    /// signalled up: a DispatchSemaphore must not end below its starting value.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private var writeIndex = 0
    private var readIndex = 0

    init(_ slots: [Slot]) {
        precondition(!slots.isEmpty, "a ring needs a slot")
        self.slots = slots
        for _ in slots { free.signal() }
    }

    /// Producer: the next slot to fill, waiting while every slot is taken.
    func takeFree() -> Slot {
        free.wait()
        return slots[writeIndex]
    }

    /// Producer: the slot taken is filled; the consumer may read it.
    func handOver() {
        writeIndex = (writeIndex + 1) % slots.count
        filled.signal()
    }

    /// Consumer: the next filled slot, waiting for it.
    func takeFilled() -> Slot {
        filled.wait()
        return slots[readIndex]
    }

    /// Consumer: the slot read is done with; the producer may fill it again.
    func giveBack() {
        readIndex = (readIndex + 1) % slots.count
        free.signal()
    }

    /// Wakes a producer waiting in `takeFree` (closing early); it must check why it woke.
    func wakeProducer() {
        free.signal()
    }
}
