/// Turns an incident's socket snapshots, kernel settings and the pool limits its logs state
/// into facts for the rules and a section for the report.
///
/// Snapshots of one host over time are a series, never summed: a figure is taken from one
/// snapshot (the one where it is largest), and changes between snapshots are trends.
/// Exhaustion is per destination (Linux reuses a local port toward another ip:port), so only
/// client-side TIME_WAIT toward one destination is compared with the range.
public enum SocketAnalyzer {
    public struct Result: Sendable {
        public var facts: [IncidentFact]
        public var report: SocketReport?
    }

    /// Below these, a figure is the noise of a healthy host, not a fact worth a rule's attention.
    static let minimumTimeWaitPercent = 10
    static let minimumTimeWait = 100
    static let minimumCloseWait = 3
    static let minimumCloseWaitGrowth = 3

    public static func analyze(snapshots unordered: [SocketSnapshot], settings: KernelSettings, poolLimits: PoolLimitTable,
                               thinned: Int = 0) -> Result {
        var facts: [IncidentFact] = []
        if let recycle = settings["tcp_tw_recycle"], recycle.numbers.first == 1 {
            facts.append(IncidentFact(
                id: "tcp-tw-recycle-enabled", count: 1, kind: "settings",
                summary: "net.ipv4.tcp_tw_recycle = 1: drops connections from clients behind NAT; removed in Linux 4.12",
                evidence: [sample(recycle.location, "net.ipv4.tcp_tw_recycle = \(recycle.value)")]))
        }
        guard !unordered.isEmpty || !settings.isEmpty else { return Result(facts: facts, report: nil) }
        let snapshots = ordered(unordered)
        let headroom = PortRangeHeadroom.resolve(
            settings: settings, windows: snapshots.contains(where: \.isWindows), bsd: snapshots.contains(where: \.isBSD),
            clientPorts: clientPortSpan(snapshots))
        facts += settingFacts(settings, headroom, windows: snapshots.first(where: \.isWindows).map { SourceLocation(source: $0.source, line: $0.line) }
                                  ?? settings.values.values.first { KernelSettings.windowsNames.contains($0.name) || $0.name.hasPrefix("dynamicport") }?.location)
        // Which platform's advice applies (Linux sysctls or Windows netsh/registry): said once.
        if headroom.platform.hasPrefix("Linux") || headroom.platform.hasPrefix("Windows") {
            let place = headroom.rangeSource ?? snapshots.first.map { SourceLocation(source: $0.source, line: $0.line) }
            facts.append(IncidentFact(
                id: headroom.platform.hasPrefix("Linux") ? "host-platform-linux" : "host-platform-windows", count: 1, kind: "settings",
                summary: "the host is \(headroom.platform): \(headroom.rangeBasis)",
                evidence: place.map { [sample($0, headroom.rangeBasis)] } ?? []))
        }
        facts += timeWaitFacts(snapshots, headroom)
        facts += closeWaitFacts(snapshots, poolLimits)
        facts += serverCloseWaitFacts(snapshots)
        facts += busyPoolFacts(snapshots, poolLimits)
        let report = SocketReport(
            snapshots: snapshots.map { summary($0, headroom) }, headroom: headroom,
            settings: settings.values.values.sorted { $0.name < $1.name }, trends: trends(snapshots), tablesThinned: thinned)
        return Result(facts: facts, report: report)
    }

    /// Time order when every snapshot says when it was taken; input order otherwise.
    static func ordered(_ snapshots: [SocketSnapshot]) -> [SocketSnapshot] {
        guard snapshots.allSatisfy({ $0.time != nil }) else { return snapshots }
        return snapshots.enumerated().sorted { ($0.element.time!, $0.offset) < ($1.element.time!, $1.offset) }.map(\.element)
    }

    /// Client ports seen in snapshots that list their listeners (without them, a service port
    /// could pass for a client's).
    static func clientPortSpan(_ snapshots: [SocketSnapshot]) -> (low: Int, high: Int)? {
        let spans = snapshots.filter { !$0.listeningPorts.isEmpty }.compactMap { snapshot -> (Int, Int)? in
            guard let low = snapshot.clientPortLow, let high = snapshot.clientPortHigh else { return nil }
            return (low, high)
        }
        guard let first = spans.first else { return nil }
        return spans.dropFirst().reduce(first) { (min($0.0, $1.0), max($0.1, $1.1)) }
    }

