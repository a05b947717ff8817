/// The backend that threads in a dump are reading from, named from the socket tables: the
/// client-side ESTABLISHED connections of the same process toward one endpoint, as many as the
/// reading threads (or a few more: a pool keeps idle ones). A dump says a thread reads a socket,
/// never which; a socket table says where connections go, never who reads them. Joined, the
/// finding can say "12 threads read from 10.0.4.7:5432 (12 ESTABLISHED, java/4242)".
///
/// Named only when one endpoint fits: with two alike, or none with enough connections, the
/// fact stays as it was (a wrong backend is worse than none).
public enum ReaderEndpoint {
    /// Facts whose count is threads reading from a backend.
    static let readerFacts: Set<String> = ["threads-stuck-in-socket-read", "pool-waiters-busy-leases", "threads-reading-without-timeout"]

    public struct Match: Equatable, Sendable {
        public var endpoint: String
        public var connections: Int
        /// `java/4242`, as the table names the owner; nil when it names none.
        public var process: String?
    }

    /// The facts, with the endpoint named where one fits.
    static func join(_ facts: [IncidentFact], snapshots: [SocketSnapshot], processIds: Set<Int>) -> [IncidentFact] {
        guard facts.contains(where: { readerFacts.contains($0.id) }) else { return facts }
        return facts.map { fact in
            guard readerFacts.contains(fact.id), fact.destination == nil,
                  let match = match(readers: fact.count, snapshots: snapshots, processIds: processIds, near: fact.time) else { return fact }
            var joined = fact
            joined.destination = match.endpoint
            let owner = match.process.map { ", \($0)" } ?? ""
            joined.summary += "; they read from \(match.endpoint) (\(match.connections) ESTABLISHED\(owner))"
            return joined
        }
    }

    /// The one endpoint `readers` threads can be reading from, in the latest table that has
    /// client-side ESTABLISHED connections.
    public static func match(readers: Int, snapshots: [SocketSnapshot], processIds: Set<Int>, near time: LogTimestamp? = nil) -> Match? {
        guard readers > 0, let table = snapshots.last(where: { !($0.clientByRemote[.established]?.counts.isEmpty ?? true) }) else {
            return nil
        }
        // A table of another hour is another moment: its connections say nothing of these threads.
        if let time, let taken = table.time, time.hasDate, taken.hasDate, abs(time.milliseconds - taken.milliseconds) > 3_600_000 {
            return nil
        }
        var candidates: [Match] = []
        if let owned = table.clientByRemoteAndProcess[.established], !owned.counts.isEmpty {
            // `10.0.4.7:5432  java/4242`: the dump's process, where the dumps say which.
            for (key, count) in owned.counts {
                let parts = key.components(separatedBy: "  ")
                guard parts.count == 2 else { continue }
                if !processIds.isEmpty, !processIds.contains(where: { ReaderEndpoint.names(parts[1], pid: $0) }) { continue }
                if processIds.isEmpty, !parts[1].lowercased().contains("java") { continue }
                candidates.append(Match(endpoint: parts[0], connections: count, process: parts[1]))
            }
        } else if let remote = table.clientByRemote[.established] {
            candidates = remote.counts.map { Match(endpoint: $0.key, connections: $0.value, process: nil) }
        }
        // As many connections as readers, or a few more (idle ones in a pool): the closest.
        let fitting = candidates.filter { $0.connections >= readers && $0.connections <= 2 * readers + 2 }
            .sorted { ($0.connections, $0.endpoint) < ($1.connections, $1.endpoint) }
        guard let best = fitting.first else { return nil }
        if fitting.count > 1, fitting[1].connections == best.connections { return nil }
        return best
    }

    /// Whether `process` (`java/4242`, `4242/java`, `users:(("java",pid=4242,fd=12))`) is `pid`.
    static func names(_ process: String, pid: Int) -> Bool {
        let digits = process.split { !$0.isNumber }
        return digits.contains { $0 == Substring(String(pid)) }
    }
}
