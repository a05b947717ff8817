import Foundation

/// Masks the secrets logs carry before a report is written: tickets are read widely. Runs over
/// the rendered report (every format, every section), so no field can slip past it; counts what
/// it masked by kind, which the report states. `--no-redact` turns it off.
public struct Redactor {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case urlPassword = "password in a URL"
        case keyValue = "password, secret or token value"
        case authorization = "Authorization header"
        case sessionCookie = "cookie or session id"
        case awsKey = "AWS key"
        case jwt = "JSON web token"
        case vendorToken = "GitHub, GitLab or Slack token"
        case privateKey = "private key"

        var plural: String {
            switch self {
            case .urlPassword: "passwords in URLs"
            case .keyValue: "password, secret or token values"
            case .authorization: "Authorization headers"
            case .sessionCookie: "cookies or session ids"
            case .awsKey: "AWS keys"
            case .jwt: "JSON web tokens"
            case .vendorToken: "GitHub, GitLab or Slack tokens"
            case .privateKey: "private keys"
            }
        }
    }

    public static let mask = "****"
    public private(set) var counts: [Kind: Int] = [:]

    public init() {}

    /// One pattern: the groups of each match that are the secret (replaced by the mask).
    private struct Rule {
        let kind: Kind
        let regex: NSRegularExpression
        let secretGroup: Int
    }

    // Compiled once, on first use: most reports have none of the triggers and never need them.
    nonisolated(unsafe) private static let rules: [Rule] = {
        func rule(_ kind: Kind, _ pattern: String, group: Int, caseless: Bool = false) -> Rule {
            // swiftlint-free: the patterns are constants; a typo is a crash in the first test run.
            let regex = try! NSRegularExpression(pattern: pattern, options: caseless ? [.caseInsensitive] : [])
            return Rule(kind: kind, regex: regex, secretGroup: group)
        }
        let quote = #"(?:\\?["'])?"#   // a quote, escaped in JSON output, or none
        return [
            rule(.privateKey, #"(-----BEGIN [A-Z ]*PRIVATE KEY-----)\s*([A-Za-z0-9+/=]+)"#, group: 2),
            rule(.urlPassword, #"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"'|{}]+:)([^@\s/"'|{}]+)(@)"#, group: 2),
            rule(.urlPassword, #"(:thin:[^/\s@"'|{}]+/)([^@\s"'|{}]+)(@)"#, group: 2),
            rule(.authorization, #"((?:proxy-)?authorization\b"# + quote + #"\s*[:=]\s*"# + quote + #"\s*(?:basic|bearer|digest|token)\s+)([A-Za-z0-9+/=._~-]+)"#,
                 group: 2, caseless: true),
            rule(.sessionCookie, #"\b((?:set-)?cookie\b"# + quote + #"\s*[:=]\s*"# + quote + #")([^\r\n"\\|{}]+)"#, group: 2, caseless: true),
            rule(.sessionCookie, #"\b((?:JSESSIONID|PHPSESSID|SESSIONID|SESSION|sessionid|session_id|sid)=)([^;\s&"',|{}\])\\]+)"#, group: 2),
            rule(.awsKey, #"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b"#, group: 1),
            rule(.awsKey, #"(aws_secret_access_key\b"# + quote + #"\s*[:=]\s*"# + quote + #")([A-Za-z0-9/+=]{40})"#, group: 2, caseless: true),
            rule(.jwt, #"\b(eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"#, group: 1),
            rule(.vendorToken, #"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,})"#,
                 group: 1),
            rule(.keyValue, #"\b((?:password|passwd|pwd|pass|secret|client_secret|token|access_token|refresh_token|auth_token|apikey|api_key|api-key|private_key|secret_key)"#
                 + quote + #"\s*(?:[:=]|=>)\s*"# + quote + #")([^\s"'\\,;&)}\]|{]+)"#, group: 2, caseless: true),
        ]
    }()

    /// Texts one of which a string must hold (lower-cased) for any pattern to match it: most
    /// reports hold none, and then cost no pattern at all (class names like `SessionInputBuffer`
    /// are no trigger: every session pattern needs its `=`).
    private static let triggers: [StaticString] = [
        "pass", "pwd", "secret", "token", "apikey", "api_key", "api-key", "_key", "authorization", "cookie", "session=",
        "sessionid=", "session_id=", "sessid=", "sid=", "akia", "asia", "eyj", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
        "github_pat_", "glpat-", "xox", "private key", "@",
    ]

    /// Whether `text` may hold a secret at all: its bytes ASCII-lower-cased once and searched
    /// with memchr (String.contains on a whole report took a tenth of a second).
    public static func mayHoldSecrets(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
        return bytes.withUnsafeBytes { haystack in triggers.contains { haystack.range(of: $0) != nil } }
    }

    /// `text` with every secret masked.
    public mutating func redact(_ text: String) -> String {
        guard Redactor.mayHoldSecrets(text) else { return text }
        var result = text
        for rule in Redactor.rules {
            let range = NSRange(result.startIndex..., in: result)
            let matches = rule.regex.matches(in: result, range: range)
            guard !matches.isEmpty else { continue }
            var rebuilt = result
            // From the end, so earlier ranges stay valid.
            for match in matches.reversed() {
                let secret = match.range(at: rule.secretGroup)
                guard secret.location != NSNotFound, let bounds = Range(secret, in: rebuilt),
                      rebuilt[bounds] != Redactor.mask, !rebuilt[bounds].allSatisfy({ $0 == "*" }) else { continue }
                rebuilt.replaceSubrange(bounds, with: Redactor.mask)
                counts[rule.kind, default: 0] += 1
            }
            result = rebuilt
        }
        return result
    }

    /// The report with every string it holds redacted (before any format escapes them), or nil
    /// when it cannot be rebuilt (then the rendered text is redacted instead).
    public mutating func redact(_ report: Report) -> Report? {
        report.mappingStrings { redact($0) }
    }

    /// What was masked, for the report: `3 passwords in URLs, 1 Authorization header`.
    public var summary: String? {
        guard !counts.isEmpty else { return nil }
        return Kind.allCases.compactMap { kind in counts[kind].map { "\($0) \($0 == 1 ? kind.rawValue : kind.plural)" } }
            .joined(separator: ", ")
    }
}
