/// The socket tables of an incident: thinned past 512, keeping the tables with the most
/// TIME_WAIT or CLOSE_WAIT toward one destination, which the facts are taken from.
public typealias SocketSeries = ThinnedSeries<SocketSnapshot>

extension ThinnedSeries where Element == SocketSnapshot {
    public init(capacity: Int = 512) {
        self.init(capacity: capacity, peaks: [TCPState.timeWait, .closeWait].map { state in
            { snapshot in snapshot.topRemotes(state, 1).first?.count ?? 0 }
        })
    }

    public var snapshots: [SocketSnapshot] { elements }
}
