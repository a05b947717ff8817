import Foundation

/// Reads rules from JSON5 and checks them, reporting problems as `file:line: what to fix`.
public enum RuleLoader {
    /// The largest rule file read (the built-in ones are under 20 KB).
    static let maxFileBytes = 1 << 20
    /// More signals than this is not one root cause; matching cost grows with them.
    static let maxSignals = 256

    /// Decodes and validates one rule file's text; every problem found, not only the first.
    public static func load(text: String, origin: String) -> (rule: Rule?, problems: [TriageError]) {
        let locator = JSON5Locator(text)
        if let syntax = locator.syntaxError {
            return (nil, [.invalidRule(file: origin, line: syntax.line, column: syntax.column, reason: "JSON5 syntax: \(syntax.message)")])
        }
        var problems = unknownKeys(locator, origin: origin)
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        var rule: Rule
        do {
            rule = try decoder.decode(Rule.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            return (nil, problems + [describe(error, origin: origin, locator: locator)])
        } catch {
            return (nil, problems + [.invalidRule(file: origin, line: nil, reason: "\(error)")])
        }
        rule.origin = origin
        problems += validate(rule, origin: origin, locator: locator)
        return (rule, problems)
    }

    /// A file whose top level has `libraries` is a library list (`rules/libraries.json5`), not a rule.
    static func isLibraryList(_ locator: JSON5Locator) -> Bool {
        locator.keys.contains { $0.parent.isEmpty && $0.name == "libraries" }
    }

    /// Decodes and checks a library list: which packages are not the application's code.
    public static func loadLibraries(text: String, origin: String) -> (list: LibraryList?, problems: [TriageError]) {
        let locator = JSON5Locator(text)
        if let syntax = locator.syntaxError {
            return (nil, [.invalidRule(file: origin, line: syntax.line, column: syntax.column, reason: "JSON5 syntax: \(syntax.message)")])
        }
        var problems = unknownKeys(locator, origin: origin, known: libraryKeys, what: "the library list")
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        var list: LibraryList
        do {
            list = try decoder.decode(LibraryList.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            return (nil, problems + [describe(error, origin: origin, locator: locator)])
        } catch {
            return (nil, problems + [.invalidRule(file: origin, line: nil, reason: "\(error)")])
        }
        list.origin = origin
        problems += ApplicationCode.problems(list, origin: origin) { path, reason in at(origin, locator, path, reason: reason) }
        return (list, problems)
    }

    static let libraryKeys: [String: [String]] = [
        "": ["libraries", "generated", "examples"],
        "libraries[]": ["name", "packages"],
        "examples": ["application", "library"],
    ]

    /// The keys each object of a rule may have, by where the object is (`signals[]` is any
    /// signal). A misspelt key would otherwise be ignored, and a signal without its condition
    /// matches every record of its exception.
    static let knownKeys: [String: [String]] = [
        "": ["id", "title", "severity", "summary", "signals", "guidance", "examples", "alternatives", "discriminators",
             "undeterminedNote", "subsumedBy"],
        "signals[]": ["id", "description", "weight", "context", "scope", "exception", "message", "errno", "notMessage", "notException",
                      "frame", "topFrame", "notTopFrame", "minLevel", "fact", "atLeast"],
        "guidance": ["steps", "avoid", "references", "variants"],
        "guidance.variants[]": ["when", "title", "steps", "avoid", "references"],
        "examples": ["match", "noMatch"],
        "examples.match[]": ["lines", "signals", "notSignals"],
        "examples.noMatch[]": ["lines", "signals", "notSignals"],
    ]

    /// `signals[2].examples[0]` → `signals[].examples[]`, by bytes: a Swift `Regex` here cost
    /// more than everything else triage does at start-up.
    static func elementsErased(_ path: String) -> String {
        var out: [UInt8] = []
        var inIndex = false
        for byte in path.utf8 {
            if inIndex {
                if byte == UInt8(ascii: "]") { inIndex = false; out.append(byte) }
                continue
            }
            out.append(byte)
            if byte == UInt8(ascii: "[") { inIndex = true }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Keys the rule format does not have, each with where it is and the nearest known key.
    static func unknownKeys(_ locator: JSON5Locator, origin: String, known knownKeys: [String: [String]] = knownKeys,
                            what: String = "the rule") -> [TriageError] {
        locator.keys.compactMap { key in
            let place = elementsErased(key.parent)
            guard let known = knownKeys[place], !known.contains(key.name) else { return nil }
            let hint = CommandLineParser.suggestion(for: key.name, among: known).map { " (did you mean '\($0)'?)" } ?? ""
            let within = key.parent.isEmpty ? what : key.parent
            return .invalidRule(file: origin, line: key.position.line, column: key.position.column,
                                reason: "unknown key '\(key.name)' in \(within)\(hint); known keys: \(known.joined(separator: ", "))")
        }
    }

    /// Every `.json5` file of `directory`, in name order.
    public static func loadDirectory(_ directory: String) throws(TriageError) -> LoadedRules {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".json5") }.sorted()
        } catch {
            throw .rulesDirectoryUnreadable(path: directory, reason: "it does not exist or is not a readable directory")
        }
        var loaded = LoadedRules()
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            // Read whole, so bounded first: a FIFO would block, a huge file would fill memory.
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                loaded.problems.append(.invalidRule(file: path, line: nil, reason: "not a regular file; a rule is a .json5 text file"))
                continue
            }
            guard Int(info.st_size) <= maxFileBytes else {
                loaded.problems.append(.invalidRule(file: path, line: nil, reason: "\(NumberFormatting.bytes(Int(info.st_size))) is too "
                    + "large for a rule (at most \(NumberFormatting.bytes(maxFileBytes))); a rule is one root cause, its signals and examples"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                loaded.problems.append(.invalidRule(file: path, line: nil, reason: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                loaded.problems.append(.invalidRule(file: path, line: nil, reason: "not UTF-8 text; save the rule as UTF-8"))
                continue
            }
            loaded.add(text: text, origin: path)
        }
        return loaded
    }

    static func describe(_ error: DecodingError, origin: String, locator: JSON5Locator) -> TriageError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = JSON5Locator.path(context.codingPath)
            let field = path.isEmpty ? key.stringValue : path + "." + key.stringValue
            return at(origin, locator, path, reason: "\(field) is missing; every rule needs it (see README, 'Writing a rule')")
        case .typeMismatch(let type, let context):
            let path = JSON5Locator.path(context.codingPath)
            return at(origin, locator, path, reason: "\(path) should be \(typeName(type))")
        case .valueNotFound(let type, let context):
            let path = JSON5Locator.path(context.codingPath)
            return at(origin, locator, path, reason: "\(path) should be \(typeName(type)), not null")
        case .dataCorrupted(let context):
            let path = JSON5Locator.path(context.codingPath)
            if path.hasSuffix("severity") {
                let reason = "severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))"
                return at(origin, locator, path, reason: reason)
            }
            let reason = context.debugDescription
            return at(origin, locator, path, reason: path.isEmpty ? reason : "\(path): \(reason)")
        @unknown default:
            return .invalidRule(file: origin, line: nil, reason: "\(error)")
        }
    }

    /// A problem at `path`, with the line and column where it is written.
    static func at(_ origin: String, _ locator: JSON5Locator, _ path: String, reason: String) -> TriageError {
        let position = locator.position(for: path)
        return .invalidRule(file: origin, line: position?.line, column: position?.column, reason: reason)
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Double.Type, is Int.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [String].Type, is [Any].Type: return "a list"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "a list" : (name.hasPrefix("Dictionary") ? "an object" : "a \(name)")
        }
    }

