import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One input's results, to be merged with the others'.
public struct InputAnalysis: Sendable {
    public var summary: InputSummary
    public var groups: ExceptionGroupTable
    public var tallies: [EvidenceTally]
    public var problem: TriageError?
    public var dumpSeries = DumpSeries()
    public var dumps: [DumpSummary] { dumpSeries.summaries }
    public var topSeries = ThinnedSeries<TopSnapshot>(capacity: 64)
    public var socketSeries = SocketSeries()
    public var socketSnapshots: [SocketSnapshot] { socketSeries.snapshots }
    public var kernelSettings = KernelSettings()
    public var poolLimits = PoolLimitTable()
    public var timeline: RecordTimeline?

    init(summary: InputSummary, groups: ExceptionGroupTable = ExceptionGroupTable(), tallies: [EvidenceTally] = [],
         problem: TriageError? = nil) {
        self.summary = summary
        self.groups = groups
        self.tallies = tallies
        self.problem = problem
    }

    init(_ analyzer: InputAnalyzer, summary: InputSummary, problem: TriageError?) {
        self.init(summary: summary, groups: analyzer.groups, tallies: analyzer.tallies, problem: problem)
        dumpSeries = analyzer.dumpSeries
        topSeries = analyzer.topSeries
        socketSeries = analyzer.socketSeries
        kernelSettings = analyzer.kernelSettings
        poolLimits = analyzer.poolLimits
        timeline = analyzer.timeline
    }

    /// Takes in a later part of the same input (`--follow`: the file after a rotation) as
    /// `Analysis.merge` would, into bounded tables: a file followed for days and rotated every
    /// hour holds one table of exception groups, not one per rotation (each up to its 5,000).
    /// The summary stays this part's; the caller keeps the later part's summary.
    mutating func absorb(_ later: InputAnalysis) {
        groups.merge(later.groups)
        if tallies.isEmpty { tallies = later.tallies } else {
            for index in later.tallies.indices where index < tallies.count { tallies[index].merge(later.tallies[index]) }
        }
        dumpSeries.append(contentsOf: later.dumpSeries)
        topSeries.append(contentsOf: later.topSeries)
        socketSeries.append(contentsOf: later.socketSeries)
        kernelSettings.merge(later.kernelSettings)
        poolLimits.merge(later.poolLimits)
        timeline = RecordTimeline.merged([timeline, later.timeline].compactMap { $0 })
    }
}

/// Progress of a long run, for a terminal status line.
public struct AnalysisProgress: Sendable {
    public var inputsDone: Int
    public var inputsTotal: Int
    public var bytesRead: Int
    public var current: String
    /// Bytes on disk of the files done and of all (a scan knows them ahead): for an ETA.
    public var diskBytesDone: Int?
    public var diskBytesTotal: Int?

    public init(inputsDone: Int, inputsTotal: Int, bytesRead: Int, current: String) {
        self.inputsDone = inputsDone
        self.inputsTotal = inputsTotal
        self.bytesRead = bytesRead
        self.current = current
    }
}

/// The whole job: collect inputs, analyse each (in parallel: they are independent), merge
/// in input order (so the report is the same whatever the core count), rank.
public enum Analysis {
    public struct Request: Sendable {
        public var paths: [String]
        public var rules: RuleSet
        public var window: TimeWindow?
        /// How many inputs to analyse at once; 0 means one per core.
        public var parallelism: Int
        /// `--encoding`: how to read inputs that are not UTF-8 or UTF-16.
        public var encoding: LegacyEncoding?
        /// `--app-package`: the application's packages, when the library lists guess wrong.
        public var applicationPackages: [String] = []
        /// `--pattern`: the layout of logs the built-in headers do not know.
        public var pattern: LogPattern?
        /// How bare times of the window were given a date (`TimeWindow.resolved`), for the report.
        public var windowReadings: [String] = []

        public init(paths: [String], rules: RuleSet, window: TimeWindow? = nil, parallelism: Int = 0, encoding: LegacyEncoding? = nil) {
            self.paths = paths
            self.rules = rules
            self.window = window
            self.parallelism = parallelism
            self.encoding = encoding
        }
    }

