/// The thread-dump part of the text report: per dump, states, pools, the largest groups of
/// identical stacks ("37 threads with this stack"), deadlocks, contention and pool waits.
struct DumpSectionText {
    let style: TerminalStyle
    let groupsShown: Int

    func render(_ dumps: [DumpSummary], thinned: Int? = nil) -> String {
        guard !dumps.isEmpty else { return "" }
        let more = thinned.map { "; \(NumberFormatting.count($0)) more read and thinned out of the series" } ?? ""
        var out = "\n" + style.bold("Thread dumps") + " (\(dumps.count)\(more))\n"
        for dump in dumps {
            let when = dump.time.map { " at \($0.text)" } ?? ""
            out += "  " + style.cyan("\(dump.source):\(dump.line)") + "  \(dump.format.rawValue)\(when), \(dump.threads) threads"
            out += (dump.jvm.map { ", \($0)" } ?? "") + "\n"
            if let reason = dump.reason { out += "      written because: " + reason + "\n" }
            out += "      states: " + ThreadState.allCases.compactMap { state in
                dump.states[state.rawValue].map { "\(state.rawValue) \($0)" }
            }.joined(separator: ", ") + "\n"
            if !dump.pools.isEmpty {
                out += "      pools: " + dump.pools.prefix(5).map { "\($0.key) \($0.count)" }.joined(separator: ", ") + "\n"
            }
            for deadlock in dump.deadlocks {
                out += "      " + style.red("deadlock") + " (\(deadlock.kind)\(deadlock.reportedByJVM ? ", reported by the JVM" : ", found in the wait-for graph")):\n"
                for member in deadlock.members {
                    out += "        \"\(member.thread)\" waits for \(member.waitsFor)" + (member.waitingAt.map { " at \($0)" } ?? "") + "\n"
                    if let holding = member.holdingAt { out += "          holding the previous thread's lock at \(holding)\n" }
                }
                if let behind = deadlock.blockedBehind, let count = deadlock.blockedBehindCount {
                    out += "        blocked behind it: \(count) thread\(count == 1 ? "" : "s") ("
                        + behind.map { "\"\($0)\"" }.joined(separator: ", ") + (count > behind.count ? ", …" : "") + ")\n"
                }
                if let outside = deadlock.reportedOutsideCycle {
                    out += "        the JVM's report also lists " + outside.map { "\"\($0)\"" }.joined(separator: ", ")
                        + ": not in the cycle, waiting behind it\n"
                }
            }
            for lock in dump.contendedLocks.prefix(2) {
                out += "      \(lock.waiters) threads wait for \(lock.lock)"
                if let holder = lock.holder {
                    out += ", held by \"\(holder)\" (\(lock.holderState?.rawValue ?? "?"))" + (lock.holderFrames.first.map { " at \($0)" } ?? "")
                }
                out += "\n"
            }
            for wait in dump.poolWaits {
                out += "      \(wait.waiters) threads wait for a \(wait.pool) pooled connection; \(wait.users) use one (\(wait.readingFromBackend) reading from the backend)\n"
            }
            for group in dump.stackGroups.prefix(groupsShown) {
                out += "      \(group.count) threads with this stack (\(group.state.rawValue)), e.g. \"\(group.threads.first ?? "")\":\n"
                for frame in group.frames.prefix(4) { out += "          at \(frame)\n" }
            }
        }
        return out
    }
}
