/// The HTML report's charts, drawn as inline SVG by triage itself (no script, no external
/// asset): the records timeline with each finding's evidence on it, thread states per pool
/// across dumps, and sockets per state per remote endpoint against the port-range ceiling.
/// Every text from an input goes through `HTMLEscaping.text`; hovering a mark shows its figure
/// through SVG's own `<title>`.
enum SVGCharts {
    static let width = 760.0

    // MARK: - Timeline

    /// Records per bucket as bars (errors in red over them), with a marker and `#N` at the first
    /// dated evidence of each of the first five findings.
    static func timeline(_ timeline: RecordTimeline, findings: [Finding]) -> String? {
        guard let first = timeline.buckets.first, let last = timeline.buckets.last else { return nil }
        let bucket = Int64(timeline.minutes) * 60_000
        let start = first.time.milliseconds
        let end = last.time.milliseconds + bucket
        let left = 48.0, top = 40.0, plotWidth = width - left - 12, plotHeight = 130.0
        let peak = max(1, timeline.buckets.map(\.records).max() ?? 1)
        func x(_ milliseconds: Int64) -> Double { left + plotWidth * Double(milliseconds - start) / Double(max(1, end - start)) }
        func height(_ count: Int) -> Double { plotHeight * Double(count) / Double(peak) }
        let barWidth = max(1, plotWidth * Double(bucket) / Double(max(1, end - start)) - 0.5)
        var out = open(height: top + plotHeight + 34, label: "Records per \(minutesText(timeline.minutes)), errors in red, "
                       + "with where each finding's evidence first appears")
        out += axes(left: left, top: top, width: plotWidth, height: plotHeight, peak: peak)
        for item in timeline.buckets {
            let bar = x(item.time.milliseconds)
            let tip = "\(item.time.text): \(NumberFormatting.count(item.records)) records, \(NumberFormatting.count(item.errors)) errors"
            out += rect(bar, top + plotHeight - height(item.records), barWidth, height(item.records), "records", tip)
            if item.errors > 0 { out += rect(bar, top + plotHeight - height(item.errors), barWidth, height(item.errors), "errors", tip) }
        }
        for (index, finding) in findings.prefix(5).enumerated() {
            let times = finding.evidence.compactMap(\.firstSeen).filter(\.hasDate)
            guard let when = times.min(), when.milliseconds >= start, when.milliseconds <= end else { continue }
            let mark = x(when.milliseconds)
            let tip = "#\(index + 1) \(finding.title): first evidence at \(when.text)"
            out += "<line class=\"marker\" x1=\"\(f(mark))\" y1=\"\(f(top - 4 - 9 * Double(index % 3)))\" x2=\"\(f(mark))\" y2=\"\(f(top + plotHeight))\">"
                + "<title>\(HTMLEscaping.text(tip))</title></line>"
            out += "<text class=\"marker-label\" x=\"\(f(mark + 2))\" y=\"\(f(top - 6 - 9 * Double(index % 3)))\">#\(index + 1)</text>"
        }
        out += "<text class=\"tick\" x=\"\(f(left))\" y=\"\(f(top + plotHeight + 14))\">\(HTMLEscaping.text(first.time.text))</text>"
        out += "<text class=\"tick\" text-anchor=\"end\" x=\"\(f(left + plotWidth))\" y=\"\(f(top + plotHeight + 14))\">"
            + "\(HTMLEscaping.text(LogTimestamp(milliseconds: end, hasDate: true).text))</text>"
        out += "<text class=\"tick\" x=\"\(f(left))\" y=\"\(f(top + plotHeight + 28))\">one bar per \(minutesText(timeline.minutes))</text>"
        return out + "</svg>"
    }

    // MARK: - Thread states per pool

    static let threadStates: [(state: String, css: String)] = [
        ("RUNNABLE", "runnable"), ("BLOCKED", "blocked"), ("WAITING", "waiting"), ("TIMED_WAITING", "timed"),
    ]