    public struct Result: Sendable {
        public var report: Report
        /// Inputs that could not be read, in full or in part (exit status 3).
        public var problems: [TriageError]
    }

    public static func run(_ request: Request, progress: (@Sendable (AnalysisProgress) -> Void)? = nil) -> Result {
        let collection = InputCollector.collect(request.paths)
        let matcher = SignalMatcher(rules: request.rules.rules,
                                    applicationCode: request.rules.applicationCode(packages: request.applicationPackages))
        let inputs = collection.inputs
        let results = Locked<[[InputAnalysis]?]>(Array(repeating: nil, count: inputs.count))
        let done = Locked<(count: Int, bytes: Int)>((0, 0))
        let width = request.parallelism > 0 ? request.parallelism : System.coreCount
        let work = { @Sendable (index: Int, matcher: SignalMatcher) in
            let name = inputs[index].displayName
            // Progress moves with every block read, so one huge file shows progress too.
            let onBlock: ((Int) -> Void)? = progress.map { progress in
                { bytes in
                    let state = done.withLock { state in
                        state.bytes += bytes
                        return state
                    }
                    progress(AnalysisProgress(inputsDone: state.count, inputsTotal: inputs.count, bytesRead: state.bytes, current: name))
                }
            }
            // Fewer inputs than cores: a large one may split its work over two threads.
            let analysis = analyzeAll(inputs[index], matcher: matcher, window: request.window, encoding: request.encoding,
                                      pattern: request.pattern, mayPipeline: inputs.count < width, onBlock: onBlock)
            results.withLock { $0[index] = analysis }
            let state = done.withLock { state in
                state.count += 1
                return state
            }
            progress?(AnalysisProgress(inputsDone: state.count, inputsTotal: inputs.count, bytesRead: state.bytes, current: name))
        }
        forEachInParallel(inputs.count, width: width, matcher: matcher, work)
        var analyses = results.withLock { $0.compactMap { $0 }.flatMap { $0 } }
        var problems: [TriageError] = []
        for (location, reason) in collection.refused {
            analyses.append(InputAnalysis(
                summary: InputSummary(source: location.displayName, status: .unreadable, reason: reason),
                problem: .unreadableInput(path: location.displayName, reason: reason)))
        }
        for tally in collection.bundles where tally.total > 0 {
            analyses.append(InputAnalysis(summary: InputSummary(source: tally.root + "/", status: .skipped, reason: tally.summary)))
        }
        problems = analyses.compactMap(\.problem)
        var report = merge(analyses, rules: request.rules)
        if let window = request.window { report.window = windowSummary(window, readings: request.windowReadings, report.inputs) }
        return Result(report: report, problems: problems)
    }

    /// `work(index, matcher)` for each index, on `width` threads: indices are claimed one at a
    /// time so a huge file does not hold up a queue of small ones, and each thread matches with
    /// rules of its own (shared ones would have both cores counting references on the same
    /// objects, one cache line bounced between them).
    static func forEachInParallel(_ count: Int, width: Int, matcher: SignalMatcher,
                                  _ work: @escaping @Sendable (Int, SignalMatcher) -> Void) {
        if width <= 1 || count <= 1 {
            for index in 0..<count { work(index, matcher) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(width, count)) { _ in
            let own = matcher.privateCopy()
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                work(index, own)
            }
        }
    }

