/// The kinds of text an input can hold; one file may hold several, one after another.
public enum SectionKind: String, Codable, Sendable, CaseIterable, Comparable {
    case log
    /// jstack, jcmd Thread.print, kill -3, VisualVM/JMX, Actuator text.
    case hotspotThreadDump = "hotspot-thread-dump"
    /// IBM/OpenJ9 javacore.
    case javacore
    /// Actuator or jcmd JSON thread dump.
    case threadDumpJSON = "thread-dump-json"
    /// `top -H` output.
    case topThreads = "top-threads"
    /// `netstat`, `ss`, /proc/net/tcp, `lsof -i`.
    case socketTable = "socket-table"
    /// `sysctl`, /proc/sys, a Windows registry export, `netsh … dynamicport`.
    case kernelSettings = "kernel-settings"

    public static func < (lhs: SectionKind, rhs: SectionKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
