/// `--format markdown`: the same report for an incident ticket, with tables and code spans.
struct MarkdownReportRenderer {
    let options: RenderOptions

    func render(_ report: Report) -> String {
        var out = "# triage report\n\n"
        let analysed = report.inputs.filter { $0.status == .analysed || $0.status == .partial }
        let lines = analysed.reduce(0) { $0 + $1.lines }
        let count = report.findings.count
        if analysed.isEmpty {
            out += "**Nothing was analysed**\(report.notReadText); see Inputs below.\n"
        } else {
            out += count == 0 ? "No known root cause found" : "**\(count) root cause\(count == 1 ? "" : "s")**, most likely first,"
            out += " in \(analysed.count) input\(analysed.count == 1 ? "" : "s") (\(NumberFormatting.count(lines)) lines)\(report.notReadText).\n"
        }
        if let window = report.window {
            out += "\n" + ([window.text.prefix(1).uppercased() + window.text.dropFirst()] + window.readings).map { "- " + escape($0) }.joined(separator: "\n") + "\n"
        }
        for note in report.notes { out += "\n> **Note:** \(escape(note))\n" }
        if !report.findings.isEmpty {
            // One screen first: the ranked causes, where to look, what to do first.
            out += "\n| # | Severity | Confidence | Cause | Where | First step |\n|---:|---|---:|---|---|---|\n"
            for (index, finding) in report.findings.enumerated() {
                let where_ = finding.evidence.first.map { "`\(cell($0.source)):\($0.line)`" } ?? ""
                out += "| \(index + 1) | \(finding.severity.rawValue.uppercased()) | \(NumberFormatting.weight(finding.confidence)) | "
                    + "\(cell(finding.title)) | \(where_) | \(cell(MarkdownReportRenderer.excerpt(finding.guidance.steps.first ?? "", 200))) |\n"
            }
        }
        for (index, finding) in report.findings.enumerated() {
            out += "\n" + self.finding(finding, rank: index + 1, previous: index > 0 ? report.findings[index - 1] : nil)
        }
        // The long parts folded: a ticket shows the causes, a click shows the rest.
        for (title, section) in [("Exception groups", exceptionGroups(report)), ("Thread dumps", dumps(report)),
                                 ("Sockets", sockets(report)), ("Inputs", inputs(report))] where !section.isEmpty {
            out += "\n<details><summary>\(title)</summary>\n" + section + "\n</details>\n"
        }
        return MarkdownReportRenderer.capped(TextWrapping.limitingLines(out, to: MarkdownReportRenderer.lineLimit))
    }

    /// No line is longer: table cells from inputs are cut at `cellLimit` characters, prose wraps.
    static let lineLimit = 1_000
    static let cellLimit = 300

    /// GitHub takes comments up to 65,536 characters: past that the report is cut at a line,
    /// and says so.
    static let characterLimit = 65_000

    static func capped(_ text: String) -> String {
        guard text.count > characterLimit else { return text }
        var kept = text.prefix(characterLimit)
        if let lastBreak = kept.lastIndex(of: "\n") { kept = kept[..<lastBreak] }
        let cut = text.count - kept.count
        return kept + "\n\n> **Cut here:** \(NumberFormatting.count(cut)) more characters would pass a ticket's 65,536-character limit; "
            + "`--format json` or `-o report.md` keeps everything.\n"
    }

