/// Decides, line by line, where a section of another kind starts (a `kill -3` dump inside
/// `catalina.out`, a javacore, `top -H` output) and where the log resumes. It looks at the
/// first bytes of a line only — it runs on every line — plus what the prefilter found in it.
public struct SectionDetector {
    public private(set) var current: SectionKind = .log
    /// The previous line was a lone `{`: a jcmd JSON dump may be starting.
    private var loneBrace = false

    public init() {}

    /// The kind of the section this line belongs to; changes `current` when one starts or ends.
    /// `dumpAnchor`: the prefilter found `Full thread dump` in the line (after a prefix, say).
    /// `claimedByDump`: the current dump's parser recognises the line as its own (its prefix).
    @inline(__always)
    public mutating func classify(_ line: UnsafeRawBufferPointer, dumpAnchor: Bool = false, claimedByDump: Bool = false) -> SectionKind {
        let braceBefore = loneBrace
        loneBrace = false
        guard line.count >= 1 else { return current }
        if let started = start(line, dumpAnchor: dumpAnchor, braceBefore: braceBefore) {
            current = started
            return current
        }
        switch current {
        case .log, .threadDumpJSON:
            if line.count == 1 && line[0] == 0x7B { loneBrace = true }
        case .hotspotThreadDump:
            if !claimedByDump, endsDump(line) { current = .log }
        case .javacore, .topThreads:
            if line[0].isASCIIDigit ? startsLogRecord(line) && !(line.count > 1 && line[1].isASCIIUppercase) : startsLogRecord(line) {
                current = .log
            }
        }
        return current
    }

    /// The JSON dump ended (its parser saw the braces balance).
    public mutating func endSection() {
        current = .log
    }

    /// A section that starts with this line, or nil.
    @inline(__always)
    private func start(_ line: UnsafeRawBufferPointer, dumpAnchor: Bool, braceBefore: Bool) -> SectionKind? {
        switch line[0] {
        case UInt8(ascii: "F"):
            if line.matches("Full thread dump", at: 0) { return .hotspotThreadDump }
        case 0x22:   // "
            if current != .hotspotThreadDump && current != .javacore && isThreadHeader(line) { return .hotspotThreadDump }
        case UInt8(ascii: "0"):
            if line.matches("0SECTION", at: 0) { return .javacore }
        case 0x7B:   // {
            if line.matches("{\"threads\":[", at: 0) { return .threadDumpJSON }
        case UInt8(ascii: "t"):
            if line.matches("top - ", at: 0), contains(line, " up ") { return .topThreads }
        default:
            break
        }
        if braceBefore, current != .threadDumpJSON {
            let start = line.skippingBlanks(from: 0)
            if line.matches("\"threadDump\"", at: start) { return .threadDumpJSON }
        }
        // A prefixed `Full thread dump` inside a log; a javacore prints the words too.
        if dumpAnchor && current == .log { return .hotspotThreadDump }
        return nil
    }

    /// A dump ends where the log resumes: a line that is a record header, other than the bare
    /// timestamp jstack prints before the next dump.
    private func endsDump(_ line: UnsafeRawBufferPointer) -> Bool {
        let first = line[0]
        if first == 0x22 || first == 0x20 || first == 0x09 { return false }
        guard let header = LogHeaderParser.parse(line) else { return false }
        return header.messageStart < line.count
    }

    private func startsLogRecord(_ line: UnsafeRawBufferPointer) -> Bool {
        LogHeaderParser.parse(line) != nil
    }

    /// `"name" … tid=…` / `nid=` / ` prio=` / ` - Thread t@` / ` id=` / ` Id=`: a thread header.
    func isThreadHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let close = line.firstIndex(of: 0x22, from: 1) else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: line[close...])
        return contains(rest, "tid=") || contains(rest, "nid=") || contains(rest, " prio=")
            || contains(rest, " - Thread t@") || contains(rest, "\" id=") || contains(rest, "\" Id=")
    }

    private func contains(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        for position in 0...(bytes.count - length) where bytes.matches(literal, at: position) { return true }
        return false
    }
}
