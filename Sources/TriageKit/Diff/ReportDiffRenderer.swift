import Foundation

/// `triage diff` as text (a terminal), Markdown (a ticket) or JSON (scripts).
enum ReportDiffRenderer {
    static func render(_ diff: ReportDiff, format: OutputFormat, width: Int?) -> String {
        switch format {
        case .json, .jsonl:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return ((try? encoder.encode(diff)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
        case .markdown, .jira, .html:
            return markdown(diff)
        case .text:
            let text = self.text(diff)
            return width.map { TextWrapping.wrap(text, width: $0) } ?? text
        }
    }

    static func side(_ side: ReportDiff.Side) -> String {
        var text = side.inputs.joined(separator: ", ")
        if let window = side.window { text += " (\(window))" }
        text += ": \(NumberFormatting.count(side.records)) records"
        if let first = side.firstSeen, let last = side.lastSeen { text += ", \(first.text) → \(last.text)" }
        return text
    }

    static func headline(_ diff: ReportDiff) -> String {
        let count = { (change: ReportDiff.Change) in diff.findings.filter { $0.change == change }.count }
        return "\(count(.new)) new root cause\(count(.new) == 1 ? "" : "s"), \(count(.gone)) gone, \(count(.changed)) changed"
    }

    static func findingLine(_ change: ReportDiff.FindingChange) -> String {
        let confidence = [change.confidenceBefore, change.confidenceAfter].map { $0.map(NumberFormatting.weight) ?? "–" }.joined(separator: " → ")
        return "\(change.change.rawValue.uppercased())  \(change.severity.rawValue.uppercased())  \(change.title)"
            + (change.destination.map { " → \($0)" } ?? "")
            + "  (confidence \(confidence); occurrences \(NumberFormatting.count(change.occurrencesBefore)) → \(NumberFormatting.count(change.occurrencesAfter)))"
    }

    static func rate(_ value: Double?) -> String { value.map { NumberFormatting.decimal($0, places: 2) + "/min" } ?? "–" }

    static func states(_ states: [String: Int]) -> String {
        states.isEmpty ? "none" : states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    static func text(_ diff: ReportDiff) -> String {
        var out = "triage diff: \(headline(diff))\n  before: \(side(diff.before))\n  after:  \(side(diff.after))\n"
        let findings = diff.findings.filter { $0.change != .same }
        if !findings.isEmpty {
            out += "\nRoot causes\n" + findings.map { "  " + findingLine($0) + "\n" }.joined()
        }
        let exceptions = diff.exceptions.filter { $0.change != .same }
        if !exceptions.isEmpty {
            out += "\nException groups\n"
            for group in exceptions.prefix(15) {
                out += "  \(group.change.rawValue.uppercased())  \(NumberFormatting.count(group.countBefore)) → \(NumberFormatting.count(group.countAfter))"
                    + " (\(rate(group.perMinuteBefore)) → \(rate(group.perMinuteAfter)))  \(MarkdownReportRenderer.excerpt(group.exception, 160))\n"
            }
        }
        if !diff.sockets.isEmpty {
            out += "\nClient sockets (last table of each side)\n"
            for socket in diff.sockets.prefix(15) {
                out += "  \(socket.state) → \(socket.destination): \(NumberFormatting.count(socket.before)) → \(NumberFormatting.count(socket.after))\n"
            }
        }
        if !diff.pools.isEmpty {
            out += "\nThread pools (last dump of each side)\n"
            for pool in diff.pools { out += "  \(pool.pool): \(states(pool.before)) → \(states(pool.after))\n" }
        }
        if !diff.settings.isEmpty {
            out += "\nSettings\n"
            for setting in diff.settings { out += "  \(setting.name): \(setting.before ?? "not read") → \(setting.after ?? "not read")\n" }
        }
        if findings.isEmpty && exceptions.isEmpty && diff.sockets.isEmpty && diff.pools.isEmpty && diff.settings.isEmpty {
            out += "\nNothing triage reads differs between the two.\n"
        }
        return out
    }

    static func markdown(_ diff: ReportDiff) -> String {
        func cell(_ text: String) -> String {
            MarkdownReportRenderer.excerpt(text, MarkdownReportRenderer.cellLimit).replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
        }
        var out = "# triage diff\n\n**\(headline(diff))**\n\n- Before: \(cell(side(diff.before)))\n- After: \(cell(side(diff.after)))\n"
        let findings = diff.findings.filter { $0.change != .same }
        if !findings.isEmpty {
            out += "\n## Root causes\n\n| Change | Severity | Cause | Destination | Confidence | Occurrences |\n|---|---|---|---|---|---|\n"
            for change in findings {
                let confidence = [change.confidenceBefore, change.confidenceAfter].map { $0.map(NumberFormatting.weight) ?? "–" }.joined(separator: " → ")
                out += "| \(change.change.rawValue) | \(change.severity.rawValue.uppercased()) | \(cell(change.title)) | \(cell(change.destination ?? "")) | "
                    + "\(confidence) | \(NumberFormatting.count(change.occurrencesBefore)) → \(NumberFormatting.count(change.occurrencesAfter)) |\n"
            }
        }
        let exceptions = diff.exceptions.filter { $0.change != .same }
        if !exceptions.isEmpty {
            out += "\n## Exception groups\n\n| Change | Count | Rate | Exception |\n|---|---|---|---|\n"
            for group in exceptions.prefix(15) {
                out += "| \(group.change.rawValue) | \(NumberFormatting.count(group.countBefore)) → \(NumberFormatting.count(group.countAfter)) | "
                    + "\(rate(group.perMinuteBefore)) → \(rate(group.perMinuteAfter)) | `\(cell(MarkdownReportRenderer.excerpt(group.exception, 160)).replacingAll("`", with: "'"))` |\n"
            }
        }
        if !diff.sockets.isEmpty {
            out += "\n## Client sockets\n\n| State | Destination | Before | After |\n|---|---|---:|---:|\n"
            for socket in diff.sockets.prefix(15) {
                out += "| \(socket.state) | `\(cell(socket.destination))` | \(NumberFormatting.count(socket.before)) | \(NumberFormatting.count(socket.after)) |\n"
            }
        }
        if !diff.pools.isEmpty {
            out += "\n## Thread pools\n\n| Pool | Before | After |\n|---|---|---|\n"
            for pool in diff.pools { out += "| `\(cell(pool.pool))` | \(states(pool.before)) | \(states(pool.after)) |\n" }
        }
        if !diff.settings.isEmpty {
            out += "\n## Settings\n\n| Setting | Before | After |\n|---|---|---|\n"
            for setting in diff.settings { out += "| `\(cell(setting.name))` | \(cell(setting.before ?? "not read")) | \(cell(setting.after ?? "not read")) |\n" }
        }
        return TextWrapping.limitingLines(out, to: MarkdownReportRenderer.lineLimit)
    }
}
