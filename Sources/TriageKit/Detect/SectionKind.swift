/// The kinds of text an input can hold; one file may hold several, one after another.
public enum SectionKind: String, Codable, Sendable, CaseIterable, Comparable {
    case log
    case hotspotThreadDump = "hotspot-thread-dump"

    public static func < (lhs: SectionKind, rhs: SectionKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
