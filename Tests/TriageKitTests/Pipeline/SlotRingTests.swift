import Foundation
import Synchronization
import Testing
@testable import TriageKit

/// The ring behind the gzip prefetch and the records' thread: every value crosses in order,
/// and the producer never gets ahead by more than the slots.
struct SlotRingTests {
    final class Box: @unchecked Sendable { var value = -1 }

    @Test func handsEverySlotOverInOrderWithinItsSlots() {
        let ring = SlotRing((0..<3).map { _ in Box() })
        let produced = Atomic<Int>(0)
        let consumed = Atomic<Int>(0)
        let total = 20_000
        let producer = Thread {
            for value in 0..<total {
                let box = ring.takeFree()
                box.value = value
                produced.add(1, ordering: .sequentiallyConsistent)
                ring.handOver()
            }
        }
        producer.start()
        var received: [Int] = []
        var mostAhead = 0
        for _ in 0..<total {
            let box = ring.takeFilled()
            received.append(box.value)
            mostAhead = max(mostAhead, produced.load(ordering: .sequentiallyConsistent) - consumed.load(ordering: .sequentiallyConsistent))
            consumed.add(1, ordering: .sequentiallyConsistent)
            // Slow the consumer now and then, so the producer fills every slot and waits.
            if received.count % 1_000 == 0 { usleep(2_000) }
            ring.giveBack()
        }
        #expect(received == Array(0..<total))
        #expect(mostAhead <= 3)
        #expect(mostAhead == 3)
    }
}
