@testable import TriageKit

/// Runs text through the whole pipeline with the built-in rules, as the tests' main probe.
enum Analyze {
    static let matcher = SignalMatcher(rules: RuleSet.builtin.rules)

    static func text(_ text: String, name: String = "test.log") -> InputAnalysis {
        Analysis.analyze(text: text, name: name, matcher: matcher)
    }

    static func report(_ text: String, name: String = "test.log") -> Report {
        Analysis.merge([self.text(text, name: name)], rules: RuleSet.builtin)
    }

    static func lines(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }
}
