/// A thread reduced to what comparing dumps needs, so a series of dumps costs little memory.
public struct ThreadSnapshot: Sendable {
    public var name: String
    public var nativeId: Int?
    public var state: ThreadState
    public var topFrame: String?
    public var cpuMilliseconds: Double?
    public var line: Int
    /// Why this thread would be "stuck" if it stays put: reading from a backend, blocked.
    public var activity: Activity
    public var topFrames: [String]
    /// The first frame of the application's own code, if any.
    public var applicationFrame: String? = nil
    /// In a deadlock's cycle, or waiting (directly or down a chain) for a lock a member holds:
    /// the deadlock explains it, so no other finding claims it.
    public var explainedByDeadlock = false
    /// A JDK 13+ socket read with no timeout: `NioSocketImpl.implRead` without `timedRead`.
    public var readsWithoutTimeout = false

    public enum Activity: Sendable {
        case socketRead, blocked, poolWait, other
    }
}

/// One dump reduced for the series: when, where, and its threads.
public struct DumpSnapshot: Sendable {
    public var source: String
    public var line: Int
    public var time: LogTimestamp?
    public var threads: [ThreadSnapshot]
    /// What tells JVMs apart: the process id and the VM's version line, where the dump says them.
    public var processId: Int? = nil
    public var jvm: String? = nil
}

/// Everything derived from one dump.
public struct DumpAnalysis: Sendable {
    public var summary: DumpSummary
    public var snapshot: DumpSnapshot
    public var facts: [IncidentFact]
}

/// Analyses one dump: states, pools, identical stacks, deadlocks, contention, pool waits.
public enum DumpAnalyzer {
    static let stackGroupsKept = 10
    static let stackDepthShown = 8

