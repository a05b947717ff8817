import Foundation

/// The rules in force: the built-in ones (compiled into the binary) plus any `--rules DIR`,
/// and the library lists that tell the application's code from everyone else's.
public struct RuleSet: Sendable {
    public let rules: [Rule]
    public let libraries: [LibraryList]

    public init(rules: [Rule], libraries: [LibraryList] = RuleSet.builtinLibraryLists) {
        self.rules = rules
        self.libraries = libraries
    }

    /// Problems in built-in rules are bugs the test suite catches; at run time a broken
    /// built-in rule is left out rather than taking the tool down.
    public static let builtin: RuleSet = {
        let loaded = builtinFiles
        return RuleSet(rules: loaded.rules, libraries: loaded.libraries)
    }()

    public static var builtinLibraryLists: [LibraryList] { builtinFiles.libraries }

    private static let builtinFiles: LoadedRules = {
        var loaded = LoadedRules()
        for file in BuiltinRuleSources.files { loaded.add(text: file.text, origin: "rules/" + file.name) }
        return loaded
    }()

    /// The application's code as these lists see it, with `--app-package` when given.
    public func applicationCode(packages: [String] = []) -> ApplicationCode {
        ApplicationCode(lists: libraries, applicationPackages: packages)
    }

    /// Problems of the built-in rules (empty in a correct build; tests assert it).
    public static func builtinProblems() -> [TriageError] {
        builtinFiles.problems + duplicateProblems(builtin.rules)
    }

    /// The built-in rules plus the rules of each directory; any problem is reported, none skipped.
    public static func loading(userDirectories: [String]) throws(RuleProblems) -> RuleSet {
        var rules = builtin.rules
        var libraries = builtin.libraries
        var problems: [TriageError] = []
        for directory in userDirectories {
            do {
                let loaded = try RuleLoader.loadDirectory(directory)
                rules += loaded.rules
                libraries += loaded.libraries
                problems += loaded.problems
            } catch {
                problems.append(error)
            }
        }
        problems += duplicateProblems(rules, builtinCount: builtin.rules.count)
        if !problems.isEmpty { throw RuleProblems(problems: problems) }
        return RuleSet(rules: rules, libraries: libraries)
    }

    /// `builtinCount`: the first that many rules are the built-in ones, named so: their origin
    /// (`rules/x.json5`) reads like a user's copy of the same file in `./rules`.
    static func duplicateProblems(_ rules: [Rule], builtinCount: Int = 0) -> [TriageError] {
        var byId: [String: [String]] = [:]
        for (index, rule) in rules.enumerated() {
            let origin = rule.origin ?? rule.id
            byId[rule.id, default: []].append(index < builtinCount ? "built in as \(origin)" : origin)
        }
        return byId.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
            .map { TriageError.duplicateRule(id: $0.key, files: $0.value) }
    }

    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}

/// Several rule problems at once, so a user fixes them all in one pass.
public struct RuleProblems: Error, Sendable {
    public var problems: [TriageError]
}

extension RuleSet {
    /// The same rules with storage of their own (a JSON round trip), for a worker thread.
    static func privateCopy(of rules: [Rule]) -> [Rule] {
        guard let data = try? JSONEncoder().encode(rules), let copy = try? JSONDecoder().decode([Rule].self, from: data) else { return rules }
        return copy
    }
}
