import Foundation

/// `--anonymize`: IP addresses, host names and user names in a report replaced by stable tokens
/// (`ip-1`, `host-2`, `user-1`) — the same value the same token in every input and section, so
/// per-destination reasoning still reads — with the mapping kept out of the report, for a file
/// on the local machine only.
///
/// Values are found first (every string of the report), numbered in sorted order so a run is
/// repeatable, then replaced wherever they occur as a whole name.
public struct Anonymizer {
    public enum Kind: String, CaseIterable, Sendable {
        case ip, host, user

        var plural: String {
            switch self {
            case .ip: "IP addresses"
            case .host: "host names"
            case .user: "user names"
            }
        }
    }

    /// Token, kind and original value, in token order.
    public private(set) var mapping: [(token: String, kind: Kind, value: String)] = []

    public init() {}

    /// Far more distinct names than an incident has would make one huge pattern: past this,
    /// the rest stay as they are and the note says so.
    static let limit = 5_000
    public private(set) var leftOut = 0

    // File extensions that make `name.ext:123` a file and line, not a host and port.
    private static let fileExtensions: Set<String> = [
        "java", "kt", "scala", "groovy", "clj", "class", "jar", "war", "log", "txt", "gz", "zip", "tgz", "out", "err", "xml",
        "json", "json5", "yml", "yaml", "properties", "conf", "cfg", "ini", "md", "html", "htm", "jira", "csv", "tsv", "sh",
        "py", "js", "ts", "go", "rs", "c", "h", "cc", "cpp", "swift", "rb", "php", "jsp", "sql", "trc", "dump", "hprof",
    ]

