/// `--format text`: for a terminal at 3 a.m. — root causes first, then the exception groups,
/// then what was read.
struct TextReportRenderer {
    let options: RenderOptions

    func render(_ report: Report) -> String {
        let style = TerminalStyle(enabled: options.color)
        var out = ""
        out += headline(report, style) + "\n"
        if options.brief {
            // `--brief`: a line per cause, where to look, and the first thing to do.
            for (index, finding) in report.findings.enumerated() {
                let where_ = finding.evidence.first.map { "  \($0.source):\($0.line)" } ?? ""
                out += "\(index + 1). \(style.severity(finding.severity)) \(NumberFormatting.weight(finding.confidence))  \(finding.title)\(where_)\n"
                if let step = finding.guidance.steps.first { out += "   → \(step)\n" }
            }
            for note in report.notes { out += style.yellow("note: ") + note + "\n" }
            return out
        }
        if let window = report.window {
            out += window.text + "\n"
            for reading in window.readings { out += "  " + reading + "\n" }
        }
        for note in report.notes { out += style.yellow("note: ") + note + "\n" }
        for (index, finding) in report.findings.enumerated() {
            out += "\n" + self.finding(finding, rank: index + 1, previous: index > 0 ? report.findings[index - 1] : nil, style)
        }
        out += exceptionGroups(report, style)
        out += DumpSectionText(style: style, groupsShown: 3).render(report.dumps, thinned: report.dumpsThinned)
        out += SocketSectionText(style: style).render(report.sockets, poolLimits: report.poolLimits)
        out += inputs(report, style)
        return out
    }

    private func headline(_ report: Report, _ style: TerminalStyle) -> String {
        let analysed = report.inputs.filter { $0.status == .analysed || $0.status == .partial }
        let bytes = analysed.reduce(0) { $0 + $1.bytes }
        let lines = analysed.reduce(0) { $0 + $1.lines }
        let subject = "\(analysed.count) input\(analysed.count == 1 ? "" : "s") (\(NumberFormatting.bytes(bytes)), \(NumberFormatting.count(lines)) lines)"
            + report.notReadText
        if analysed.isEmpty { return style.bold("triage: nothing was analysed") + report.notReadText + "; see Read below" }
        switch report.findings.count {
        case 0: return style.bold("triage: no known root cause found") + " in \(subject)"
        case 1: return style.bold("triage: 1 root cause") + " in \(subject)"
        default: return style.bold("triage: \(report.findings.count) root causes, most likely first") + " in \(subject)"
        }
    }

    private func finding(_ finding: Finding, rank: Int, previous: Finding?, _ style: TerminalStyle) -> String {
        var out = "#\(rank)  \(style.severity(finding.severity))  \(style.bold(finding.title))\n"
        out += "    rule \(finding.rule), confidence \(NumberFormatting.weight(finding.confidence))"
        out += finding.determined ? "\n" : " (undetermined: could also be \(finding.alternatives?.joined(separator: ", ") ?? "another cause"))\n"
        out += "    \(finding.summary)\n"
        out += "    \(RankingExplanation.factsLine(finding.facts))\n"
        if let previous { out += "    " + style.dim(RankingExplanation.below(previous, finding, previousRank: rank - 1)) + "\n" }
        if let note = finding.note { out += "    " + style.yellow("Note: ") + note + "\n" }
        out += "    Evidence (weight, count, first occurrence):\n"
        for evidence in finding.evidence {
            let label = evidence.signal + (evidence.bystander == true ? " (context, bystander)" : evidence.context ? " (context)" : "")
            out += "      \(NumberFormatting.weight(evidence.weight))  ×\(NumberFormatting.count(evidence.count))  \(style.bold(label)): \(evidence.description)\n"
            out += "            \(style.cyan("\(evidence.source):\(evidence.line)"))  \(evidence.text)\n"
            if !evidence.samples.isEmpty {
                out += "            " + style.dim("also " + SourceLocation.compactList(evidence.samples, after: evidence.source)) + "\n"
            }
        }
        if let line = RankingExplanation.confidenceLine(finding) { out += "    " + style.dim("confidence " + line) + "\n" }
        if let frames = finding.applicationFrames {
            out += "    \(style.bold("In your code:"))\n"
            for frame in frames {
                out += "      \(frame.frame)  \(style.cyan(frame.location.description))"
                    + (frame.count > 1 ? style.dim("  (\(NumberFormatting.count(frame.count)) occurrences)") : "") + "\n"
            }
        }
        if let attribution = finding.attribution {
            out += "    \(style.bold("Attribution:"))\n"
            for line in attribution { out += "      - \(line)\n" }
        }
        let title = finding.guidance.appliedVariants.isEmpty ? "Fix:" : "Fix (\(finding.guidance.appliedVariants.joined(separator: "; "))):"
        out += "    \(style.bold(title))\n"
        for (index, step) in finding.guidance.steps.enumerated() { out += "      \(index + 1). \(step)\n" }
        if !finding.guidance.avoid.isEmpty {
            out += "    \(style.bold("Do not:"))\n"
            for item in finding.guidance.avoid { out += "      - \(item)\n" }
        }
        if !finding.guidance.references.isEmpty {
            out += "    See: " + finding.guidance.references.joined(separator: "\n         ") + "\n"
        }
        return out
    }

