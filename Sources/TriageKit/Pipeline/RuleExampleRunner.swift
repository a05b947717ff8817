/// Runs a rule's examples through the real pipeline: each `match` example must raise the
/// rule's finding (with the signals it names), each `noMatch` example must not.
public enum RuleExampleRunner {
    public struct Failure: Sendable, CustomStringConvertible {
        /// `examples.match[1]`
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func run(_ rule: Rule) -> [Failure] {
        let matcher = SignalMatcher(rules: [rule])
        var failures: [Failure] = []
        for (index, example) in rule.examples.match.enumerated() {
            let path = "examples.match[\(index)]"
            let tally = analyze(example, path, rule, matcher)
            if tally.isEmpty {
                failures.append(Failure(path: path, reason: "must raise '\(rule.id)' but does not"))
                continue
            }
            for id in example.signals ?? [] {
                guard let signalIndex = rule.signals.firstIndex(where: { $0.id == id }) else { continue }
                if tally.signals[signalIndex].count == 0 {
                    failures.append(Failure(path: path, reason: "must match signal '\(id)' but does not"))
                }
            }
        }
        for (index, example) in rule.examples.noMatch.enumerated() {
            let path = "examples.noMatch[\(index)]"
            let tally = analyze(example, path, rule, matcher)
            if !tally.isEmpty {
                let matched = rule.signals.indices.filter { tally.signals[$0].count > 0 }.map { rule.signals[$0].id }
                failures.append(Failure(path: path, reason: "must not raise '\(rule.id)' but does (signals: \(matched.joined(separator: ", ")))"))
            }
        }
        return failures
    }

    private static func analyze(_ example: RuleExample, _ path: String, _ rule: Rule, _ matcher: SignalMatcher) -> EvidenceTally {
        let analysis = Analysis.analyze(text: example.text, name: "\(rule.origin ?? rule.id)#\(path)", matcher: matcher)
        return analysis.tallies.first ?? EvidenceTally(signalCount: rule.signals.count)
    }
}