    nonisolated(unsafe) private static let finders: [(Kind, NSRegularExpression, Int)] = {
        func regex(_ pattern: String) -> NSRegularExpression {
            // The patterns are constants: a typo fails the first test run.
            try! NSRegularExpression(pattern: pattern, options: [])
        }
        let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        let dotted = "\(label)(?:\\.\(label))+"
        return [
            (.ip, regex(#"(?<![\d.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\d]|\.\d)"#), 1),
            (.ip, regex(#"(?<![0-9A-Fa-f:])((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4})?(?::[0-9A-Fa-f]{1,4}){0,5})(?![0-9A-Fa-f:])"#), 1),
            // scheme://[user[:password]@]host — the host, and the user.
            (.host, regex("[A-Za-z][A-Za-z0-9+.-]*://(?:[^/\\s:@]+(?::[^@\\s/]*)?@)?(\(label)(?:\\.\(label))*)"), 1),
            (.user, regex("[A-Za-z][A-Za-z0-9+.-]*://([^/\\s:@]+)(?::[^@\\s/]*)?@"), 1),
            // host:port, a dotted name (file names excluded afterwards by their extension).
            (.host, regex("(?<![A-Za-z0-9.@/-])(\(dotted)):\\d{1,5}\\b"), 1),
            // HttpClient's `Connect to name:port [name/10.0.0.5]`, Java's InetAddress `name/10.0.0.5`.
            (.host, regex("(?<![A-Za-z0-9.-])(\(label)(?:\\.\(label))*)/(?:\\d{1,3}\\.){3}\\d{1,3}"), 1),
            // Oracle thin `@host:1521`, `@//host:1521/service`.
            (.host, regex("@(?://)?(\(label)(?:\\.\(label))*):\\d{1,5}"), 1),
            (.user, regex("(?i)\\b(?:user|username|user_name|login|uid)\\s*[=:]\\s*[\"']?([A-Za-z0-9_.$-]{2,64})"), 1),
            (.user, regex(":thin:([A-Za-z0-9_$#]+)/"), 1),
            (.user, regex("/(?:home|Users)/([A-Za-z0-9_.-]{2,64})/"), 1),
        ]
    }()

    /// Keys whose strings come from the rules, not the inputs: their web addresses stay links.
    static let ruleText: Set<String> = ["references"]

    /// Not host or user names, whatever their shape.
    private static let notNames: Set<String> = ["localhost", "null", "none", "root", "unknown", "anonymous", "java", "true", "false"]

    /// The values `text` holds, by kind.
    static func names(in text: String) -> [(Kind, String)] {
        var found: [(Kind, String)] = []
        let range = NSRange(text.startIndex..., in: text)
        for (kind, regex, group) in finders {
            for match in regex.matches(in: text, range: range) {
                guard let bounds = Range(match.range(at: group), in: text) else { continue }
                let value = String(text[bounds])
                switch kind {
                case .ip:
                    // `build 8.0.7.20`, `version 1.2.3.4`: a version, not an address.
                    let before = text[..<bounds.lowerBound].suffix(10).lowercased()
                    if ["build", "version", "release", "ver", "v", "jre", "jdk", "vm"].contains(where: { before.hasSuffix($0 + " ") || before.hasSuffix($0) }) {
                        continue
                    }
                    // `java.base@11.0.9.1/java.lang.Object.wait`: a module's version in a frame.
                    if before.hasSuffix("@") && text[bounds.upperBound...].hasPrefix("/") { continue }
                    // Any-address and loopback say nothing about a host; `07` is no octet anyone writes.
                    if value == "0.0.0.0" || value.hasPrefix("127.") { continue }
                    if !value.contains(":"), value.split(separator: ".").contains(where: { $0.count > 1 && $0.hasPrefix("0") }) { continue }
                    // `::` alone, times (`10:02:30`) and ports are not addresses.
                    if value.contains(":") && (value.count < 3 || !value.contains { $0.isLetter } && !value.contains("::")) { continue }
                    if value.contains(":") && value.filter({ $0 == ":" }).count < 2 { continue }
                case .host:
                    // A name's last label has a letter (`11.07.07-18` is a date and time, not a host).
                    if let last = value.split(separator: ".").last, !value.contains(".") || fileExtensions.contains(last.lowercased())
                        || !last.contains(where: \.isLetter) {
                        // A single label is a host only in a URL (`http://db1/`); file names never.
                        let inURL = text[..<bounds.lowerBound].hasSuffix("://") || text[..<bounds.lowerBound].hasSuffix("@")
                        if value.contains(".") || !inURL { continue }
                    }
                    if notNames.contains(value.lowercased()) { continue }
                case .user:
                    if notNames.contains(value.lowercased()) || value.allSatisfy(\.isNumber) { continue }
                }
                found.append((kind, value))
            }
        }
        return found
    }

    /// The report with every name replaced, or nil when it cannot be rebuilt.
    public mutating func anonymize(_ report: Report) -> Report? {
        var found: [Kind: Set<String>] = [:]
        _ = report.mappingStrings(skipping: Anonymizer.ruleText) { text in
            for (kind, value) in Anonymizer.names(in: text) { found[kind, default: []].insert(value) }
            return text
        }
        var values: [(Kind, String)] = []
        for kind in Kind.allCases {
            // A value seen as two kinds keeps the first (an IP is never also a host).
            for value in (found[kind] ?? []).sorted() where !values.contains(where: { $0.1 == value }) { values.append((kind, value)) }
        }
        if values.count > Anonymizer.limit {
            leftOut = values.count - Anonymizer.limit
            values = Array(values.prefix(Anonymizer.limit))
        }
        var numbers: [Kind: Int] = [:]
        mapping = values.map { kind, value in
            numbers[kind, default: 0] += 1
            return ("\(kind.rawValue)-\(numbers[kind]!)", kind, value)
        }
        guard !mapping.isEmpty else { return report }
        let tokens = Dictionary(mapping.map { ($0.value, $0.token) }, uniquingKeysWith: { first, _ in first })
        // Longest first, so `db1.internal` is not replaced as `db1` plus a rest; whole names only.
        let alternatives = mapping.map(\.value).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
            .map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        guard let regex = try? NSRegularExpression(pattern: "(?<![A-Za-z0-9_.-])(?:\(alternatives))(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])")
        else { return nil }
        return report.mappingStrings(skipping: Anonymizer.ruleText) { text in
            let matches = regex.matches(in: text, range: NSRange(text.startIndex..., in: text))
            guard !matches.isEmpty else { return text }
            var result = text
            for match in matches.reversed() {
                guard let bounds = Range(match.range, in: result), let token = tokens[String(result[bounds])] else { continue }
                result.replaceSubrange(bounds, with: token)
            }
            return result
        }
    }

    /// What was replaced, for the report: `3 IP addresses, 2 host names`.
    public var summary: String? {
        guard !mapping.isEmpty else { return nil }
        return Kind.allCases.compactMap { kind in
            let count = mapping.count { $0.kind == kind }
            return count == 0 ? nil : "\(count) \(count == 1 ? String(kind.plural.dropLast()) : kind.plural)"
        }.joined(separator: ", ")
    }

    /// Where the mapping goes: beside the report, or in the working directory.
    public static func mappingPath(output: String?) -> String {
        output.map { $0 + ".anonymize-map.tsv" } ?? "triage-anonymize-map.tsv"
    }

    /// The mapping file's text: a line per token (`host-1<TAB>host<TAB>ledger.internal`).
    public var mappingText: String {
        "# triage --anonymize: token, kind, original value. Keep this file local; it is not in the report.\n"
            + mapping.map { "\($0.token)\t\($0.kind.rawValue)\t\($0.value)\n" }.joined()
    }
}
