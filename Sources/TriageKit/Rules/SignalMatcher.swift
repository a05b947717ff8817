/// Decides which rules' signals a record matches, after the prefilter said it might.
public final class SignalMatcher: Sendable {
    /// Shortest literal that may gate a signal; shorter ones would make the prefilter crawl.
    public static let minimumLiteralLength = 4

    public struct SignalReference: Hashable, Sendable {
        public var rule: Int
        public var signal: Int
    }

    /// Where and how a signal matched in a record.
    public struct SignalHit: Sendable {
        public var signal: Int
        public var line: Int
        public var text: String
        public var exception: ThrownException?
    }

    /// The signals of one rule that one record matched (primary ones first).
    public struct RuleMatch: Sendable {
        public var rule: Int
        public var hits: [SignalHit]
        /// A signal that can raise the finding matched; otherwise only incident-wide context did.
        public var raisesFinding: Bool
    }

    public let rules: [Rule]
    public let prefilter: LiteralMatcher
    /// For each prefilter literal, the signals it gates.
    private let gated: [[SignalReference]]
    private let loweredFragments: [[[UInt8]]]    // [rule*signal] message fragments, lower-cased
    private let loweredExclusions: [[[UInt8]]]
    private let signalOffsets: [Int]

    public init(rules: [Rule]) {
        self.rules = rules
        var literals: [String] = []
        var literalIndex: [String: Int] = [:]
        var gated: [[SignalReference]] = []
        var offsets: [Int] = []
        var fragments: [[[UInt8]]] = []
        var exclusions: [[[UInt8]]] = []
        for (ruleIndex, rule) in rules.enumerated() {
            offsets.append(fragments.count)
            for (signalIndex, signal) in rule.signals.enumerated() {
                fragments.append((signal.message ?? []).map(RecordFacts.lower))
                exclusions.append((signal.notMessage ?? []).map(RecordFacts.lower))
                // Record-scope context signals are only checked where a primary one matched.
                guard !signal.isContext || signal.isIncidentWide else { continue }
                for literal in SignalMatcher.gatingLiterals(of: signal) {
                    let key = String(decoding: RecordFacts.lower(literal), as: UTF8.self)
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
        prefilter = LiteralMatcher(literals: literals)
        self.gated = gated
        signalOffsets = offsets
        loweredFragments = fragments
        loweredExclusions = exclusions
    }

    /// The literals the prefilter looks for on behalf of a signal: its message texts if any,
    /// else its frames, else the simple names of its exception classes.
    public static func gatingLiterals(of signal: Signal) -> [String] {
        if let message = signal.message, !message.isEmpty { return message }
        let frames = (signal.topFrame ?? []) + (signal.frame ?? [])
        if !frames.isEmpty { return frames.map { simpleTail($0) } }
        return (signal.exception ?? []).map { simpleTail($0) }
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
        var candidates = Set<SignalReference>()
        for literal in literals { candidates.formUnion(gated[literal]) }
        guard !candidates.isEmpty else { return [] }
        var byRule: [Int: [SignalHit]] = [:]
        for reference in candidates.sorted(by: { ($0.rule, $0.signal) < ($1.rule, $1.signal) }) {
            if let hit = evaluate(reference, facts) { byRule[reference.rule, default: []].append(hit) }
        }
        var matches: [RuleMatch] = []
        for ruleIndex in byRule.keys.sorted() {
            var hits = byRule[ruleIndex]!
            let signals = rules[ruleIndex].signals
            let raises = hits.contains { !signals[$0.signal].isContext }
            if raises {
                for (signalIndex, signal) in signals.enumerated() where signal.isContext && !signal.isIncidentWide {
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
        let signal = rules[reference.rule].signals[reference.signal]
        let slot = signalOffsets[reference.rule] + reference.signal
        let fragments = loweredFragments[slot]
        let exclusions = loweredExclusions[slot]
        if let minimum = signal.minLevel, let level = facts.level, level < minimum { return nil }

        var matched: (exception: ThrownException?, line: Int, text: String)?
        if let classes = signal.exception, !classes.isEmpty {
            for (index, exception) in facts.exceptions.enumerated() where SignalMatcher.classMatches(exception.className, classes) {
                let message = facts.loweredMessages[index]
                if !fragments.isEmpty && !fragments.contains(where: { message.containsLowered($0) }) { continue }
                if exclusions.contains(where: { message.containsLowered($0) }) { continue }
                if let tops = signal.topFrame, !tops.isEmpty {
                    guard let first = exception.frames.first, SignalMatcher.frameMatches(first, tops) else { continue }
                }
                matched = (exception, exception.line, exception.headline)
                break
            }
            guard matched != nil else { return nil }
        } else if !fragments.isEmpty {
            if let line = facts.textLines.first(where: { line in fragments.contains { line.lowered.containsLowered($0) } }) {
                matched = (nil, line.number, line.text)
            } else if let index = facts.exceptions.indices.first(where: { index in
                fragments.contains { facts.loweredMessages[index].containsLowered($0) }
            }) {
                matched = (facts.exceptions[index], facts.exceptions[index].line, facts.exceptions[index].headline)
            } else {
                return nil
            }
            if facts.textLines.contains(where: { line in exclusions.contains { line.lowered.containsLowered($0) } }) { return nil }
        } else if let tops = signal.topFrame, !tops.isEmpty {
            guard let exception = facts.exceptions.first(where: { $0.frames.first.map { SignalMatcher.frameMatches($0, tops) } ?? false })
            else { return nil }
            if exclusions.contains(where: { RecordFacts.lower(exception.message).containsLowered($0) }) { return nil }
            matched = (exception, exception.line, exception.headline)
        }

        if let frames = signal.frame, !frames.isEmpty {
            var found: StackFrame?
            for exception in facts.exceptions {
                if let frame = exception.frames.first(where: { SignalMatcher.frameMatches($0, frames) }) {
                    found = frame
                    break
                }
            }
            guard let frame = found else { return nil }
            if matched == nil { matched = (nil, frame.line, frame.description) }
        }
        guard let result = matched else { return nil }
        return SignalHit(signal: reference.signal, line: result.line, text: result.text, exception: result.exception)
    }

    static func classMatches(_ className: String, _ patterns: [String]) -> Bool {
        for pattern in patterns {
            if pattern.contains(".") {
                if className == pattern { return true }
            } else if className == pattern || className.hasSuffix("." + pattern) || className.hasSuffix("$" + pattern) {
                return true
            }
        }
        return false
    }

    /// `pattern` names the frame's class, or a prefix of `class.method` ending at a boundary.
    static func frameMatches(_ frame: StackFrame, _ patterns: [String]) -> Bool {
        let name = frame.qualifiedMethod
        for pattern in patterns where name.hasPrefix(pattern) {
            if name.count == pattern.count { return true }
            let next = name[name.index(name.startIndex, offsetBy: pattern.count)]
            if next == "." || next == "$" { return true }
        }
        return false
    }
}
