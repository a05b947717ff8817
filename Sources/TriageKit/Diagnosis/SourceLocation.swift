/// A place in an input: the proof a claim points at.
public struct SourceLocation: Codable, Sendable, Hashable, Comparable {
    public var source: String
    public var line: Int

    public init(source: String, line: Int) {
        self.source = source
        self.line = line
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.source, lhs.line) < (rhs.source, rhs.line)
    }

    public var description: String { "\(source):\(line)" }

    /// `app.log:353, :384, other.log:12`: a file is named once for a run of its lines.
    public static func compactList(_ locations: [SourceLocation], after previous: String? = nil) -> String {
        var parts: [String] = []
        var current = previous
        for location in locations {
            parts.append(location.source == current ? ":\(location.line)" : location.description)
            current = location.source
        }
        return parts.joined(separator: ", ")
    }
}

/// One occurrence kept as an example: where, when and what the line said.
public struct EvidenceSample: Codable, Sendable, Equatable {
    public var source: String
    public var line: Int
    public var text: String
    public var time: LogTimestamp?

    public var location: SourceLocation { SourceLocation(source: source, line: line) }
}

/// Keeps the first `capacity` samples in input order; merging keeps the earliest by location
/// order of the inputs, so the result does not depend on how work was split.
struct SampleList: Sendable, Equatable {
    private(set) var samples: [EvidenceSample] = []
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isFull: Bool { samples.count >= capacity }

    mutating func add(_ sample: EvidenceSample) {
        if samples.count < capacity { samples.append(sample) }
    }

    mutating func merge(_ other: SampleList) {
        for sample in other.samples where samples.count < capacity { samples.append(sample) }
    }
}
