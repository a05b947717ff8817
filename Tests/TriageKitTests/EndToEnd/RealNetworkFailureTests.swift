import Foundation
import Synchronization
import Testing
@testable import TriageKit

/// Real TLS handshakes that fail (certificates made with the JDK's keytool: a CA, a server
/// certificate it signs — expired, or for another name — and a client that trusts the CA or
/// not) and real name lookups under `.invalid`: each names its cause and only its advice.
@Suite(.serialized, .enabled(if: JavaToolchain.available && FileManager.default.isExecutableFile(atPath: JavaToolchain.keytool.path),
                             "needs a JDK with keytool"))
struct RealNetworkFailureTests {
    /// Made once per run for each kind: keytool starts a JVM per call.
    private static let made = Mutex<[String: URL]>([:])

    /// A CA and a server certificate for `name`, valid from `start` (keytool's `-10d`) for `days`.
    private static func certificates(name: String, start: String? = nil, days: Int = 30) throws -> URL {
        let key = "\(name) \(start ?? "") \(days)"
        if let directory = made.withLock({ $0[key] }) { return directory }
        let directory = try make(name: name, start: start, days: days)
        made.withLock { $0[key] = directory }
        return directory
    }

    private static func make(name: String, start: String?, days: Int) throws -> URL {
        let directory = try TestPaths.temporaryDirectory()
        func keytool(_ arguments: [String]) throws {
            let result = try ProcessRunner.run(JavaToolchain.keytool, arguments + ["-storepass", "changeit", "-storetype", "PKCS12"],
                                               directory: directory)
            guard result.status == 0 else { throw JVMError("keytool \(arguments.first ?? ""): \(result.standardError)") }
        }
        try keytool(["-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=test-ca", "-ext", "bc:c", "-validity", "3650",
                     "-keypass", "changeit", "-keystore", "ca.p12"])
        try keytool(["-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.cer"])
        try keytool(["-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=\(name)", "-keypass", "changeit",
                     "-keystore", "server.p12"])
        try keytool(["-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr"])
        try keytool(["-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.cer",
                     "-ext", "SAN=dns:\(name)", "-validity", "\(days)"] + (start.map { ["-startdate", $0] } ?? []))
        try keytool(["-importcert", "-noprompt", "-alias", "ca", "-file", "ca.cer", "-keystore", "server.p12"])
        try keytool(["-importcert", "-alias", "server", "-file", "server.cer", "-keystore", "server.p12"])
        try keytool(["-importcert", "-noprompt", "-alias", "ca", "-file", "ca.cer", "-keystore", "trust.p12"])
        return directory
    }

    private func run(_ mode: String, in directory: URL) throws -> (Report, String) {
        let classes = try JavaToolchain.classes.get()
        let result = try ProcessRunner.run(JavaToolchain.tools!["java"]!, ["-cp", classes.path, "NetworkFailures", directory.path, mode])
        let log = directory.appending(path: "\(mode).log")
        try result.standardOutput.write(to: log, atomically: true, encoding: .utf8)
        return (Analysis.run(.init(paths: [log.path], rules: .builtin)).report, result.standardOutput)
    }

