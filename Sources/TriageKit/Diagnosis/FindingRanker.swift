/// Turns tallies into findings and ranks them: severity first, then confidence, then how much
/// evidence there is, then the rule id (so equal findings keep a stable order).
public enum FindingRanker {
    public static func findings(rules: [Rule], tallies: [EvidenceTally]) -> [Finding] {
        var findings: [Finding] = []
        for (index, rule) in rules.enumerated() where index < tallies.count && !tallies[index].isEmpty {
            findings.append(finding(rule, tallies[index]))
        }
        return rank(findings)
    }

    public static func rank(_ findings: [Finding]) -> [Finding] {
        findings.sorted { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.confidence != rhs.confidence { return lhs.confidence > rhs.confidence }
            if lhs.facts.occurrences != rhs.facts.occurrences { return lhs.facts.occurrences > rhs.facts.occurrences }
            return lhs.rule < rhs.rule
        }
    }

    /// 1 − Π(1 − wᵢ): each independent piece of evidence closes part of the remaining doubt.
    public static func noisyOr(_ weights: [Double]) -> Double {
        1 - weights.reduce(1) { $0 * (1 - min(max($1, 0), 1)) }
    }

    static func finding(_ rule: Rule, _ tally: EvidenceTally) -> Finding {
        var evidence: [Evidence] = []
        var matchedIds = Set<String>()
        for (index, signal) in rule.signals.enumerated() {
            let count = tally.signals[index]
            guard count.count > 0, let first = count.samples.samples.first else { continue }
            matchedIds.insert(signal.id)
            evidence.append(Evidence(
                signal: signal.id, description: signal.description, weight: signal.weight,
                context: signal.isContext, kind: "log", count: count.count,
                source: first.source, line: first.line, text: first.text,
                firstSeen: count.span?.first, lastSeen: count.span?.last,
                samples: count.samples.samples.dropFirst().map(\.location)))
        }
        // Strongest evidence first, so the first line of the list is the best proof.
        evidence.sort { ($0.context ? 1 : 0, -$0.weight, -$0.count) < ($1.context ? 1 : 0, -$1.weight, -$1.count) }
        var confidence = noisyOr(evidence.map(\.weight))
        var determined = true
        if let alternatives = rule.alternatives, !alternatives.isEmpty,
           matchedIds.isDisjoint(with: rule.discriminators ?? []) {
            determined = false
            confidence = min(confidence, Rule.undeterminedConfidenceCap)
        }
        let facts = Facts(
            occurrences: tally.records, firstSeen: tally.span?.first, lastSeen: tally.span?.last,
            duration: tally.span?.duration,
            destinations: tally.destinations.top(5).map { Tally(key: $0.key, count: $0.count) },
            sources: tally.sources.top(10).map { Tally(key: $0.key, count: $0.count) })
        return Finding(
            rule: rule.id, title: rule.title, severity: rule.severity,
            confidence: (confidence * 100).rounded() / 100, summary: rule.summary,
            determined: determined, alternatives: rule.alternatives,
            note: determined ? nil : rule.undeterminedNote,
            evidence: evidence, facts: facts, guidance: guidance(rule, matchedIds))
    }

    /// The rule's steps, preceded by the steps of every variant whose signals were seen.
    static func guidance(_ rule: Rule, _ matched: Set<String>) -> FindingGuidance {
        var steps: [String] = []
        var avoid: [String] = []
        var applied: [String] = []
        for variant in rule.guidance.variants ?? [] where !matched.isDisjoint(with: variant.when) {
            applied.append(variant.title)
            steps += variant.steps
            avoid += variant.avoid ?? []
        }
        steps += rule.guidance.steps.filter { !steps.contains($0) }
        avoid += (rule.guidance.avoid ?? []).filter { !avoid.contains($0) }
        return FindingGuidance(steps: steps, avoid: avoid, references: rule.guidance.references ?? [], appliedVariants: applied)
    }
}
