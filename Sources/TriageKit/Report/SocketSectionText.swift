/// The socket part of the text report: the port range in force and its ceiling, then per
/// snapshot the states and the busiest destinations, then how counts moved between snapshots.
struct SocketSectionText {
    let style: TerminalStyle

    func render(_ sockets: SocketReport?, poolLimits: [PoolLimit]) -> String {
        guard let sockets else { return "" }
        var out = "\n" + style.bold("Sockets") + " (\(sockets.snapshots.count) snapshot\(sockets.snapshots.count == 1 ? "" : "s")"
        if sockets.tablesThinned > 0 { out += "; \(NumberFormatting.count(sockets.tablesThinned)) more read and thinned out of the series" }
        out += ")\n"
        out += "  " + SocketSectionText.headroomLine(sockets.headroom) + "\n"
        out += "      range: \(sockets.headroom.rangeBasis)\n"
        out += "      TIME_WAIT: \(sockets.headroom.timeWaitBasis)\n"
        for setting in SocketSectionText.otherSettings(sockets) {
            out += "      \(setting.name) = \(setting.value)  " + style.cyan(setting.location.description) + "\n"
        }
        for limit in poolLimits.prefix(3) {
            out += "      pool limit \(limit.statement)" + (limit.route.map { " for \($0)" } ?? "") + "  " + style.cyan(limit.location.description) + "\n"
        }
        for snapshot in SocketSectionText.shown(sockets.snapshots) {
            let when = snapshot.time.map { " at \($0.text)" } ?? ""
            out += "  " + style.cyan("\(snapshot.source):\(snapshot.line)") + "  \(snapshot.tool)\(when), \(NumberFormatting.count(snapshot.sockets)) TCP sockets\n"
            out += "      states: " + SocketSectionText.statesLine(snapshot.states) + "\n"
            var sides = "TIME_WAIT client-side \(NumberFormatting.count(snapshot.clientTimeWait)), server-side \(NumberFormatting.count(snapshot.serverTimeWait))"
            if let ports = snapshot.clientPorts { sides += "; client ports \(ports)" }
            out += "      \(sides)\n"
            for figure in snapshot.timeWaitToward.prefix(3) {
                out += "      TIME_WAIT  → \(figure.destination)  \(NumberFormatting.count(figure.count))"
                if let percent = figure.percentOfRange { out += " (\(percent == 0 ? "<1" : String(percent))% of the range" }
                if let rate = figure.recentPerSecond { out += ", ≈ \(NumberFormatting.rate(rate)) new connections/s)" }
                out += "  " + style.dim(":\(figure.line)") + "\n"
            }
            for figure in snapshot.closeWaitToward.prefix(3) {
                let owners = figure.processes.map { " held by " + $0.map { "\($0.key) (\($0.count))" }.joined(separator: ", ") } ?? ""
                out += "      CLOSE_WAIT → \(figure.destination)  \(NumberFormatting.count(figure.count))\(owners)  " + style.dim(":\(figure.line)") + "\n"
            }
            if let busiest = snapshot.establishedToward.first, busiest.count >= 5 {
                out += "      ESTABLISHED → \(busiest.destination)  \(NumberFormatting.count(busiest.count))\n"
            }
        }
        if sockets.snapshots.count > 3 {
            out += "  " + style.dim("\(sockets.snapshots.count - 3) more snapshot\(sockets.snapshots.count == 4 ? "" : "s") in --format json; the trends below cover them all") + "\n"
        }
        if !sockets.trends.isEmpty {
            out += "  trends (snapshot by snapshot):\n"
            for trend in sockets.trends.prefix(6) {
                out += "      \(trend.state) → \(trend.destination): " + trend.counts.map { NumberFormatting.count($0) }.joined(separator: " → ") + "\n"
            }
        }
        return out
    }

    /// The settings not already named in the range and TIME_WAIT lines.
    static func otherSettings(_ sockets: SocketReport) -> [KernelSettings.Setting] {
        let bases = sockets.headroom.rangeBasis + " " + sockets.headroom.timeWaitBasis
        return sockets.settings.filter { setting in
            !bases.contains(setting.location.description) && !(setting.name.hasPrefix("dynamicport") && bases.contains("netsh"))
        }
    }

    /// Up to three snapshots: all of a short series; else the first, the one with the most
    /// TIME_WAIT or CLOSE_WAIT toward one destination, and the last.
    static func shown(_ snapshots: [SocketSnapshotSummary]) -> [SocketSnapshotSummary] {
        guard snapshots.count > 3 else { return snapshots }
        let peak = snapshots.indices.max { lhs, rhs in
            let left = max(snapshots[lhs].timeWaitToward.first?.count ?? 0, snapshots[lhs].closeWaitToward.first?.count ?? 0)
            let right = max(snapshots[rhs].timeWaitToward.first?.count ?? 0, snapshots[rhs].closeWaitToward.first?.count ?? 0)
            return left < right || (left == right && lhs > rhs)
        } ?? 0
        var indices = [0, peak, snapshots.count - 1]
        if peak == 0 || peak == snapshots.count - 1 { indices = [0, 1, snapshots.count - 1] }
        return indices.map { snapshots[$0] }
    }

    /// `Linux, ports 40000–40499 (500 usable), TIME_WAIT 60 s: at most ≈ 8.3 new connections/s per destination`
    static func headroomLine(_ headroom: PortRangeHeadroom) -> String {
        "\(headroom.platform), ports \(headroom.low)–\(headroom.high) (\(NumberFormatting.count(headroom.usablePorts)) usable), "
            + "TIME_WAIT \(headroom.timeWaitSeconds) s: at most ≈ \(NumberFormatting.rate(headroom.ceilingPerSecond)) new connections/s per destination"
    }

    /// `ESTABLISHED 23, TIME_WAIT 2,511, LISTEN 34`, in `TCPState` order.
    static func statesLine(_ states: [String: Int]) -> String {
        TCPState.allCases.compactMap { state in states[state.rawValue].map { "\(state.rawValue) \(NumberFormatting.count($0))" } }
            .joined(separator: ", ")
    }
}
