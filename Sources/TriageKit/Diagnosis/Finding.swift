/// A root cause with its confidence, the evidence behind it and what to change.
public struct Finding: Codable, Sendable {
    public var rule: String
    public var title: String
    public var severity: Severity
    /// 0…1, from the evidence present (noisy-OR of the matched signals' weights).
    public var confidence: Double
    /// The kinds of evidence (log, dump, socket, settings) that independently point here, when
    /// more than one does: each further kind halved the remaining doubt.
    public var agreement: [String]?
    public var summary: String
    /// False when the evidence cannot tell this rule from its `alternatives` yet.
    public var determined: Bool
    public var alternatives: [String]?
    public var note: String?
    public var evidence: [Evidence]
    public var facts: Facts
    /// Which code the socket evidence points at, and which only shares the host with it.
    public var attribution: [String]?
    /// The application's own frames the evidence passes through (not the JDK's, not a
    /// library's), most frequent first: "in your code".
    public var applicationFrames: [ApplicationFrame]?
    public var guidance: FindingGuidance
}

/// One signal's part in a finding: how much it weighs, how often it was seen, and where.
public struct Evidence: Codable, Sendable {
    public var signal: String
    public var description: String
    public var weight: Double
    /// Context evidence strengthens a finding but could not raise it alone.
    public var context: Bool
    public var kind: String
    public var count: Int
    public var source: String
    public var line: Int
    public var text: String
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    /// Further occurrences, as examples (capped).
    public var samples: [SourceLocation]
    /// Endpoints the signal's records name.
    public var destinations: [Tally]?
    /// The signal's records call elsewhere than where the socket evidence points: the code it
    /// names shares the host with the cause but is not it. Its advice is left out.
    public var bystander: Bool?
}

/// The figures of a finding.
public struct Facts: Codable, Sendable {
    /// Records that matched at least one of the rule's signals.
    public var occurrences: Int
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    public var duration: String?
    public var destinations: [Tally]
    public var sources: [Tally]
}

/// A key and how many times it was seen.
public struct Tally: Codable, Sendable, Equatable {
    public var key: String
    public var count: Int
}

/// What to do, with the advice for the library actually seen first.
public struct FindingGuidance: Codable, Sendable {
    public var steps: [String]
    public var avoid: [String]
    public var references: [String]
    /// Titles of the variants that applied (`Axis 1 HTTPSender`), in the order used.
    public var appliedVariants: [String]
}
