import Foundation

/// `triage rules list` and `triage rules show ID`.
enum RuleCatalogRenderer {
    static func list(_ rules: [Rule], format: OutputFormat) -> String {
        if format == .json { return json(rules.map(Entry.init)) }
        let sorted = rules.sorted { $0.severity != $1.severity ? $0.severity > $1.severity : $0.id < $1.id }
        let width = (sorted.map(\.id.count).max() ?? 0) + 2
        var out = ""
        for rule in sorted {
            let severity = rule.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            out += "\(rule.id.padding(toLength: width, withPad: " ", startingAt: 0))\(severity)\(rule.title)\n"
        }
        out += "\n\(rules.count) rules; 'triage rules show ID' for one of them.\n"
        return out
    }

    static func show(_ rule: Rule, format: OutputFormat) -> String {
        if format == .json { return json(rule) }
        var out = "\(rule.id) — \(rule.title)\n"
        out += "severity \(rule.severity.rawValue); from \(rule.origin ?? "?")\n\n\(rule.summary)\n\nSignals (weight; context signals never raise the finding alone):\n"
        for signal in rule.signals {
            out += "  \(NumberFormatting.weight(signal.weight))  \(signal.id)\(signal.isContext ? " (context)" : ""): \(signal.description)\n"
            if let exception = signal.exception { out += "        exception: \(exception.joined(separator: " | "))\n" }
            if let message = signal.message { out += "        message contains: \(message.map { "\"\($0)\"" }.joined(separator: " | "))\n" }
            if let errno = signal.errno {
                let lead = signal.message == nil ? "message contains" : "or"
                out += "        \(lead) the C library's words for: \(errno.joined(separator: " | ")) (English, musl's, glibc's translations)\n"
            }
            if let not = signal.notMessage { out += "        message does not contain: \(not.map { "\"\($0)\"" }.joined(separator: " | "))\n" }
            if let frame = signal.frame { out += "        frame: \(frame.joined(separator: " | "))\n" }
            if let top = signal.topFrame { out += "        top frame: \(top.joined(separator: " | "))\n" }
            if let not = signal.notTopFrame { out += "        top frame is not: \(not.joined(separator: " | "))\n" }
            if let not = signal.notException { out += "        not when the chain holds: \(not.joined(separator: " | "))\n" }
        }
        if let alternatives = rule.alternatives {
            out += "\nCannot be told from \(alternatives.joined(separator: ", ")) without: \((rule.discriminators ?? []).joined(separator: ", "))\n"
        }
        out += "\nFix:\n"
        for (index, step) in rule.guidance.steps.enumerated() { out += "  \(index + 1). \(step)\n" }
        for variant in rule.guidance.variants ?? [] {
            out += "When \(variant.when.joined(separator: " or ")) is seen (\(variant.title)):\n"
            for step in variant.steps { out += "  - \(step)\n" }
            for item in variant.avoid ?? [] { out += "  - do not: \(item)\n" }
            for reference in variant.references ?? [] { out += "  - see \(reference)\n" }
        }
        if let avoid = rule.guidance.avoid, !avoid.isEmpty {
            out += "Do not:\n"
            for item in avoid { out += "  - \(item)\n" }
        }
        if let references = rule.guidance.references, !references.isEmpty {
            out += "See:\n" + references.map { "  \($0)\n" }.joined()
        }
        out += "\nExamples: \(rule.examples.match.count) that must match, \(rule.examples.noMatch.count) that must not.\n"
        return out
    }

    private struct Entry: Codable {
        var id: String
        var title: String
        var severity: Severity
        var origin: String?
        init(_ rule: Rule) {
            id = rule.id
            title = rule.title
            severity = rule.severity
            origin = rule.origin
        }
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }.map { $0 + "\n" } ?? "{}\n"
    }
}
