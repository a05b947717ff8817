/// The kernel settings that decide how many client connections a host can open and how long a
/// closed one holds its port, as read from `sysctl`, /proc/sys, a Windows registry export,
/// `reg query` or `netsh int ipv4 show dynamicport tcp`.
public struct KernelSettings: Codable, Sendable, Equatable {
    /// One value and where it was read.
    public struct Setting: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        public var source: String
        public var line: Int

        public var location: SourceLocation { SourceLocation(source: source, line: line) }
        /// The value's numbers (`40000\t40499` → [40000, 40499]).
        public var numbers: [Int] {
            // sysctl values are C ints; a larger or negative number is not one the kernel holds.
            value.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { InputNumber.decimal($0, in: 0...Int(Int32.max)) }
        }
    }

    /// By name: `ip_local_port_range`, `tcp_tw_reuse`, `tcp_tw_recycle`, `tcp_fin_timeout`,
    /// `tcp_max_tw_buckets`, `MaxUserPort`, `TcpTimedWaitDelay`, `dynamicport.start`, `dynamicport.count`.
    public var values: [String: Setting] = [:]

    public init() {}

    /// The names this tool reads; everything else in `sysctl -a` is skipped.
    static let linuxNames: Set<String> = [
        "ip_local_port_range", "ip_local_reserved_ports", "tcp_tw_reuse", "tcp_tw_recycle", "tcp_fin_timeout", "tcp_max_tw_buckets",
        "threads-max", "pid_max",
    ]
    /// Process limits, from /proc/PID/limits (`Max processes`) or `ulimit -a` (`max user processes (-u)`):
    /// the soft limit, a number or `unlimited`.
    static let limitNames: [(label: String, name: String)] = [
        ("Max processes", "max_user_processes"), ("max user processes", "max_user_processes"),
        ("Max open files", "max_open_files"), ("open files", "max_open_files"),
        // dash's and busybox's `ulimit -a`.
        ("process", "max_user_processes"), ("nofiles", "max_open_files"),
    ]
    static let windowsNames: Set<String> = ["MaxUserPort", "TcpTimedWaitDelay"]

    /// Limits on processes and threads rather than on sockets: not the socket report's business.
    static let processLimitNames: Set<String> = ["max_user_processes", "max_open_files", "threads-max", "pid_max", "open_descriptors"]

    /// The settings that concern the network (ports, TIME_WAIT) alone.
    public var network: KernelSettings {
        var network = KernelSettings()
        network.values = values.filter { !KernelSettings.processLimitNames.contains($0.key) }
        return network
    }

    public subscript(_ name: String) -> Setting? { values[name] }

    public var isEmpty: Bool { values.isEmpty }
    public var isWindows: Bool { values.keys.contains { Self.windowsNames.contains($0) || $0.hasPrefix("dynamicport") } }

    mutating func set(_ name: String, _ value: String, source: String, line: Int) {
        values[name] = Setting(name: name, value: value, source: source, line: line)
    }

    /// Settings from several inputs: an incident is one host, so a later file's value wins.
    public mutating func merge(_ other: KernelSettings) {
        for (name, setting) in other.values { values[name] = setting }
    }

    public func integer(_ name: String) -> Int? { values[name]?.numbers.first }
}

/// Reads kernel settings line by line; lines it does not know are skipped.
public struct KernelSettingsParser {
    public private(set) var settings = KernelSettings()
    private let source: String
    /// `netsh` prints the start port and the count on separate lines.
    private var inDynamicPortBlock = false

    public init(source: String) {
        self.source = source
    }