    /// What the settings in force mean for a host running out of ports: the stop-gaps left.
    /// `windows`: where the inputs show a Windows host (a netstat table or a Windows setting), if they do.
    static func settingFacts(_ settings: KernelSettings, _ headroom: PortRangeHeadroom, windows: SourceLocation?) -> [IncidentFact] {
        var facts: [IncidentFact] = []
        if let reuse = settings["tcp_tw_reuse"], reuse.numbers.first == 0 {
            facts.append(IncidentFact(
                id: "tcp-tw-reuse-disabled", count: 1, kind: "settings",
                summary: "net.ipv4.tcp_tw_reuse = 0: a new outgoing connection cannot take a port still in TIME_WAIT; 1 would let it (outgoing only), a stop-gap while the churn is fixed",
                evidence: [sample(reuse.location, "net.ipv4.tcp_tw_reuse = \(reuse.value)")]))
        }
        if let windows, settings["TcpTimedWaitDelay"] == nil {
            facts.append(IncidentFact(
                id: "windows-default-time-wait", count: headroom.timeWaitSeconds, kind: "settings",
                summary: "TcpTimedWaitDelay is not set, so a closed connection holds its port \(headroom.timeWaitSeconds) s; 30 s (HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters) and a wider dynamic port range are the stop-gaps while the churn is fixed",
                evidence: [sample(windows, "Windows host")]))
        }
        return facts
    }

    // MARK: - TIME_WAIT

    static func timeWaitFacts(_ snapshots: [SocketSnapshot], _ headroom: PortRangeHeadroom) -> [IncidentFact] {
        var best: (snapshot: SocketSnapshot, destination: String, count: Int)?
        for snapshot in snapshots {
            guard let top = snapshot.topRemotes(.timeWait, 1).first else { continue }
            if top.count > best?.count ?? 0 { best = (snapshot, top.key, top.count) }
        }
        guard let best else { return [] }
        let percent = headroom.percentUsed(by: best.count)
        guard percent >= minimumTimeWaitPercent || best.count >= minimumTimeWait else { return [] }
        let ceiling = NumberFormatting.rate(headroom.ceilingPerSecond)
        let recent = NumberFormatting.rate(headroom.recentRate(of: best.count))
        var summary = "\(NumberFormatting.count(best.count)) client-side TIME_WAIT toward \(best.destination) hold \(percent)% of "
            + "\(NumberFormatting.count(headroom.usablePorts)) usable ports (\(headroom.low)–\(headroom.high), \(headroom.rangeBasis)); "
            + "ceiling \(NumberFormatting.count(headroom.usablePorts)) ÷ \(headroom.timeWaitSeconds) s ≈ \(ceiling) new connections/s toward it, "
            + "and these alone mean ≈ \(recent)/s over the last \(headroom.timeWaitSeconds) s"
        let serverSide = best.snapshot.serverSide[.timeWait] ?? 0
        if serverSide > 0 { summary += "; \(NumberFormatting.count(serverSide)) more TIME_WAIT are server-side and use no ephemeral port" }
        var evidence = [sample(best.snapshot.location(.timeWait, best.destination), "TIME_WAIT toward \(best.destination)")]
        if let source = headroom.rangeSource { evidence.append(sample(source, headroom.rangeBasis)) }
        return [IncidentFact(id: "client-time-wait-near-port-range", count: percent, kind: "socket", summary: summary,
                             time: best.snapshot.time, evidence: evidence, destination: best.destination)]
    }

    // MARK: - CLOSE_WAIT

    /// CLOSE_WAIT on a port this host listens on: callers that gave up on a request and closed,
    /// while the server had not answered. A symptom of what holds the server's request threads
    /// (a deadlock, a slow handler, a full pool), never a leak of the server's.
    static func serverCloseWaitFacts(_ snapshots: [SocketSnapshot]) -> [IncidentFact] {
        var best: (snapshot: SocketSnapshot, port: Int, count: Int, line: Int)?
        for snapshot in snapshots {
            for (port, seen) in snapshot.serverCloseWaitByPort where seen.count > best?.count ?? 0 || seen.count == best?.count && port < best!.port {
                best = (snapshot, port, seen.count, seen.firstLine)
            }
        }
        guard let best, best.count >= minimumServerCloseWait else { return [] }
        return [IncidentFact(
            id: "server-close-wait", count: best.count, kind: "socket",
            summary: "\(NumberFormatting.count(best.count)) CLOSE_WAIT on this host's listening port \(best.port): callers closed requests "
                + "the server had not answered — a symptom of what holds its request threads, not a leak of its own",
            time: best.snapshot.time,
            evidence: [sample(SourceLocation(source: best.snapshot.source, line: best.line), "CLOSE_WAIT on listening port \(best.port)")],
            destination: ":\(best.port)")]
    }

