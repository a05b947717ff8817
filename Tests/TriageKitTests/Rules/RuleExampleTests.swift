import Foundation
import Testing
@testable import TriageKit

/// Every example of every built-in rule, one test case each: a rule's examples are its tests.
@Suite struct RuleExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var rule: Rule
        var path: String
        var example: RuleExample
        var mustMatch: Bool
        var testDescription: String { "\(rule.id) \(path)" }
    }

    static let examples: [Example] = RuleSet.builtin.rules.flatMap { rule in
        rule.examples.match.enumerated().map { Example(rule: rule, path: "examples.match[\($0.offset)]", example: $0.element, mustMatch: true) }
            + rule.examples.noMatch.enumerated().map { Example(rule: rule, path: "examples.noMatch[\($0.offset)]", example: $0.element, mustMatch: false) }
    }

    @Test(arguments: examples)
    func example(_ case: Example) throws {
        let matcher = SignalMatcher(rules: [`case`.rule])
        let finding = RuleExampleRunner.finding(`case`.example, `case`.path, `case`.rule, matcher)
        if `case`.mustMatch {
            let raised = try #require(finding, "\(`case`.rule.id) must match \(`case`.path)")
            let matched = Set(raised.evidence.map(\.signal))
            for id in `case`.example.signals ?? [] {
                #expect(matched.contains(id), "signal \(id) must match \(`case`.path)")
            }
        } else {
            #expect(finding == nil, "\(`case`.rule.id) must not match \(`case`.path)")
        }
    }

    @Test func everyRuleHasExamplesBothWays() {
        // Every file is a rule but the library list.
        #expect(RuleSet.builtin.rules.count == BuiltinRuleSources.files.count - 1)
        #expect(RuleSet.builtin.libraries.map(\.origin) == ["rules/libraries.json5"])
        for rule in RuleSet.builtin.rules {
            #expect(!rule.examples.match.isEmpty, "\(rule.id)")
            #expect(!rule.examples.noMatch.isEmpty, "\(rule.id)")
        }
    }

    @Test func theRunnerReportsAnExampleThatFails() throws {
        var rule = try #require(RuleSet.builtin.rule(id: "fd-exhaustion"))
        rule.examples.noMatch.append(RuleExample(lines: ["2024-12-21 13:26:03,117 ERROR [main] a.B - Too many open files"]))
        rule.examples.match.append(RuleExample(lines: ["2024-12-21 13:26:03,117 INFO [main] a.B - all good"]))
        let failures = RuleExampleRunner.run(rule).map(\.path)
        #expect(failures.sorted() == ["examples.match[\(rule.examples.match.count - 1)]", "examples.noMatch[\(rule.examples.noMatch.count - 1)]"])
    }
}