    public static func analyze(_ dump: ThreadDump, code: ApplicationCode = .builtin) -> DumpAnalysis {
        let graph = WaitForGraph(dump)
        let traits = FrameTraits(dump.frames, code: code)
        var facts: [IncidentFact] = []
        var deadlocks = self.deadlocks(dump, graph)
        let (members, behind) = explainedByDeadlock(dump, graph, deadlocks)
        for index in deadlocks.indices {
            let names = deadlocks[index].members.map(\.thread)
            let queued = behind.filter { deadlockOf($0, graph, deadlocks[index], dump) }.sorted().map { dump.threads[$0].name }
            if !queued.isEmpty {
                deadlocks[index].blockedBehind = Array(queued.prefix(5))
                deadlocks[index].blockedBehindCount = queued.count
            }
            let outside = dump.reportedDeadlocks.filter { Set(names).isSubset(of: Set($0)) }.flatMap { $0 }.filter { !names.contains($0) }
            if !outside.isEmpty { deadlocks[index].reportedOutsideCycle = Array(Set(outside)).sorted() }
        }
        for deadlock in deadlocks {
            let names = deadlock.members.map(\.thread)
            let cycle = (names + [names[0]]).map { "\"\($0)\"" }.joined(separator: " → ")
            let queued = deadlock.blockedBehindCount ?? 0
            let named = (deadlock.blockedBehind ?? []).map { "\"\($0)\"" }.joined(separator: ", ") + (queued > 5 ? ", …" : "")
            let summary = "\(names.count) threads deadlocked (\(deadlock.kind)): \(cycle)"
                + (queued > 0 ? "; \(queued) more thread\(queued == 1 ? "" : "s") blocked behind it (\(named))" : "")
            let evidence = deadlock.members.map { member in
                EvidenceSample(source: dump.source, line: member.line,
                               text: "\"\(member.thread)\" waits for \(member.waitsFor)" + (member.waitingAt.map { " at \($0)" } ?? ""),
                               time: dump.timestamp)
            }
            let cycleThreads = dump.threads.indices.filter { names.contains(dump.threads[$0].name) }
            var fact = IncidentFact(id: "deadlock-cycle", count: names.count, kind: "dump", summary: summary, time: dump.timestamp, evidence: evidence)
            fact.applicationFrames = applicationFrames(of: cycleThreads, dump, traits)
            facts.append(fact)
            if deadlock.reportedByJVM {
                fact.id = "jvm-reported-deadlock"
                fact.summary = "the JVM reported it: " + summary
                if let outside = deadlock.reportedOutsideCycle {
                    let listed = outside.map { "\"\($0)\"" }.joined(separator: ", ")
                    fact.summary += "; its report also lists \(listed), not in the cycle but waiting behind it"
                }
                facts.append(fact)
            }
        }
        let explained = members.union(behind)
        let contended = contention(dump, graph, limit: 5 + explained.count)
        // A lock queue is contention only behind a holder that works or is stuck: not behind a
        // deadlock (the deadlock finding has those threads), nor behind an idle acceptor or selector.
        if let hottest = contended.first(where: { lock in
            guard let holder = lock.holderIndex else { return true }
            return !explained.contains(holder) && !traits.any(dump.threads[holder].frames.prefix(4), .idleWait)
        }) {
            let holder = hottest.holder.map { "held by \"\($0)\"" + (hottest.holderFrames.first.map { " at \($0)" } ?? "") } ?? "holder not in the dump"
            let summary = "\(hottest.waiters) threads wait for \(hottest.lock), \(holder)"
            var evidence = [EvidenceSample(source: dump.source, line: hottest.holderLine ?? dump.line, text: summary, time: dump.timestamp)]
            evidence += hottest.waiterLines.prefix(3).map { waiter in
                EvidenceSample(source: dump.source, line: waiter.line, text: "\"\(waiter.name)\" waits for \(hottest.lock)", time: dump.timestamp)
            }
            var fact = IncidentFact(id: "threads-blocked-on-one-lock", count: hottest.waiters, kind: "dump",
                                    summary: summary, time: dump.timestamp, evidence: evidence)
            // The holder's code first: that is where the lock is held too long.
            let holderFrame = applicationFrames(of: [hottest.holderIndex].compactMap { $0 }, dump, traits) ?? []
            let waiterFrames = applicationFrames(of: hottest.waiterIndices, dump, traits) ?? []
            fact.applicationFrames = holderFrame + waiterFrames.filter { frame in !holderFrame.contains { $0.frame == frame.frame } }
            facts.append(fact)
        }
        // A javacore written for an OutOfMemoryError is evidence of that error, even without the log.
        if let reason = dump.reason, let kind = OutOfMemoryKind.of(dumpReason: reason) {
            var fact = IncidentFact(id: kind.dumpFact, count: 1, kind: "dump", summary: "the JVM wrote this dump because of \(reason)",
                                    time: dump.timestamp,
                                    evidence: [EvidenceSample(source: dump.source, line: dump.line, text: "written because of \(reason)",
                                                              time: dump.timestamp)])
            // The thread running when it was written is the one whose allocation failed.
            let current = dump.currentThread.flatMap { name in dump.threads.firstIndex { $0.name == name } }
            fact.applicationFrames = current.flatMap { applicationFrames(of: [$0], dump, traits) }
            facts.append(fact)
        }
        facts += heldAcrossWaits(dump, graph, traits, explained: explained)
        let (poolWaits, poolFacts) = self.poolWaits(dump, traits)
        facts += poolFacts
        return DumpAnalysis(summary: summary(dump, deadlocks: deadlocks, contended: Array(contended.prefix(5)), poolWaits: poolWaits),
                            snapshot: snapshot(dump, traits, explained: explained), facts: facts)
    }

    /// The threads of every cycle, and those waiting down a chain of locks for one of them.
    private static func explainedByDeadlock(_ dump: ThreadDump, _ graph: WaitForGraph,
                                            _ deadlocks: [DumpSummary.Deadlock]) -> (members: Set<Int>, behind: Set<Int>) {
        guard !deadlocks.isEmpty else { return ([], []) }
        let names = Set(deadlocks.flatMap { $0.members.map(\.thread) })
        let members = Set(dump.threads.indices.filter { names.contains(dump.threads[$0].name) })
        var behind = Set<Int>()
        for start in graph.edges.keys where !members.contains(start) {
            var seen: Set<Int> = [start]
            var node = graph.edges[start]?.owner
            while let current = node, seen.insert(current).inserted {
                if members.contains(current) { behind.insert(start); break }
                node = graph.edges[current]?.owner
            }
        }
        return (members, behind)
    }

