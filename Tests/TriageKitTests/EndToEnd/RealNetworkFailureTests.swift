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

    @Test func namesThatDoNotResolve() throws {
        let (report, log) = try run("dns", in: try TestPaths.temporaryDirectory())
        #expect(log.contains("java.net.UnknownHostException: inventory.no-such-zone.invalid"))
        let finding = try #require(report.findings.first { $0.rule == "dns-resolution-failure" })
        #expect(finding.facts.occurrences == 5, "five failed calls, one finding")
        #expect(finding.evidence.first?.signal == "unknown-host")
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("NetworkFailures$InventoryClient.resolve(NetworkFailures.java:") == true)
    }
}
