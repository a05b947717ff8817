import Foundation
import Testing
@testable import TriageKit

/// `--anonymize`: addresses, host names and user names become stable tokens in every format,
/// the mapping goes to a local file and never into the report, and the findings stay the same
/// apart from the tokens.
struct AnonymizationTests {
    /// Each name as logs carry it.
    static let names: [(line: String, value: String, kind: Anonymizer.Kind)] = [
        ("Connect to orders-db.prod.acme.net:5432 [orders-db.prod.acme.net/10.44.3.17] failed: Connection refused",
         "orders-db.prod.acme.net", .host),
        ("Connect to orders-db.prod.acme.net:5432 [orders-db.prod.acme.net/10.44.3.17] failed: Connection refused", "10.44.3.17", .ip),
        ("cannot reach jdbc:mysql://billing_app@db7.internal:3306/orders", "billing_app", .user),
        ("cannot reach jdbc:mysql://billing_app@db7.internal:3306/orders", "db7.internal", .host),
        ("upstream http://ledger.svc.cluster.local:8080/api timed out", "ledger.svc.cluster.local", .host),
        ("peer fe80::1ff:fe23:4567:890a closed", "fe80::1ff:fe23:4567:890a", .ip),
        ("login refused user=alice.ops from 192.168.77.21", "alice.ops", .user),
        ("login refused user=alice.ops from 192.168.77.21", "192.168.77.21", .ip),
        ("keystore /home/jdoe42/keys/app.jks unreadable", "jdoe42", .user),
    ]

    static var log: String {
        names.enumerated().map { index, entry in
            "2026-03-09 14:03:\(String(format: "%02d", index)),892 ERROR [exec-\(index)] c.a.Client - call \(index) failed\n"
                + "java.net.ConnectException: \(entry.line)\n\tat com.acme.Client.call\(index)(Client.java:\(10 + index))\n"
        }.joined()
    }

    @Test func findsEachKindAndLeavesItsNeighboursAlone() {
        for entry in Self.names {
            #expect(Anonymizer.names(in: entry.line).contains { $0.0 == entry.kind && $0.1 == entry.value }, "\(entry.value)")
        }
        // Versions, files and lines, times, Java frames: not names.
        for text in ["JRE 1.8.0 Linux amd64-64 (build 8.0.7.20 - pxa6480sr7fp20)", "at com.acme.Client.call(Client.java:42)",
                     "samples/pool-saturation/report-service.log:113", "2024-12-21 10:02:30.644", "java.lang.Thread.State: WAITING",
                     "net.ipv4.ip_local_port_range = 32768 60999", "localhost:8080",
                     // Shapes met in the shared corpus: a VM's version, a module version in a frame,
                     // a date-time after a colon, the any-address and loopback.
                     "Java HotSpot(TM) Server VM 1.6.0.21 build:12.03.04-09:", "at java.base@17.0.2.1/java.lang.Thread.run(Thread.java:833)",
                     "listening on tcp://0.0.0.0:61616", "connect to 127.0.0.1:5432 refused"] {
            #expect(Anonymizer.names(in: text).isEmpty, "\(text): \(Anonymizer.names(in: text))")
        }
    }

    @Test(arguments: ["text", "markdown", "jira", "html", "json"])
    func noNameReachesAnyFormatAndTheMappingStaysLocal(_ format: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.log.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let plain = try ProcessRunner.triage(["logs", "--top", "20", "--format", format, "app.log"], directory: directory).standardOutput
        // The test can fail: without --anonymize every name is in the report.
        for entry in Self.names { #expect(plain.contains(entry.value), "\(entry.value) is not in the plain \(format)") }
        let result = try ProcessRunner.triage(["logs", "--anonymize", "--top", "20", "--format", format, "app.log", "-o", "report.out"],
                                             directory: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let report = try String(contentsOf: directory.appending(path: "report.out"), encoding: .utf8)
        for entry in Self.names { #expect(!report.contains(entry.value), "\(entry.value) reached the \(format) report") }
        #expect(report.contains("anonymized: 3 IP addresses, 3 host names, 3 user names replaced by tokens"))
        #expect(report.contains("report.out.anonymize-map.tsv"))
        let mapFile = directory.appending(path: "report.out.anonymize-map.tsv")
        let map = try String(contentsOf: mapFile, encoding: .utf8)
        for entry in Self.names { #expect(map.contains("\t\(entry.kind.rawValue)\t\(entry.value)\n")) }
        let permissions = try FileManager.default.attributesOfItem(atPath: mapFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600, "the mapping is readable by its owner only")
    }

    /// With the tokens mapped back, the anonymized findings are the plain ones, figure for figure.
    @Test(arguments: ["pool-saturation", "windows-port-exhaustion", "axis1-http-sender"])
    func findingsAreTheSameApartFromTheTokens(_ sample: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try ProcessRunner.triage(["logs", TestPaths.samples.appending(path: sample).path, "--format", "json"], directory: directory)
        let anonymized = try ProcessRunner.triage(["logs", TestPaths.samples.appending(path: sample).path, "--format", "json", "--anonymize"],
                                                 directory: directory)
        let map = try String(contentsOf: directory.appending(path: "triage-anonymize-map.tsv"), encoding: .utf8)
        let tokens = Dictionary(uniqueKeysWithValues: map.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return (String(fields[0]), String(fields[2]))
        })
        #expect(!tokens.isEmpty)
        #expect(!anonymized.standardOutput.contains(tokens.values.first!))
        // Tokens back to their values, longest token first (ip-12 before ip-1).
        var restored = anonymized.standardOutput
        for token in tokens.keys.sorted(by: { $0.count > $1.count }) {
            restored = restored.replacingOccurrences(of: token, with: tokens[token]!)
        }
        let a = try #require(try JSONSerialization.jsonObject(with: Data(plain.standardOutput.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(restored.utf8)) as? [String: Any])
        for key in ["findings", "exceptions", "dumps", "sockets", "facts", "poolLimits"] {
            let left = try JSONSerialization.data(withJSONObject: a[key] ?? [], options: [.sortedKeys])
            let right = try JSONSerialization.data(withJSONObject: b[key] ?? [], options: [.sortedKeys])
            #expect(left == right, "\(sample): \(key) differ beyond the tokens")
        }
    }
}