    /// For each of the largest pools, a stacked bar per dump: how its threads' states moved.
    static func poolStates(_ dumps: [DumpSummary]) -> String? {
        var largest: [String: Int] = [:]
        for dump in dumps { for pool in dump.pools where dump.poolStates?[pool.key] != nil { largest[pool.key] = max(largest[pool.key] ?? 0, pool.count) } }
        let pools = largest.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(6).map(\.key)
        guard !pools.isEmpty else { return nil }
        let shownDumps = Array(dumps.suffix(12))
        let label = 200.0, barHeight = 11.0, gap = 10.0, top = 26.0
        let plotWidth = width - label - 60
        let peak = Double(max(1, largest.values.max() ?? 1))
        let rows = Double(pools.count * shownDumps.count)
        var out = open(height: top + rows * (barHeight + 2) + Double(pools.count) * gap + 8,
                       label: "Thread states per pool in each dump")
        out += legend(threadStates.map { ($0.state, $0.css) } + [("other", "other")], top: 12)
        var y = top
        for pool in pools {
            out += "<text class=\"label\" x=\"0\" y=\"\(f(y + barHeight - 1))\">\(HTMLEscaping.text(clipped(pool, 30)))</text>"
            for (index, dump) in shownDumps.enumerated() {
                let states = dump.poolStates?[pool] ?? [:]
                var x = label
                var parts = threadStates.map { ($0.css, $0.state, states[$0.state] ?? 0) }
                parts.append(("other", "other", states.filter { key, _ in !threadStates.contains { $0.state == key } }.values.reduce(0, +)))
                let total = parts.reduce(0) { $0 + $1.2 }
                for (css, state, count) in parts where count > 0 {
                    let w = plotWidth * Double(count) / peak
                    out += rect(x, y, w, barHeight, css, "\(pool), dump \(index + 1) (\(dump.source):\(dump.line)): \(count) \(state)")
                    x += w
                }
                out += "<text class=\"tick\" x=\"\(f(x + 4))\" y=\"\(f(y + barHeight - 2))\">\(total)</text>"
                if shownDumps.count > 1 {
                    out += "<text class=\"tick\" text-anchor=\"end\" x=\"\(f(label - 4))\" y=\"\(f(y + barHeight - 2))\">dump \(index + 1)</text>"
                }
                y += barHeight + 2
            }
            y += gap
        }
        return out + "</svg>"
    }

    // MARK: - Sockets per endpoint

