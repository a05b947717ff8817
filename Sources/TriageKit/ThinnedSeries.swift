/// Snapshots in time order (socket tables, thread dumps, `top -H` screens), in bounded memory:
/// a collection script left running for a week writes thousands. Past `capacity`, every other
/// snapshot is dropped — never the first, the last, or the one with the highest of each
/// `peaks` figure (earliest on a tie, none when it is zero) — so the series stays a series,
/// only sparser, and its worst moment survives.
public struct ThinnedSeries<Element: Sendable>: Sendable {
    public private(set) var elements: [Element] = []
    /// Snapshots read but dropped from the series.
    public private(set) var thinned = 0
    public let capacity: Int
    private let peaks: [@Sendable (Element) -> Int]

    public init(capacity: Int, peaks: [@Sendable (Element) -> Int] = []) {
        self.capacity = max(4, capacity)
        self.peaks = peaks
    }

    public mutating func append(_ element: Element) {
        elements.append(element)
        if elements.count > capacity { thin() }
    }

    public mutating func append(contentsOf other: ThinnedSeries) {
        thinned += other.thinned
        for element in other.elements { append(element) }
    }

    private mutating func thin() {
        let kept = peaks.compactMap { figure -> Int? in
            guard let index = elements.indices.max(by: { (figure(elements[$0]), -$0) < (figure(elements[$1]), -$1) }),
                  figure(elements[index]) > 0 else { return nil }
            return index
        }
        let before = elements.count
        elements = elements.enumerated().filter { index, _ in
            index == 0 || index == before - 1 || index % 2 == 0 || kept.contains(index)
        }.map(\.element)
        thinned += before - elements.count
    }
}