    static let minimumServerCloseWait = 5

    static func closeWaitFacts(_ snapshots: [SocketSnapshot], _ poolLimits: PoolLimitTable) -> [IncidentFact] {
        var facts: [IncidentFact] = []
        var best: (snapshot: SocketSnapshot, destination: String, count: Int)?
        for snapshot in snapshots {
            guard let top = snapshot.topRemotes(.closeWait, 1).first else { continue }
            if top.count > best?.count ?? 0 { best = (snapshot, top.key, top.count) }
        }
        if let best, best.count >= minimumCloseWait {
            let owners = processes(best.snapshot, .closeWait, best.destination)
            let owner = owners.first.map { " held by \($0.key)" } ?? ""
            facts.append(IncidentFact(
                id: "close-wait-toward-endpoint", count: best.count, kind: "socket",
                summary: "\(NumberFormatting.count(best.count)) CLOSE_WAIT toward \(best.destination)\(owner): the peer closed them and this side never did",
                time: best.snapshot.time, evidence: [sample(best.snapshot.location(.closeWait, best.destination), "CLOSE_WAIT toward \(best.destination)")],
                destination: best.destination))
        }
        // Even two CLOSE_WAIT prove a leak when the pool holds two connections per route.
        if let best, let limit = limit(poolLimits, for: best.destination), best.count >= limit.maxPerRoute {
            let relation = best.count == limit.maxPerRoute ? "equal to" : "above"
            facts.append(IncidentFact(
                id: "close-wait-at-pool-max", count: best.count, kind: "socket",
                summary: "\(NumberFormatting.count(best.count)) CLOSE_WAIT toward \(best.destination), \(relation) the pool's per-route maximum (\(limit.statement), \(limit.location.description)): every pooled connection is dead and none was returned",
                time: best.snapshot.time,
                evidence: [sample(best.snapshot.location(.closeWait, best.destination), "CLOSE_WAIT toward \(best.destination)"),
                           sample(limit.location, limit.statement)],
                destination: best.destination))
        }
        for trend in trends(snapshots) where trend.state == TCPState.closeWait.rawValue {
            guard let first = trend.counts.first, let last = trend.counts.last, last - first >= minimumCloseWaitGrowth,
                  zip(trend.counts, trend.counts.dropFirst()).allSatisfy({ $0 <= $1 }) else { continue }
            let lastSnapshot = snapshots[snapshots.count - 1]
            facts.append(IncidentFact(
                id: "close-wait-growing", count: last - first, kind: "socket",
                summary: "CLOSE_WAIT toward \(trend.destination) grew \(trend.counts.map { NumberFormatting.count($0) }.joined(separator: " → ")) across \(trend.counts.count) snapshots",
                time: lastSnapshot.time,
                evidence: [sample(lastSnapshot.location(.closeWait, trend.destination), "CLOSE_WAIT toward \(trend.destination)")],
                destination: trend.destination))
            break
        }
        return facts
    }

    /// Every connection of a full pool ESTABLISHED and none in CLOSE_WAIT: the connections are
    /// alive and in use — a slow backend or a small pool, not a leak.
    static func busyPoolFacts(_ snapshots: [SocketSnapshot], _ poolLimits: PoolLimitTable) -> [IncidentFact] {
        guard let last = snapshots.last else { return [] }
        for limit in poolLimits.limits {
            let destination = limit.route.flatMap { route in matching(route, in: last.clientByRemote[.established]) }
                ?? last.topRemotes(.established, 1).first?.key
            guard let destination else { continue }
            let established = last.clientCount(.established, toward: destination)
            let closeWait = last.clientCount(.closeWait, toward: destination)
            guard established >= limit.maxPerRoute, closeWait == 0 else { continue }
            return [IncidentFact(
                id: "pool-route-busy-no-close-wait", count: established, kind: "socket",
                summary: "\(NumberFormatting.count(established)) ESTABLISHED toward \(destination), the pool's per-route maximum (\(limit.statement), \(limit.location.description)), and no CLOSE_WAIT: the pooled connections are alive and in use",
                time: last.time,
                evidence: [sample(last.location(.established, destination), "ESTABLISHED toward \(destination)"), sample(limit.location, limit.statement)],
                destination: destination)]
        }
        return []
    }