    @Test(arguments: [
        ("untrusted", "localhost", nil, 30, "untrusted-certificate", "untrusted certificate"),
        ("expired", "localhost", "-10d", 2, "expired-certificate", "expired certificate"),
        ("hostname", "payments.internal", nil, 30, "hostname-mismatch", "name mismatch"),
        ("protocol", "localhost", nil, 30, "no-common-protocol", "protocol or cipher"),
    ] as [(String, String, String?, Int, String, String)])
    func eachHandshakeFailureIsNamed(_ mode: String, _ name: String, _ start: String?, _ days: Int, _ signal: String,
                                     _ variant: String) throws {
        let (report, log) = try run(mode, in: try Self.certificates(name: name, start: start, days: days))
        #expect(log.contains("javax.net.ssl.SSLHandshakeException"), "\(log.prefix(300))")
        let finding = try #require(report.findings.first { $0.rule == "tls-handshake-failure" }, "\(report.findings.map(\.rule))")
        #expect(finding.evidence.first?.signal == signal)
        #expect(finding.guidance.appliedVariants == [variant], "only the advice for what failed")
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("NetworkFailures$PaymentClient.handshake(NetworkFailures.java:") == true)
    }

    @Test func aPortNothingListensOnIsRefused() throws {
        let (report, log) = try run("refused", in: try TestPaths.temporaryDirectory())
        #expect(log.contains("java.net.ConnectException: Connection refused"), "\(log.prefix(300))")
        #expect(report.findings.map(\.rule) == ["upstream-unreachable"])
        let finding = try #require(report.findings.first)
        #expect(finding.facts.occurrences == 5, "five failed calls, one finding")
        #expect(finding.evidence.first?.signal == "connection-refused")
        #expect(finding.guidance.appliedVariants == ["refused"], "only the advice for what failed")
        #expect(finding.facts.destinations.count == 1 && finding.facts.destinations[0].key.hasPrefix("127.0.0.1:"),
                "\(finding.facts.destinations)")
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("NetworkFailures$InventoryClient.fetch(NetworkFailures.java:") == true)
    }

    /// Real connects in a network namespace whose routes make each address fail its own way: an
    /// `unreachable` route (EHOSTUNREACH, what a host that does not answer ARP gives), no route at
    /// all (ENETUNREACH), a `prohibit` route (EACCES, which JDK 13+ throws as a BindException).
    @Test(.enabled(if: NetworkNamespace.available, "needs `ip netns` (root or CAP_NET_ADMIN)"), arguments: [
        ("10.66.0.1", "java.net.NoRouteToHostException: No route to host", "host-unreachable", "host unreachable"),
        ("10.88.0.1", "java.net.SocketException: Network is unreachable", "network-unreachable", "network unreachable"),
        ("10.67.0.1", "java.net.BindException: Permission denied", "connect-not-permitted", "not permitted here"),
    ])
    func unreachableDestinationsAreTold(_ address: String, _ thrown: String, _ signal: String, _ variant: String) throws {
        let namespace = try NetworkNamespace([])
        defer { namespace.delete() }
        for route in [["unreachable", "10.66.0.0/16"], ["prohibit", "10.67.0.0/16"]] {
            let added = try namespace.run([NetworkNamespace.ip.path, "route", "add"] + route)
            try #require(added.status == 0, "ip route add \(route): \(added.standardError)")
        }
        let classes = try JavaToolchain.classes.get()
        let directory = try TestPaths.temporaryDirectory()
        let result = try namespace.run([JavaToolchain.tools!["java"]!.path, "-cp", classes.path, "NetworkFailures", directory.path,
                                        "connect", address])
        let log = directory.appending(path: "connect.log")
        try result.standardOutput.write(to: log, atomically: true, encoding: .utf8)
        #expect(result.standardOutput.contains(thrown), "\(result.standardOutput.prefix(300))")
        let report = Analysis.run(.init(paths: [log.path], rules: .builtin)).report
        #expect(report.findings.map(\.rule) == ["upstream-unreachable"], "not a bind failure, not port exhaustion")
        let finding = try #require(report.findings.first)
        #expect(finding.facts.occurrences == 5)
        #expect(finding.evidence.map(\.signal) == [signal])
        #expect(finding.guidance.appliedVariants == [variant])
        #expect(finding.facts.destinations == [Tally(key: "\(address):8080", count: 5)])
    }

    /// The locales this machine has (`locale -a`: `de_DE.utf8`), for a JVM that prints strerror in them.
    static let locales: Set<String> = {
        guard let result = try? ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/locale"), ["-a"]) else { return [] }
        return Set(result.standardOutput.split(separator: "\n").map { $0.lowercased().replacingOccurrences(of: "utf-8", with: "utf8") })
    }()

    /// A JVM on a German or Chinese Linux prints the C library's words in that language, and no
    /// English: each must still name its cause (real runs; `.ci/run` makes the two locales).
    static let localizedCases = [
        ("de_DE.UTF-8", "127.0.0.1", "java.net.ConnectException: Verbindungsaufbau abgelehnt", "connection-refused"),
        ("de_DE.UTF-8", "10.88.0.1", "java.net.SocketException: Das Netzwerk ist nicht erreichbar", "network-unreachable"),
        ("zh_CN.UTF-8", "127.0.0.1", "java.net.ConnectException: 拒绝连接", "connection-refused"),
    ].filter { locales.contains($0.0.lowercased().replacingOccurrences(of: "utf-8", with: "utf8")) }

    @Test(.enabled(if: NetworkNamespace.available && !localizedCases.isEmpty,
                   "needs `ip netns` and the de_DE or zh_CN locale (`localedef`, Debian's locales)"),
          arguments: localizedCases)
    func aJVMInAnotherLanguageIsReadToo(_ locale: String, _ address: String, _ thrown: String, _ signal: String) throws {
        let namespace = try NetworkNamespace([])
        defer { namespace.delete() }
        let classes = try JavaToolchain.classes.get()
        let directory = try TestPaths.temporaryDirectory()
        let result = try namespace.run(["/usr/bin/env", "LANG=\(locale)", "LC_ALL=\(locale)", JavaToolchain.tools!["java"]!.path,
                                        "-cp", classes.path, "NetworkFailures", directory.path, "connect", address])
        #expect(result.standardOutput.contains(thrown), "\(result.standardOutput.prefix(300))")
        let log = directory.appending(path: "connect.log")
        try result.standardOutput.write(to: log, atomically: true, encoding: .utf8)
        let report = Analysis.run(.init(paths: [log.path], rules: .builtin)).report
        #expect(report.findings.map(\.rule) == ["upstream-unreachable"])
        #expect(report.findings.first?.facts.occurrences == 5)
        #expect(report.findings.first?.evidence.map(\.signal) == [signal])
    }

    @Test func namesThatDoNotResolve() throws {
        let (report, log) = try run("dns", in: try TestPaths.temporaryDirectory())
        #expect(log.contains("java.net.UnknownHostException: inventory.no-such-zone.invalid"))
        let finding = try #require(report.findings.first { $0.rule == "dns-resolution-failure" })
        #expect(finding.facts.occurrences == 5, "five failed calls, one finding")
        #expect(finding.evidence.first?.signal == "unknown-host")
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("NetworkFailures$InventoryClient.resolve(NetworkFailures.java:") == true)
    }
}
