import Foundation

/// `triage logs --follow FILE...`: reads each file to its end, then keeps reading as it grows
/// (and across rotation, as `tail -F`), and reports a root cause the moment its evidence is
/// enough, then its changes at most every `interval`; on SIGINT or SIGTERM the final report.
public enum LogFollower {
    public struct Request: Sendable {
        public var paths: [String]
        public var rules: RuleSet
        public var applicationPackages: [String] = []
        /// Seconds between checks for new or changed findings.
        public var interval: Double = 2
        /// `--since`/`--until` and `--pattern`, as for a report of the files as they are.
        public var window: TimeWindow?
        public var pattern: LogPattern?

        public init(paths: [String], rules: RuleSet) {
            self.paths = paths
            self.rules = rules
        }
    }

    /// A finding appearing or changing while the files are followed.
    public struct Event: Codable, Sendable {
        public var event = "finding"
        public var change: String
        public var rule: String
        public var title: String
        public var severity: Severity
        public var confidence: Double
        public var occurrences: Int
        public var at: String?
    }

    /// Follows until `stop` says so; `emit` gets each event as it happens. Returns what a
    /// `triage logs` of everything read would have found.
    public static func run(_ request: Request, stop: @escaping @Sendable () -> Bool,
                           emit: @escaping @Sendable (Event) -> Void) -> Analysis.Result {
        let matcher = SignalMatcher(rules: request.rules.rules,
                                    applicationCode: request.rules.applicationCode(packages: request.applicationPackages))
        // Per file: its segments (a rotation starts a new one), the last one live. The finished
        // ones are folded into the first; the others keep only their summaries.
        let segments = Locked<[[InputAnalysis]]>(Array(repeating: [], count: request.paths.count))
        let shown = Locked<[String: Event]>([:])
        let lastCheck = Locked<Date>(.distantPast)
        @Sendable func check(force: Bool) {
            let due = lastCheck.withLock { last -> Bool in
                guard force || Date().timeIntervalSince(last) >= request.interval else { return false }
                last = Date()
                return true
            }
            guard due else { return }
            let analyses = segments.withLock { $0.flatMap { $0 } }
            let report = Analysis.merge(analyses, rules: request.rules)
            for finding in report.findings {
                let where_ = finding.evidence.first.map { "\($0.source):\($0.line)" }
                let previous = shown.withLock { $0[finding.rule] }
                let change: String
                if let previous {
                    guard previous.severity != finding.severity || abs(previous.confidence - finding.confidence) >= 0.05 else { continue }
                    change = "changed"
                } else {
                    change = "new"
                }
                let event = Event(change: change, rule: finding.rule, title: finding.title, severity: finding.severity,
                                  confidence: finding.confidence, occurrences: finding.facts.occurrences, at: where_)
                shown.withLock { $0[finding.rule] = event }
                emit(event)
            }
        }
        // A thread per file, not a pool of cores' width: every file waits at its end at once.
        let followOne = { @Sendable (index: Int) in
            let path = request.paths[index]
            var segment = 0
            while !stop() {
                let source = FollowingSource(path: path, stop: stop)
                let name = segment == 0 ? path : "\(path) (after rotation \(segment))"
                let analyzer = InputAnalyzer(source: name, matcher: matcher.privateCopy(), window: request.window,
                                             pattern: request.pattern)
                let reader = LineReader(source: source, initialCapacity: 256 << 10)
                segments.withLock { $0[index].append(InputAnalysis(summary: InputSummary(source: name, status: .analysed))) }
                // Between blocks the analyzer is whole: its state so far stands in for this segment.
                source.onPause = {
                    let snapshot = InputAnalysis(analyzer, summary: analyzer.summary, problem: nil)
                    segments.withLock { $0[index][$0[index].count - 1] = snapshot }
                    check(force: false)
                }
                var problem: TriageError?
                do {
                    try reader.read(into: analyzer)
                } catch {
                    problem = .inputFailed(path: name, line: reader.lineCount + 1, reason: (error as? ByteSourceError)?.reason ?? "\(error)")
                }
                analyzer.finish()
                var summary = analyzer.summary
                summary.bytes = reader.bytesRead
                summary.lines = reader.lineCount
                if let problem {
                    summary.status = source.opened ? .partial : .unreadable
                    summary.reason = problem.description
                }
                if source.rotated {
                    summary.notes = (summary.notes ?? []) + ["rotated while followed: the lines after these are in \(path) (after rotation \(segment + 1))"]
                }
                let final = InputAnalysis(analyzer, summary: summary, problem: problem)
                segments.withLock { all in
                    let last = all[index].count - 1
                    guard last > 0 else {
                        all[index][last] = final
                        return
                    }
                    all[index][0].absorb(final)
                    all[index][last] = InputAnalysis(summary: summary, problem: problem)
                }
                source.close()
                guard source.rotated, problem == nil else { break }
                segment += 1
            }
        }
        let group = DispatchGroup()
        for index in request.paths.indices {
            group.enter()
            Thread {
                followOne(index)
                group.leave()
            }.start()
        }
        group.wait()
        check(force: true)
        let analyses = segments.withLock { $0.flatMap { $0 } }
        return Analysis.Result(report: Analysis.merge(analyses, rules: request.rules), problems: analyses.compactMap(\.problem))
    }
}
