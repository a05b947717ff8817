import Foundation
import Testing
@testable import TriageKit

/// Secrets in logs never reach a report unless asked for (`--no-redact`): every kind, in every
/// format, wherever it sits (an exception's message, an evidence line, a pool statement).
struct RedactionTests {
    /// Each secret as logs carry it, and its kind.
    static let secrets: [(line: String, secret: String, kind: Redactor.Kind)] = [
        ("connect failed for jdbc:mysql://app:Hunter2Pass@db1:3306/orders", "Hunter2Pass", .urlPassword),
        ("login refused for jdbc:oracle:thin:scott/TigerPw77@ora1:1521:ORCL", "TigerPw77", .urlPassword),
        ("bad credentials password=PlainPw99 user=app", "PlainPw99", .keyValue),
        ("payload {\"password\":\"JsonPw1\",\"user\":\"app\"}", "JsonPw1", .keyValue),
        ("config secret: YamlSecret42", "YamlSecret42", .keyValue),
        ("upstream 401 for Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA==", .authorization),
        ("upstream 401 for Authorization: Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl", .authorization),
        ("session lost JSESSIONID=ABCDEF0123456789", "ABCDEF0123456789", .sessionCookie),
        ("s3 refused AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", .awsKey),
        ("jwt rejected eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
         "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", .jwt),
        ("github refused ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", .vendorToken),
        ("slack refused xoxb-123456789012-abcdefABCDEF", "xoxb-123456789012-abcdefABCDEF", .vendorToken),
        ("key file -----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA7bq", "MIIEowIBAAKCAQEA7bq", .privateKey),
    ]

    /// A log with each secret in the message of a failure of its own (so every format shows it).
    static var log: String {
        secrets.enumerated().map { index, entry in
            "2026-03-09 14:03:\(String(format: "%02d", index)),892 ERROR [exec-\(index)] c.a.Client - call \(index) failed\n"
                + "java.net.ConnectException: \(entry.line)\n\tat com.acme.Client.call\(index)(Client.java:\(10 + index))\n"
        }.joined()
    }

    @Test(arguments: ["text", "markdown", "jira", "html", "json"])
    func noSecretReachesAnyFormat(_ format: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.log.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let shown = try ProcessRunner.triage(["logs", "--no-redact", "--top", "20", "--format", format, "app.log"], directory: directory).standardOutput
        // The test can fail: as read, every secret is in the report.
        for entry in Self.secrets { #expect(shown.contains(entry.secret), "\(entry.secret) is not in the unredacted \(format)") }
        let result = try ProcessRunner.triage(["logs", "--top", "20", "--format", format, "--width", "0", "app.log"], directory: directory)
        #expect(result.status == 0)
        for entry in Self.secrets { #expect(!result.standardOutput.contains(entry.secret), "\(entry.secret) leaked into \(format)") }
        #expect(result.standardOutput.contains("masked before writing: "))
        #expect(result.standardOutput.contains(format == "jira" ? "(\\-\\-no-redact shows evidence as read)" : "(--no-redact shows evidence as read)"))
    }

    @Test func theReportCountsWhatItMaskedByKind() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.log.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let json = try ProcessRunner.triage(["logs", "--format", "json", "app.log"], directory: directory).standardOutput
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let counts = try #require(object["redactions"] as? [String: Int])
        for kind in Redactor.Kind.allCases { #expect((counts[String(describing: kind)] ?? 0) > 0, "\(kind)") }
    }

    /// The nearest neighbours: text that looks like a secret's setting but holds none stays.
    @Test(arguments: [
        "java.net.SocketTimeoutException: Read timed out",
        "token-service.log: 3 tokens issued, keyspace orders",
        "Object@6d06d69c at http://orders.internal:8080/api",
        "session expired after 30 minutes",
        "password policy changed",
    ])
    func leavesOrdinaryTextAlone(_ text: String) {
        var redactor = Redactor()
        #expect(redactor.redact(text) == text)
        #expect(redactor.counts.isEmpty)
    }
}
