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
