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
            guard let finding = finding(example, path, rule, matcher) else {
                failures.append(Failure(path: path, reason: "must raise '\(rule.id)' but does not"))
                continue
            }
            let matched = Set(finding.evidence.map(\.signal))
            for id in example.signals ?? [] where !matched.contains(id) {
                failures.append(Failure(path: path, reason: "must match signal '\(id)' but does not"))
            }
            for id in example.notSignals ?? [] where matched.contains(id) {
                failures.append(Failure(path: path, reason: "must not match signal '\(id)' but does"))
            }
        }
        for (index, example) in rule.examples.noMatch.enumerated() {
            let path = "examples.noMatch[\(index)]"
            if let finding = finding(example, path, rule, matcher) {
                let matched = finding.evidence.map(\.signal)
                failures.append(Failure(path: path, reason: "must not raise '\(rule.id)' but does (signals: \(matched.joined(separator: ", ")))"))
            }
        }
        return failures
    }

    /// The rule's finding on the example's text, through the whole pipeline (records and facts).
    public static func finding(_ example: RuleExample, _ path: String, _ rule: Rule, _ matcher: SignalMatcher) -> Finding? {
        let analysis = Analysis.analyze(text: example.text, name: "\(rule.origin ?? rule.id)#\(path)", matcher: matcher)
        return Analysis.merge([analysis], rules: RuleSet(rules: [rule])).findings.first
    }
}
