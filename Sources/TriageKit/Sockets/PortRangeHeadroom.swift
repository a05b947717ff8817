/// The ephemeral port range a host's clients draw from, how long a closed connection holds its
/// port (TIME_WAIT), and the ceiling that follows: usable ports ÷ TIME_WAIT seconds = the most
/// new connections per second toward one destination.
///
/// From the kernel settings when the inputs carry them; otherwise the platform's defaults,
/// said so in `rangeBasis` and `timeWaitBasis`.
public struct PortRangeHeadroom: Codable, Sendable, Equatable {
    public var platform: String
    public var low: Int
    public var high: Int
    public var usablePorts: Int
    public var timeWaitSeconds: Int
    /// Where the range comes from: a setting with its file and line, or the default assumed.
    public var rangeBasis: String
    public var timeWaitBasis: String
    /// Where the settings were read, when they were.
    public var rangeSource: SourceLocation?
    /// usablePorts ÷ timeWaitSeconds.
    public var ceilingPerSecond: Double

    init(platform: String, low: Int, high: Int, timeWaitSeconds: Int, rangeBasis: String, timeWaitBasis: String, rangeSource: SourceLocation?) {
        self.platform = platform
        self.low = low
        self.high = high
        usablePorts = max(1, high - low + 1)
        self.timeWaitSeconds = timeWaitSeconds
        self.rangeBasis = rangeBasis
        self.timeWaitBasis = timeWaitBasis
        self.rangeSource = rangeSource
        ceilingPerSecond = Double(usablePorts) / Double(max(1, timeWaitSeconds))
    }

    /// What a setting's ports must lie in; a range beyond it is a typo or a corrupt file, and
    /// widening the ceiling with it would hide an exhaustion.
    static let ports = 1...65_535
    /// Linux holds TIME_WAIT for TCP_TIMEWAIT_LEN, a constant; `tcp_fin_timeout` is FIN_WAIT_2's.
    static let linuxTimeWait = 60
    static let linuxDefault = (low: 32768, high: 60999)
    static let windowsDefault = (low: 49152, high: 65535, timeWait: 120)
    static let oldWindowsDefault = (low: 1025, high: 5000, timeWait: 240)

    /// The range in force, from `settings`, else the defaults of the platform the snapshot
    /// comes from. `clientPorts` (lowest and highest client port seen) tells old Windows from new
    /// and reveals a range widened beyond the default.
    public static func resolve(settings: KernelSettings, windows: Bool, bsd: Bool = false, clientPorts: (low: Int, high: Int)?) -> PortRangeHeadroom {
        if windows || settings.isWindows { return resolveWindows(settings, clientPorts) }
        if bsd && settings["ip_local_port_range"] == nil { return resolveBSD(clientPorts) }
        return resolveLinux(settings, clientPorts)
    }

    /// macOS and FreeBSD: `net.inet.ip.portrange.first`–`last` default 49152–65535; TIME_WAIT
    /// lasts 2 × MSL, with `net.inet.tcp.msl` 15 s by default.
    static let bsdDefault = (low: 49152, high: 65535, timeWait: 30)

    private static func resolveBSD(_ clientPorts: (low: Int, high: Int)?) -> PortRangeHeadroom {
        var low = bsdDefault.low
        var basis = "macOS/BSD default 49152–65535 (net.inet.ip.portrange.first/last not among the inputs)"
        if let seen = clientPorts, seen.low < low {
            low = seen.low
            basis = "at least \(low)–65535: client ports in use lie below the macOS/BSD default 49152, so the range was widened"
        }
        return PortRangeHeadroom(platform: "macOS/BSD", low: low, high: bsdDefault.high, timeWaitSeconds: bsdDefault.timeWait,
                                 rangeBasis: basis, timeWaitBasis: "macOS/BSD default: 2 × net.inet.tcp.msl (15 s) = 30 s",
                                 rangeSource: nil)
    }

    private static func resolveLinux(_ settings: KernelSettings, _ clientPorts: (low: Int, high: Int)?) -> PortRangeHeadroom {
        let timeWaitBasis: String
        if let fin = settings["tcp_fin_timeout"] {
            timeWaitBasis = "Linux holds TIME_WAIT a fixed 60 s; tcp_fin_timeout = \(fin.value) (\(fin.location.description)) governs FIN_WAIT_2, not TIME_WAIT"
        } else {
            timeWaitBasis = "Linux holds TIME_WAIT a fixed 60 s"
        }
        var unusable = ""
        if let setting = settings["ip_local_port_range"] {
            let numbers = setting.numbers
            if numbers.count == 2, ports.contains(numbers[0]), ports.contains(numbers[1]), numbers[0] <= numbers[1] {
                return PortRangeHeadroom(
                    platform: "Linux", low: numbers[0], high: numbers[1], timeWaitSeconds: linuxTimeWait,
                    rangeBasis: "net.ipv4.ip_local_port_range = \(numbers[0]) \(numbers[1]) (\(setting.location.description))",
                    timeWaitBasis: timeWaitBasis, rangeSource: setting.location)
            }
            unusable = "net.ipv4.ip_local_port_range = \(setting.value.prefix(40)) (\(setting.location.description)) is not a port range"
        }
        var low = linuxDefault.low
        var high = linuxDefault.high
        var basis = unusable.isEmpty
            ? "Linux default \(low)–\(high): no net.ipv4.ip_local_port_range among the inputs"
            : "Linux default \(low)–\(high): \(unusable)"
        if let seen = clientPorts, seen.low < low || seen.high > high {
            low = min(low, seen.low)
            high = max(high, seen.high)
            basis = "at least \(low)–\(high): client ports in use lie outside the Linux default 32768–60999, so the range was widened ("
                + (unusable.isEmpty ? "no net.ipv4.ip_local_port_range among the inputs" : unusable) + ")"
        }
        return PortRangeHeadroom(platform: "Linux", low: low, high: high, timeWaitSeconds: linuxTimeWait,
                                 rangeBasis: basis, timeWaitBasis: timeWaitBasis, rangeSource: nil)
    }

