/// Counts occurrences per key, keeping at most `capacity` keys; later new keys are counted
/// together in `overflow`. Memory stays bounded however many distinct keys the input has.
public struct BoundedCounter: Sendable, Equatable {
    public private(set) var counts: [String: Int] = [:]
    public private(set) var overflow = 0
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    public mutating func add(_ key: String, _ count: Int = 1) {
        // One hash for a key already counted (nearly every call), not two.
        if let index = counts.index(forKey: key) {
            counts.values[index] += count
        } else if counts.count < capacity {
            counts[key] = count
        } else {
            overflow += count
        }
    }

    public mutating func merge(_ other: BoundedCounter) {
        for (key, count) in other.counts.sorted(by: { $0.key < $1.key }) { add(key, count) }
        overflow += other.overflow
    }

    /// Only the `limit` largest keys; the others are counted in `overflow`.
    public func trimmed(to limit: Int) -> BoundedCounter {
        guard counts.count > limit else { return self }
        var result = BoundedCounter(capacity: capacity)
        let kept = top(limit)
        for (key, count) in kept { result.counts[key] = count }
        result.overflow = overflow + counts.values.reduce(0, +) - kept.reduce(0) { $0 + $1.count }
        return result
    }

    /// Keys by count, then name (deterministic).
    public func top(_ limit: Int) -> [(key: String, count: Int)] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map { ($0.key, $0.value) }
    }

    public var total: Int { counts.values.reduce(overflow, +) }
}