    /// Whether `thread`'s chain of waits ends in `deadlock`'s cycle.
    private static func deadlockOf(_ thread: Int, _ graph: WaitForGraph, _ deadlock: DumpSummary.Deadlock, _ dump: ThreadDump) -> Bool {
        let names = Set(deadlock.members.map(\.thread))
        var seen: Set<Int> = [thread]
        var node = graph.edges[thread]?.owner
        while let current = node, seen.insert(current).inserted {
            if names.contains(dump.threads[current].name) { return true }
            node = graph.edges[current]?.owner
        }
        return false
    }

    // MARK: - Summary

    private struct StackKey: Hashable {
        var state: ThreadState
        var frames: [Int32]
    }

    private static func summary(_ dump: ThreadDump, deadlocks: [DumpSummary.Deadlock],
                                contended: [DumpSummary.ContendedLock], poolWaits: [DumpSummary.PoolWait]) -> DumpSummary {
        var states: [String: Int] = [:]
        var pools = BoundedCounter(capacity: 4096)
        // Threads with the same state and top frames are one group; the key holds frame ids,
        // not text, so grouping costs no strings.
        var groups: [StackKey: (count: Int, members: [Int])] = [:]
        var order: [StackKey] = []
        // By index, reading fields: iterating copies every thread (a retain per field).
        let threads = dump.threads
        for index in threads.indices {
            states[threads[index].state.rawValue, default: 0] += 1
            pools.add(threads[index].poolName)
            let key = StackKey(state: threads[index].state, frames: Array(threads[index].frames.prefix(12)))
            if let existing = groups[key] {
                groups[key] = (existing.count + 1, existing.members.count < 3 ? existing.members + [index] : existing.members)
            } else {
                groups[key] = (1, [index])
                order.append(key)
            }
        }
        let stackGroups = order.compactMap { key -> (count: Int, members: [Int])? in
            guard let group = groups[key], group.count > 1, !key.frames.isEmpty else { return nil }
            return group
        }
        .sorted { $0.count != $1.count ? $0.count > $1.count : $0.members[0] < $1.members[0] }
        .prefix(stackGroupsKept)
        .map { group -> DumpSummary.StackGroup in
            let thread = dump.threads[group.members[0]]
            return DumpSummary.StackGroup(count: group.count, state: thread.state,
                                          frames: thread.frames.prefix(stackDepthShown).map { dump.frames[$0] },
                                          threads: group.members.map { dump.threads[$0].name })
        }
        let topPools = pools.top(10).filter { $0.count > 1 }.map { Tally(key: $0.key, count: $0.count) }
        // States within the largest pools, for the HTML chart: a second pass over those only.
        var poolStates: [String: [String: Int]] = [:]
        let kept = Set(topPools.map(\.key))
        for index in threads.indices where kept.contains(threads[index].poolName) {
            poolStates[threads[index].poolName, default: [:]][threads[index].state.rawValue, default: 0] += 1
        }
        var summary = DumpSummary(
            source: dump.source, line: dump.line, format: dump.format, time: dump.timestamp, jvm: dump.jvm, process: dump.processId, reason: dump.reason,
            threads: threads.count, daemonThreads: threads.indices.count { threads[$0].daemon },
            virtualThreads: threads.indices.count { threads[$0].isVirtual || threads[$0].carriedVirtualThread != nil },
            states: states, pools: topPools,
            stackGroups: Array(stackGroups), deadlocks: deadlocks, contendedLocks: contended, poolWaits: poolWaits)
        summary.poolStates = poolStates.isEmpty ? nil : poolStates
        return summary
    }

