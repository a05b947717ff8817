/// Compares the threads a JVM runs with the limit on how many it may: `unable to create native
/// thread` with the count near the limit means the limit is low for the work (or the threads
/// leak, which the series of dumps tells: `thread-count-growth`).
enum ProcessLimitCheck {
    static func facts(_ snapshots: [DumpSnapshot], settings: KernelSettings) -> [IncidentFact] {
        guard let setting = settings["max_user_processes"], let limit = setting.numbers.first, limit > 0,
              let fullest = snapshots.indices.max(by: { snapshots[$0].threads.count < snapshots[$1].threads.count })
        else { return [] }
        let dump = snapshots[fullest]
        let threads = dump.threads.count
        let percent = min(threads * 100 / limit, 1_000)
        let summary = "\(NumberFormatting.count(threads)) threads in one dump against a process limit of \(NumberFormatting.count(limit))"
            + " (Max processes / ulimit -u, \(setting.location.description)): \(percent)% of it; the limit counts every thread of the user"
        return [IncidentFact(
            id: "threads-near-process-limit", count: percent, kind: "dump", summary: summary, time: dump.time,
            evidence: [EvidenceSample(source: dump.source, line: dump.line, text: "\(threads) threads", time: dump.time),
                       EvidenceSample(source: setting.source, line: setting.line, text: "max_user_processes = \(setting.value)")])]
    }
}

/// Compares the descriptors a process holds (`ls /proc/PID/fd | wc -l`) with its open-files
/// limit (/proc/PID/limits, `prlimit`, `ulimit -n`), and says what holds them where a socket
/// table names the process: its sockets by state, the CLOSE_WAIT it has not closed by endpoint.
enum DescriptorCheck {
    static func facts(settings: KernelSettings, sockets: [SocketSnapshot]) -> [IncidentFact] {
        guard let limitSetting = settings["max_open_files"], let limit = limitSetting.numbers.first, limit > 0,
              let countSetting = settings["open_descriptors"], let count = countSetting.numbers.first else { return [] }
        let process = countSetting.numbers.dropFirst().first
        let percent = min(count * 100 / limit, 1_000)
        var summary = "\(NumberFormatting.count(count)) descriptors open against a limit of \(NumberFormatting.count(limit))"
            + " (Max open files, \(limitSetting.location.description)): \(percent)% of it"
        var evidence = [EvidenceSample(source: countSetting.source, line: countSetting.line, text: "\(count) open descriptors"),
                        EvidenceSample(source: limitSetting.source, line: limitSetting.line, text: "max_open_files = \(limitSetting.value)")]
        if let holding = holdings(sockets, process: process) {
            summary += "; \(holding.owner) holds \(NumberFormatting.count(holding.total)) sockets ("
                + holding.states.map { "\($0.state.rawValue) \(NumberFormatting.count($0.count))" }.joined(separator: ", ") + ")"
            if let closeWait = holding.closeWait {
                summary += ", CLOSE_WAIT most toward \(closeWait.endpoint) (\(NumberFormatting.count(closeWait.count))): closed by the peer, never by this process"
            }
            evidence.append(EvidenceSample(source: holding.source, line: holding.line, text: "sockets of \(holding.owner)"))
        }
        return [IncidentFact(id: "descriptors-near-limit", count: percent, kind: "settings", summary: summary, evidence: evidence)]
    }

    struct Holding {
        var owner: String
        var total: Int
        var states: [(state: TCPState, count: Int)]
        var closeWait: (endpoint: String, count: Int)?
        var source: String
        var line: Int
    }

    /// The process's sockets in the latest table that names owners: the one whose id is
    /// `process`, else the `java` owner with the most sockets.
    static func holdings(_ sockets: [SocketSnapshot], process: Int?) -> Holding? {
        guard let table = sockets.last(where: { !$0.byProcess.isEmpty }) else { return nil }
        var totals: [String: Int] = [:]
        for counter in table.byProcess.values { for (owner, count) in counter.counts { totals[owner, default: 0] += count } }
        let owner: String?
        if let process {
            owner = totals.keys.filter { ReaderEndpoint.names($0, pid: process) }.sorted().first
        } else {
            owner = totals.filter { $0.key.lowercased().contains("java") }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
        guard let owner, let total = totals[owner] else { return nil }
        let states = table.byProcess.compactMap { state, counter in counter.counts[owner].map { (state: state, count: $0) } }
            .sorted { ($1.count, $0.state.rawValue) < ($0.count, $1.state.rawValue) }
        let closeWait = table.clientByRemoteAndProcess[.closeWait]?.counts
            .compactMap { key, count -> (String, Int)? in
                let parts = key.components(separatedBy: "  ")
                return parts.count == 2 && parts[1] == owner ? (parts[0], count) : nil
            }
            .max { ($0.1, $1.0) < ($1.1, $0.0) }
        return Holding(owner: owner, total: total, states: states, closeWait: closeWait.map { (endpoint: $0.0, count: $0.1) },
                       source: table.source, line: table.line)
    }
}
