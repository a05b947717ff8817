import Foundation

/// `triage scan` and `triage merge` output: `text`, `markdown`, `json` (one object:
/// `"$triage": "scan"`, the summary and every row) or `jsonl` (a line per file, then the
/// summary line; what `merge` reads).
public enum ScanFormat: String, CaseIterable, Sendable {
    case text, markdown, json, jsonl

    public static func implied(byFileName name: String) -> ScanFormat? {
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        switch OutputFormat.implied(byFileName: name) {
        case .text: return .text
        case .markdown: return .markdown
        case .json: return .json
        default: return nil
        }
    }

    func render(_ rows: [ScanFileRow], _ summary: ScanSummary, width: Int?) -> String {
        switch self {
        case .jsonl:
            // Keys sorted, one object a line: the same bytes for the same scan.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            func line<T: Encodable>(_ value: T) -> String { (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
            return rows.map { line($0) + "\n" }.joined() + line(summary) + "\n"
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let document = ScanDocument(summary: summary, files: rows)
            return ((try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        case .text:
            let text = ScanTextRenderer(markdown: false).render(rows, summary)
            return width.map { TextWrapping.wrap(text, width: $0) } ?? text
        case .markdown:
            return ScanTextRenderer(markdown: true).render(rows, summary)
        }
    }
}

/// `--format json` of a scan: the summary and a row per file.
struct ScanDocument: Codable {
    var marker = "scan"
    var schema = 1
    var tool = "triage"
    var version = TriageVersion.current
    var summary: ScanSummary
    var files: [ScanFileRow]

    enum CodingKeys: String, CodingKey {
        case marker = "$triage"
        case schema, tool, version, summary, files
    }
}

/// The scan as text for a terminal, or Markdown for a ticket: the causes across the archive,
/// findings per day, the noisiest exception groups, then a row per file.
struct ScanTextRenderer {
    let markdown: Bool

    func render(_ rows: [ScanFileRow], _ summary: ScanSummary) -> String {
        var out = markdown ? "# triage scan\n\n" : ""
        let analysedText = "\(NumberFormatting.count(summary.analysed)) file\(summary.analysed == 1 ? "" : "s") analysed "
            + "(\(NumberFormatting.bytes(summary.bytes)), \(NumberFormatting.count(summary.lines)) lines) under \(summary.roots.joined(separator: ", "))"
        var notRead: [String] = []
        if summary.unreadable > 0 { notRead.append("\(summary.unreadable) unreadable") }
        if summary.skipped > 0 { notRead.append("\(summary.skipped) skipped") }
        if summary.outsideWindow > 0 { notRead.append("\(NumberFormatting.count(summary.outsideWindow)) left unopened outside the window") }
        let causes = summary.causes.count
        let headline = (causes == 0 ? "no known root cause" : "\(causes) root cause\(causes == 1 ? "" : "s") across the files")
            + " in " + analysedText + (notRead.isEmpty ? "" : "; " + notRead.joined(separator: ", "))
        out += markdown ? "**\(headline.prefix(1).uppercased() + headline.dropFirst())**.\n" : "triage scan: \(headline)\n"
        if summary.since != nil || summary.until != nil {
            out += (markdown ? "\n" : "") + "window \(TimeWindow(since: summary.since, until: summary.until).text)\n"
        }
        if markdown {
            out += markdownSections(rows, summary)
        } else {
            out += textSections(rows, summary)
        }
        return out
    }

    /// For a terminal: a few lines per cause, group and file, wrapped to the width, not a table.
    private func textSections(_ rows: [ScanFileRow], _ summary: ScanSummary) -> String {
        var out = ""
        if !summary.causes.isEmpty { out += "\nRoot causes across the archive\n" }
        for (index, cause) in summary.causes.enumerated() {
            out += "#\(index + 1)  \(cause.severity.rawValue.uppercased())  \(cause.title)" + (cause.destination.map { " → \($0)" } ?? "") + "\n"
            out += "    \(count(cause.files, "file")) on \(count(cause.hosts.count, "host")) (\(hosts(cause.hosts))), "
                + "\(count(cause.occurrences, "occurrence"))" + (cause.firstSeen == nil ? "" : ", \(span(cause.firstSeen, cause.lastSeen))")
                + ", confidence up to \(NumberFormatting.weight(cause.highestConfidence))\n"
            out += "    look first: \(cause.example)\n"
        }
        if !summary.days.isEmpty {
            out += "\nFindings per day (files)\n"
            for day in summary.days { out += "  \(day.day)  " + day.findings.map { "\($0.key) \($0.count)" }.joined(separator: ", ") + "\n" }
        }
        if !summary.exceptions.isEmpty {
            out += "\nNoisiest exception groups\n"
            for group in summary.exceptions.prefix(10) {
                out += "  \(NumberFormatting.count(group.count))×  \(cut(group.exception, 200))\n"
                if group.rootCause != group.exception { out += "        caused by: \(cut(group.rootCause, 200))\n" }
                out += "        \(count(group.files, "file"))" + (group.firstSeen == nil ? "" : ", \(span(group.firstSeen, group.lastSeen))")
                    + ", e.g. \(group.example)\n"
            }
        }
        out += "\nFiles\n"
        for row in rows where !(row.status == .skipped && row.reason?.hasPrefix(ScanSummary.outsideWindowReason) == true) {
            if row.status == .skipped || row.status == .unreadable {
                out += "  \(row.path): \(row.status.rawValue): \(row.reason ?? "")\n"
                continue
            }
            let top = row.findings.first.map { ": \($0.severity.rawValue.uppercased()) \($0.rule)" + ($0.line.map { " :\($0)" } ?? "") } ?? ""
            out += "  \(row.path)  \(NumberFormatting.bytes(row.bytes)), \(count(row.lines, "line")), \(count(row.records, "record"))\(top)\n"
            if row.status == .partial { out += "      read in part: \(row.reason ?? "")\n" }
        }
        return out
    }

    private func markdownSections(_ rows: [ScanFileRow], _ summary: ScanSummary) -> String {
        var out = ""
        if !summary.causes.isEmpty {
            out += heading("Root causes across the archive")
            out += table(["Severity", "Cause", "Destination", "Files", "Hosts", "Occurrences", "Span", "Look first"],
                         right: [3, 5], rows: summary.causes.map { cause in
                [cause.severity.rawValue.uppercased(), cause.title, cause.destination ?? "", NumberFormatting.count(cause.files),
                 hosts(cause.hosts), NumberFormatting.count(cause.occurrences), span(cause.firstSeen, cause.lastSeen), "`\(cause.example)`"]
            })
        }
        if !summary.days.isEmpty {
            out += heading("Findings per day (files)")
            out += table(["Day", "Findings"], right: [], rows: summary.days.map { day in
                [day.day, day.findings.map { "\($0.key) \($0.count)" }.joined(separator: ", ")]
            })
        }
        if !summary.exceptions.isEmpty {
            out += heading("Noisiest exception groups")
            out += table(["Count", "Files", "Exception", "Root cause", "Span", "Example"], right: [0, 1],
                         rows: summary.exceptions.prefix(10).map { group in
                [NumberFormatting.count(group.count), NumberFormatting.count(group.files), cut(group.exception, 160),
                 group.rootCause == group.exception ? "" : cut(group.rootCause, 160), span(group.firstSeen, group.lastSeen), "`\(group.example)`"]
            })
        }
        out += heading("Files")
        // Files left unopened by the window are counted above, not listed one by one.
        let listed = rows.filter { !($0.status == .skipped && $0.reason?.hasPrefix(ScanSummary.outsideWindowReason) == true) }
        out += table(["File", "Size", "Lines", "Records", "Top finding", "Error"], right: [1, 2, 3], rows: listed.map { row in
            let top = row.findings.first.map { "\($0.severity.rawValue.uppercased()) \($0.rule)" + ($0.line.map { " :\($0)" } ?? "") } ?? ""
            let error = row.status == .analysed ? "" : "\(row.status.rawValue)" + (row.reason.map { ": \($0)" } ?? "")
            return ["`\(row.path)`", NumberFormatting.bytes(row.bytes), NumberFormatting.count(row.lines), NumberFormatting.count(row.records), top, error]
        })
        return out
    }

    private func count(_ value: Int, _ noun: String) -> String { "\(NumberFormatting.count(value)) \(noun)\(value == 1 ? "" : "s")" }

    private func heading(_ title: String) -> String { markdown ? "\n## \(title)\n\n" : "\n\(title)\n" }

    private func hosts(_ hosts: [String]) -> String {
        hosts.count <= 3 ? hosts.joined(separator: ", ") : hosts.prefix(3).joined(separator: ", ") + " +\(hosts.count - 3)"
    }

    private func span(_ first: LogTimestamp?, _ last: LogTimestamp?) -> String {
        guard let first else { return "" }
        guard let last, last != first else { return String(first.text.prefix(16)) }
        // The same day: its date once.
        let end = last.text.prefix(10) == first.text.prefix(10) ? last.text.dropFirst(11).prefix(5) : last.text.prefix(16)
        return "\(first.text.prefix(16)) → \(end)"
    }

    private func cut(_ text: String, _ limit: Int) -> String { MarkdownReportRenderer.excerpt(text, limit) }

    private func table(_ header: [String], right: Set<Int>, rows: [[String]]) -> String {
        func cell(_ text: String) -> String {
            MarkdownReportRenderer.excerpt(text, MarkdownReportRenderer.cellLimit).replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
        }
        var out = "| " + header.joined(separator: " | ") + " |\n|"
        out += header.indices.map { right.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return TextWrapping.limitingLines(out, to: MarkdownReportRenderer.lineLimit)
    }
}