    private func exceptionGroups(_ report: Report, _ style: TerminalStyle) -> String {
        guard !report.exceptions.isEmpty else { return "" }
        let shown = report.exceptions.prefix(options.topExceptionGroups)
        let total = report.exceptions.reduce(0) { $0 + $1.count }
        var out = "\n" + style.bold("Exception groups") + " (\(shown.count) of \(report.exceptions.count), \(NumberFormatting.count(total)) traces, by count)\n"
        for group in shown {
            out += "  \(NumberFormatting.count(group.count))×  \(group.exception)\n"
            if group.chain.count > 1 { out += "        caused by: \(group.rootCause)\n" }
            var when = ""
            if let first = group.firstSeen, let last = group.lastSeen {
                when = first == last ? "at \(first.text)" : "\(first.text) → \(last.text)"
            }
            let location = group.samples.first.map(\.description) ?? ""
            out += "        " + style.dim([when, "fingerprint \(group.fingerprint)"].filter { !$0.isEmpty }.joined(separator: ", ")) + "\n"
            out += "        " + style.cyan(location) + (group.frames.first.map { "  \($0)" } ?? "") + "\n"
            if let own = group.applicationFrame {
                out += "        in your code: \(own.frame)  " + style.cyan(own.location.description) + "\n"
            }
        }
        if report.exceptionsNotGrouped > 0 {
            out += "  " + style.dim("\(NumberFormatting.count(report.exceptionsNotGrouped)) more traces beyond the group limit were counted, not grouped") + "\n"
        }
        return out
    }

    private func inputs(_ report: Report, _ style: TerminalStyle) -> String {
        var out = "\n" + style.bold("Read") + "\n"
        for input in report.inputs {
            switch input.status {
            case .unreadable:
                out += "  \(input.source): " + style.red("unreadable") + ": \(input.reason ?? "")\n"
                continue
            case .skipped:
                out += "  \(input.source): skipped: \(input.reason ?? "")\n"
                continue
            case .analysed, .partial:
                break
            }
            var format: [String] = []
            if input.format?.gzip == true { format.append("gzip") }
            if let encoding = input.format?.encoding, encoding != .utf8 { format.append(encoding.rawValue) }
            let formatText = format.isEmpty ? "" : " [\(format.joined(separator: ", "))]"
            out += "  \(input.source)\(formatText): \(NumberFormatting.bytes(input.bytes)), \(NumberFormatting.count(input.lines)) lines, \(NumberFormatting.count(input.records)) records, \(NumberFormatting.count(input.traces)) stack traces (\(NumberFormatting.count(input.causes)) caused-by)\n"
            var details: [String] = []
            if !input.levels.isEmpty {
                let order = LogLevel.allCases.reversed().map(\.name)
                details.append(order.compactMap { name in input.levels[name].map { "\(name) \(NumberFormatting.count($0))" } }.joined(separator: ", "))
            }
            if !input.sections.isEmpty {
                details.append("sections: " + input.sections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            if let first = input.firstSeen, let last = input.lastSeen { details.append("\(first.text) → \(last.text)") }
            if let events = input.jsonEvents { details.append("\(NumberFormatting.count(events)) JSON log events") }
            if let wrapper = input.wrapper { details.append("wrapper cut from each line: \(wrapper)") }
            for detail in details { out += "      \(detail)\n" }
            if input.truncatedLines > 0 { out += "      " + style.yellow("\(input.truncatedLines) over-long line(s) cut at 8 MiB") + "\n" }
            if input.droppedLines > 0 { out += "      " + style.yellow("\(NumberFormatting.count(input.droppedLines)) line(s) of oversized records counted but not kept") + "\n" }
            if input.recordsOutsideWindow > 0 { out += "      \(NumberFormatting.count(input.recordsOutsideWindow)) records outside --since/--until\n" }
            for note in input.notes ?? [] { out += "      " + style.yellow(note) + "\n" }
            if input.status == .partial { out += "      " + style.red("partial") + ": \(input.reason ?? "")\n" }
        }
        return out
    }
}
