/// Turns tallies into findings and ranks them: severity first, then confidence, then how much
/// evidence there is, then the rule id (so equal findings keep a stable order).
public enum FindingRanker {
    /// `groups`: the exception groups, whose application frames the findings name.
    public static func findings(rules: [Rule], tallies: [EvidenceTally], facts: [IncidentFact] = [],
                                groups: ExceptionGroupTable? = nil) -> [Finding] {
        var findings: [Finding] = []
        for (index, rule) in rules.enumerated() {
            let tally = index < tallies.count ? tallies[index] : EvidenceTally(signalCount: rule.signals.count)
            let matchedFacts = factMatches(rule, facts)
            let raisedByFact = matchedFacts.keys.contains { !rule.signals[$0].isContext }
            guard !tally.isEmpty || raisedByFact else { continue }
            var found = finding(rule, tally, matchedFacts)
            found.applicationFrames = applicationFrames(tally, matchedFacts, groups)
            findings.append(found)
        }
        // Once evidence settles one of several alternatives, the undetermined others are out.
        let settled = Set(findings.filter(\.determined).map(\.rule))
        findings.removeAll { finding in
            !finding.determined && !(finding.alternatives ?? []).filter(settled.contains).isEmpty
        }
        // A rule whose evidence a broader finding already explains is left out.
        let found = Set(findings.map(\.rule))
        let subsumed = Set(rules.filter { !Set($0.subsumedBy ?? []).isDisjoint(with: found) }.map(\.id))
        findings.removeAll { subsumed.contains($0.rule) }
        return rank(findings)
    }

    /// For each fact signal of `rule`, the facts that meet its threshold, strongest first.
    /// Signals on the same fact at different thresholds are a ladder: each fact counts once,
    /// through the heaviest signal it reaches (a thread at 97% CPU is busy, not also warm).
    static func factMatches(_ rule: Rule, _ facts: [IncidentFact]) -> [Int: [IncidentFact]] {
        var result: [Int: [IncidentFact]] = [:]
        var claimed = Set<Int>()
        let heaviestFirst = rule.signals.indices.sorted { (-rule.signals[$0].weight, $0) < (-rule.signals[$1].weight, $1) }
        for index in heaviestFirst {
            let signal = rule.signals[index]
            guard let id = signal.fact else { continue }
            let matching = facts.indices.filter { facts[$0].id == id && facts[$0].count >= (signal.atLeast ?? 1) && !claimed.contains($0) }
            claimed.formUnion(matching)
            if !matching.isEmpty { result[index] = matching.map { facts[$0] }.sorted { $0.count > $1.count } }
        }
        return result
    }

    /// How many application frames a finding names.
    static let applicationFramesShown = 3

    /// The application's frames the finding's records and threads pass through, most first.
    static func applicationFrames(_ tally: EvidenceTally, _ matchedFacts: [Int: [IncidentFact]],
                                  _ groups: ExceptionGroupTable?) -> [ApplicationFrame]? {
        var frames: [ApplicationFrame] = []
        if let groups {
            for (trace, count) in tally.traces.sorted(by: { $0.key < $1.key }) {
                guard var frame = groups.applicationFrame(of: trace) else { continue }
                frame.count = count
                frames.append(frame)
            }
        }
        var combined = ApplicationFrame.combined(frames, limit: applicationFramesShown)
        // A fact's frames keep their order: a lock's holder comes before its waiters.
        for (_, facts) in matchedFacts.sorted(by: { $0.key < $1.key }) {
            for fact in facts {
                for frame in fact.applicationFrames ?? [] where !combined.contains(where: { $0.frame == frame.frame }) {
                    combined.append(frame)
                }
            }
        }
        return combined.isEmpty ? nil : Array(combined.prefix(applicationFramesShown))
    }

    public static func rank(_ findings: [Finding]) -> [Finding] {
        findings.sorted { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.confidence != rhs.confidence { return lhs.confidence > rhs.confidence }
            if lhs.facts.occurrences != rhs.facts.occurrences { return lhs.facts.occurrences > rhs.facts.occurrences }
            return lhs.rule < rhs.rule
        }
    }

    /// Each further independent kind of evidence (a log exception, a dump, a socket table)
    /// pointing at the same cause multiplies the remaining doubt by this.
    public static let agreementFactor = 0.5
    /// Kinds of evidence whose times lie further apart than this do not agree: a 2025 log and a
    /// 2026 dump are two incidents, however alike (milliseconds; an hour).
    public static let agreementTolerance: Int64 = 3_600_000

