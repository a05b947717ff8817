/// What a report says about one thread dump.
public struct DumpSummary: Codable, Sendable {
    public var source: String
    public var line: Int
    public var format: ThreadDump.Format
    public var time: LogTimestamp?
    public var jvm: String?
    /// The JVM's process id, where the dump says it.
    public var process: Int?
    /// Why the dump was written, where it says (`OutOfMemoryError: Java heap space`).
    public var reason: String?
    /// Which JVM of the incident the dump is from (1, 2, …), when the dumps come from more than one.
    public var series: Int? = nil
    public var threads: Int
    public var daemonThreads: Int
    /// Carrier threads carrying a virtual thread, and virtual threads listed (jcmd JSON).
    public var virtualThreads: Int
    public var states: [String: Int]
    /// Thread pools by folded name (`http-nio-8080-exec-*`), largest first.
    public var pools: [Tally]
    /// Thread states within each of `pools` (`"http-nio-8080-exec-*": ["BLOCKED": 38, …]`).
    public var poolStates: [String: [String: Int]]? = nil
    /// Threads with the same state and stack, largest groups first.
    public var stackGroups: [StackGroup]
    public var deadlocks: [Deadlock]
    /// Locks with more than one thread waiting for them, most waited-for first.
    public var contendedLocks: [ContendedLock]
    public var poolWaits: [PoolWait]

    /// "37 threads with this stack".
    public struct StackGroup: Codable, Sendable {
        public var count: Int
        public var state: ThreadState
        public var frames: [String]
        public var threads: [String]
    }

    public struct Deadlock: Codable, Sendable {
        public struct Member: Codable, Sendable {
            public var thread: String
            public var line: Int
            /// The lock it waits for, held by the next member.
            public var waitsFor: String
            /// Where it waits, and where it holds the lock the previous member wants.
            public var waitingAt: String?
            public var holdingAt: String?
        }

        public var members: [Member]
        public var reportedByJVM: Bool
        /// `ReentrantLock` cycles the JVM does not report; monitor cycles it does.
        public var kind: String
        /// Threads waiting (directly or down a chain) for a lock a member holds: not in the
        /// cycle, stuck as long as it lasts (the first few named).
        public var blockedBehind: [String]?
        public var blockedBehindCount: Int?
        /// Threads the JVM's own report lists that are not in the cycle: HotSpot prints the
        /// chain from the thread its search started at, a waiter included.
        public var reportedOutsideCycle: [String]?
    }

    public struct ContendedLock: Codable, Sendable {
        public var lock: String
        public var waiters: Int
        public var holder: String?
        public var holderState: ThreadState?
        public var holderFrames: [String]
        public var sampleWaiters: [String]
        var holderLine: Int?
        /// The holder's index among the dump's threads (not in the JSON).
        var holderIndex: Int?
        var waiterLines: [(name: String, line: Int)] = []
        var waiterIndices: [Int] = []

        enum CodingKeys: String, CodingKey { case lock, waiters, holder, holderState, holderFrames, sampleWaiters }
    }

    public struct PoolWait: Codable, Sendable {
        /// `HttpClient 4`, `HikariCP`…
        public var pool: String
        public var waiters: Int
        /// Threads doing work on a leased resource of the same library.
        public var users: Int
        /// Of those, threads blocked reading a socket.
        public var readingFromBackend: Int
        public var sampleWaiters: [String]
        public var waitingAt: String?
        public var sampleUsers: [String]
    }
}
