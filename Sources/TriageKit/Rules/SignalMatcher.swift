/// Decides which rules' signals a record matches, after the prefilter said it might.
public final class SignalMatcher: Sendable {
    /// The same matcher with storage of its own, for another thread (see `RuleSet.privateCopy`).
    public func privateCopy() -> SignalMatcher {
        SignalMatcher(rules: RuleSet.privateCopy(of: rules), applicationCode: applicationCode)
    }

    /// Shortest literal that may gate a signal; shorter ones would make the prefilter crawl.
    public static let minimumLiteralLength = 4

    public struct SignalReference: Hashable, Sendable {
        public var rule: Int
        public var signal: Int
    }

    /// Where and how a signal matched in a record.
    public struct SignalHit: Sendable {
        /// What the proof line is made of. Made text (`text(in:)`) only for the few samples a
        /// tally keeps: a headline per hit was a good part of matching a record.
        enum Evidence: Sendable {
            /// The exception at this index of the facts (`evidenceText`).
            case exception(Int)
            /// The headline of the exception at this index.
            case headline(Int)
            case text(String)
            case frame(StackFrame)
        }

        public var signal: Int
        public var line: Int
        var evidence: Evidence

        /// The proof line, from the facts the hit was found in.
        public func text(in facts: RecordFacts) -> String {
            switch evidence {
            case .exception(let index): SignalMatcher.evidenceText(facts.exceptions[index], facts)
            case .headline(let index): facts.exceptions[index].headline
            case .text(let text): text
            case .frame(let frame): frame.description
            }
        }
    }

    /// The signals of one rule that one record matched (primary ones first).
    public struct RuleMatch: Sendable {
        public var rule: Int
        public var hits: [SignalHit]
        /// A signal that can raise the finding matched; otherwise only incident-wide context did.
        public var raisesFinding: Bool
    }

    public let rules: [Rule]
    /// Which frames are the application's: what findings and groups name as "in your code".
    public let applicationCode: ApplicationCode
    public let prefilter: LiteralMatcher
    /// For each prefilter literal, the signals it gates.
    private let gated: [[SignalReference]]
    /// The prefilter literal that marks a `Full thread dump` line, for the section detector.
    public let dumpAnchorLiteral: Int
    /// The prefilter literals that flag a record stating a pool's limit (`PoolLimitScanner`).
    public let poolLimitLiterals: Range<Int>
    /// Each signal's conditions, compiled once, rule after rule: one array, so fetching a
    /// signal's is one retain, not two.
    private let compiled: [CompiledSignal]
    /// Where each rule's signals start in `compiled` (and, last, where they all end).
    private let firstSignal: [Int]

    /// A signal's conditions in the form matching needs: texts lower-cased, class names split.
    /// A class, so that fetching one per evaluation is one retain, not one per field.
    final class CompiledSignal: Sendable {
        /// The `Signal` fields matching reads, copied out: reading a `Signal` from the rules
        /// copies the whole struct (a retain per field) on every record.
        let minLevel: LogLevel?
        let isContext: Bool
        /// A record-scope context signal, checked only where a primary one matched.
        let isRecordContext: Bool
        let classes: [ClassPattern]
        let fragments: [[UInt8]]
        let exclusions: [[UInt8]]
        let excludedClasses: [ClassPattern]
        let frames: [String]
        let topFrames: [String]
        /// The same as UTF-8, for matching frames as bytes.
        let framePatterns: [[UInt8]]
        let topFramePatterns: [[UInt8]]
        let excludedTopFrames: [String]
        let excludedTopFramePatterns: [[UInt8]]

        init(_ signal: Signal) {
            minLevel = signal.minLevel
            isContext = signal.isContext
            isRecordContext = signal.isContext && !signal.isIncidentWide && !signal.isFactSignal
            classes = (signal.exception ?? []).map(ClassPattern.init)
            fragments = (signal.messageTexts ?? []).map(CaseInsensitiveSearch.lowered)
            exclusions = (signal.notMessage ?? []).map(CaseInsensitiveSearch.lowered)
            excludedClasses = (signal.notException ?? []).map(ClassPattern.init)
            frames = signal.frame ?? []
            topFrames = signal.topFrame ?? []
            framePatterns = frames.map { Array($0.utf8) }
            topFramePatterns = topFrames.map { Array($0.utf8) }
            excludedTopFrames = signal.notTopFrame ?? []
            excludedTopFramePatterns = excludedTopFrames.map { Array($0.utf8) }
        }

