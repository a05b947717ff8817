import Foundation

/// `triage rules check DIR`.
extension CommandRunner {
    static func checkRules(_ directory: String) -> CommandOutcome {
        let loaded: LoadedRules
        do {
            loaded = try RuleLoader.loadDirectory(directory)
        } catch {
            return CommandOutcome(output: "", diagnostics: [error.description], status: .usage)
        }
        var lines: [String] = []
        var problems = loaded.problems.map(\.description)
        // A rule identical to a built-in one is that rule (checking the project's own rules/).
        let builtinTexts = Dictionary(BuiltinRuleSources.files.map { ("rules/" + $0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
        let builtins = RuleSet.builtin.rules.filter { builtin in
            !loaded.rules.contains { rule in
                rule.id == builtin.id && builtinTexts[builtin.origin ?? ""] == (try? String(contentsOfFile: rule.origin ?? "", encoding: .utf8))
            }
        }
        problems += RuleSet.duplicateProblems(builtins + loaded.rules, builtinCount: builtins.count).map(\.description)
        for rule in loaded.rules {
            let failures = RuleExampleRunner.run(rule)
            let origin = rule.origin ?? rule.id
            if failures.isEmpty {
                lines.append("ok    \(rule.id) (\(origin)): \(rule.examples.match.count + rule.examples.noMatch.count) examples pass")
            } else {
                let locator = JSON5Locator((try? String(contentsOfFile: origin, encoding: .utf8)) ?? "")
                for failure in failures {
                    let position = locator.position(for: failure.path)
                    problems.append(TriageError.invalidRule(file: origin, line: position?.line, column: position?.column,
                                                            reason: "\(failure.path) \(failure.reason)").description)
                }
            }
        }
        for list in loaded.libraries {
            let examples = (list.examples?.application.count ?? 0) + (list.examples?.library.count ?? 0)
            let packages = list.libraries.reduce(0) { $0 + $1.packages.count }
            lines.append("ok    libraries (\(list.origin ?? "?")): \(packages) packages, \(examples) examples pass")
        }
        if loaded.rules.isEmpty && loaded.libraries.isEmpty && loaded.problems.isEmpty {
            problems.append("\(directory): no .json5 rule files found")
        }
        let summary = problems.isEmpty
            ? "\(loaded.rules.count) rule\(loaded.rules.count == 1 ? "" : "s") checked, no problems"
            : "\(problems.count) problem\(problems.count == 1 ? "" : "s") found"
        return CommandOutcome(output: (lines + [summary]).joined(separator: "\n") + "\n", diagnostics: problems,
                              status: problems.isEmpty ? .success : .findingAtOrAbove)
    }
}
