/// `--format jira`: the Markdown report's content in Jira wiki markup, for Jira Server and Data
/// Center tickets and Confluence: `h2.` headings, `||header||` tables, `{{monospace}}`,
/// `{noformat}` blocks, `{panel}` notes. Text from inputs is escaped for Jira's own special
/// characters, so an exception message cannot open a macro, a link or an image.
struct JiraReportRenderer {
    let options: RenderOptions

    func render(_ report: Report) -> String {
        var out = "h1. triage report\n\n"
        let analysed = report.inputs.filter { $0.status == .analysed || $0.status == .partial }
        let lines = analysed.reduce(0) { $0 + $1.lines }
        let count = report.findings.count
        if analysed.isEmpty {
            out += "*Nothing was analysed*\(text(report.notReadText)); see Inputs below.\n"
        } else {
            out += count == 0 ? "No known root cause found" : "*\(count) root cause\(count == 1 ? "" : "s")*, most likely first,"
            out += " in \(analysed.count) input\(analysed.count == 1 ? "" : "s") (\(NumberFormatting.count(lines)) lines)\(text(report.notReadText)).\n"
        }
        if let window = report.window {
            out += "\n" + ([window.text.prefix(1).uppercased() + window.text.dropFirst()] + window.readings).map { "* " + text($0) }.joined(separator: "\n") + "\n"
        }
        for note in report.notes { out += "\n{panel:title=Note}\n\(text(note))\n{panel}\n" }
        if count > 1 {
            // One screen first: the ranked causes.
            out += "\n||#||Severity||Confidence||Cause||First step||\n"
            for (index, finding) in report.findings.enumerated() {
                out += "|\(index + 1)|\(finding.severity.rawValue.uppercased())|\(NumberFormatting.weight(finding.confidence))|"
                    + "\(cell(finding.title))|\(cell(finding.guidance.steps.first ?? ""))|\n"
            }
        }
        for (index, finding) in report.findings.enumerated() {
            out += "\n" + self.finding(finding, rank: index + 1, previous: index > 0 ? report.findings[index - 1] : nil)
        }
        out += exceptionGroups(report)
        out += dumps(report)
        out += inputs(report)
        return TextWrapping.limitingLines(out, to: MarkdownReportRenderer.lineLimit)
    }