    public mutating func line(_ bytes: UnsafeRawBufferPointer, number: Int) {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard !text.isEmpty, !text.hasPrefix("#"), !text.hasPrefix(";") else { return }
        if text.hasPrefix("Protocol tcp Dynamic Port Range") {
            inDynamicPortBlock = true
            return
        }
        if inDynamicPortBlock, let colon = text.firstIndex(of: ":") {
            let key = text[..<colon].trimmingWhitespace()
            let value = text[text.index(after: colon)...].trimmingWhitespace()
            if key == "Start Port" { settings.set("dynamicport.start", value, source: source, line: number) }
            if key == "Number of Ports" { settings.set("dynamicport.count", value, source: source, line: number) }
            return
        }
        if limit(text, number: number) { return }
        // "MaxUserPort"=dword:0000fffe  (a .reg export)
        if text.hasPrefix("\""), let equals = text.dropFirst().firstRange(of: "\"=dword:") {
            // After the opening quote: `"=dword:` alone would end the name before it starts.
            let name = String(text[text.index(after: text.startIndex)..<equals.lowerBound])
            if KernelSettings.windowsNames.contains(name), let value = InputNumber.hex(text[equals.upperBound...], in: 0...0xFFFF_FFFF) {
                settings.set(name, String(value), source: source, line: number)
            }
            return
        }
        // MaxUserPort    REG_DWORD    0xfffe  (reg query)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.count == 3, words[1] == "REG_DWORD", KernelSettings.windowsNames.contains(String(words[0])) {
            let dword: ClosedRange<Int> = 0...0xFFFF_FFFF
            if let value = words[2].hasPrefix("0x") ? InputNumber.hex(words[2], in: dword) : InputNumber.decimal(words[2], in: dword) {
                settings.set(String(words[0]), String(value), source: source, line: number)
            }
            return
        }
        // net.ipv4.tcp_tw_reuse = 0 (sysctl), net.ipv4.tcp_tw_reuse=0 (sysctl.conf),
        // /proc/sys/net/ipv4/tcp_tw_reuse:0 (grep -r . /proc/sys/net/ipv4)
        var key: Substring
        var value: Substring
        if let equals = text.firstIndex(of: "=") {
            key = text[..<equals].trimmingWhitespace()[...]
            value = text[text.index(after: equals)...].trimmingWhitespace()[...]
        } else if text.hasPrefix("/proc/sys/"), let colon = text.firstIndex(of: ":") {
            key = text[..<colon]
            value = text[text.index(after: colon)...].trimmingWhitespace()[...]
        } else {
            return
        }
        let name = key.split(whereSeparator: { $0 == "." || $0 == "/" }).last.map(String.init) ?? ""
        if KernelSettings.linuxNames.contains(name) {
            settings.set(name, String(value), source: source, line: number)
        }
    }

    /// `Max processes  4096  4096  processes` (/proc/PID/limits) or `max user processes  (-u) 4096`
    /// (`ulimit -a`): the soft limit.
    private mutating func limit(_ text: String, number: Int) -> Bool {
        guard let first = text.first, "MmopnN".contains(first) else { return false }
        // `prlimit --pid 4242`: `NOFILE  max number of open files  1024  4096 files` (soft, hard, units).
        for (label, name) in [("NOFILE", "max_open_files"), ("NPROC", "max_user_processes")] where text.hasPrefix(label + " ") {
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 4 else { return false }
            let soft = words[words.count - 3]
            guard soft == "unlimited" || InputNumber.decimal(soft, in: 0...Int(Int32.max)) != nil else { return false }
            settings.set(name, String(soft), source: source, line: number)
            return true
        }
        for (label, name) in KernelSettings.limitNames where text.hasPrefix(label) {
            let rest = text.dropFirst(label.count)
            guard rest.first == " " || rest.first == "\t" else { continue }
            // `ulimit -a` puts the flag in parentheses before the value: `(-u) 4096`, `(blocks, -c) 0`.
            let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).filter { !$0.hasPrefix("(") && !$0.hasSuffix(")") }
            guard let value = words.first else { return false }
            if value == "unlimited" || InputNumber.decimal(value, in: 0...Int(Int32.max)) != nil {
                settings.set(name, String(value), source: source, line: number)
                return true
            }
            return false
        }
        return false
    }

    /// The descriptors a process holds, as `ls /proc/PID/fd | wc -l` counted them.
    public mutating func descriptorCount(_ count: Int, process: Int?, number: Int) {
        settings.set("open_descriptors", String(count) + (process.map { " \($0)" } ?? ""), source: source, line: number)
    }

    /// A file of /proc/sys holding only the value (`32768\t60999` in `ip_local_port_range`,
    /// as sosreports copy them): the file's name is the setting's.
    public mutating func bareValue(_ bytes: UnsafeRawBufferPointer, number: Int, fileName: String) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard KernelSettings.linuxNames.contains(fileName), !text.isEmpty,
              text.split(whereSeparator: { $0 == " " || $0 == "\t" }).allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return false }
        settings.set(fileName, text, source: source, line: number)
        return true
    }
}