    /// 1 − Π(1 − wᵢ): each independent piece of evidence closes part of the remaining doubt.
    public static func noisyOr(_ weights: [Double]) -> Double {
        1 - weights.reduce(1) { $0 * (1 - min(max($1, 0), 1)) }
    }

    static func finding(_ rule: Rule, _ tally: EvidenceTally, _ matchedFacts: [Int: [IncidentFact]] = [:]) -> Finding {
        var evidence: [Evidence] = []
        var matchedIds = Set<String>()
        var factOccurrences = 0
        for (index, signal) in rule.signals.enumerated() {
            if let facts = matchedFacts[index], let strongest = facts.first {
                matchedIds.insert(signal.id)
                if !signal.isContext { factOccurrences += facts.count }
                let times = facts.compactMap(\.time)
                let proof = strongest.evidence.first
                let samples = facts.flatMap(\.evidence).dropFirst().prefix(EvidenceTally.samplesPerSignal - 1).map(\.location)
                evidence.append(Evidence(
                    signal: signal.id, description: signal.description, weight: signal.weight,
                    context: signal.isContext, kind: strongest.kind, count: facts.count,
                    source: proof?.source ?? "", line: proof?.line ?? 0, text: strongest.summary,
                    firstSeen: times.min(), lastSeen: times.max(), samples: Array(samples),
                    destinations: strongest.destination.map { [Tally(key: $0, count: strongest.count)] }))
                continue
            }
            guard index < tally.signals.count else { continue }
            let count = tally.signals[index]
            guard count.count > 0, let first = count.samples.samples.first else { continue }
            matchedIds.insert(signal.id)
            evidence.append(Evidence(
                signal: signal.id, description: signal.description, weight: signal.weight,
                context: signal.isContext, kind: "log", count: count.count,
                source: first.source, line: first.line, text: first.text,
                firstSeen: count.span?.first, lastSeen: count.span?.last,
                samples: count.samples.samples.dropFirst().map(\.location),
                destinations: count.destinations.counts.isEmpty ? nil : count.destinations.top(5).map { Tally(key: $0.key, count: $0.count) }))
        }
        let (attribution, bystanders) = attribute(&evidence, matchedFacts.values.flatMap { $0 })
        // Strongest evidence first, so the first line of the list is the best proof.
        evidence.sort { ($0.context ? 1 : 0, -$0.weight, -$0.count) < ($1.context ? 1 : 0, -$1.weight, -$1.count) }
        var confidence = noisyOr(evidence.map(\.weight))
        // A dump or a socket table is a source of its own even when its signal is context; a
        // context log signal is only more of the record that raised the finding, and a setting
        // read as context only says which stop-gaps are left.
        let sourceKinds = Set(evidence.filter { !$0.context || $0.kind == "dump" || $0.kind == "socket" }.map(\.kind)).sorted()
        let (kinds, apart) = agreeingKinds(sourceKinds, evidence)
        var span = tally.span
        for item in evidence where !apart.keys.contains(item.kind) && item.kind != "log" {
            span = TimeSpan.adding(item.firstSeen, to: TimeSpan.adding(item.lastSeen, to: span))
        }
        if kinds.count > 1 {
            confidence = 1 - (1 - confidence) * pow(agreementFactor, kinds.count - 1)
        }
        var determined = true
        if let alternatives = rule.alternatives, !alternatives.isEmpty,
           matchedIds.isDisjoint(with: rule.discriminators ?? []) {
            determined = false
            confidence = min(confidence, Rule.undeterminedConfidenceCap)
        }
        var sources = tally.sources
        for facts in matchedFacts.values { for fact in facts { for sample in fact.evidence.prefix(1) { sources.add(sample.source) } } }
        let destinations = tally.destinations.top(5).map { Tally(key: $0.key, count: $0.count) }
        let facts = Facts(
            occurrences: tally.records + factOccurrences, firstSeen: span?.first, lastSeen: span?.last,
            duration: span?.duration, destinations: destinations,
            sources: sources.top(10).map { Tally(key: $0.key, count: $0.count) })
        var notes: [String] = determined ? [] : [rule.undeterminedNote].compactMap { $0 }
        for (kind, gap) in apart.sorted(by: { $0.key < $1.key }) {
            notes.append("the \(kind) evidence lies \(TimeSpan.length(gap)) away from the \(kinds.first ?? "other") evidence's time: "
                         + "it does not count as agreeing (are these inputs one incident?)")
        }
        return Finding(
            rule: rule.id, title: rule.title, severity: rule.severity,
            confidence: (confidence * 100).rounded() / 100, agreement: kinds.count > 1 ? kinds : nil, summary: rule.summary,
            determined: determined, alternatives: rule.alternatives,
            note: notes.isEmpty ? nil : notes.joined(separator: "; "),
            evidence: evidence, facts: facts, attribution: attribution.isEmpty ? nil : attribution,
            guidance: guidance(rule, matchedIds.subtracting(bystanders)))
    }

