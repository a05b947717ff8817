/// Report formats; the raw values are the `--format` spellings, so parsing, help and
/// dispatch all come from this one list.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text
    case markdown
    case jira
    case html
    case json
    case jsonl

    public var summary: String {
        switch self {
        case .text: "for a terminal, the default"
        case .markdown: "for an incident ticket or a wiki"
        case .jira: "Jira / Confluence wiki markup"
        case .html: "one self-contained page with charts, no script"
        case .json: "stable, versioned (\"schema\": 1), for scripts"
        case .jsonl: "the same JSON on one line; with --follow, an event a line, then the report"
        }
    }

    /// The format a report file's name asks for: `.md` Markdown, `.json` JSON, `.txt` text,
    /// `.jira` Jira, `.html` HTML.
    public static func implied(byFileName name: String) -> OutputFormat? {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "md", "markdown": return .markdown
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        case "txt", "text": return .text
        case "jira": return .jira
        case "html", "htm": return .html
        default: return nil
        }
    }

    /// The renderer for this format.
    public func render(_ report: Report, options: RenderOptions) -> String {
        switch self {
        case .text: options.width.map { TextWrapping.wrap(TextReportRenderer(options: options).render(report), width: $0) }
            ?? TextReportRenderer(options: options).render(report)
        case .markdown: MarkdownReportRenderer(options: options).render(report)
        case .jira: JiraReportRenderer(options: options).render(report)
        case .html: HTMLReportRenderer(options: options).render(report)
        case .json: JSONReportRenderer().render(report)
        case .jsonl: JSONReportRenderer(oneLine: true).render(report)
        }
    }
}

/// What a renderer may vary: colour, how many exception groups to list.
public struct RenderOptions: Sendable {
    public var color: Bool
    /// Exception groups listed in text and Markdown (JSON lists all).
    public var topExceptionGroups: Int

    /// `--brief`: the text report's causes only, a line each with the first fix step.
    public var brief: Bool

    /// Text wrapped at this many columns; nil: not wrapped.
    public var width: Int?

    public init(color: Bool = false, topExceptionGroups: Int = 10, brief: Bool = false, width: Int? = nil) {
        self.color = color
        self.topExceptionGroups = topExceptionGroups
        self.brief = brief
        self.width = width
    }
}
