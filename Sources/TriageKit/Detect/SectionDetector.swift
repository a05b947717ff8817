/// Decides, line by line, where a section of another kind starts (a `kill -3` dump inside
/// `catalina.out`, say). Works on the first bytes of a line only: it runs on every line.
public struct SectionDetector {
    public private(set) var current: SectionKind = .log

    public init() {}

    /// The kind of the section this line belongs to; changes `current` when one starts.
    @inline(__always)
    public mutating func classify(_ line: UnsafeRawBufferPointer) -> SectionKind {
        guard line.count >= 4 else { return current }
        switch current {
        case .log:
            if startsHotSpotDump(line) { current = .hotspotThreadDump }
        case .hotspotThreadDump:
            // A dump ends where the log resumes: the next line that is a record header.
            if line[0] != 0x22, line[0] != 0x20, line[0] != 0x09, LogHeaderParser.parse(line) != nil,
               !startsHotSpotDump(line) {
                current = .log
            }
        }
        return current
    }

    /// `Full thread dump …`, or a HotSpot thread header (`"name" #12 … prio=5 … tid=0x…`).
    @inline(__always)
    func startsHotSpotDump(_ line: UnsafeRawBufferPointer) -> Bool {
        switch line[0] {
        case UInt8(ascii: "F"):
            return line.matches("Full thread dump", at: 0)
        case 0x22:   // "
            guard let close = line.firstIndex(of: 0x22, from: 1) else { return false }
            let rest = UnsafeRawBufferPointer(rebasing: line[close...])
            return contains(rest, "tid=") || contains(rest, "nid=") || contains(rest, " prio=")
        default:
            return false
        }
    }

    private func contains(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        for position in 0...(bytes.count - length) where bytes.matches(literal, at: position) { return true }
        return false
    }
}