    // MARK: - Deadlocks

    private static func deadlocks(_ dump: ThreadDump, _ graph: WaitForGraph) -> [DumpSummary.Deadlock] {
        var result: [DumpSummary.Deadlock] = []
        var covered = Set<Set<String>>()
        for cycle in graph.cycles() {
            let names = cycle.map { dump.threads[$0].name }
            let members = cycle.enumerated().map { position, index -> DumpSummary.Deadlock.Member in
                let edge = graph.edges[index]!
                let previous = cycle[(position + cycle.count - 1) % cycle.count]
                let lockWanted = graph.edges[previous]!.lock
                return DumpSummary.Deadlock.Member(
                    thread: dump.threads[index].name, line: dump.threads[index].line,
                    waitsFor: describe(edge.lock), waitingAt: graph.waitingFrame(index),
                    holdingAt: graph.holdingFrame(index, lockWanted))
            }
            let monitors = cycle.allSatisfy { dump.threads[$0].waitKind == .monitorEntry }
            // The JVM lists every thread of the chain, the cycle and those queued behind it.
            let reported = dump.reportedDeadlocks.filter { Set(names).isSubset(of: Set($0)) }
            for report in reported { covered.insert(Set(report)) }
            result.append(DumpSummary.Deadlock(members: members, reportedByJVM: !reported.isEmpty,
                                               kind: monitors ? "monitors" : "ownable synchronizers"))
        }
        // A cycle the JVM reported whose waits the dump's stacks did not show.
        for reported in dump.reportedDeadlocks where !covered.contains(Set(reported)) {
            let members = reported.map { name -> DumpSummary.Deadlock.Member in
                let thread = dump.threads.first { $0.name == name }
                return DumpSummary.Deadlock.Member(thread: name, line: thread?.line ?? dump.line,
                                                   waitsFor: thread?.waitingFor.map(describe) ?? "a lock",
                                                   waitingAt: thread?.frames.first.map { dump.frames[$0] }, holdingAt: nil)
            }
            result.append(DumpSummary.Deadlock(members: members, reportedByJVM: true, kind: "reported"))
        }
        return result
    }

    static func describe(_ lock: LockReference) -> String {
        if lock.key.contains("@") { return lock.key }
        return "<0x\(lock.key)>" + (lock.shortClassName.map { " (\($0))" } ?? "")
    }

    // MARK: - Contention

    private static func contention(_ dump: ThreadDump, _ graph: WaitForGraph, limit: Int) -> [DumpSummary.ContendedLock] {
        graph.waitersByLock()
            .filter { $0.value.count > 1 }
            .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            .prefix(limit)
            .map { _, waiters in
                let lock = graph.edges[waiters[0]]!.lock
                let holderIndex = graph.edges[waiters[0]]!.owner
                let holder = dump.threads[holderIndex]
                return DumpSummary.ContendedLock(
                    lock: describe(lock), waiters: waiters.count, holder: holder.name, holderState: holder.state,
                    holderFrames: holder.frames.drop { id in
                        WaitForGraph.plumbing.contains { dump.frames.method(id).hasPrefix($0) }
                    }.prefix(5).map { dump.frames[$0] },
                    sampleWaiters: waiters.prefix(3).map { dump.threads[$0].name },
                    holderLine: holder.line, holderIndex: holderIndex,
                    waiterLines: waiters.prefix(3).map { (dump.threads[$0].name, dump.threads[$0].line) },
                    waiterIndices: waiters)
            }
    }

    // MARK: - Locks held across a wait

