/// What only several dumps (or a dump with `top -H` beside it) show: threads that did not
/// move, threads burning CPU, the thread count growing.
public enum DumpSeriesAnalyzer {
    /// Percent of one core at which a thread counts as busy.
    static let busyPercent = 50.0

    /// `jvms`: each snapshot's JVM (`JVMIdentity.group`); series facts are per JVM.
    public static func analyze(_ snapshots: [DumpSnapshot], top: [TopSnapshot], jvms: [Int]? = nil) -> [IncidentFact] {
        let groups = jvms ?? JVMIdentity.group(snapshots)
        let count = groups.max() ?? 0
        var facts: [IncidentFact] = []
        for jvm in 1...max(1, count) {
            let dumps = ordered(snapshots.indices.filter { groups.isEmpty || groups[$0] == jvm }.map { snapshots[$0] })
            guard dumps.count >= 2 else { continue }
            let label = count > 1 ? " of JVM \(jvm)" + (dumps[0].processId.map { " (pid \($0))" } ?? "") : ""
            facts += stuck(dumps).map { labelled($0, label) }
            facts += cpuDeltas(dumps).map { labelled($0, label) }
            facts += growth(dumps).map { labelled($0, label) }
        }
        facts += topThreads(top, ordered(snapshots))
        return facts
    }

    /// The fact, saying which JVM its series is, when there are several.
    private static func labelled(_ fact: IncidentFact, _ label: String) -> IncidentFact {
        guard !label.isEmpty else { return fact }
        var fact = fact
        fact.summary += label.replacingAll(" of JVM", with: "; dumps of JVM")
        return fact
    }

    /// By time when every dump has one, otherwise in the order they were read.
    static func ordered(_ snapshots: [DumpSnapshot]) -> [DumpSnapshot] {
        guard snapshots.allSatisfy({ $0.time?.hasDate == true }) else { return snapshots }
        return snapshots.enumerated().sorted { ($0.element.time!, $0.offset) < ($1.element.time!, $1.offset) }.map(\.element)
    }

    /// The CPU milliseconds a thread may gain between dumps and still be in the same call: a
    /// blocked read or monitor wait gains none; a request served in between costs more.
    static let cpuOfOneStuckCall = 2.0

    private static func stuck(_ dumps: [DumpSnapshot]) -> [IncidentFact] {
        var readers: [ThreadSnapshot] = []
        var blocked: [ThreadSnapshot] = []
        let rest = dumps.dropFirst().map { dump in Dictionary(dump.threads.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) }
        // Threads a deadlock explains are the deadlock finding's, in any of the dumps.
        for thread in dumps[0].threads where (thread.activity == .socketRead || thread.activity == .blocked) && !thread.explainedByDeadlock {
            let same = rest.allSatisfy { later in
                guard let other = later[thread.name], !other.explainedByDeadlock else { return false }
                // CPU spent between the dumps is work done between them: a busy thread back in a new
                // read of the same line, not one read that never returns (a blocked read costs none).
                if let before = thread.cpuMilliseconds, let after = other.cpuMilliseconds,
                   after - before > Self.cpuOfOneStuckCall { return false }
                return other.topFrame == thread.topFrame && other.state == thread.state
            }
            guard same else { continue }
            if thread.activity == .socketRead { readers.append(thread) } else { blocked.append(thread) }
        }
        let span = spanText(dumps)
        func ownFrames(_ threads: [ThreadSnapshot]) -> [ApplicationFrame]? {
            let frames = threads.compactMap { thread in
                thread.applicationFrame.map { ApplicationFrame(frame: $0, source: dumps[0].source, line: thread.line) }
            }
            let combined = ApplicationFrame.combined(frames, limit: FindingRanker.applicationFramesShown)
            return combined.isEmpty ? nil : combined
        }
        /// A fact about `threads`, each cited with `text` (from its name and top frame).
        func fact(_ id: String, _ threads: [ThreadSnapshot], _ summary: String, _ text: (ThreadSnapshot) -> String) -> IncidentFact {
            var fact = IncidentFact(id: id, count: threads.count, kind: "dump", summary: summary, time: dumps.last?.time,
                                    evidence: threads.prefix(5).map { thread in
                                        EvidenceSample(source: dumps[0].source, line: thread.line, text: text(thread), time: dumps[0].time)
                                    })
            fact.applicationFrames = ownFrames(threads)
            return fact
        }
        var facts: [IncidentFact] = []
        if !readers.isEmpty {
            facts.append(fact("threads-stuck-in-socket-read", readers,
                              "\(readers.count) threads read from a backend on the same frame in all \(dumps.count) dumps\(span)") {
                "\"\($0.name)\" at \($0.topFrame ?? "?") in every dump"
            })
            // The JDK's untimed read path in every dump: these reads wait for ever.
            let untimed = readers.filter { reader in
                reader.readsWithoutTimeout && rest.allSatisfy { $0[reader.name]?.readsWithoutTimeout == true }
            }
            if !untimed.isEmpty {
                facts.append(fact("threads-reading-without-timeout", untimed,
                                  "\(untimed.count) of them read with no timeout (NioSocketImpl.implRead, not timedRead): "
                                      + "they wait until the peer answers or closes") {
                    "\"\($0.name)\" reads with no timeout at \($0.topFrame ?? "?")"
                })
            }
        }
        if !blocked.isEmpty {
            facts.append(fact("threads-stuck-blocked", blocked,
                              "\(blocked.count) threads BLOCKED on the same frame in all \(dumps.count) dumps\(span)") {
                "\"\($0.name)\" BLOCKED at \($0.topFrame ?? "?") in every dump"
            })
        }
        return facts
    }