    /// Merges per-input results in the order given: an incident is everything read together,
    /// so dumps from separate files form one series.
    public static func merge(_ analyses: [InputAnalysis], rules: RuleSet) -> Report {
        var groups = ExceptionGroupTable()
        var tallies = rules.rules.map { EvidenceTally(signalCount: $0.signals.count) }
        var facts: [IncidentFact] = []
        var settings = KernelSettings()
        var poolLimits = PoolLimitTable()
        var series = SocketSeries()
        var dumpSeries = DumpSeries()
        var topSeries = ThinnedSeries<TopSnapshot>(capacity: 64)
        for analysis in analyses {
            series.append(contentsOf: analysis.socketSeries)
            dumpSeries.append(contentsOf: analysis.dumpSeries)
            topSeries.append(contentsOf: analysis.topSeries)
            groups.merge(analysis.groups)
            for (index, tally) in analysis.tallies.enumerated() where index < tallies.count {
                tallies[index].merge(tally)
            }
            settings.merge(analysis.kernelSettings)
            poolLimits.merge(analysis.poolLimits)
        }
        facts += dumpSeries.facts
        let snapshots = dumpSeries.snapshots
        let jvms = JVMIdentity.group(snapshots)
        facts += DumpSeriesAnalyzer.analyze(snapshots, top: topSeries.elements, jvms: jvms)
        facts += ProcessLimitCheck.facts(snapshots, settings: settings)
        facts += poolLimits.stats.facts
        let sockets = SocketAnalyzer.analyze(snapshots: series.snapshots, settings: settings.network, poolLimits: poolLimits,
                                             thinned: series.thinned)
        facts += sockets.facts
        facts += DescriptorCheck.facts(settings: settings, sockets: series.snapshots)
        // Threads reading a backend, named by the connections the socket tables show.
        facts = ReaderEndpoint.join(facts, snapshots: series.snapshots, processIds: Set(snapshots.compactMap(\.processId)))
        var report = Report(
            findings: FindingRanker.findings(rules: rules.rules, tallies: tallies, facts: facts, groups: groups),
            exceptions: groups.sorted, exceptionsNotGrouped: groups.overflowCount,
            inputs: analyses.map(\.summary))
        report.dumps = dumpSeries.summaries
        if let count = jvms.max(), count > 1 {
            for index in report.dumps.indices where index < jvms.count { report.dumps[index].series = jvms[index] }
            let described = (1...count).map { jvm -> String in
                let members = jvms.indices.filter { jvms[$0] == jvm }
                let first = snapshots[members[0]]
                let name = first.processId.map { "pid \($0)" } ?? first.jvm ?? "threads \(first.threads.prefix(2).map(\.name).joined(separator: ", "))…"
                return "JVM \(jvm) (\(name)): \(members.count) dump\(members.count == 1 ? "" : "s")"
            }
            report.notes.append("the dumps come from \(count) JVMs — \(described.joined(separator: "; ")); "
                                + "thread growth, stuck threads and CPU are compared within each JVM only")
        }
        report.dumpsThinned = dumpSeries.thinned > 0 ? dumpSeries.thinned : nil
        report.sockets = sockets.report
        report.poolLimits = poolLimits.limits
        report.facts = facts
        report.timeline = RecordTimeline.merged(analyses.compactMap(\.timeline))
        report.notes += timeNotes(report)
        return report
    }

    static func windowSummary(_ window: TimeWindow, readings: [String], _ inputs: [InputSummary]) -> WindowSummary {
        var readings = readings
        // A bare time picks one day; say so when the records cover several.
        if !readings.isEmpty {
            var span: TimeSpan?
            for input in inputs {
                if let first = input.firstSeen, first.hasDate { span = TimeSpan.adding(first, to: span) }
                if let last = input.lastSeen, last.hasDate { span = TimeSpan.adding(last, to: span) }
            }
            if let span, span.first.text.prefix(10) != span.last.text.prefix(10) {
                readings.append("the inputs span \(span.first.text) → \(span.last.text): give a date to pick another day")
            }
        }
        return WindowSummary(
            since: window.since, until: window.until, readings: readings,
            recordsLeftOut: inputs.reduce(0) { $0 + $1.recordsOutsideWindow },
            dumpsLeftOut: inputs.reduce(0) { $0 + ($1.dumpsOutsideWindow ?? 0) },
            tablesLeftOut: inputs.reduce(0) { $0 + ($1.tablesOutsideWindow ?? 0) },
            keptWithoutTime: inputs.reduce(0) { $0 + ($1.untimedKeptInWindow ?? 0) })
    }