        /// The exception at `index` was thrown by a call this signal is not about.
        func thrownElsewhere(_ facts: RecordFacts, _ index: Int) -> Bool {
            !excludedTopFrames.isEmpty
                && facts.firstFrame(ofException: index, matching: excludedTopFramePatterns, names: excludedTopFrames, topOnly: true) != nil
        }
    }

    /// `java.net.SocketException` (the exact class) or `SocketException` (any package, nested too).
    struct ClassPattern: Sendable {
        var qualified: String?
        var simple: Substring
        /// `$SocketException`: the pattern as a nested class, made once rather than per record.
        var nested: String

        init(_ pattern: String) {
            if pattern.contains(where: { $0 == "." }) {
                qualified = pattern
                simple = pattern[pattern.index(after: pattern.lastIndex(of: ".")!)...]
            } else {
                qualified = nil
                simple = pattern[...]
            }
            nested = "$" + simple
        }

        func matches(_ className: String, simpleName: Substring) -> Bool {
            if let qualified { return simpleName == simple && className == qualified }
            return simpleName == simple || SignalMatcher.hasSuffix(simpleName, nested)
        }
    }

    public init(rules: [Rule], applicationCode: ApplicationCode = .builtin) {
        self.rules = rules
        self.applicationCode = applicationCode
        var literals: [String] = []
        var literalIndex: [String: Int] = [:]
        var gated: [[SignalReference]] = []
        var compiled: [CompiledSignal] = []
        var firstSignal: [Int] = []
        for (ruleIndex, rule) in rules.enumerated() {
            firstSignal.append(compiled.count)
            compiled.append(contentsOf: rule.signals.map(CompiledSignal.init))
            for (signalIndex, signal) in rule.signals.enumerated() {
                // Record-scope context signals are only checked where a primary one matched;
                // fact signals are not about records at all.
                guard !signal.isFactSignal, !signal.isContext || signal.isIncidentWide else { continue }
                for literal in SignalMatcher.gatingLiterals(of: signal) {
                    let key = String(decoding: CaseInsensitiveSearch.lowered(literal), as: UTF8.self)
                    let id: Int
                    if let existing = literalIndex[key] {
                        id = existing
                    } else {
                        id = literals.count
                        literalIndex[key] = id
                        literals.append(key)
                        gated.append([])
                    }
                    gated[id].append(SignalReference(rule: ruleIndex, signal: signalIndex))
                }
            }
        }
        // Not a rule's: where a thread dump starts, even after a wrapper's prefix.
        dumpAnchorLiteral = literals.count
        literals.append("full thread dump")
        gated.append([])
        let poolLiterals = PoolLimitScanner.literals + PoolStatsScanner.literals
        poolLimitLiterals = literals.count..<(literals.count + poolLiterals.count)
        for literal in poolLiterals {
            literals.append(literal)
            gated.append([])
        }
        prefilter = LiteralMatcher(literals: literals)
        self.gated = gated
        self.compiled = compiled
        firstSignal.append(compiled.count)
        self.firstSignal = firstSignal
    }

    /// The literals the prefilter looks for on behalf of a signal. Every condition of a signal
    /// must hold, so any one condition's texts will do: its message texts, its frames, or the
    /// simple names of its exception classes. Message texts are the most selective and win
    /// when none is short; otherwise the set whose shortest text is longest (the prefilter
    /// skips ahead by about that many bytes).
    public static func gatingLiterals(of signal: Signal) -> [String] {
        var candidates: [[String]] = []
        // An errno's words in sixteen languages would crowd the prefilter: such a signal is
        // gated by its class or frame names instead (the loader requires one).
        if signal.errno?.isEmpty ?? true, let message = signal.message, !message.isEmpty {
            if message.allSatisfy({ $0.utf8.count >= 8 }) { return message }
            candidates.append(message)
        }
        let frames = (signal.topFrame ?? []) + (signal.frame ?? [])
        if !frames.isEmpty { candidates.append(frames.map { simpleTail($0) }) }
        if let exception = signal.exception, !exception.isEmpty { candidates.append(exception.map { simpleTail($0) }) }
        var best: [String] = []
        var bestShortest = -1
        for candidate in candidates {
            let shortest = candidate.map(\.utf8.count).min() ?? 0
            if shortest > bestShortest {
                best = candidate
                bestShortest = shortest
            }
        }
        return best
    }