    /// A lock others wait for, held by a thread that itself waits: for a future, a latch, a
    /// pooled connection or a remote call. Nothing moves until that result comes — a start-up
    /// that never finishes, or a request queue behind one slow call. One fact per such lock.
    private static func heldAcrossWaits(_ dump: ThreadDump, _ graph: WaitForGraph, _ traits: FrameTraits,
                                        explained: Set<Int>) -> [IncidentFact] {
        var anyPoolWait: FrameTraits.Trait = []
        for index in PoolSignature.all.indices { anyPoolWait.insert(.poolWait(index)) }
        var facts: [IncidentFact] = []
        for (_, waiters) in graph.waitersByLock().sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }) {
            guard let edge = graph.edges[waiters[0]], !explained.contains(edge.owner) else { continue }
            let holder = dump.threads[edge.owner]
            // The holder is not itself blocked on a lock (that is a chain or a deadlock), and
            // waits for a result, a pooled connection or a backend read in its top frames.
            guard graph.edges[edge.owner] == nil else { continue }
            let top = holder.frames.prefix(12)
            let waitsFor: String
            if let frame = traits.first(top, .resultWait) {
                waitsFor = "another thread's result at \(dump.frames[frame])"
            } else if holder.state != .runnable, let frame = traits.first(top.prefix(PoolSignature.waitDepth), anyPoolWait) {
                waitsFor = "a pooled connection at \(dump.frames[frame])"
            } else if let frame = traits.first(top.prefix(8), .socketRead), traits.any(holder.frames, .clientLibrary) {
                waitsFor = "a remote call at \(dump.frames[frame])"
            } else {
                continue
            }
            let lock = describe(edge.lock)
            let names = waiters.prefix(3).map { "\"\(dump.threads[$0].name)\"" }.joined(separator: ", ")
            let holding = graph.holdingFrame(edge.owner, edge.lock).map { " (taken at \($0))" } ?? ""
            let summary = "\"\(holder.name)\" holds \(lock)\(holding) while it waits for \(waitsFor); "
                + "\(waiters.count) thread\(waiters.count == 1 ? "" : "s") wait for the lock: \(names)\(waiters.count > 3 ? ", …" : "")"
            var evidence = [EvidenceSample(source: dump.source, line: holder.line, text: summary, time: dump.timestamp)]
            evidence += waiters.prefix(3).map { waiter in
                EvidenceSample(source: dump.source, line: dump.threads[waiter].line,
                               text: "\"\(dump.threads[waiter].name)\" waits for \(lock)", time: dump.timestamp)
            }
            var fact = IncidentFact(id: "lock-held-while-waiting", count: waiters.count, kind: "dump", summary: summary,
                                    time: dump.timestamp, evidence: evidence)
            let holderFrame = applicationFrames(of: [edge.owner], dump, traits) ?? []
            let waiterFrames = applicationFrames(of: waiters, dump, traits) ?? []
            fact.applicationFrames = holderFrame + waiterFrames.filter { frame in !holderFrame.contains { $0.frame == frame.frame } }
            facts.append(fact)
            if facts.count == 3 { break }
        }
        return facts
    }

    // MARK: - Pool waits

    private static func poolWaits(_ dump: ThreadDump, _ traits: FrameTraits) -> ([DumpSummary.PoolWait], [IncidentFact]) {
        var waits: [DumpSummary.PoolWait] = []
        var facts: [IncidentFact] = []
        let threads = dump.threads
        for (signatureIndex, signature) in PoolSignature.all.enumerated() {
            var waiters: [Int] = []
            var users: [Int] = []
            var readers = 0
            var waitingAt: String?
            for index in threads.indices {
                let frames = threads[index].frames
                if threads[index].state != .runnable,
                   let frame = traits.first(frames.prefix(PoolSignature.waitDepth), .poolWait(signatureIndex)) {
                    waiters.append(index)
                    if waitingAt == nil { waitingAt = dump.frames[frame] }
                } else if traits.any(frames, .poolUse(signatureIndex)) {
                    users.append(index)
                    if traits.any(frames.prefix(8), .socketRead) { readers += 1 }
                }
            }
            guard !waiters.isEmpty else { continue }
            let wait = DumpSummary.PoolWait(pool: signature.name, waiters: waiters.count, users: users.count,
                                            readingFromBackend: readers, sampleWaiters: waiters.prefix(3).map { dump.threads[$0].name },
                                            waitingAt: waitingAt, sampleUsers: users.prefix(3).map { dump.threads[$0].name })
            waits.append(wait)
            let evidence = waiters.prefix(3).map {
                EvidenceSample(source: dump.source, line: dump.threads[$0].line,
                               text: "\"\(dump.threads[$0].name)\" \(dump.threads[$0].state.rawValue) at \(waitingAt ?? "?")", time: dump.timestamp)
            } + users.prefix(2).map {
                EvidenceSample(source: dump.source, line: dump.threads[$0].line,
                               text: "\"\(dump.threads[$0].name)\" uses a \(signature.name) connection at \(dump.threads[$0].frames.first.map { dump.frames[$0] } ?? "?")",
                               time: dump.timestamp)
            }
            var fact: IncidentFact
            if users.isEmpty {
                fact = IncidentFact(
                    id: "pool-waiters-idle-leases", count: waiters.count, kind: "dump",
                    summary: "\(waiters.count) threads wait for a \(signature.name) pooled connection and no thread is using one: the leases are held by nobody",
                    time: dump.timestamp, evidence: evidence)
            } else {
                fact = IncidentFact(
                    id: "pool-waiters-busy-leases", count: users.count, kind: "dump",
                    summary: "\(waiters.count) threads wait for a \(signature.name) pooled connection while \(users.count) use theirs (\(readers) reading from the backend)",
                    time: dump.timestamp, evidence: evidence)
            }
            fact.applicationFrames = applicationFrames(of: users + waiters, dump, traits)
            facts.append(fact)
        }
        return (waits, facts)
    }

    /// Each thread's first application frame, summed by frame (the thread header as the place).
    static func applicationFrames(of threads: [Int], _ dump: ThreadDump, _ traits: FrameTraits) -> [ApplicationFrame]? {
        var frames: [ApplicationFrame] = []
        for index in threads {
            guard let frame = traits.first(dump.threads[index].frames, .application) else { continue }
            frames.append(ApplicationFrame(frame: dump.frames[frame], source: dump.source, line: dump.threads[index].line))
        }
        let combined = ApplicationFrame.combined(frames, limit: FindingRanker.applicationFramesShown)
        return combined.isEmpty ? nil : combined
    }

    // MARK: - Snapshot

    private static func snapshot(_ dump: ThreadDump, _ traits: FrameTraits, explained: Set<Int>) -> DumpSnapshot {
        var anyPoolWait: FrameTraits.Trait = []
        for index in PoolSignature.all.indices { anyPoolWait.insert(.poolWait(index)) }
        let threads = dump.threads.indices.map { index -> ThreadSnapshot in
            let thread = dump.threads[index]
            let activity: ThreadSnapshot.Activity
            if traits.any(thread.frames.prefix(8), .socketRead), traits.any(thread.frames, .clientLibrary) {
                activity = .socketRead
            } else if thread.state == .blocked {
                activity = .blocked
            } else if traits.any(thread.frames.prefix(PoolSignature.waitDepth), anyPoolWait) {
                activity = .poolWait
            } else {
                activity = .other
            }
            return ThreadSnapshot(name: thread.name, nativeId: thread.nativeId, state: thread.state,
                                  topFrame: thread.frames.first.map { dump.frames[$0] }, cpuMilliseconds: thread.cpuMilliseconds,
                                  line: thread.line, activity: activity, topFrames: thread.frames.prefix(3).map { dump.frames[$0] },
                                  applicationFrame: traits.first(thread.frames, .application).map { dump.frames[$0] },
                                  explainedByDeadlock: explained.contains(index),
                                  readsWithoutTimeout: activity == .socketRead && traits.any(thread.frames.prefix(12), .socketImplRead)
                                      && !traits.any(thread.frames.prefix(12), .timedRead))
        }
        return DumpSnapshot(source: dump.source, line: dump.line, time: dump.timestamp, threads: threads,
                            processId: dump.processId, jvm: dump.jvm)
    }
}
