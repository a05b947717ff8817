/// A root cause, as data: the signals that are evidence for it, their weights, its severity,
/// and what to do about it. One JSON5 file per rule in `rules/`.
public struct Rule: Codable, Sendable, Identifiable {
    /// Stable, public identifier (users script against it): `ephemeral-port-exhaustion`.
    public var id: String
    public var title: String
    public var severity: Severity
    /// One-line diagnosis shown under the title.
    public var summary: String
    public var signals: [Signal]
    public var guidance: Guidance
    public var examples: Examples
    /// Rules this one cannot be told apart from without its `discriminators`.
    public var alternatives: [String]?
    /// Signal ids that settle the diagnosis. A rule with `alternatives` whose discriminators
    /// were not seen is undetermined: its confidence is capped and `undeterminedNote` printed.
    public var discriminators: [String]?
    public var undeterminedNote: String?
    /// Rules that explain this one's evidence and more: when one of them is found, this rule's
    /// finding is left out (CLOSE_WAIT build-up, once a connection leak is established).
    public var subsumedBy: [String]?
    /// File the rule was loaded from (`rules/x.json5` or a `--rules` path); not in the JSON5.
    public var origin: String?

    /// The highest confidence a finding may claim while it is undetermined.
    public static let undeterminedConfidenceCap = 0.6
}

/// One kind of evidence. Lists are alternatives (any of them); fields are all required.
public struct Signal: Codable, Sendable {
    public var id: String
    public var description: String
    /// Contribution to confidence, 0 < weight ≤ 1 (combined by noisy-OR across signals).
    public var weight: Double
    /// A context signal never raises a finding alone; it strengthens one and can select advice.
    public var context: Bool?
    /// `record` (the default): looked for in the records that raised the finding. `incident`:
    /// looked for in every record of the incident (read timeouts next to pool timeouts, say);
    /// such a signal is always context.
    public var scope: SignalScope?
    /// Exception classes (qualified, or a simple name) that must appear in the chain.
    public var exception: [String]?
    /// Text that must appear (case-insensitive) — in the message of a matching exception when
    /// `exception` is given, anywhere in the record's text otherwise.
    public var message: [String]?
    /// C library errors (`ECONNREFUSED`) whose words, in any language `StrerrorText` knows, count
    /// as `message` texts: a JVM on a German or Chinese Linux prints `Verbindungsaufbau abgelehnt`.
    public var errno: [String]?
    /// Text that must not appear in that same place.
    public var notMessage: [String]?
    /// Exception classes that must not appear anywhere in the chain: the same words on the other
    /// side of a connection (`ClientAbortException`: our server's client went away, no backend reset).
    public var notException: [String]?
    /// Frames (`class` or `class.method` prefixes) that must appear anywhere in the chain.
    public var frame: [String]?
    /// Frames that must be the first frame of the matching exception.
    public var topFrame: [String]?
    /// Frames the matching exception's first frame must not be: the same words thrown by another
    /// call (`Cannot assign requested address` from `Net.bind0` is a server's bind, not a connect).
    public var notTopFrame: [String]?
    /// Records below this level do not count.
    public var minLevel: LogLevel?
    /// A fact the dump or socket analysers establish (`deadlock-cycle`, see `FactCatalog`),
    /// instead of text conditions; matched when its figure is at least `atLeast`.
    public var fact: String?
    public var atLeast: Int?

    /// `message` and the words of `errno`: the texts of which one must appear.
    public var messageTexts: [String]? {
        guard let errno, !errno.isEmpty else { return message }
        return (message ?? []) + errno.flatMap { StrerrorText.phrases[$0] ?? [] }
    }

    /// Matched on facts about the incident, not on log records.
    public var isFactSignal: Bool { fact != nil }

    public var isContext: Bool { (context ?? false) || scope == .incident }
    public var isIncidentWide: Bool { scope == .incident }
}

/// Where a signal is looked for.
public enum SignalScope: String, Codable, Sendable {
    case record
    case incident
}

/// What to do: steps, what not to do, where to read more; variants keyed by signal.
public struct Guidance: Codable, Sendable {
    public var steps: [String]
    public var avoid: [String]?
    public var references: [String]?
    public var variants: [GuidanceVariant]?
}

/// Advice that applies when one of the signals in `when` was seen (an Axis 1 frame, say).
public struct GuidanceVariant: Codable, Sendable {
    public var when: [String]
    public var title: String
    public var steps: [String]
    public var avoid: [String]?
    /// Documentation for this library or platform: shown (first) only when the variant applies.
    public var references: [String]?
}

/// Inputs that must, and must not, raise a finding for the rule; the tests run them all.
public struct Examples: Codable, Sendable {
    public var match: [RuleExample]
    public var noMatch: [RuleExample]
}

/// Log text for an example, written as a list of lines (or one string), optionally naming the
/// signals it must match.
public struct RuleExample: Codable, Sendable {
    public var lines: [String]
    public var signals: [String]?
    /// Signals of the rule this example must not match: the nearest neighbour (a read timeout
    /// is not a connect timeout) when both live in one rule.
    public var notSignals: [String]?

    public var text: String { lines.joined(separator: "\n") + "\n" }

    public init(lines: [String], signals: [String]? = nil, notSignals: [String]? = nil) {
        self.lines = lines
        self.signals = signals
        self.notSignals = notSignals
    }

    enum CodingKeys: String, CodingKey { case lines, signals, notSignals }

    public init(from decoder: Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if let text = try? container.decode(String.self) {
                self.init(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                return
            }
            if let lines = try? container.decode([String].self) {
                self.init(lines: lines)
                return
            }
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(lines: try container.decode([String].self, forKey: .lines),
                  signals: try container.decodeIfPresent([String].self, forKey: .signals),
                  notSignals: try container.decodeIfPresent([String].self, forKey: .notSignals))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lines, forKey: .lines)
        try container.encodeIfPresent(signals, forKey: .signals)
        try container.encodeIfPresent(notSignals, forKey: .notSignals)
    }
}