    private static func cpuDeltas(_ dumps: [DumpSnapshot]) -> [IncidentFact] {
        guard let first = dumps.first, let last = dumps.last, let start = first.time, let end = last.time,
              start.hasDate == end.hasDate, end.milliseconds > start.milliseconds else { return [] }
        let wall = Double(end.milliseconds - start.milliseconds)
        let later = Dictionary(last.threads.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var busy: [(thread: ThreadSnapshot, percent: Double)] = []
        for thread in first.threads {
            guard let before = thread.cpuMilliseconds, let after = later[thread.name]?.cpuMilliseconds, after > before else { continue }
            let percent = (after - before) / wall * 100
            if percent >= busyPercent { busy.append((later[thread.name]!, percent)) }
        }
        busy.sort { $0.percent > $1.percent }
        return busy.prefix(3).map { entry in
            let percent = entry.percent.roundedInt(in: 0...Int.max)
            return IncidentFact(id: "thread-busy-on-cpu", count: percent, kind: "dump",
                         summary: "\"\(entry.thread.name)\" used \(percent)% of a core between the first and the last dump, at \(entry.thread.topFrame ?? "?")",
                         time: end, evidence: [EvidenceSample(source: last.source, line: entry.thread.line,
                                                              text: "\"\(entry.thread.name)\" at \(entry.thread.topFrames.joined(separator: " ← "))", time: end)])
        }
    }

    private static func growth(_ dumps: [DumpSnapshot]) -> [IncidentFact] {
        guard let first = dumps.first, let last = dumps.last else { return [] }
        let added = last.threads.count - first.threads.count
        guard added >= 50, Double(last.threads.count) >= Double(first.threads.count) * 1.25 else { return [] }
        var before = BoundedCounter(capacity: 4096), after = BoundedCounter(capacity: 4096)
        for thread in first.threads { before.add(ThreadNaming.pool(of: thread.name)) }
        for thread in last.threads { after.add(ThreadNaming.pool(of: thread.name)) }
        let grown = after.counts.map { ($0.key, $0.value - (before.counts[$0.key] ?? 0)) }.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(3)
        let pools = grown.map { "\($0.0) +\($0.1)" }.joined(separator: ", ")
        return [IncidentFact(id: "thread-count-growth", count: added, kind: "dump",
                             summary: "threads grew from \(first.threads.count) to \(last.threads.count) across \(dumps.count) dumps (\(pools))",
                             time: last.time, evidence: [EvidenceSample(source: first.source, line: first.line, text: "\(first.threads.count) threads", time: first.time),
                                                         EvidenceSample(source: last.source, line: last.line, text: "\(last.threads.count) threads: \(pools)", time: last.time)])]
    }

    /// Busy OS threads from `top -H`, named by joining their id with the dumps' native ids.
    private static func topThreads(_ top: [TopSnapshot], _ dumps: [DumpSnapshot]) -> [IncidentFact] {
        var byNativeId: [Int: (ThreadSnapshot, DumpSnapshot)] = [:]
        for dump in dumps {
            for thread in dump.threads {
                if let id = thread.nativeId { byNativeId[id] = (thread, dump) }
            }
        }
        var best: [Int: (row: TopSnapshot.Row, snapshot: TopSnapshot)] = [:]
        for snapshot in top {
            for row in snapshot.rows where row.cpuPercent >= busyPercent {
                if let known = best[row.threadId], known.row.cpuPercent >= row.cpuPercent { continue }
                best[row.threadId] = (row, snapshot)
            }
        }
        return best.values.sorted { $0.row.cpuPercent > $1.row.cpuPercent }.prefix(3).map { entry in
            let percent = entry.row.cpuPercent.roundedInt(in: 0...Int.max)
            let topEvidence = EvidenceSample(source: entry.snapshot.source, line: entry.row.line,
                                             text: "TID \(entry.row.threadId) (\(entry.row.command)) at \(Double(percent))% CPU", time: entry.snapshot.time)
            if let (thread, dump) = byNativeId[entry.row.threadId] {
                return IncidentFact(
                    id: "thread-busy-on-cpu", count: percent, kind: "dump",
                    summary: "\"\(thread.name)\" (native id \(entry.row.threadId) = 0x\(String(entry.row.threadId, radix: 16))) at \(percent)% CPU in top -H, at \(thread.topFrame ?? "?")",
                    time: entry.snapshot.time,
                    evidence: [topEvidence, EvidenceSample(source: dump.source, line: thread.line,
                                                           text: "\"\(thread.name)\" at \(thread.topFrames.joined(separator: " ← "))", time: dump.time)])
            }
            return IncidentFact(id: "thread-busy-on-cpu", count: percent, kind: "dump",
                                summary: "TID \(entry.row.threadId) (\(entry.row.command)) at \(percent)% CPU in top -H; no dump names it",
                                time: entry.snapshot.time, evidence: [topEvidence])
        }
    }

    private static func spanText(_ dumps: [DumpSnapshot]) -> String {
        guard let start = dumps.first?.time, let end = dumps.last?.time, start.hasDate == end.hasDate, end.milliseconds > start.milliseconds else { return "" }
        let seconds = (end.milliseconds - start.milliseconds) / 1000
        return " (\(seconds) s apart end to end)"
    }
}