    /// At most `limit` characters, cut with an ellipsis.
    static func excerpt(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private func finding(_ finding: Finding, rank: Int, previous: Finding?) -> String {
        var out = "## \(rank). \(finding.severity.rawValue.uppercased()): \(escape(finding.title))\n\n"
        out += "Rule `\(finding.rule)`, confidence **\(NumberFormatting.weight(finding.confidence))**"
        if !finding.determined {
            out += " (undetermined: could also be \(finding.alternatives?.map { "`\($0)`" }.joined(separator: ", ") ?? "another cause"))"
        }
        out += ". \(escape(finding.summary))\n\n"
        out += "- \(escape(RankingExplanation.factsLine(finding.facts)))\n"
        if let previous { out += "- \(RankingExplanation.below(previous, finding, previousRank: rank - 1))\n" }
        if let note = finding.note { out += "- **Note:** \(escape(note))\n" }
        // Each piece once: what it is, its weight, and the line itself (cut at 160 characters).
        out += "\n| Evidence | Weight | Count | First seen | Where | Excerpt |\n|---|---:|---:|---|---|---|\n"
        for evidence in finding.evidence {
            let label = "`\(evidence.signal)`" + (evidence.bystander == true ? " (context, bystander)" : evidence.context ? " (context)" : "") + ": " + escape(evidence.description)
            out += "| \(label) | \(NumberFormatting.weight(evidence.weight)) | \(NumberFormatting.count(evidence.count)) | \(evidence.firstSeen?.text ?? "") | "
                + "`\(cell(evidence.source)):\(evidence.line)` | `\(cell(MarkdownReportRenderer.excerpt(evidence.text, 160)))` |\n"
        }
        if let line = RankingExplanation.confidenceLine(finding) { out += "\nConfidence = \(line).\n" }
        if let frames = finding.applicationFrames {
            out += "\n**In your code**\n\n"
            for frame in frames {
                out += "- `\(cell(frame.frame))` (`\(cell(frame.location.description))`"
                    + (frame.count > 1 ? ", \(NumberFormatting.count(frame.count)) occurrences" : "") + ")\n"
            }
        }
        if let attribution = finding.attribution {
            out += "\n**Attribution**\n\n"
            for line in attribution { out += "- \(escape(line))\n" }
        }
        let title = finding.guidance.appliedVariants.isEmpty ? "Fix" : "Fix (\(finding.guidance.appliedVariants.joined(separator: "; ")))"
        out += "\n**\(escape(title))**\n\n"
        for (index, step) in finding.guidance.steps.enumerated() { out += "\(index + 1). \(step)\n" }
        if !finding.guidance.avoid.isEmpty {
            out += "\n**Do not**\n\n"
            for item in finding.guidance.avoid { out += "- \(item)\n" }
        }
        if !finding.guidance.references.isEmpty {
            out += "\n**See** " + finding.guidance.references.map { "<\($0)>" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    private func exceptionGroups(_ report: Report) -> String {
        guard !report.exceptions.isEmpty else { return "" }
        let shown = report.exceptions.prefix(options.topExceptionGroups)
        var out = "\n\(shown.count) of \(report.exceptions.count), by count.\n\n"
        out += "| Count | Exception | Root cause | In your code | First seen | Last seen | Where | Fingerprint |\n|---:|---|---|---|---|---|---|---|\n"
        for group in shown {
            let own = group.applicationFrame.map { "`\(cell($0.frame))` (`\(cell($0.location.description))`)" } ?? ""
            out += "| \(NumberFormatting.count(group.count)) | `\(cell(group.exception))` | `\(cell(group.rootCause))` | \(own) | \(group.firstSeen?.text ?? "") | \(group.lastSeen?.text ?? "") | `\(group.samples.first?.description ?? "")` | `\(group.fingerprint)` |\n"
        }
        if report.exceptionsNotGrouped > 0 {
            out += "\n\(NumberFormatting.count(report.exceptionsNotGrouped)) more traces beyond the group limit were counted, not grouped.\n"
        }
        return out
    }

    private func sockets(_ report: Report) -> String {
        guard let sockets = report.sockets else { return "" }
        var out = "\n\(SocketSectionText.headroomLine(sockets.headroom)).\n\n"
        out += "- Range: \(escape(sockets.headroom.rangeBasis))\n- TIME_WAIT: \(escape(sockets.headroom.timeWaitBasis))\n"
        for setting in SocketSectionText.otherSettings(sockets) {
            out += "- `\(setting.name) = \(cell(setting.value))` (`\(cell(setting.location.description))`)\n"
        }
        for limit in report.poolLimits.prefix(3) {
            out += "- Pool limit `\(cell(limit.statement))`" + (limit.route.map { " for `\($0)`" } ?? "") + " (`\(cell(limit.location.description))`)\n"
        }
        out += "\n| Snapshot | Time | Sockets | States | TIME_WAIT client / server | Busiest TIME_WAIT | Busiest CLOSE_WAIT |\n|---|---|---:|---|---|---|---|\n"
        for snapshot in sockets.snapshots {
            let timeWait = snapshot.timeWaitToward.first.map { "\(NumberFormatting.count($0.count)) → `\($0.destination)`" + ($0.percentOfRange.map { " (\($0)% of the range)" } ?? "") } ?? ""
            let closeWait = snapshot.closeWaitToward.first.map { "\(NumberFormatting.count($0.count)) → `\($0.destination)`" + ($0.processes?.first.map { " (`\(cell($0.key))`)" } ?? "") } ?? ""
            out += "| `\(cell(snapshot.source)):\(snapshot.line)` (\(snapshot.tool)) | \(snapshot.time?.text ?? "") | \(NumberFormatting.count(snapshot.sockets)) | \(SocketSectionText.statesLine(snapshot.states)) | \(NumberFormatting.count(snapshot.clientTimeWait)) / \(NumberFormatting.count(snapshot.serverTimeWait)) | \(timeWait) | \(closeWait) |\n"
        }
        if !sockets.trends.isEmpty {
            out += "\nTrends, snapshot by snapshot:\n\n"
            for trend in sockets.trends.prefix(6) {
                out += "- \(trend.state) → `\(trend.destination)`: " + trend.counts.map { NumberFormatting.count($0) }.joined(separator: " → ") + "\n"
            }
        }
        return out
    }

    private func dumps(_ report: Report) -> String {
        guard !report.dumps.isEmpty else { return "" }
        var out = "\n"
        if let thinned = report.dumpsThinned {
            out += "\(report.dumps.count) shown; \(NumberFormatting.count(thinned)) more read and thinned out of the series.\n\n"
        }
        out += "| Dump | Time | Threads | States | Deadlocks | Most waited-for lock | Pool waits |\n|---|---|---:|---|---:|---|---|\n"
        for dump in report.dumps {
            let states = ThreadState.allCases.compactMap { state in dump.states[state.rawValue].map { "\(state.rawValue) \($0)" } }.joined(separator: ", ")
            let lock = dump.contendedLocks.first.map { "\($0.waiters) on `\(cell($0.lock))`" + ($0.holder.map { ", held by `\(cell($0))`" } ?? "") } ?? ""
            let pools = dump.poolWaits.map { "\($0.waiters) waiting for \($0.pool), \($0.users) using" }.joined(separator: "; ")
            out += "| `\(cell(dump.source)):\(dump.line)` | \(dump.time?.text ?? "") | \(dump.threads) | \(states) | \(dump.deadlocks.count) | \(lock) | \(pools) |\n"
        }
        for dump in report.dumps { if let reason = dump.reason { out += "\n`\(cell(dump.source))` was written because: \(cell(reason))\n" } }
        let groups = report.dumps.flatMap { dump in dump.stackGroups.prefix(1).map { (dump, $0) } }.filter { $0.1.count >= 5 }
        if !groups.isEmpty {
            out += "\nLargest groups of identical stacks:\n"
            for (dump, group) in groups.prefix(5) {
                out += "\n\(group.count) threads (\(group.state.rawValue)) in `\(cell(dump.source)):\(dump.line)`, e.g. `\(cell(group.threads.first ?? ""))`:\n\n```text\n"
                for frame in group.frames.prefix(6) { out += "at \(frame)\n" }
                out += "```\n"
            }
        }
        return out
    }

    private func inputs(_ report: Report) -> String {
        var out = "\n| Input | Status | Size | Lines | Records | Stack traces | Caused by | Sections |\n|---|---|---:|---:|---:|---:|---:|---|\n"
        for input in report.inputs {
            var status = input.reason.map { "\(input.status.rawValue): \(cell($0))" } ?? input.status.rawValue
            for note in input.notes ?? [] { status += "; " + cell(note) }
            let sections = input.sections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out += "| `\(cell(input.source))` | \(status) | \(NumberFormatting.bytes(input.bytes)) | \(NumberFormatting.count(input.lines)) | \(NumberFormatting.count(input.records)) | \(NumberFormatting.count(input.traces)) | \(NumberFormatting.count(input.causes)) | \(sections) |\n"
        }
        return out
    }

    /// Table cells cannot hold `|` or line breaks; code spans cannot hold backticks.
    private func cell(_ text: String) -> String {
        MarkdownReportRenderer.excerpt(text, MarkdownReportRenderer.cellLimit)
            .replacingAll("|", with: "\\|").replacingAll("\n", with: " ").replacingAll("`", with: "'")
    }

    private func escape(_ text: String) -> String {
        text.replacingAll("|", with: "\\|")
    }
}