    private func finding(_ finding: Finding, rank: Int, previous: Finding?) -> String {
        var out = "h2. \(rank). \(finding.severity.rawValue.uppercased()): \(text(finding.title))\n\n"
        out += "Rule {{\(mono(finding.rule))}}, confidence *\(NumberFormatting.weight(finding.confidence))*"
        if !finding.determined {
            out += " (undetermined: could also be \(finding.alternatives?.map { "{{\(mono($0))}}" }.joined(separator: ", ") ?? "another cause"))"
        }
        out += ". \(text(finding.summary))\n\n"
        out += "* \(text(RankingExplanation.factsLine(finding.facts)))\n"
        if let previous { out += "* \(text(RankingExplanation.below(previous, finding, previousRank: rank - 1)))\n" }
        if let note = finding.note { out += "* *Note:* \(text(note))\n" }
        out += "\n||Evidence||Weight||Count||First seen||Where||\n"
        for evidence in finding.evidence {
            let label = "{{\(mono(evidence.signal))}}" + (evidence.bystander == true ? " (context, bystander)" : evidence.context ? " (context)" : "")
                + ": " + cell(evidence.description)
            out += "|\(label)|\(NumberFormatting.weight(evidence.weight))|\(NumberFormatting.count(evidence.count))|"
                + "\(evidence.firstSeen?.text ?? " ")|{{\(mono("\(evidence.source):\(evidence.line)"))}}|\n"
        }
        out += "\n{noformat}\n"
        for evidence in finding.evidence { out += block("\(evidence.source):\(evidence.line): \(evidence.text)") + "\n" }
        out += "{noformat}\n"
        if let line = RankingExplanation.confidenceLine(finding) { out += "\nConfidence = \(text(line)).\n" }
        if let frames = finding.applicationFrames {
            out += "\n*In your code*\n"
            for frame in frames {
                out += "* {{\(mono(frame.frame))}} ({{\(mono(frame.location.description))}}"
                    + (frame.count > 1 ? ", \(NumberFormatting.count(frame.count)) occurrences" : "") + ")\n"
            }
        }
        if let attribution = finding.attribution {
            out += "\n*Attribution*\n"
            for line in attribution { out += "* \(text(line))\n" }
        }
        let title = finding.guidance.appliedVariants.isEmpty ? "Fix" : "Fix (\(finding.guidance.appliedVariants.joined(separator: "; ")))"
        out += "\n*\(text(title))*\n"
        for step in finding.guidance.steps { out += "# \(text(step))\n" }
        if !finding.guidance.avoid.isEmpty {
            out += "\n*Do not*\n"
            for item in finding.guidance.avoid { out += "* \(text(item))\n" }
        }
        if !finding.guidance.references.isEmpty {
            out += "\n*See* " + finding.guidance.references.map { "[\($0)]" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    private func exceptionGroups(_ report: Report) -> String {
        guard !report.exceptions.isEmpty else { return "" }
        let shown = report.exceptions.prefix(options.topExceptionGroups)
        var out = "\nh2. Exception groups\n\n\(shown.count) of \(report.exceptions.count), by count.\n\n"
        out += "||Count||Exception||Root cause||In your code||First seen||Where||\n"
        for group in shown {
            let own = group.applicationFrame.map { "{{\(mono($0.frame))}}" } ?? " "
            out += "|\(NumberFormatting.count(group.count))|{{\(mono(group.exception))}}|{{\(mono(group.rootCause))}}|\(own)|"
                + "\(group.firstSeen?.text ?? " ")|{{\(mono(group.samples.first?.description ?? ""))}}|\n"
        }
        return out
    }

    private func dumps(_ report: Report) -> String {
        guard !report.dumps.isEmpty else { return "" }
        var out = "\nh2. Thread dumps\n\n||Dump||Time||Threads||States||Deadlocks||Most waited-for lock||\n"
        for dump in report.dumps {
            let states = ThreadState.allCases.compactMap { state in dump.states[state.rawValue].map { "\(state.rawValue) \($0)" } }.joined(separator: ", ")
            let lock = dump.contendedLocks.first.map { "\($0.waiters) on {{\(mono($0.lock))}}" } ?? " "
            out += "|{{\(mono("\(dump.source):\(dump.line)"))}}|\(dump.time?.text ?? " ")|\(dump.threads)|\(cell(states.isEmpty ? " " : states))|"
                + "\(dump.deadlocks.count)|\(lock)|\n"
        }
        return out
    }

    private func inputs(_ report: Report) -> String {
        var out = "\nh2. Inputs\n\n||Input||Status||Size||Lines||Records||Stack traces||\n"
        for input in report.inputs {
            let status = input.reason.map { "\(input.status.rawValue): \($0)" } ?? input.status.rawValue
            out += "|{{\(mono(input.source))}}|\(cell(status))|\(NumberFormatting.bytes(input.bytes))|\(NumberFormatting.count(input.lines))|"
                + "\(NumberFormatting.count(input.records))|\(NumberFormatting.count(input.traces))|\n"
        }
        return out
    }

    // MARK: - Escaping

    /// Jira's markup characters, escaped with a backslash so text reads as written: braces,
    /// brackets, bars, `!` and `\` always; the emphasis marks (`*_+^~-`) and `??` only where
    /// they could open or close an effect, at a word's edge (`CLOSE_WAIT`, `2024-12-21` stay).
    static let always: Set<Character> = ["{", "}", "[", "]", "|", "!", "\\", "#"]
    static let atEdges: Set<Character> = ["*", "_", "+", "^", "~", "-", "?"]

    /// Running text, escaped; line breaks kept out.
    func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            if character == "\n" || character == "\r" { out.append(" "); continue }
            let before = index > 0 ? characters[index - 1] : " "
            let after = index + 1 < characters.count ? characters[index + 1] : " "
            if JiraReportRenderer.always.contains(character)
                || JiraReportRenderer.atEdges.contains(character) && (!before.isLetter && !before.isNumber || !after.isLetter && !after.isNumber) {
                out.append("\\")
            }
            out.append(character)
        }
        return out
    }

    /// A table cell: as text, never empty (Jira merges empty cells).
    func cell(_ value: String) -> String {
        let escaped = text(MarkdownReportRenderer.excerpt(value, MarkdownReportRenderer.cellLimit))
        return escaped.isEmpty ? " " : escaped
    }

    /// Inside `{{…}}`: the same escapes (Jira still reads macros and links there).
    func mono(_ value: String) -> String { text(MarkdownReportRenderer.excerpt(value, MarkdownReportRenderer.cellLimit)) }

    /// Inside `{noformat}`: only the block's own end could break it.
    func block(_ value: String) -> String {
        value.replacingAll("{noformat}", with: "{ noformat}").replacingAll("\n", with: " ")
    }
}
