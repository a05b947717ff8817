import Foundation
import Testing
@testable import TriageKit

@Suite struct RuleLoaderTests {
    static let valid = """
    // A small valid rule.
    {
      id: "tiny-rule",
      title: "Tiny",
      severity: "low",
      summary: "A rule for tests.",
      signals: [
        { id: "boom", description: "boom happened", weight: 0.5, message: ["boom happened"] },
      ],
      guidance: { steps: ["Stop the boom."] },
      examples: {
        match: [["2024-12-21 13:26:03,117 ERROR [main] a.B - boom happened"]],
        noMatch: [["2024-12-21 13:26:03,117 INFO [main] a.B - quiet"]],
      },
    }
    """

    @Test func builtInRulesHaveNoProblems() {
        #expect(RuleSet.builtinProblems().map(\.description) == [])
    }

    /// The binary embeds rules/ at build time; a stale embedding means a new rule file was not
    /// picked up (SwiftPM re-plans build plugins only when Package.swift changes).
    @Test func builtInRulesAreExactlyTheRulesFolder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.rules.path).filter { $0.hasSuffix(".json5") }.sorted()
        #expect(BuiltinRuleSources.files.map(\.name) == names, "run `touch Package.swift` and build again")
        for file in BuiltinRuleSources.files {
            let text = try String(contentsOf: TestPaths.rules.appending(path: file.name), encoding: .utf8)
            #expect(file.text == text, "\(file.name) differs from the embedded copy")
        }
    }

    @Test func loadsAValidRule() throws {
        let loaded = RuleLoader.load(text: RuleLoaderTests.valid, origin: "tiny.json5")
        #expect(loaded.problems.isEmpty)
        let rule = try #require(loaded.rule)
        #expect(rule.id == "tiny-rule")
        #expect(rule.signals.first?.weight == 0.5)
        #expect(RuleExampleRunner.run(rule).isEmpty)
    }

    private func problems(_ text: String) -> [String] {
        RuleLoader.load(text: text, origin: "r.json5").problems.map(\.description)
    }

    @Test func syntaxErrorsNameTheLine() {
        let broken = RuleLoaderTests.valid.replacingOccurrences(of: "title: \"Tiny\",", with: "title: \"Tiny\"")
        #expect(problems(broken) == ["r.json5:5:3: JSON5 syntax: expected , or } after the value of title (a missing comma?)"])
    }

    @Test func typeErrorsNameTheFieldAndLine() {
        let broken = RuleLoaderTests.valid.replacingOccurrences(of: "weight: 0.5", with: "weight: \"high\"")
        #expect(problems(broken) == ["r.json5:8:49: signals[0].weight should be a number"])
    }

    @Test func missingFieldsAndBadSeverityAreNamed() {
        let missing = RuleLoaderTests.valid.replacingOccurrences(of: "summary: \"A rule for tests.\",", with: "")
        #expect(problems(missing).first?.contains("summary is missing") == true)
        let severity = RuleLoaderTests.valid.replacingOccurrences(of: "\"low\"", with: "\"urgent\"")
        #expect(problems(severity) == ["r.json5:5:3: severity must be one of info, low, medium, high, critical"])
    }

    @Test func semanticProblemsAreAllReportedWithLines() {
        let broken = RuleLoaderTests.valid
            .replacingOccurrences(of: "weight: 0.5", with: "weight: 1.5")
            .replacingOccurrences(of: "id: \"tiny-rule\"", with: "id: \"Tiny Rule\"")
            .replacingOccurrences(of: "steps: [\"Stop the boom.\"] }", with: "steps: [\"Stop.\"], variants: [{ when: [\"nope\"], title: \"x\", steps: [\"y\"] }] }")
        let found = problems(broken)
        #expect(found.contains("r.json5:3:3: id 'Tiny Rule' must be lower-case words joined by '-' (like 'ephemeral-port-exhaustion')"))
        #expect(found.contains("r.json5:8:49: signals[0].weight must be greater than 0 and at most 1 (it is 1.5)"))
        #expect(found.contains { $0.hasPrefix("r.json5:10:46: guidance.variants[0].when names 'nope'") })
    }

    /// A misspelt key was ignored, so a signal lost its condition and matched every record of
    /// its exception: each unknown key is an error at its line and column, with the nearest
    /// known key, and every one of them is listed.
    @Test func unknownKeysAreErrorsWithTheNearestKnownKey() {
        let broken = RuleLoaderTests.valid
            .replacingOccurrences(of: "severity: \"low\",", with: "sevirity: \"low\", severity: \"low\",")
            .replacingOccurrences(of: "message: [\"boom happened\"]", with: "mesage: [\"boom\"], exception: [\"java.io.IOException\"], topframe: [\"a.B\"]")
            .replacingOccurrences(of: "steps: [\"Stop the boom.\"] }", with: "steps: [\"Stop the boom.\"], refrences: [] }")
        let found = problems(broken)
        #expect(found.count == 4, "\(found)")
        #expect(found.contains { $0.hasPrefix("r.json5:5:3: unknown key 'sevirity' in the rule (did you mean 'severity'?)") })
        #expect(found.contains { $0.hasPrefix("r.json5:8:62: unknown key 'mesage' in signals[0] (did you mean 'message'?)") })
        #expect(found.contains { $0.hasPrefix("r.json5:8:116: unknown key 'topframe' in signals[0] (did you mean 'topFrame'?)") })
        #expect(found.contains { $0.hasPrefix("r.json5:10:42: unknown key 'refrences' in guidance (did you mean 'references'?)") })
        #expect(RuleLoader.load(text: broken, origin: "r.json5").rule.map { _ in true } ?? false, "decoded, but refused for its problems")
    }

    /// The table of known keys is the format itself: a rule with every field set encodes to
    /// exactly those keys.
    @Test func knownKeysAreTheRuleFormatsKeys() throws {
        let full = """
        { id: "a-rule", title: "T", severity: "low", summary: "S", alternatives: ["b-rule"], discriminators: ["s-one"],
          undeterminedNote: "n", subsumedBy: ["c-rule"],
          signals: [{ id: "s-one", description: "d", weight: 0.5, context: false, scope: "record", exception: ["x.YException"],
                      message: ["abcd"], errno: ["EPIPE"], notMessage: ["efgh"], notException: ["z.ZException"], frame: ["a.B"], topFrame: ["a.B"],
                      notTopFrame: ["c.D"],
                      minLevel: "WARN",
                      fact: "deadlock-cycle", atLeast: 2 }],
          guidance: { steps: ["x"], avoid: ["y"], references: ["z"], variants: [{ when: ["s-one"], title: "v", steps: ["w"], avoid: ["u"], references: ["r"] }] },
          examples: { match: [{ lines: ["l"], signals: ["s-one"], notSignals: ["s-one"] }],
                      noMatch: [{ lines: ["m"], signals: ["s-one"], notSignals: ["s-one"] }] } }
        """
        let rule = try #require(RuleLoader.load(text: full, origin: "full.json5").rule)
        let encoder = JSONEncoder()
        let object = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(rule)) as? [String: Any])
        func keys(_ value: Any?) -> [String] { ((value as? [String: Any])?.keys).map { $0.sorted() } ?? [] }
        func first(_ value: Any?) -> Any? { (value as? [Any])?.first }
        let guidance = object["guidance"] as? [String: Any]
        let examples = object["examples"] as? [String: Any]
        let encoded: [String: [String]] = [
            "": keys(object).filter { $0 != "origin" },
            "signals[]": keys(first(object["signals"])),
            "guidance": keys(guidance),
            "guidance.variants[]": keys(first(guidance?["variants"])),
            "examples": keys(examples),
            "examples.match[]": keys(first(examples?["match"])),
            "examples.noMatch[]": keys(first(examples?["noMatch"])),
        ]
        #expect(encoded == RuleLoader.knownKeys.mapValues { $0.sorted() })
    }

    @Test func shortGatingLiteralsAreRefused() {
        let broken = RuleLoaderTests.valid.replacingOccurrences(of: "message: [\"boom happened\"]", with: "message: [\"bo\"]")
        #expect(problems(broken).contains { $0.contains("shorter than 4 characters") })
    }

    /// `errno` names errors whose words triage knows, and needs a class or frame to be found by.
    @Test func errnoIsCheckedAndMatchesTheWordsInEveryLanguage() throws {
        let unknown = RuleLoaderTests.valid.replacingOccurrences(of: "message: [\"boom happened\"]",
                                                                 with: "errno: [\"ECONNREFUSD\"], exception: [\"java.net.ConnectException\"]")
        #expect(problems(unknown).contains { $0.contains("errno 'ECONNREFUSD' is not an error triage knows the words of") }, "\(problems(unknown))")
        let ungated = RuleLoaderTests.valid.replacingOccurrences(of: "message: [\"boom happened\"]", with: "errno: [\"ECONNREFUSED\"]")
        #expect(problems(ungated).contains { $0.contains("has errno but no exception, frame or topFrame") }, "\(problems(ungated))")

        let signal = Signal(id: "refused", description: "d", weight: 0.5, exception: ["java.net.ConnectException"], errno: ["ECONNREFUSED"])
        #expect(SignalMatcher.gatingLiterals(of: signal) == ["ConnectException"], "found by its class, not by 17 translations")
        #expect(signal.messageTexts?.contains("拒绝连接") == true && signal.messageTexts?.contains("Verbindungsaufbau abgelehnt") == true)
    }

    @Test func duplicateIdsFailLoudly() throws {
        let directory = try TestPaths.temporaryDirectory()
        try RuleLoaderTests.valid.replacingOccurrences(of: "tiny-rule", with: "fd-exhaustion")
            .write(to: directory.appending(path: "clash.json5"), atomically: true, encoding: .utf8)
        do {
            _ = try RuleSet.loading(userDirectories: [directory.path])
            Issue.record("a duplicate id must be refused")
        } catch {
            #expect(error.problems.map(\.description).contains {
                $0.contains("rule id 'fd-exhaustion' is defined more than once (built in as rules/fd-exhaustion.json5, \(directory.path)/clash.json5)")
            })
        }
    }

    /// A user's edited copy of a built-in rule: the built-in one is named as such (its origin,
    /// `rules/x.json5`, read like the copy's own path when checked from the project's folder).
    @Test func anEditedCopyOfABuiltInRuleIsToldApartFromIt() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOf: TestPaths.rules.appending(path: "fd-exhaustion.json5"), encoding: .utf8)
        try original.replacingOccurrences(of: "severity: \"high\"", with: "severity: \"critical\"")
            .write(to: directory.appending(path: "fd-exhaustion.json5"), atomically: true, encoding: .utf8)
        let outcome = CommandRunner.checkRules(directory.path)
        #expect(outcome.diagnostics == ["rule id 'fd-exhaustion' is defined more than once "
            + "(built in as rules/fd-exhaustion.json5, \(directory.path)/fd-exhaustion.json5); rename one: ids are unique"])
        #expect(outcome.status == .findingAtOrAbove)
    }

    @Test func userRulesJoinTheBuiltInOnes() throws {
        let directory = try TestPaths.temporaryDirectory()
        try RuleLoaderTests.valid.write(to: directory.appending(path: "tiny.json5"), atomically: true, encoding: .utf8)
        let rules = try RuleSet.loading(userDirectories: [directory.path])
        #expect(rules.rules.count == RuleSet.builtin.rules.count + 1)
        #expect(rules.rule(id: "tiny-rule")?.origin == directory.appending(path: "tiny.json5").path)
    }
}