    /// `SocketDispatcher.read0` for `sun.nio.ch.SocketDispatcher.read0`: what a log spells the
    /// same way whether or not it prints the package (and `at` lines always do).
    private static func simpleTail(_ name: String) -> String {
        let parts = name.split(separator: ".")
        guard parts.count > 2 else { return name }
        if let last = parts.last, let first = last.first, first.isLowercase {
            return parts.suffix(2).joined(separator: ".")
        }
        return String(parts.last!)
    }

    /// Whether any literal the prefilter found gates a signal (cheap test before `match`).
    public func gates(_ literal: Int) -> Bool { !gated[literal].isEmpty }

    /// Evaluates the signals gated by `literals` (prefilter hits of the record) on its facts.
    public func match(_ facts: RecordFacts, literals: some Sequence<Int>) -> [RuleMatch] {
        // A handful of candidates per record: a sorted, de-duplicated array beats a Set here.
        var candidates: [SignalReference] = []
        candidates.reserveCapacity(16)
        for literal in literals { candidates.append(contentsOf: gated[literal]) }
        guard !candidates.isEmpty else { return [] }
        candidates.sort { ($0.rule, $0.signal) < ($1.rule, $1.signal) }
        var byRule: [(rule: Int, hits: [SignalHit])] = []
        var previous: SignalReference?
        for reference in candidates where reference != previous {
            previous = reference
            guard let hit = evaluate(reference, facts) else { continue }
            if byRule.last?.rule == reference.rule { byRule[byRule.count - 1].hits.append(hit) } else { byRule.append((reference.rule, [hit])) }
        }
        var matches: [RuleMatch] = []
        for (ruleIndex, ruleHits) in byRule {
            var hits = ruleHits
            let first = firstSignal[ruleIndex]
            let raises = hits.contains { !compiled[first + $0.signal].isContext }
            if raises {
                for signalIndex in 0..<(firstSignal[ruleIndex + 1] - first) where compiled[first + signalIndex].isRecordContext {
                    if let hit = evaluate(SignalReference(rule: ruleIndex, signal: signalIndex), facts) { hits.append(hit) }
                }
            }
            matches.append(RuleMatch(rule: ruleIndex, hits: hits, raisesFinding: raises))
        }
        return matches
    }

    /// Runs every signal of every rule on `facts`, without the prefilter (examples, tests).
    public func matchAll(_ facts: RecordFacts) -> [RuleMatch] {
        match(facts, literals: gated.indices)
    }