    private static func resolveWindows(_ settings: KernelSettings, _ clientPorts: (low: Int, high: Int)?) -> PortRangeHeadroom {
        let usesOldRange = settings["MaxUserPort"] != nil
            || (settings["dynamicport.start"] == nil && (clientPorts.map { $0.high <= oldWindowsDefault.high } ?? false))
        let platform = usesOldRange ? "Windows Server 2003 / XP or earlier" : "Windows Vista / Server 2008 or later"
        var timeWait = usesOldRange ? oldWindowsDefault.timeWait : windowsDefault.timeWait
        var timeWaitBasis = "Windows default TcpTimedWaitDelay \(timeWait) s (not set among the inputs)"
        if let delay = settings["TcpTimedWaitDelay"] {
            if let seconds = delay.numbers.first, (1...InputNumber.seconds.upperBound).contains(seconds) {
                timeWait = seconds
                timeWaitBasis = "TcpTimedWaitDelay = \(seconds) s (\(delay.location.description))"
            } else {
                timeWaitBasis = "Windows default TcpTimedWaitDelay \(timeWait) s: TcpTimedWaitDelay = \(delay.value.prefix(20)) "
                    + "(\(delay.location.description)) is not a number of seconds"
            }
        }
        if let start = settings["dynamicport.start"], let count = settings["dynamicport.count"],
           let first = start.numbers.first, let number = count.numbers.first, number > 0,
           ports.contains(first), first + number - 1 <= ports.upperBound {
            return PortRangeHeadroom(
                platform: platform, low: first, high: first + number - 1, timeWaitSeconds: timeWait,
                rangeBasis: "netsh dynamic port range start \(first), \(number) ports (\(start.location.description))",
                timeWaitBasis: timeWaitBasis, rangeSource: start.location)
        }
        if let maxUserPort = settings["MaxUserPort"], let high = maxUserPort.numbers.first,
           (oldWindowsDefault.low...ports.upperBound).contains(high) {
            return PortRangeHeadroom(
                platform: platform, low: oldWindowsDefault.low, high: high, timeWaitSeconds: timeWait,
                rangeBasis: "MaxUserPort = \(high) (\(maxUserPort.location.description)): ports \(oldWindowsDefault.low)–\(high)",
                timeWaitBasis: timeWaitBasis, rangeSource: maxUserPort.location)
        }
        // Settings present but not a port range: the default applies, and the report says why.
        var unusable: [String] = []
        if let start = settings["dynamicport.start"] {
            let count = settings["dynamicport.count"]?.value ?? "?"
            unusable.append("netsh dynamic port range start \(start.value.prefix(20)), \(count.prefix(20)) ports "
                            + "(\(start.location.description)) is not a port range")
        }
        if let maxUserPort = settings["MaxUserPort"] {
            unusable.append("MaxUserPort = \(maxUserPort.value.prefix(20)) (\(maxUserPort.location.description)) is not a port")
        }
        if usesOldRange {
            let why = unusable.isEmpty ? "no MaxUserPort among the inputs" : unusable.joined(separator: "; ")
            return PortRangeHeadroom(
                platform: platform, low: oldWindowsDefault.low, high: oldWindowsDefault.high, timeWaitSeconds: timeWait,
                rangeBasis: "Windows 2003/XP default 1025–5000 (" + (settings["MaxUserPort"] == nil
                    ? "client ports in use are all below 5001; " : "") + why + ")",
                timeWaitBasis: timeWaitBasis, rangeSource: nil)
        }
        var low = windowsDefault.low
        var basis = "Windows default 49152–65535 ("
            + (unusable.isEmpty ? "no netsh dynamic port range among the inputs" : unusable.joined(separator: "; ")) + ")"
        if let seen = clientPorts, seen.low < low, seen.low > oldWindowsDefault.high {
            low = seen.low
            basis = "at least \(low)–65535: client ports in use lie below the Windows default 49152, so the range was widened"
        }
        return PortRangeHeadroom(platform: platform, low: low, high: windowsDefault.high, timeWaitSeconds: timeWait,
                                 rangeBasis: basis, timeWaitBasis: timeWaitBasis, rangeSource: nil)
    }

    /// The share of the range `timeWait` client sockets toward one destination hold, in percent.
    public func percentUsed(by timeWait: Int) -> Int {
        Int((Double(timeWait) * 100 / Double(usablePorts)).rounded(.down))
    }

    /// New connections per second toward a destination over the last TIME_WAIT period, from the
    /// TIME_WAIT sockets it left (each lives `timeWaitSeconds`).
    public func recentRate(of timeWait: Int) -> Double {
        Double(timeWait) / Double(max(1, timeWaitSeconds))
    }
}