    /// The limit for `destination`: stated for it (by address, or by a host name on the same
    /// port), else one stated without a route.
    static func limit(_ table: PoolLimitTable, for destination: String) -> PoolLimit? {
        if let exact = table.limits.first(where: { $0.route == destination }) { return exact }
        if let byPort = table.limits.first(where: { $0.route.map { sameService($0, destination) } ?? false }) { return byPort }
        return table.limits.first { $0.route == nil }
    }

    /// The key of `counter` that names the same service as `route` (`search.internal:9200` for
    /// `10.0.0.7:9200` when the log names the host and the table the address).
    static func matching(_ route: String, in counter: BoundedCounter?) -> String? {
        guard let counter else { return nil }
        if counter.counts[route] != nil { return route }
        return counter.top(counter.counts.count).first { sameService(route, $0.key) }?.key
    }

    /// Equal, or a host name and an address on the same port: a log names hosts, a socket table
    /// addresses, and triage does not resolve names.
    static func sameService(_ lhs: String, _ rhs: String) -> Bool {
        if lhs == rhs { return true }
        guard let left = lhs.lastIndex(of: ":"), let right = rhs.lastIndex(of: ":"),
              lhs[lhs.index(after: left)...] == rhs[rhs.index(after: right)...] else { return false }
        let isAddress = { (host: Substring) in host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" || $0 == "[" || $0 == "]" } }
        return !isAddress(lhs[..<left]) || !isAddress(rhs[..<right])
    }

    static func processes(_ snapshot: SocketSnapshot, _ state: TCPState, _ destination: String) -> [Tally] {
        guard let counter = snapshot.clientByRemoteAndProcess[state] else { return [] }
        let prefix = destination + "  "
        return counter.top(counter.counts.count).filter { $0.key.hasPrefix(prefix) }.prefix(3)
            .map { Tally(key: String($0.key.dropFirst(prefix.count)), count: $0.count) }
    }

    // MARK: - Report

    static func summary(_ snapshot: SocketSnapshot, _ headroom: PortRangeHeadroom) -> SocketSnapshotSummary {
        func figures(_ state: TCPState) -> [DestinationFigure] {
            snapshot.topRemotes(state, 5).map { top in
                let location = snapshot.location(state, top.key)
                let owners = processes(snapshot, state, top.key)
                return DestinationFigure(
                    destination: top.key, count: top.count,
                    percentOfRange: state == .timeWait ? headroom.percentUsed(by: top.count) : nil,
                    recentPerSecond: state == .timeWait ? (headroom.recentRate(of: top.count) * 10).rounded() / 10 : nil,
                    processes: owners.isEmpty ? nil : owners, source: location.source, line: location.line)
            }
        }
        var ports: String?
        if let low = snapshot.clientPortLow, let high = snapshot.clientPortHigh { ports = "\(low)–\(high)" }
        return SocketSnapshotSummary(
            source: snapshot.source, line: snapshot.line, tool: snapshot.tool.rawValue, time: snapshot.time,
            sockets: snapshot.sockets,
            states: Dictionary(uniqueKeysWithValues: snapshot.states.map { ($0.key.rawValue, $0.value) }),
            clientTimeWait: snapshot.clientCount(.timeWait), serverTimeWait: snapshot.serverSide[.timeWait] ?? 0,
            clientCloseWait: snapshot.clientCount(.closeWait), clientPorts: ports,
            timeWaitToward: figures(.timeWait), closeWaitToward: figures(.closeWait), establishedToward: figures(.established))
    }

    /// For TIME_WAIT and CLOSE_WAIT, the destinations busiest in any snapshot, counted in each.
    static func trends(_ snapshots: [SocketSnapshot]) -> [SocketTrend] {
        guard snapshots.count >= 2 else { return [] }
        var trends: [SocketTrend] = []
        for state in [TCPState.closeWait, .timeWait] {
            var destinations: [String] = []
            for snapshot in snapshots {
                for top in snapshot.topRemotes(state, 3) where !destinations.contains(top.key) { destinations.append(top.key) }
            }
            for destination in destinations {
                let counts = snapshots.map { $0.clientCount(state, toward: destination) }
                guard counts.contains(where: { $0 >= 2 }) else { continue }
                trends.append(SocketTrend(state: state.rawValue, destination: destination, counts: counts))
            }
        }
        return trends.sorted { ($0.state, -($0.counts.last ?? 0), $0.destination) < ($1.state, -($1.counts.last ?? 0), $1.destination) }
    }

    static func sample(_ location: SourceLocation, _ text: String) -> EvidenceSample {
        EvidenceSample(source: location.source, line: location.line, text: text, time: nil)
    }
}
