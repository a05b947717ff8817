/// Something an analyser established about the incident as a whole — a deadlock in a dump,
/// threads waiting for a pool, TIME_WAIT piling up toward one destination — that rules
/// weigh through signals with a `fact` (see `FactCatalog`).
public struct IncidentFact: Codable, Sendable, Equatable {
    /// An id from `FactCatalog`.
    public var id: String
    /// The figure a signal's `atLeast` is compared with (threads, sockets, percent…).
    public var count: Int
    /// Where the fact comes from: `dump`, `socket`, `settings`.
    public var kind: String
    /// One line saying what was seen, with its figures.
    public var summary: String
    public var time: LogTimestamp?
    /// Where to look (capped).
    public var evidence: [EvidenceSample]
    /// The remote endpoint the fact is about (`10.0.0.7:9200`), for socket facts.
    public var destination: String?
    /// The application's frames in the threads the fact is about (dump facts).
    public var applicationFrames: [ApplicationFrame]?

    public init(id: String, count: Int, kind: String, summary: String, time: LogTimestamp? = nil, evidence: [EvidenceSample],
                destination: String? = nil) {
        self.destination = destination
        self.id = id
        self.count = count
        self.kind = kind
        self.summary = summary
        self.time = time
        self.evidence = Array(evidence.prefix(EvidenceTally.samplesPerSignal))
    }
}

/// The facts analysers can establish; rule signals name them, and `rules check` refuses an
/// unknown name.
public enum FactCatalog {
    public static let facts: [String: String] = [
        "jvm-reported-deadlock": "the JVM itself reported a Java-level deadlock (count: threads in the cycle)",
        "deadlock-cycle": "a cycle in the wait-for graph of a dump, monitors or ownable synchronizers (count: threads in the cycle)",
        "threads-blocked-on-one-lock": "threads blocked on the same lock in one dump (count: waiting threads)",
        "pool-waiters-idle-leases": "threads waiting to lease a pooled connection while no thread uses one (count: waiting threads)",
        "pool-waiters-busy-leases": "threads waiting to lease a pooled connection while others use theirs (count: threads using one)",
        "threads-stuck-in-socket-read": "threads reading from a backend on the same frame in every dump (count: threads)",
        "threads-stuck-blocked": "threads blocked on the same lock in every dump (count: threads)",
        "threads-reading-without-timeout": "stuck readers on the JDK's untimed read path in every dump (NioSocketImpl.implRead without timedRead; count: threads)",
        "thread-busy-on-cpu": "a thread burning CPU, from top -H or cpu= deltas between dumps (count: percent of one core)",
        "thread-count-growth": "the number of threads grew between the first and the last dump (count: threads added)",
        "client-time-wait-near-port-range": "client-side TIME_WAIT toward one destination, as a share of the usable ephemeral port range (count: percent)",
        "close-wait-toward-endpoint": "client-side sockets in CLOSE_WAIT toward one remote endpoint, in the snapshot where they are most (count: sockets)",
        "server-close-wait": "server-side CLOSE_WAIT on one listening port: callers that gave up on requests the server had not answered (count: sockets)",
        "close-wait-growing": "CLOSE_WAIT toward one endpoint rising from snapshot to snapshot (count: sockets added)",
        "close-wait-at-pool-max": "CLOSE_WAIT toward a pool's route at or above the per-route maximum the log states (count: sockets)",
        "pool-route-busy-no-close-wait": "ESTABLISHED toward a pool's route at the per-route maximum the log states, and no CLOSE_WAIT (count: sockets)",
        "tcp-tw-recycle-enabled": "net.ipv4.tcp_tw_recycle = 1 among the kernel settings (count: 1)",
        "tcp-tw-reuse-disabled": "net.ipv4.tcp_tw_reuse = 0 among the kernel settings (count: 1)",
        "dump-written-for-heap-exhaustion": "a dump the JVM wrote because the Java heap ran out (javacore 1TISIGINFO; count: 1)",
        "dump-written-for-metaspace-exhaustion": "a dump the JVM wrote because Metaspace ran out (count: 1)",
        "dump-written-for-direct-memory-exhaustion": "a dump the JVM wrote because direct buffer memory ran out (count: 1)",
        "dump-written-for-native-thread-failure": "a dump the JVM wrote because it could not create a native thread (count: 1)",
        "dump-written-for-array-size-limit": "a dump the JVM wrote because an array larger than the VM allows was requested (count: 1)",
        "descriptors-near-limit": "the descriptors a process holds (ls /proc/PID/fd | wc -l) as a share of its open-files limit (/proc/PID/limits, prlimit, ulimit -n; count: percent)",
        "threads-near-process-limit": "the most threads one dump shows, as a share of the JVM's process limit (Max processes, ulimit -u; count: percent)",
        "pool-stats-at-maximum": "a pool's own figures in the log (HikariCP Pool stats, HttpClient route allocated, Druid active/maxActive) with every connection in use (count: such lines)",
        "host-platform-linux": "the socket tables or settings are a Linux host's (count: 1): Linux advice applies",
        "host-platform-windows": "the socket tables or settings are a Windows host's (count: 1): Windows advice applies",
        "lock-held-while-waiting": "a lock others wait for, held by a thread that waits for a future, a latch, a pooled connection or a remote call (count: waiting threads)",
        "windows-default-time-wait": "a Windows host whose TcpTimedWaitDelay is not among the inputs (count: the default TIME_WAIT seconds)",
    ]

    public static func isKnown(_ id: String) -> Bool { facts[id] != nil }
}
