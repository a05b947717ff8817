/// The socket tables of an incident, in bounded memory: a collection script left running for
/// days writes thousands of tables. Beyond `capacity`, every other table between the first and
/// the last is dropped — except the ones holding the most TIME_WAIT or CLOSE_WAIT toward one
/// destination, which the facts are taken from — so the series stays a series, only sparser.
public struct SocketSeries: Sendable {
    public private(set) var snapshots: [SocketSnapshot] = []
    /// Tables read but dropped from the series.
    public private(set) var thinned = 0
    public let capacity: Int

    public init(capacity: Int = 512) {
        self.capacity = max(4, capacity)
    }

    public mutating func append(_ snapshot: SocketSnapshot) {
        snapshots.append(snapshot)
        if snapshots.count > capacity { thin() }
    }

    public mutating func append(contentsOf other: SocketSeries) {
        thinned += other.thinned
        for snapshot in other.snapshots { append(snapshot) }
    }

    private mutating func thin() {
        let peaks = [TCPState.timeWait, .closeWait].compactMap { state in
            snapshots.indices.max { (snapshots[$0].topRemotes(state, 1).first?.count ?? 0, -$0) < (snapshots[$1].topRemotes(state, 1).first?.count ?? 0, -$1) }
        }
        let before = snapshots.count
        snapshots = snapshots.enumerated().filter { index, _ in
            index == 0 || index == before - 1 || index % 2 == 0 || peaks.contains(index)
        }.map(\.element)
        thinned += before - snapshots.count
    }
}
