import Foundation
import Testing
@testable import TriageKit

/// Real JVMs and real sockets on 127.0.0.1: a leaked HttpClient pool leaves its connections in
/// CLOSE_WAIT, a client that opens a connection per request runs a namespace out of ports;
/// `ss` and `jstack` capture it, triage reads the captures as a user would.
@Suite(.serialized, .enabled(if: JavaToolchain.available && SocketTools.ss != nil, "no JDK or no ss (iproute2): the real-socket tests are skipped"))
struct RealSocketTests {
    @Test(.enabled(if: JavaToolchain.httpClientJars != nil, "HttpClient 4 jars (libhttpclient-java) absent"))
    func provesAPoolLeakFromCloseWaitAtThePerRouteMaximum() throws {
        let jvm = try JavaToolchain.launch(["HttpPools", "leak", "6", "10"])
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try #require(jvm.port)
        // The server drops idle connections after 300 ms: wait until all six sit in CLOSE_WAIT.
        let ssFile = directory.appending(path: "ss-tanp.txt")
        let deadline = Date().addingTimeInterval(10)
        repeat {
            // This JVM's sockets only: other tests' JVMs leak CLOSE_WAIT on the same loopback.
            try ProcessRunner.shell(RealJVMTests.ownSockets(jvm.pid) + " > '\(ssFile.path)'")
            let closeWait = try String(contentsOf: ssFile, encoding: .utf8).split(separator: "\n")
                .filter { $0.hasPrefix("CLOSE-WAIT") && $0.contains(":\(port) ") }
            if closeWait.count >= 6 { break }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        try jvm.jstack(to: directory.appending(path: "jstack.txt"))
        try jvm.printed.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)

        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        let snapshot = try #require(report.sockets?.snapshots.first)
        let closeWait = try #require(snapshot.closeWaitToward.first)
        #expect(closeWait.destination == "127.0.0.1:\(port)")
        #expect(closeWait.count == 6)
        #expect(closeWait.processes == [Tally(key: "java/\(jvm.pid)", count: 6)])
        #expect(report.poolLimits.map(\.maxPerRoute) == [6])

        let finding = try #require(report.findings.first)
        #expect(finding.rule == "connection-leak")
        #expect(finding.determined)
        #expect(Set(finding.evidence.map(\.signal)).isSuperset(of: ["idle-leases-in-dump", "close-wait-at-pool-max", "close-wait-toward-route"]))
        #expect(finding.agreement == ["dump", "socket"])
        let atMax = try #require(finding.evidence.first { $0.signal == "close-wait-at-pool-max" })
        #expect(atMax.text.hasPrefix("6 CLOSE_WAIT toward 127.0.0.1:\(port), equal to the pool's per-route maximum (maxPerRoute=6"))
        #expect(!report.findings.contains { $0.rule == "close-wait-buildup" })
    }