    private func evaluate(_ reference: SignalReference, _ facts: RecordFacts) -> SignalHit? {
        let conditions = compiled[firstSignal[reference.rule] + reference.signal]
        if let minimum = conditions.minLevel, let level = facts.level, level < minimum { return nil }
        if !conditions.excludedClasses.isEmpty {
            let exceptions = facts.exceptions
            for index in exceptions.indices
            where conditions.excludedClasses.contains(where: { $0.matches(exceptions[index].className, simpleName: facts.simpleNames[index]) }) {
                return nil
            }
        }

        var matched: (line: Int, evidence: SignalHit.Evidence)?
        if !conditions.classes.isEmpty {
            // By index: iterating the exceptions copies each one (a retain per string field).
            let exceptions = facts.exceptions
            for index in exceptions.indices
            where conditions.classes.contains(where: { $0.matches(exceptions[index].className, simpleName: facts.simpleNames[index]) }) {
                let message = exceptions[index].message
                if !conditions.fragments.isEmpty && !conditions.fragments.contains(where: { CaseInsensitiveSearch.contains(message, $0) }) { continue }
                if conditions.exclusions.contains(where: { CaseInsensitiveSearch.contains(message, $0) }) { continue }
                if conditions.thrownElsewhere(facts, index) { continue }
                if !conditions.topFrames.isEmpty {
                    guard facts.firstFrame(ofException: index, matching: conditions.topFramePatterns, names: conditions.topFrames, topOnly: true) != nil else { continue }
                }
                matched = (exceptions[index].line, .exception(index))
                break
            }
            guard matched != nil else { return nil }
        } else if !conditions.fragments.isEmpty {
            let fragments = conditions.fragments
            if let line = facts.textLines.first(where: { line in fragments.contains { CaseInsensitiveSearch.contains(line.text, $0) } }) {
                matched = (line.number, .text(line.text))
            } else if let index = facts.exceptions.firstIndex(where: { exception in
                fragments.contains { CaseInsensitiveSearch.contains(exception.message, $0) }
            }) {
                matched = (facts.exceptions[index].line, .headline(index))
            } else {
                return nil
            }
            let exclusions = conditions.exclusions
            if facts.textLines.contains(where: { line in exclusions.contains { CaseInsensitiveSearch.contains(line.text, $0) } }) { return nil }
            if facts.exceptions.indices.contains(where: { conditions.thrownElsewhere(facts, $0) }) { return nil }
        } else if !conditions.topFrames.isEmpty {
            guard let index = facts.exceptions.indices.first(where: { index in
                facts.firstFrame(ofException: index, matching: conditions.topFramePatterns, names: conditions.topFrames, topOnly: true) != nil
            }) else { return nil }
            let message = facts.exceptions[index].message
            if conditions.exclusions.contains(where: { CaseInsensitiveSearch.contains(message, $0) }) { return nil }
            matched = (facts.exceptions[index].line, .headline(index))
        }

        if !conditions.frames.isEmpty {
            var found: StackFrame?
            for index in facts.exceptions.indices {
                if let frame = facts.firstFrame(ofException: index, matching: conditions.framePatterns, names: conditions.frames, topOnly: false) {
                    found = frame
                    break
                }
            }
            guard let frame = found else { return nil }
            if matched == nil { matched = (frame.line, .frame(frame)) }
        }
        guard let result = matched else { return nil }
        return SignalHit(signal: reference.signal, line: result.line, evidence: result.evidence)
    }

    /// The line to show as proof: the exception's headline, or for an exception only mentioned
    /// in a message, that whole line (`I/O exception (java.net.BindException) caught …`).
    static func evidenceText(_ exception: ThrownException, _ facts: RecordFacts) -> String {
        guard exception.relation == .mentioned, let line = facts.textLine(number: exception.line) else { return exception.headline }
        return line.trimmingWhitespace()
    }

    /// `Substring.hasSuffix` compares characters through a reversed view, generically.
    static func hasSuffix(_ text: Substring, _ suffix: String) -> Bool {
        let text = text.utf8, suffix = suffix.utf8
        guard suffix.count < text.count, text.last == suffix.last else { return suffix.count == text.count && text.elementsEqual(suffix) }
        return text[text.index(text.endIndex, offsetBy: -suffix.count)...].elementsEqual(suffix)
    }

    /// `pattern` names the frame's class (or an enclosing one), or its `class.method`.
    static func frameMatches(_ frame: StackFrame, _ patterns: [String]) -> Bool {
        for pattern in patterns {
            let className = frame.className.utf8, text = pattern.utf8
            if text.count <= className.count {
                guard className.starts(with: text) else { continue }
                if text.count == className.count { return true }
                let next = className[className.index(className.startIndex, offsetBy: text.count)]
                if next == UInt8(ascii: "$") { return true }
            } else if text.starts(with: className), text[text.index(text.startIndex, offsetBy: className.count)] == UInt8(ascii: ".") {
                let method = text.dropFirst(className.count + 1)
                if frame.method.utf8.starts(with: method) { return true }
            }
        }
        return false
    }
}
