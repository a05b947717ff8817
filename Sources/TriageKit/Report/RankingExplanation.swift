/// Why a finding sits below the one before it, in words (the ranking must be explainable).
enum RankingExplanation {
    static func below(_ previous: Finding, _ finding: Finding, previousRank: Int) -> String {
        if finding.severity != previous.severity {
            return "ranked below #\(previousRank): severity \(finding.severity.rawValue) < \(previous.severity.rawValue)"
        }
        if finding.confidence != previous.confidence {
            var reason = "ranked below #\(previousRank): same severity, confidence \(NumberFormatting.weight(finding.confidence)) < \(NumberFormatting.weight(previous.confidence))"
            if let kinds = previous.agreement, kinds.count > (finding.agreement?.count ?? 1) {
                reason += " (#\(previousRank) is backed by \(kinds.joined(separator: ", ")) evidence that agree)"
            }
            return reason
        }
        if finding.facts.occurrences != previous.facts.occurrences {
            return "ranked below #\(previousRank): same severity and confidence, fewer occurrences (\(NumberFormatting.count(finding.facts.occurrences)) < \(NumberFormatting.count(previous.facts.occurrences)))"
        }
        return "ranked below #\(previousRank): a tie, ordered by rule id"
    }

    /// `1 − (1 − 0.80)·(1 − 0.60) = 0.92; log and socket evidence agree: remaining doubt × 0.5 → 0.96`,
    /// or nil when one piece of evidence says it all.
    static func confidenceLine(_ finding: Finding) -> String? {
        let weights = finding.evidence.map(\.weight)
        guard weights.count > 1 || finding.agreement != nil else { return nil }
        let combined = FindingRanker.noisyOr(weights)
        var line = NumberFormatting.noisyOrFormula(weights)
        if weights.count > 1 { line += " = \(NumberFormatting.weight(combined))" }
        if let kinds = finding.agreement {
            let factor = FindingRanker.pow(FindingRanker.agreementFactor, kinds.count - 1)
            let boosted = 1 - (1 - combined) * factor
            line += "; \(kinds.count) independent kinds of evidence agree (\(kinds.joined(separator: ", "))): remaining doubt × \(NumberFormatting.decimal(factor, places: 2)) → \(NumberFormatting.weight(boosted))"
        }
        if !finding.determined { line += ", capped at \(NumberFormatting.weight(Rule.undeterminedConfidenceCap)) while undetermined" }
        return line
    }

    /// `seen 1,204 times, 2024-12-21 13:26:03.117 → 14:02:11.920 (36m 08s), toward 10.0.0.5:8080 (1,190)`
    static func factsLine(_ facts: Facts) -> String {
        var parts = ["seen \(NumberFormatting.count(facts.occurrences)) time\(facts.occurrences == 1 ? "" : "s")"]
        if let first = facts.firstSeen, let last = facts.lastSeen {
            if first == last {
                parts.append("at \(first.text)")
            } else {
                parts.append("\(first.text) → \(last.text)" + (facts.duration.map { " (\($0))" } ?? ""))
            }
        }
        if !facts.destinations.isEmpty {
            parts.append("toward " + facts.destinations.map { "\($0.key) (\(NumberFormatting.count($0.count)))" }.joined(separator: ", "))
        }
        if facts.sources.count > 1 {
            parts.append("in \(facts.sources.count) inputs")
        }
        return parts.joined(separator: ", ")
    }
}