    /// Checks what decoding cannot: ids, weights, references between fields, examples present.
    static func validate(_ rule: Rule, origin: String, locator: JSON5Locator) -> [TriageError] {
        var problems: [TriageError] = []
        func problem(_ path: String, _ reason: String) {
            problems.append(at(origin, locator, path, reason: reason))
        }
        if !isKebabIdentifier(rule.id) {
            problem("id", "id '\(rule.id)' must be lower-case words joined by '-' (like 'ephemeral-port-exhaustion')")
        }
        if rule.title.trimmingCharacters(in: .whitespaces).isEmpty { problem("title", "title is empty") }
        if rule.summary.trimmingCharacters(in: .whitespaces).isEmpty { problem("summary", "summary is empty") }
        if rule.signals.isEmpty { problem("signals", "signals is empty; a rule needs at least one signal") }
        if rule.signals.count > maxSignals {
            problem("signals", "\(rule.signals.count) signals; a rule has at most \(maxSignals) (split it into rules, one root cause each)")
            return problems
        }
        var signalIds = Set<String>()
        for (index, signal) in rule.signals.enumerated() {
            let path = "signals[\(index)]"
            if !isKebabIdentifier(signal.id) { problem("\(path).id", "\(path).id '\(signal.id)' must be lower-case words joined by '-'") }
            if !signalIds.insert(signal.id).inserted { problem("\(path).id", "signal id '\(signal.id)' is used twice in this rule") }
            if !(signal.weight > 0 && signal.weight <= 1) {
                problem("\(path).weight", "\(path).weight must be greater than 0 and at most 1 (it is \(signal.weight))")
            }
            let conditions = [signal.exception, signal.messageTexts, signal.frame, signal.topFrame].compactMap { $0 }.filter { !$0.isEmpty }
            if let errno = signal.errno, !errno.isEmpty {
                for name in errno where StrerrorText.phrases[name] == nil {
                    problem("\(path).errno", "\(path).errno '\(name)' is not an error triage knows the words of; known: \(StrerrorText.phrases.keys.sorted().joined(separator: ", "))")
                }
                if [signal.exception, signal.frame, signal.topFrame].allSatisfy({ $0?.isEmpty ?? true }) {
                    problem("\(path).errno", "signal '\(signal.id)' has errno but no exception, frame or topFrame; give one, the prefilter looks for it")
                }
            }
            if let fact = signal.fact {
                if !FactCatalog.isKnown(fact) {
                    problem("\(path).fact", "\(path).fact '\(fact)' is not a fact triage establishes; known facts: \(FactCatalog.facts.keys.sorted().joined(separator: ", "))")
                }
                if !conditions.isEmpty {
                    problem(path, "signal '\(signal.id)' has both a fact and text conditions; make them two signals")
                }
            } else if conditions.isEmpty {
                problem(path, "signal '\(signal.id)' has no condition; give it exception, message, frame, topFrame or fact")
            }
            if signal.atLeast != nil && signal.fact == nil {
                problem("\(path).atLeast", "\(path).atLeast applies only to a fact signal")
            }
            if !signal.isFactSignal && (!signal.isContext || signal.isIncidentWide) {
                for literal in SignalMatcher.gatingLiterals(of: signal) where literal.utf8.count < SignalMatcher.minimumLiteralLength {
                    problem(path, "signal '\(signal.id)' is gated by '\(literal)', shorter than \(SignalMatcher.minimumLiteralLength) characters; a longer, more specific text keeps the prefilter fast")
                }
            }
        }
        if !rule.signals.contains(where: { !$0.isContext }) {
            problem("signals", "every signal is a context signal, so the rule can never fire; make one a plain signal")
        }
        if rule.guidance.steps.isEmpty { problem("guidance.steps", "guidance.steps is empty; say what to change") }
        for (index, variant) in (rule.guidance.variants ?? []).enumerated() {
            for id in variant.when where !signalIds.contains(id) {
                problem("guidance.variants[\(index)].when", "guidance.variants[\(index)].when names '\(id)', which is not a signal of this rule")
            }
        }
        for id in rule.discriminators ?? [] where !signalIds.contains(id) {
            problem("discriminators", "discriminators names '\(id)', which is not a signal of this rule")
        }
        for id in rule.subsumedBy ?? [] where !isKebabIdentifier(id) || id == rule.id {
            problem("subsumedBy", "subsumedBy names '\(id)', which is not another rule's id")
        }
        if rule.examples.match.isEmpty { problem("examples.match", "examples.match is empty; give at least one input that must raise this finding") }
        if rule.examples.noMatch.isEmpty { problem("examples.noMatch", "examples.noMatch is empty; give at least one near miss that must not") }
        for (kind, list) in [("match", rule.examples.match), ("noMatch", rule.examples.noMatch)] {
            for (index, example) in list.enumerated() {
                for id in (example.signals ?? []) + (example.notSignals ?? []) where !signalIds.contains(id) {
                    problem("examples.\(kind)[\(index)]", "examples.\(kind)[\(index)] expects signal '\(id)', which is not a signal of this rule")
                }
            }
        }
        return problems
    }

    static func isKebabIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, first.isASCIILetter, first >= 0x61, text.utf8.last != 0x2D else { return false }
        var previousDash = false
        for byte in text.utf8 {
            let dash = byte == 0x2D
            guard (byte >= 0x61 && byte <= 0x7A) || byte.isASCIIDigit || dash else { return false }
            if dash && previousDash { return false }
            previousDash = dash
        }
        return true
    }
}

/// What a rules directory holds: its rules, its library lists, and every problem found.
public struct LoadedRules: Sendable {
    public var rules: [Rule] = []
    public var libraries: [LibraryList] = []
    public var problems: [TriageError] = []

    public init() {}

    /// Adds one file: a rule, or a library list when its top level has `libraries`.
    public mutating func add(text: String, origin: String) {
        if RuleLoader.isLibraryList(JSON5Locator(text)) {
            let loaded = RuleLoader.loadLibraries(text: text, origin: origin)
            problems += loaded.problems
            if let list = loaded.list, loaded.problems.isEmpty { libraries.append(list) }
        } else {
            let loaded = RuleLoader.load(text: text, origin: origin)
            problems += loaded.problems
            if let rule = loaded.rule, loaded.problems.isEmpty { rules.append(rule) }
        }
    }
}
