/// The deep half of reading a log: the records the prefilter picked (or that carry a stack
/// trace) are outlined, fingerprinted into exception groups and matched against the rules;
/// the thread dumps found in the input are analysed into its dump series.
///
/// `InputAnalyzer` runs it inline, or — on a large input — on a thread of its own, fed with
/// copies of the records in order, so both halves of the work run at once.
final class RecordAnalyzer {
    let source: String
    /// Replaced by a private copy when the analyzer moves to its own thread (see `InputAnalyzer`).
    var matcher: SignalMatcher
    private let parser = ExceptionChainParser()
    private(set) var groups: ExceptionGroupTable
    private(set) var tallies: [EvidenceTally]
    private(set) var poolLimits = PoolLimitTable()
    /// The database the last JDBC URL in the log named, for the pool maximum stated after it.
    private var lastDatabase: String?
    private(set) var causes = 0
    /// Thread dumps found in the input, analysed here too: on a thread of its own, this is the
    /// half of the work with room to spare (the scanning half is the slower one).
    private(set) var dumpSeries = DumpSeries()

    init(source: String, matcher: SignalMatcher) {
        self.source = source
        self.matcher = matcher
        groups = ExceptionGroupTable(applicationCode: matcher.applicationCode)
        tallies = matcher.rules.map { EvidenceTally(signalCount: $0.signals.count) }
    }

    /// `literals`: the prefilter's hits in the record; `candidate`: one of them gates a signal
    /// or states a pool limit (`statesPoolLimit`).
    func handle(_ record: LogRecordView, literals: some Collection<Int>, candidate: Bool, statesPoolLimit: Bool) {
        parser.parse(record)
        if !parser.traces.isEmpty {
            parser.fingerprint(record)
            causes += parser.causeCount
            for trace in parser.traces {
                let location = SourceLocation(source: source, line: record.lineNumber(trace.firstLineIndex))
                groups.add(trace.fingerprint, at: location, time: record.timestamp) { parser.chain(trace, in: record) }
            }
        }
        guard candidate else { return }
        let facts = RecordFacts.of(record, source: source, parser: parser)
        if statesPoolLimit { notePoolLimits(facts) }
        // The trace the finding's "in your code" is read from (its group knows the frame).
        let trace = parser.traces.first?.fingerprint
        for match in matcher.match(facts, literals: literals) {
            tallies[match.rule].add(match, facts: facts, trace: trace)
        }
    }

    func handle(_ dump: ThreadDump) {
        dumpSeries.append(DumpAnalyzer.analyze(dump, code: matcher.applicationCode))
    }

    /// `maxPerRoute=400`, `route allocated: 400 of 400`: what the CLOSE_WAIT count is compared with;
    /// `Pool stats (total=10, active=10, idle=0, waiting=190)`: whether the pool was exhausted.
    private func notePoolLimits(_ facts: RecordFacts) {
        for line in facts.textLines {
            // A database pool logs its URL and its maximum on lines of their own (HikariCP's
            // configuration dump): the maximum is the last JDBC URL's.
            var text = line.text
            // Bytes, not String.contains: this runs on every line of up to 10,000 records per input.
            if text.withUTF8({ UnsafeRawBufferPointer($0).range(of: "jdbc:") != nil }), let database = EndpointScanner.endpoints(in: line.text).first { lastDatabase = database }
            for limit in PoolLimitScanner.limits(in: line.text) {
                // (HttpClient's own `setMaxTotal(200)` is no database's.)
                let database = PoolLimitScanner.isDatabasePool(limit.statement) && !line.text.lowercased().contains("http")
                let route = limit.route ?? (database ? lastDatabase : nil)
                poolLimits.add(PoolLimit(maxPerRoute: limit.max, route: route, statement: limit.statement, source: source, line: line.number))
            }
            if let stats = PoolStatsScanner.stats(in: line.text, source: source, line: line.number) { poolLimits.stats.add(stats) }
        }
    }
}