    /// The same sockets through net-tools' netstat in English and in each language whose
    /// message catalogue translates its states (this machine's Czech, German and Brazilian
    /// Portuguese): every table reads as the English one, and no row is left out.
    @Test(.enabled(if: JavaToolchain.httpClientJars != nil && SocketTools.find("netstat") != nil
                   && FileManager.default.fileExists(atPath: "/usr/share/locale/de/LC_MESSAGES/net-tools.mo"),
                   "HttpClient 4 jars, netstat (net-tools) or its German catalogue absent"))
    func readsNetstatInTheLanguagesItIsTranslatedInto() throws {
        let jvm = try JavaToolchain.launch(["HttpPools", "leak", "6", "10"])
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try #require(jvm.port)
        let languages = ["C", "de", "cs", "pt_BR"].filter {
            $0 == "C" || FileManager.default.fileExists(atPath: "/usr/share/locale/\($0)/LC_MESSAGES/net-tools.mo")
        }
        // Header lines, then this JVM's rows: other tests' JVMs use the same loopback.
        func capture(_ language: String) throws -> String {
            let file = directory.appending(path: "netstat-\(language).txt")
            try ProcessRunner.shell("LANGUAGE=\(language) LC_ALL=C.UTF-8 netstat -tanp 2>/dev/null"
                + " | awk 'NR <= 2 || / \(jvm.pid)\\/java/' > '\(file.path)'")
            return try String(contentsOf: file, encoding: .utf8)
        }
        let deadline = Date().addingTimeInterval(10)
        while try capture("C").split(separator: "\n").filter({ $0.contains("CLOSE_WAIT") && $0.contains(":\(port) ") }).count < 6,
              Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
        var tables: [String: [String: Int]] = [:]
        for language in languages {
            let text = try capture(language)
            if language == "de" { #expect(text.contains("VERBUNDEN") || !text.contains("ESTABLISHED")) }
            let report = Analysis.run(.init(paths: [directory.appending(path: "netstat-\(language).txt").path], rules: .builtin)).report
            let snapshot = try #require(report.sockets?.snapshots.first, "netstat in \(language) was not read as a table")
            tables[language] = snapshot.states
            #expect(report.inputs.first?.notes == nil, "netstat in \(language): \(report.inputs.first?.notes ?? [])")
        }
        let english = try #require(tables["C"])
        #expect(english["CLOSE_WAIT"] == 6)
        for language in languages { #expect(tables[language] == english, "netstat in \(language)") }
    }

    @Test(.enabled(if: NetworkNamespace.available, "cannot create a network namespace (needs root or CAP_SYS_ADMIN): the port-exhaustion test is skipped"))
    func provesPortExhaustionInANamespaceWithANarrowRange() throws {
        let namespace = try NetworkNamespace(["net.ipv4.ip_local_port_range=40000 40199", "net.ipv4.tcp_tw_reuse=0"])
        defer { namespace.delete() }
        let jvm = try JavaToolchain.launch(["PortChurn", "8080", "4", "20"], namespace: namespace.name)
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try #require(jvm.port)
        try SocketTools.capture(["-tan"], namespace: namespace.name, to: directory.appending(path: "ss-tan.txt"))
        let sysctl = try namespace.run([SocketTools.find("sysctl")!.path, "net.ipv4.ip_local_port_range", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_fin_timeout"])
        try sysctl.standardOutput.write(to: directory.appending(path: "sysctl.txt"), atomically: true, encoding: .utf8)
        try jvm.printed.write(to: directory.appending(path: "quote-client.log"), atomically: true, encoding: .utf8)

        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        let sockets = try #require(report.sockets)
        #expect(sockets.headroom.low == 40000 && sockets.headroom.high == 40199 && sockets.headroom.usablePorts == 200)
        #expect(sockets.headroom.rangeSource?.source.hasSuffix("sysctl.txt") == true)
        let busiest = try #require(sockets.snapshots.first?.timeWaitToward.first)
        #expect(busiest.destination == "127.0.0.1:\(port)")
        // Every port of the range sits in TIME_WAIT toward the one destination.
        #expect(busiest.count == 200)
        #expect(busiest.percentOfRange == 100)
        #expect(sockets.snapshots.first?.serverTimeWait == 0)

        let finding = try #require(report.findings.first)
        #expect(finding.rule == "ephemeral-port-exhaustion")
        #expect(finding.agreement == ["log", "socket"])
        #expect(finding.evidence.map(\.signal).prefix(2) == ["linux-cannot-assign-address", "time-wait-near-port-range"])
        let figure = try #require(finding.evidence.first { $0.signal == "time-wait-near-port-range" })
        #expect(figure.text.contains("200 client-side TIME_WAIT toward 127.0.0.1:\(port) hold 100% of 200 usable ports"))
        #expect(figure.text.contains("ceiling 200 ÷ 60 s ≈ 3.3 new connections/s"))
        #expect(finding.facts.destinations.first?.key == "127.0.0.1:\(port)")
        #expect(finding.confidence >= 0.95)
    }
}
