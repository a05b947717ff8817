/// ANSI styling, or none: colours only on a terminal and never with `NO_COLOR`, which the
/// caller decides; this only applies the decision.
struct TerminalStyle {
    let enabled: Bool

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    func severity(_ severity: Severity) -> String {
        let label = severity.rawValue.uppercased()
        switch severity {
        case .critical: return wrap(label, "1;31")
        case .high: return red(label)
        case .medium: return yellow(label)
        case .low, .info: return dim(label)
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