    /// Whether the logs, the dumps and the socket tables are of one time; when they lie further
    /// apart than `FindingRanker.agreementTolerance`, the inputs look like different incidents.
    static func timeNotes(_ report: Report) -> [String] {
        var logs: TimeSpan?
        for input in report.inputs where input.records > 0 {
            if let first = input.firstSeen, first.hasDate { logs = TimeSpan.adding(first, to: logs) }
            if let last = input.lastSeen, last.hasDate { logs = TimeSpan.adding(last, to: logs) }
        }
        guard let logs else { return [] }
        var notes: [String] = []
        let others: [(String, [LogTimestamp])] = [
            ("thread dumps were taken", report.dumps.compactMap(\.time)),
            ("socket tables were taken", report.sockets?.snapshots.compactMap(\.time) ?? []),
        ]
        for (what, times) in others {
            var span: TimeSpan?
            for time in times where time.hasDate { span = TimeSpan.adding(time, to: span) }
            guard let span, let gap = span.gap(to: logs), gap > FindingRanker.agreementTolerance else { continue }
            let when = span.first == span.last ? "at \(span.first.text)" : "\(span.first.text) → \(span.last.text)"
            let side = span.first < logs.first ? "before" : "after"
            notes.append("the logs span \(logs.first.text) → \(logs.last.text), but the \(what) \(when), \(TimeSpan.length(gap)) "
                         + "\(side) them: they look like different incidents, and do not count as agreeing")
        }
        return notes
    }

    /// Analyses one input; never throws: problems come back in the result.
    public static func analyze(_ location: InputLocation, matcher: SignalMatcher, window: TimeWindow?,
                               encoding: LegacyEncoding? = nil, pattern: LogPattern? = nil, mayPipeline: Bool = false,
                               onBlock: ((Int) -> Void)? = nil) -> InputAnalysis {
        let name = location.displayName
        do {
            let opened = try InputOpener.open(location, legacyEncoding: encoding)
            return analyze(opened, name: name, matcher: matcher, window: window, pattern: pattern, mayPipeline: mayPipeline, onBlock: onBlock)
        } catch {
            return refused(error, name: name)
        }
    }

    /// An input, or each member of an archive (`.tar`, `.tar.gz`, `.zip`) as an input of its own,
    /// named `bundle.tar.gz!host1/app.log`; read in one pass, nothing extracted.
    public static func analyzeAll(_ location: InputLocation, matcher: SignalMatcher, window: TimeWindow?,
                                  encoding: LegacyEncoding? = nil, pattern: LogPattern? = nil, mayPipeline: Bool = false,
                                  onBlock: ((Int) -> Void)? = nil) -> [InputAnalysis] {
        let name = location.displayName
        let opened: OpenedInput
        do {
            opened = try InputOpener.open(location, legacyEncoding: encoding)
        } catch {
            return [refused(error, name: name)]
        }
        guard let kind = opened.format.archive else {
            return [analyze(opened, name: name, matcher: matcher, window: window, pattern: pattern, mayPipeline: mayPipeline,
                            onBlock: onBlock)]
        }
        return analyzeMembers(opened, kind: kind, name: name, matcher: matcher, window: window, encoding: encoding, pattern: pattern,
                              onBlock: onBlock)
    }

