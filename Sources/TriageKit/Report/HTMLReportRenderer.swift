/// `--format html`: one self-contained page for a ticket attachment or a wiki — no script, no
/// external asset (a Content-Security-Policy forbids both), charts as inline SVG, readable
/// offline and in print. Every string from an input is escaped (`HTMLEscaping`); links are made
/// only from the rules' own `https://` references.
struct HTMLReportRenderer {
    let options: RenderOptions

    /// The first two lines; `InputSniffer` recognises a saved report by them.
    static let head = "<!DOCTYPE html>\n<!-- triage report -->\n"

    func render(_ report: Report) -> String {
        var out = HTMLReportRenderer.head
        out += "<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            + "img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"triage \(TriageVersion.current)\">\n"
        out += "<title>triage report</title>\n<style>\(HTMLReportRenderer.style)</style>\n</head><body>\n"
        out += "<h1>triage report</h1>\n<p class=\"headline\">\(headline(report))</p>\n"
        if let window = report.window {
            out += list([window.text.prefix(1).uppercased() + window.text.dropFirst()] + window.readings)
        }
        for note in report.notes { out += "<p class=\"note\"><strong>Note:</strong> \(e(note))</p>\n" }
        if !report.findings.isEmpty {
            out += "<table class=\"summary\"><thead><tr><th>#</th><th>Severity</th><th>Confidence</th><th>Cause</th>"
                + "<th>Where</th><th>First step</th></tr></thead><tbody>\n"
            for (index, finding) in report.findings.enumerated() {
                let where_ = finding.evidence.first.map { "<code>\(e("\($0.source):\($0.line)"))</code>" } ?? ""
                out += "<tr><td>\(index + 1)</td><td>\(severity(finding.severity))</td><td class=\"n\">\(NumberFormatting.weight(finding.confidence))</td>"
                    + "<td><a href=\"#finding-\(index + 1)\">\(e(finding.title))</a></td><td>\(where_)</td>"
                    + "<td>\(e(finding.guidance.steps.first ?? ""))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        if let timeline = report.timeline, let chart = SVGCharts.timeline(timeline, findings: report.findings) {
            out += "<section id=\"timeline\"><h2>Timeline</h2>\n<figure>\(chart)<figcaption>Records per "
                + "\(timeline.minutes == 1 ? "minute" : "\(timeline.minutes) minutes"), errors in red; "
                + "#N marks where finding N's evidence first appears.</figcaption></figure></section>\n"
        }
        for (index, finding) in report.findings.enumerated() {
            out += self.finding(finding, rank: index + 1, previous: index > 0 ? report.findings[index - 1] : nil)
        }
        out += exceptionGroups(report)
        out += dumps(report)
        out += sockets(report)
        out += inputs(report)
        out += "<footer>triage \(TriageVersion.current)</footer>\n</body></html>\n"
        return out
    }

    private func headline(_ report: Report) -> String {
        let analysed = report.inputs.filter { $0.status == .analysed || $0.status == .partial }
        let lines = analysed.reduce(0) { $0 + $1.lines }
        if analysed.isEmpty { return "<strong>Nothing was analysed</strong>\(e(report.notReadText)); see Inputs below." }
        let count = report.findings.count
        let what = count == 0 ? "No known root cause found" : "<strong>\(count) root cause\(count == 1 ? "" : "s")</strong>, most likely first,"
        return what + " in \(analysed.count) input\(analysed.count == 1 ? "" : "s") (\(NumberFormatting.count(lines)) lines)\(e(report.notReadText))."
    }

    private func finding(_ finding: Finding, rank: Int, previous: Finding?) -> String {
        var out = "<section class=\"finding\" id=\"finding-\(rank)\">\n"
        out += "<h2>\(rank). \(severity(finding.severity)) \(e(finding.title))</h2>\n"
        var intro = "Rule <code>\(e(finding.rule))</code>, confidence <strong>\(NumberFormatting.weight(finding.confidence))</strong>"
        if !finding.determined {
            intro += " (undetermined: could also be \(finding.alternatives.map { $0.map { "<code>\(e($0))</code>" }.joined(separator: ", ") } ?? "another cause"))"
        }
        out += "<p>\(intro). \(e(finding.summary))</p>\n"
        var points = [RankingExplanation.factsLine(finding.facts)]
        if let previous { points.append(RankingExplanation.below(previous, finding, previousRank: rank - 1)) }
        if let note = finding.note { points.append("Note: " + note) }
        out += list(points)
        out += "<table><thead><tr><th>Evidence</th><th>Weight</th><th>Count</th><th>First seen</th><th>Where</th><th>Excerpt</th></tr></thead><tbody>\n"
        for evidence in finding.evidence {
            let kind = evidence.bystander == true ? " (context, bystander)" : evidence.context ? " (context)" : ""
            out += "<tr><td><code>\(e(evidence.signal))</code>\(kind): \(e(evidence.description))</td>"
                + "<td class=\"n\">\(NumberFormatting.weight(evidence.weight))</td><td class=\"n\">\(NumberFormatting.count(evidence.count))</td>"
                + "<td>\(e(evidence.firstSeen?.text ?? ""))</td><td><code>\(e("\(evidence.source):\(evidence.line)"))</code></td>"
                + "<td><code class=\"excerpt\">\(e(MarkdownReportRenderer.excerpt(evidence.text, 240)))</code></td></tr>\n"
        }
        out += "</tbody></table>\n"
        if let line = RankingExplanation.confidenceLine(finding) { out += "<p class=\"dim\">Confidence = \(e(line)).</p>\n" }
        if let frames = finding.applicationFrames {
            out += "<h3>In your code</h3>\n" + list(frames.map { frame in
                "<code>\(e(frame.frame))</code> (<code>\(e(frame.location.description))</code>"
                    + (frame.count > 1 ? ", \(NumberFormatting.count(frame.count)) occurrences" : "") + ")"
            }, escaped: true)
        }
        if let attribution = finding.attribution { out += "<h3>Attribution</h3>\n" + list(attribution) }
        let fix = finding.guidance.appliedVariants.isEmpty ? "Fix" : "Fix (\(finding.guidance.appliedVariants.joined(separator: "; ")))"
        out += "<h3>\(e(fix))</h3>\n<ol>" + finding.guidance.steps.map { "<li>\(e($0))</li>" }.joined() + "</ol>\n"
        if !finding.guidance.avoid.isEmpty { out += "<h3>Do not</h3>\n" + list(finding.guidance.avoid) }
        if !finding.guidance.references.isEmpty {
            out += "<p>See " + finding.guidance.references.map(link).joined(separator: ", ") + "</p>\n"
        }
        return out + "</section>\n"
    }

    private func exceptionGroups(_ report: Report) -> String {
        guard !report.exceptions.isEmpty else { return "" }
        let shown = report.exceptions.prefix(options.topExceptionGroups)
        var out = "<section id=\"exceptions\"><h2>Exception groups</h2>\n<p>\(shown.count) of \(report.exceptions.count), by count.</p>\n"
        out += "<table><thead><tr><th>Count</th><th>Exception</th><th>Root cause</th><th>In your code</th><th>First seen</th>"
            + "<th>Last seen</th><th>Where</th></tr></thead><tbody>\n"
        for group in shown {
            let own = group.applicationFrame.map { "<code>\(e($0.frame))</code> (<code>\(e($0.location.description))</code>)" } ?? ""
            out += "<tr><td class=\"n\">\(NumberFormatting.count(group.count))</td><td><code>\(e(group.exception))</code></td>"
                + "<td><code>\(e(group.rootCause))</code></td><td>\(own)</td><td>\(e(group.firstSeen?.text ?? ""))</td>"
                + "<td>\(e(group.lastSeen?.text ?? ""))</td><td><code>\(e(group.samples.first?.description ?? ""))</code></td></tr>\n"
        }
        out += "</tbody></table>\n"
        if report.exceptionsNotGrouped > 0 {
            out += "<p>\(NumberFormatting.count(report.exceptionsNotGrouped)) more traces beyond the group limit were counted, not grouped.</p>\n"
        }
        return out + "</section>\n"
    }

    private func dumps(_ report: Report) -> String {
        guard !report.dumps.isEmpty else { return "" }
        var out = "<section id=\"dumps\"><h2>Thread dumps</h2>\n"
        if let chart = SVGCharts.poolStates(report.dumps) {
            out += "<figure>\(chart)<figcaption>Thread states in the largest pools"
                + (report.dumps.count > 1 ? ", dump by dump (dump 1 is the first read)" : "") + ".</figcaption></figure>\n"
        }
        if let thinned = report.dumpsThinned {
            out += "<p>\(report.dumps.count) shown; \(NumberFormatting.count(thinned)) more read and thinned out of the series.</p>\n"
        }
        out += "<table><thead><tr><th>#</th><th>Dump</th><th>Time</th><th>Threads</th><th>States</th><th>Deadlocks</th>"
            + "<th>Most waited-for lock</th><th>Pool waits</th></tr></thead><tbody>\n"
        for (index, dump) in report.dumps.enumerated() {
            let states = ThreadState.allCases.compactMap { state in dump.states[state.rawValue].map { "\(state.rawValue) \($0)" } }
            let lock = dump.contendedLocks.first.map { "\($0.waiters) on <code>\(e($0.lock))</code>" + ($0.holder.map { ", held by <code>\(e($0))</code>" } ?? "") } ?? ""
            let pools = dump.poolWaits.map { "\($0.waiters) waiting for \(e($0.pool)), \($0.users) using" }.joined(separator: "; ")
            out += "<tr><td>\(index + 1)</td><td><code>\(e("\(dump.source):\(dump.line)"))</code></td><td>\(e(dump.time?.text ?? ""))</td>"
                + "<td class=\"n\">\(dump.threads)</td><td>\(e(states.joined(separator: ", ")))</td><td class=\"n\">\(dump.deadlocks.count)</td>"
                + "<td>\(lock)</td><td>\(pools)</td></tr>\n"
        }
        out += "</tbody></table>\n"
        for dump in report.dumps { if let reason = dump.reason { out += "<p><code>\(e(dump.source))</code> was written because: \(e(reason))</p>\n" } }
        return out + "</section>\n"
    }

    private func sockets(_ report: Report) -> String {
        guard let sockets = report.sockets else { return "" }
        var out = "<section id=\"sockets\"><h2>Sockets</h2>\n<p>\(e(SocketSectionText.headroomLine(sockets.headroom))).</p>\n"
        if let chart = SVGCharts.sockets(sockets) {
            out += "<figure>\(chart.svg)<figcaption>Client sockets per state per remote endpoint: \(e(chart.caption)).</figcaption></figure>\n"
        }
        var points = ["Range: " + sockets.headroom.rangeBasis, "TIME_WAIT: " + sockets.headroom.timeWaitBasis]
        points += SocketSectionText.otherSettings(sockets).map { "\($0.name) = \($0.value) (\($0.location.description))" }
        points += report.poolLimits.prefix(3).map { "Pool limit \($0.statement)" + ($0.route.map { " for \($0)" } ?? "") + " (\($0.location.description))" }
        out += list(points)
        out += "<table><thead><tr><th>Snapshot</th><th>Time</th><th>Sockets</th><th>States</th><th>TIME_WAIT client / server</th>"
            + "<th>Busiest TIME_WAIT</th><th>Busiest CLOSE_WAIT</th></tr></thead><tbody>\n"
        for snapshot in sockets.snapshots {
            let timeWait = snapshot.timeWaitToward.first.map { "\(NumberFormatting.count($0.count)) → \($0.destination)" + ($0.percentOfRange.map { " (\($0)% of the range)" } ?? "") } ?? ""
            let closeWait = snapshot.closeWaitToward.first.map { "\(NumberFormatting.count($0.count)) → \($0.destination)" } ?? ""
            out += "<tr><td><code>\(e("\(snapshot.source):\(snapshot.line)"))</code> (\(e(snapshot.tool)))</td><td>\(e(snapshot.time?.text ?? ""))</td>"
                + "<td class=\"n\">\(NumberFormatting.count(snapshot.sockets))</td><td>\(e(SocketSectionText.statesLine(snapshot.states)))</td>"
                + "<td>\(NumberFormatting.count(snapshot.clientTimeWait)) / \(NumberFormatting.count(snapshot.serverTimeWait))</td>"
                + "<td>\(e(timeWait))</td><td>\(e(closeWait))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if !sockets.trends.isEmpty {
            out += "<p>Trends, snapshot by snapshot:</p>\n" + list(sockets.trends.prefix(6).map {
                "\($0.state) → \($0.destination): " + $0.counts.map { NumberFormatting.count($0) }.joined(separator: " → ")
            })
        }
        return out + "</section>\n"
    }

    private func inputs(_ report: Report) -> String {
        var out = "<section id=\"inputs\"><h2>Inputs</h2>\n<table><thead><tr><th>Input</th><th>Status</th><th>Size</th><th>Lines</th>"
            + "<th>Records</th><th>Stack traces</th><th>Caused by</th><th>Sections</th></tr></thead><tbody>\n"
        for input in report.inputs {
            var status = input.reason.map { "\(input.status.rawValue): \($0)" } ?? input.status.rawValue
            for note in input.notes ?? [] { status += "; " + note }
            let sections = input.sections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "<tr><td><code>\(e(input.source))</code></td><td>\(e(status))</td><td class=\"n\">\(NumberFormatting.bytes(input.bytes))</td>"
                + "<td class=\"n\">\(NumberFormatting.count(input.lines))</td><td class=\"n\">\(NumberFormatting.count(input.records))</td>"
                + "<td class=\"n\">\(NumberFormatting.count(input.traces))</td><td class=\"n\">\(NumberFormatting.count(input.causes))</td>"
                + "<td>\(e(sections))</td></tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    // MARK: - Pieces

    private func e(_ text: String) -> String { HTMLEscaping.text(text) }

    private func list(_ items: [String], escaped: Bool = false) -> String {
        "<ul>" + items.map { "<li>\(escaped ? $0 : e($0))</li>" }.joined() + "</ul>\n"
    }

    private func severity(_ severity: Severity) -> String {
        "<span class=\"sev \(severity.rawValue)\">\(severity.rawValue.uppercased())</span>"
    }

    /// A rule's reference: a link when it is a web address, text otherwise (never `javascript:`).
    private func link(_ reference: String) -> String {
        let lowered = reference.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return e(reference) }
        return "<a href=\"\(e(reference))\" rel=\"noreferrer\">\(e(reference))</a>"
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#1b1b1b}
        h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
        h3{font-size:1em;margin:1em 0 .3em}table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:13px}
        th,td{border:1px solid #d5d5d5;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
        th{background:#f3f3f3;white-space:nowrap}td.n{text-align:right;white-space:nowrap}code{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace}
        td code{overflow-wrap:anywhere}code.excerpt{white-space:pre-wrap}.note{background:#fff6d6;border-left:4px solid #e0b000;padding:.4em .7em}
        .dim,footer{color:#666}footer{margin-top:2em;font-size:12px}figure{margin:.8em 0}figcaption{color:#555;font-size:12px}
        svg{max-width:100%;height:auto}svg text{font:11px sans-serif;fill:#333}svg .label{font-size:12px}
        .sev{white-space:nowrap;font-weight:bold;padding:0 .3em;border-radius:3px}.sev.critical{background:#b00020;color:#fff}
        .sev.high{background:#e53935;color:#fff}.sev.medium{background:#ffb300}.sev.low,.sev.info{background:#ddd}
        .records{fill:#9bb7d4}.errors{fill:#d32f2f}.marker{stroke:#6a1b9a;stroke-width:1.5;stroke-dasharray:3 2}
        .marker-label{fill:#6a1b9a;font-weight:bold}.axis{stroke:#888}.ceiling{stroke:#b00020;stroke-width:2;stroke-dasharray:5 3}
        .runnable{fill:#43a047}.blocked{fill:#d32f2f}.waiting{fill:#fb8c00}.timed{fill:#fdd835}.other{fill:#9e9e9e}
        .tw{fill:#8e24aa}.cw{fill:#d32f2f}.est{fill:#1e88e5}
        @media print{body{max-width:none;margin:0;font-size:11px}a{color:inherit;text-decoration:none}figure,tr{break-inside:avoid}}
        """
}