    /// The busiest snapshot's client sockets per remote endpoint and state, with the usable
    /// ephemeral ports drawn as the ceiling when TIME_WAIT comes within a tenth of it.
    static func sockets(_ report: SocketReport) -> (svg: String, caption: String)? {
        func load(_ snapshot: SocketSnapshotSummary) -> Int {
            (snapshot.timeWaitToward + snapshot.closeWaitToward + snapshot.establishedToward).reduce(0) { $0 + $1.count }
        }
        guard let index = report.snapshots.indices.max(by: { load(report.snapshots[$0]) < load(report.snapshots[$1]) }),
              load(report.snapshots[index]) > 0 else { return nil }
        let snapshot = report.snapshots[index]
        let states: [(name: String, css: String, figures: [DestinationFigure])] = [
            ("TIME_WAIT", "tw", snapshot.timeWaitToward), ("CLOSE_WAIT", "cw", snapshot.closeWaitToward),
            ("ESTABLISHED", "est", snapshot.establishedToward),
        ]
        var totals: [String: Int] = [:]
        for state in states { for figure in state.figures { totals[figure.destination, default: 0] += figure.count } }
        let destinations = totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(8).map(\.key)
        let ceiling = report.headroom.usablePorts
        let busiestTimeWait = snapshot.timeWaitToward.map(\.count).max() ?? 0
        let drawCeiling = ceiling > 0 && busiestTimeWait * 10 >= ceiling
        let peak = Double(max(totals.values.max() ?? 1, drawCeiling ? ceiling : 0, 1))
        let label = 200.0, barHeight = 14.0, top = 26.0
        let plotWidth = width - label - 70
        var out = open(height: top + Double(destinations.count) * (barHeight + 6) + 22,
                       label: "Client sockets per state per remote endpoint")
        out += legend(states.map { ($0.name, $0.css) }, top: 12)
        var y = top
        for destination in destinations {
            out += "<text class=\"label\" x=\"0\" y=\"\(f(y + barHeight - 3))\">\(HTMLEscaping.text(clipped(destination, 30)))</text>"
            var x = label
            for state in states {
                let count = state.figures.first { $0.destination == destination }?.count ?? 0
                guard count > 0 else { continue }
                let w = plotWidth * Double(count) / peak
                out += rect(x, y, w, barHeight, state.css, "\(destination): \(NumberFormatting.count(count)) \(state.name)")
                x += w
            }
            out += "<text class=\"tick\" x=\"\(f(x + 4))\" y=\"\(f(y + barHeight - 3))\">\(NumberFormatting.count(totals[destination] ?? 0))</text>"
            y += barHeight + 6
        }
        if drawCeiling {
            let x = label + plotWidth * Double(ceiling) / peak
            out += "<line class=\"ceiling\" x1=\"\(f(x))\" y1=\"\(f(top - 4))\" x2=\"\(f(x))\" y2=\"\(f(y))\"/>"
            out += "<text class=\"tick\" text-anchor=\"end\" x=\"\(f(x - 2))\" y=\"\(f(y + 14))\">"
                + "port range: \(NumberFormatting.count(ceiling)) usable ports</text>"
        }
        var caption = "\(snapshot.source):\(snapshot.line) (\(snapshot.tool))"
        if report.snapshots.count > 1 { caption += ", the busiest of \(report.snapshots.count) snapshots" }
        if !drawCeiling && ceiling > 0 {
            caption += "; the port range's \(NumberFormatting.count(ceiling)) usable ports are far off this scale"
        }
        return (out + "</svg>", caption)
    }

    // MARK: - Pieces

    private static func open(height: Double, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" aria-label=\"\(HTMLEscaping.text(label))\">"
    }

    private static func axes(left: Double, top: Double, width: Double, height: Double, peak: Int) -> String {
        "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + height))\" x2=\"\(f(left + width))\" y2=\"\(f(top + height))\"/>"
            + "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + height))\"/>"
            + "<text class=\"tick\" text-anchor=\"end\" x=\"\(f(left - 4))\" y=\"\(f(top + 8))\">\(NumberFormatting.count(peak))</text>"
            + "<text class=\"tick\" text-anchor=\"end\" x=\"\(f(left - 4))\" y=\"\(f(top + height))\">0</text>"
    }

    private static func legend(_ items: [(String, String)], top: Double) -> String {
        var out = ""
        var x = 0.0
        for (name, css) in items {
            out += "<rect class=\"\(css)\" x=\"\(f(x))\" y=\"\(f(top - 9))\" width=\"10\" height=\"10\"/>"
            out += "<text class=\"tick\" x=\"\(f(x + 14))\" y=\"\(f(top))\">\(name)</text>"
            x += 24 + Double(name.count) * 7.5
        }
        return out
    }

    private static func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, _ css: String, _ tip: String) -> String {
        "<rect class=\"\(css)\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\">"
            + "<title>\(HTMLEscaping.text(tip))</title></rect>"
    }

    private static func minutesText(_ minutes: Int) -> String {
        switch minutes {
        case 1: "minute"
        case 60: "hour"
        case 1440: "day"
        case 10_080: "week"
        case let m where m % 60 == 0: "\(m / 60) hours"
        default: "\(minutes) minutes"
        }
    }

    private static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// One decimal: enough for a pixel, and stable text for the golden files.
    private static func f(_ value: Double) -> String { NumberFormatting.decimal(value, places: 1) }
}

/// HTML's five special characters as entities: every string from an input goes through this,
/// so no input can open an element, an attribute or a script.
enum HTMLEscaping {
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters have no place in HTML text (and NUL is refused by parsers).
            case let c where c.value < 0x20 && c != "\n" && c != "\t": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