    /// `nested`: this archive is a member of another (linperf keeps each JVM's javacores in a
    /// `javacore.PID.tar` inside its `.tar.gz`); one level is read, deeper ones are refused.
    static func analyzeMembers(_ opened: OpenedInput, kind: ArchiveKind, name: String, matcher: SignalMatcher, window: TimeWindow?,
                               encoding: LegacyEncoding?, pattern: LogPattern?, onBlock: ((Int) -> Void)?,
                               nested: Bool = false) -> [InputAnalysis] {
        let members = ArchiveMembers(opened.source, kind: kind)
        defer { members.close() }
        var analyses: [InputAnalysis] = []
        var bundles: [String: CollectorBundle.Tally] = [:]
        // Each bundle's files read: their place in `analyses` and their path below its top.
        var readInBundle: [String: [(index: Int, path: [Substring])]] = [:]
        while let member = members.next() {
            let memberName = name + "!" + member.name
            let path = member.name.split(separator: "/")
            if let (bundle, depth) = CollectorBundle.recognise(archiveName: name, memberPath: path) {
                let root = name + "!" + path.prefix(depth).joined(separator: "/")
                let inBundle = Array(path.dropFirst(depth))
                var tally = bundles[root] ?? CollectorBundle.Tally(bundle: bundle, root: root)
                if let reason = bundle.leftOut(inBundle) {
                    tally.leave(inBundle.joined(separator: "/"), because: reason)
                    bundles[root] = tally
                    continue
                }
                tally.read += 1
                bundles[root] = tally
                readInBundle[root, default: []].append((analyses.count, inBundle))
            }
            guard let source = member.source else {
                analyses.append(InputAnalysis(summary: InputSummary(source: memberName, status: .skipped, reason: member.refusal)))
                continue
            }
            do {
                var unwrapped = try InputOpener.unwrap(source, format: InputFormat(), depth: 0, legacyEncoding: encoding,
                                                       insideArchive: nested)
                if let inner = unwrapped.format.archive {
                    analyses += analyzeMembers(unwrapped, kind: inner, name: memberName, matcher: matcher, window: window,
                                               encoding: encoding, pattern: pattern, onBlock: onBlock, nested: true)
                    continue
                }
                unwrapped.format.member = kind
                analyses.append(analyze(unwrapped, name: memberName, matcher: matcher, window: window, pattern: pattern,
                                        mayPipeline: false, onBlock: onBlock))
            } catch {
                analyses.append(refused(error, name: memberName))
            }
        }
        // Known only now: a second view of the same moment (ss beside netstat, the journal beside var/log).
        var dropped = Set<Int>()
        for (root, read) in readInBundle {
            guard var tally = bundles[root] else { continue }
            for (position, reason) in CollectorBundle.repeated(among: read.map(\.path), in: tally.bundle) {
                let (index, path) = read[position]
                guard index < analyses.count, analyses[index].summary.source.hasPrefix(root) else { continue }
                dropped.insert(index)
                tally.read -= 1
                tally.leave(path.joined(separator: "/"), because: reason)
            }
            bundles[root] = tally
        }
        if !dropped.isEmpty { analyses = analyses.enumerated().filter { !dropped.contains($0.offset) }.map(\.element) }
        for (root, tally) in bundles.sorted(by: { $0.key < $1.key }) where tally.total > 0 {
            analyses.append(InputAnalysis(summary: InputSummary(source: root.hasSuffix("!") ? root : root + "/", status: .skipped,
                                                                reason: tally.summary)))
        }
        if let problem = members.problem {
            let reason = "the \(kind.rawValue) archive is damaged: \(problem)"
            var summary = InputSummary(source: name, status: analyses.isEmpty ? .unreadable : .partial, reason: reason)
            summary.format = opened.format
            analyses.append(InputAnalysis(summary: summary, problem: .unreadableInput(path: name, reason: reason)))
        } else if analyses.isEmpty {
            analyses.append(InputAnalysis(summary: InputSummary(source: name, status: .skipped, reason: "an empty \(kind.rawValue) archive")))
        }
        return analyses
    }

    /// Bytes held in memory, sniffed and unwrapped as a file's would be (the fuzzers' whole input).
    static func analyze(bytes: [UInt8], name: String, matcher: SignalMatcher) -> InputAnalysis {
        do {
            let opened = try InputOpener.unwrap(MemorySource(bytes), format: InputFormat(), depth: 0, legacyEncoding: nil)
            if let kind = opened.format.archive {
                // The whole run's report from its members, as `triage logs` would merge them.
                let members = analyzeMembers(opened, kind: kind, name: name, matcher: matcher, window: nil, encoding: nil, pattern: nil,
                                             onBlock: nil)
                return members.first ?? refused(.skipped(reason: "an empty archive"), name: name)
            }
            return analyze(opened, name: name, matcher: matcher, window: nil)
        } catch {
            return refused(error, name: name)
        }
    }

