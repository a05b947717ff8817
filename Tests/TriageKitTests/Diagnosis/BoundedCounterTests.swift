import Testing
@testable import TriageKit

@Suite struct BoundedCounterTests {
    @Test func keepsAtMostItsCapacityOfKeys() {
        var counter = BoundedCounter(capacity: 2)
        for key in ["a", "b", "a", "c", "d", "a"] { counter.add(key) }
        #expect(counter.counts == ["a": 3, "b": 1])
        #expect(counter.overflow == 2)
        #expect(counter.total == 6)
        #expect(counter.top(1).map(\.key) == ["a"])
    }
}
