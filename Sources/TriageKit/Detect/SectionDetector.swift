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
        case .socketTable, .kernelSettings:
            if startsLogRecord(line) { current = .log }
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
            // `FIN-WAIT-1 …` pasted without its header (the case below never sees an `F`).
            if current == .log, startsHeaderlessSocketRow(line) { return .socketTable }
        case 0x22:   // "
            if current != .hotspotThreadDump && current != .javacore && isThreadHeader(line) { return .hotspotThreadDump }
        case UInt8(ascii: "0"):
            if line.matches("0SECTION", at: 0) { return .javacore }
        case UInt8(ascii: "="):
            if line.matches("===== FULL THREAD DUMP", at: 0) { return .hotspotThreadDump }
        case UInt8(ascii: "#"):
            if current != .hotspotThreadDump, HotSpotDumpParser.isDumpToFileHeader(line) { return .hotspotThreadDump }
        case 0x7B:   // {
            if line.matches("{\"threads\":[", at: 0) { return .threadDumpJSON }
        case UInt8(ascii: "t"):
            if line.matches("top - ", at: 0), contains(line, " up ") { return .topThreads }
            // dash's and busybox's `ulimit -a` start with `time(seconds)`.
            if line.matches("time(seconds)", at: 0) { return .kernelSettings }
            if current == .log, line.matches("tcp", at: 0), startsHeaderlessSocketRow(line) { return .socketTable }
        case UInt8(ascii: "A"):
            if line.matches("Active Internet connections", at: 0) || line.matches("Active Connections", at: 0) { return .socketTable }
        case UInt8(ascii: "P"):
            if line.matches("Proto Recv-Q Send-Q", at: 0) { return .socketTable }
            if line.matches("Protocol tcp Dynamic Port Range", at: 0) { return .kernelSettings }
        case UInt8(ascii: "R"):
            // `ss … state time-wait`: the filter drops the State column (read, and noted as unreadable).
            if line.matches("Recv-Q Send-Q", at: 0), contains(line, "Local Address") { return .socketTable }
        case UInt8(ascii: "S"), UInt8(ascii: "N"):
            if line.matches("State ", at: 0) || line.matches("Netid ", at: 0), contains(line, "Recv-Q"), contains(line, "Local Address") {
                return .socketTable
            }
            if current == .log, line[0] == UInt8(ascii: "S"), startsHeaderlessSocketRow(line) { return .socketTable }
        case UInt8(ascii: " "), 0x09:
            if line.matches("  Proto  Local Address", at: 0) || line.matches("  sl  local_address", at: 0) { return .socketTable }
            // Frame lines (`\tat …`) are most of these: out at once.
            guard current == .log, line.byte(1) != UInt8(ascii: "a") else { break }
            let start = line.skippingBlanks(from: 0)
            guard start < line.count else { break }
            // A thread's stack pasted without its header line; Windows rows are indented.
            if line[start] == UInt8(ascii: "j"), line.matches("java.lang.Thread.State: ", at: start) { return .hotspotThreadDump }
            if line[start] == UInt8(ascii: "T"), startsHeaderlessSocketRow(line) { return .socketTable }
        case UInt8(ascii: "T"), UInt8(ascii: "E"):
            if current == .log, startsHeaderlessSocketRow(line) { return .socketTable }
        case UInt8(ascii: "L"):
            if line.matches("LocalAddress", at: 0), contains(line, "RemoteAddress") { return .socketTable }
            // /proc/PID/limits: the JVM's process and file limits.
            if line.matches("Limit ", at: 0), contains(line, "Soft Limit") { return .kernelSettings }
            if current == .log, startsHeaderlessSocketRow(line) { return .socketTable }
        case UInt8(ascii: "R"):
            // `prlimit --pid PID`: RESOURCE DESCRIPTION SOFT HARD UNITS
            if line.matches("RESOURCE ", at: 0), contains(line, "SOFT") { return .kernelSettings }
        case UInt8(ascii: "C"):
            if line.matches("COMMAND ", at: 0), contains(line, " PID "), contains(line, " NAME") { return .socketTable }
            if line.matches("Count", at: 0), contains(line, " Name"), contains(line, " Group") { return .socketTable }
            if current == .log, line.matches("CLOSE", at: 0), startsHeaderlessSocketRow(line) { return .socketTable }
        case UInt8(ascii: "n"):
            if line.matches("net.", at: 0), isSetting(line) { return .kernelSettings }
        case UInt8(ascii: "c"), UInt8(ascii: "r"):
            // The first line of `ulimit -a` (bash before 5.2, and 5.2).
            if line.matches("core file size", at: 0) || line.matches("real-time non-blocking time", at: 0), contains(line, "-") {
                return .kernelSettings
            }
        case UInt8(ascii: "k"):
            if line.matches("kernel.threads-max", at: 0) || line.matches("kernel.pid_max", at: 0), isSetting(line) { return .kernelSettings }
        case UInt8(ascii: "m"):
            // `ulimit -a`: its process limit decides whether threads can be created.
            if line.matches("max user processes", at: 0), contains(line, "(-u)") { return .kernelSettings }
        case UInt8(ascii: "/"):
            if line.matches("/proc/sys/net/", at: 0) { return .kernelSettings }
        case UInt8(ascii: "W"):
            if line.matches("Windows Registry Editor", at: 0) { return .kernelSettings }
        case UInt8(ascii: "R"):
            if line.matches("REGEDIT4", at: 0) { return .kernelSettings }
        case UInt8(ascii: "H"):
            if line.matches("HKEY_LOCAL_MACHINE\\SYSTEM", at: 0) { return .kernelSettings }
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

    /// A socket table's row without its header (`tcp …`, `TCP …`, `ESTAB …`): first bytes, then the
    /// whole row's shape, so log lines pay one byte comparison.
    private func startsHeaderlessSocketRow(_ line: UnsafeRawBufferPointer) -> Bool {
        let start = line.skippingBlanks(from: 0)
        guard start < line.count, start <= 4, line.count - start >= 20 else { return false }
        switch line[start] {
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "E"), UInt8(ascii: "C"), UInt8(ascii: "L"), UInt8(ascii: "S"),
             UInt8(ascii: "F"):
            guard line.matches("tcp", at: start) || line.matches("TCP ", at: start) || line.matches("ESTAB", at: start)
                || line.matches("TIME", at: start) || line.matches("CLOSE", at: start) || line.matches("LISTEN", at: start)
                || line.matches("SYN", at: start) || line.matches("FIN-", at: start) || line.matches("LAST-", at: start) else { return false }
            return SocketTableParser.headerlessTool(line.string(start..<line.count).trimmingWhitespace()) != nil
        default:
            return false
        }
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

    /// `net.ipv4.tcp_tw_reuse = 0`, `net.ipv4.tcp_tw_reuse=0`: a dotted key of lower-case words,
    /// then `=` (sysctl output, sysctl.conf).
    private func isSetting(_ line: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte == 0x3D { return index > 4 }   // =
            if byte == 0x20 { return line.byte(index + 1) == 0x3D }
            guard byte.isASCIILowercase || byte.isASCIIDigit || byte == 0x2E || byte == 0x5F || byte == 0x2D else { return false }
            index += 1
        }
        return false
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