    private static func refused(_ refusal: InputRefusal, name: String) -> InputAnalysis {
        switch refusal {
        case .unreadable(let reason):
            return InputAnalysis(summary: InputSummary(source: name, status: .unreadable, reason: reason),
                                 problem: .unreadableInput(path: name, reason: reason))
        case .skipped(let reason):
            return InputAnalysis(summary: InputSummary(source: name, status: .skipped, reason: reason))
        }
    }

    static func analyze(_ opened: OpenedInput, name: String, matcher: SignalMatcher, window: TimeWindow?,
                        pattern: LogPattern? = nil, mayPipeline: Bool = false, onBlock: ((Int) -> Void)? = nil) -> InputAnalysis {
        defer { opened.source.close() }
        let analyzer = InputAnalyzer(source: name, matcher: matcher, window: window, pattern: pattern, mayPipeline: mayPipeline,
                                     onBlock: onBlock)
        // Reads of 256 KB, not 1 MB: the block then stays in the core's cache from the
        // kernel's copy through the prefilter to the lines (100 MB log: −1.2 % time; 64 KB is
        // slower again). A longer line still grows the buffer.
        let reader = LineReader(source: opened.source, initialCapacity: 256 << 10)
        var problem: TriageError?
        do {
            try reader.read(into: analyzer)
        } catch {
            let reason = (error as? ByteSourceError)?.reason ?? "\(error)"
            problem = .inputFailed(path: name, line: reader.lineCount + 1, reason: reason)
        }
        analyzer.finish()
        var summary = analyzer.summary
        summary.format = opened.format
        summary.bytes = reader.bytesRead
        summary.lines = reader.lineCount
        summary.truncatedLines = reader.truncatedLines
        // The analyzer's own notes (JSON lines it could not read, socket rows left out) follow
        // how the bytes were read.
        let notes = opened.notes + opened.source.notes + (summary.notes ?? [])
        summary.notes = notes.isEmpty ? nil : notes
        if let problem {
            summary.status = .partial
            summary.reason = problem.description
        }
        return InputAnalysis(analyzer, summary: summary, problem: problem)
    }

    /// Analyses text held in memory (rule examples, tests) as if it were a file called `name`.
    /// `pipelineAfter`: move the records' deep analysis to a thread after that many bytes (tests).
    public static func analyze(text: String, name: String, matcher: SignalMatcher, pipelineAfter: Int? = nil) -> InputAnalysis {
        analyze(source: MemorySource(Array(text.utf8)), name: name, matcher: matcher, pipelineAfter: pipelineAfter)
    }

    /// The same from any source, read `readSize` bytes at a time (tests put block boundaries
    /// anywhere in a record with it).
    static func analyze(source: ByteSource, name: String, matcher: SignalMatcher, readSize: Int = 1 << 20,
                        pipelineAfter: Int? = nil) -> InputAnalysis {
        let analyzer = InputAnalyzer(source: name, matcher: matcher, mayPipeline: pipelineAfter != nil,
                                     pipelineThreshold: pipelineAfter ?? .max)
        let reader = LineReader(source: source, initialCapacity: readSize)
        try? reader.read(into: analyzer)
        analyzer.finish()
        var summary = analyzer.summary
        summary.bytes = reader.bytesRead
        summary.lines = reader.lineCount
        return InputAnalysis(analyzer, summary: summary, problem: nil)
    }
}

/// Facts about the machine the analysis runs on.
public enum System {
    /// The cores this process may run on: `taskset` and cpusets narrow it below the machine's.
    public static let coreCount: Int = {
        let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        return min(online, status.flatMap(allowedCores(status:)) ?? online)
    }()

    /// Bits set in `Cpus_allowed` (hex words, `00000000,00000003`) of /proc/self/status.
    /// Glibc's module does not export `sched_getaffinity`, so the kernel's own account is read.
    static func allowedCores(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let count = line.dropFirst("Cpus_allowed:".count).reduce(0) { total, character in
            total + (character.hexDigitValue?.nonzeroBitCount ?? 0)
        }
        return count > 0 ? count : nil
    }
}