    /// The kinds of evidence that agree in time, and those that lie too far from them (with the
    /// gap). The log's span is the reference, else the first kind's; undated evidence agrees.
    static func agreeingKinds(_ kinds: [String], _ evidence: [Evidence]) -> (agreeing: [String], apart: [String: Int64]) {
        var spans: [String: TimeSpan] = [:]
        for item in evidence where kinds.contains(item.kind) {
            for time in [item.firstSeen, item.lastSeen].compactMap({ $0 }) where time.hasDate {
                spans[item.kind] = TimeSpan.adding(time, to: spans[item.kind])
            }
        }
        guard let reference = (kinds.contains("log") ? ["log"] + kinds : kinds).first(where: { spans[$0] != nil }),
              let referenceSpan = spans[reference] else { return (kinds, [:]) }
        var apart: [String: Int64] = [:]
        for kind in kinds where kind != reference {
            if let span = spans[kind], let gap = span.gap(to: referenceSpan), gap > agreementTolerance { apart[kind] = gap }
        }
        return (kinds.filter { apart[$0] == nil }, apart)
    }

    /// `base · factor^(n−1)` without Foundation's `pow`.
    static func pow(_ base: Double, _ exponent: Int) -> Double {
        (0..<max(0, exponent)).reduce(1) { result, _ in result * base }
    }

    /// Where socket evidence names a destination (TIME_WAIT churn toward 10.0.0.9:8080), the
    /// context signals that name a library are checked against it: records that call that
    /// destination identify the code behind it; records that only call elsewhere identify a
    /// bystander — code on the same host that failed because the host ran out of ports.
    static func attribute(_ evidence: inout [Evidence], _ facts: [IncidentFact]) -> (lines: [String], bystanders: Set<String>) {
        guard let fact = facts.first(where: { $0.destination != nil }), let target = fact.destination else { return ([], []) }
        var lines: [String] = []
        var bystanders = Set<String>()
        for index in evidence.indices where evidence[index].context && evidence[index].kind == "log" {
            guard let destinations = evidence[index].destinations, !destinations.isEmpty else { continue }
            let named = destinations.map(\.key).joined(separator: ", ")
            if destinations.contains(where: { SocketAnalyzer.sameService($0.key, target) }) {
                lines.append("\(evidence[index].signal): its records call \(named), where the sockets pile up (\(fact.id)): this is the code to fix")
            } else {
                evidence[index].bystander = true
                bystanders.insert(evidence[index].signal)
                lines.append("\(evidence[index].signal): its records call \(named), not \(target) where the sockets pile up: a bystander on the same host that failed with it, not the cause; its advice is left out")
            }
        }
        return (lines, bystanders)
    }

    /// The rule's steps and references, preceded by those of every variant whose signals were
    /// seen (the library or platform in the evidence first); nothing said twice.
    static func guidance(_ rule: Rule, _ matched: Set<String>) -> FindingGuidance {
        var steps: [String] = []
        var avoid: [String] = []
        var references: [String] = []
        var applied: [String] = []
        func add(_ items: [String]?, to list: inout [String]) {
            for item in items ?? [] where !list.contains(item) { list.append(item) }
        }
        for variant in rule.guidance.variants ?? [] where !matched.isDisjoint(with: variant.when) {
            applied.append(variant.title)
            add(variant.steps, to: &steps)
            add(variant.avoid, to: &avoid)
            add(variant.references, to: &references)
        }
        add(rule.guidance.steps, to: &steps)
        add(rule.guidance.avoid, to: &avoid)
        add(rule.guidance.references, to: &references)
        return FindingGuidance(steps: steps, avoid: avoid, references: references, appliedVariants: applied)
    }
}
