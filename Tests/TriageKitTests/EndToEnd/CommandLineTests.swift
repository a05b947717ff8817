import Foundation
import Testing

/// The command-line contract, through the real binary: exit codes, streams, files, colour.
@Suite struct CommandLineTests {
    static let windows = "samples/windows-port-exhaustion/order-service.log"
    static let pool = "samples/pool-timeouts/search-service.log"

    @Test func findsThePortExhaustionInTheWindowsSample() throws {
        let result = try ProcessRunner.triage(["logs", CommandLineTests.windows, "--format", "json"])
        #expect(result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let finding = try #require((report["findings"] as? [[String: Any]])?.first)
        #expect(finding["rule"] as? String == "ephemeral-port-exhaustion")
        #expect(finding["severity"] as? String == "critical")
        let facts = try #require(finding["facts"] as? [String: Any])
        let destination = try #require((facts["destinations"] as? [[String: Any]])?.first)
        #expect(destination["key"] as? String == "inventory.internal:8080")
    }

    @Test func failOnTurnsASevereFindingIntoExitOne() throws {
        #expect(try ProcessRunner.triage(["logs", CommandLineTests.windows, "--fail-on", "high"]).status == 1)
        #expect(try ProcessRunner.triage(["logs", CommandLineTests.pool, "--fail-on", "critical"]).status == 0)
        #expect(try ProcessRunner.triage(["logs", CommandLineTests.pool, "--fail-on", "high"]).status == 1)
    }

    @Test func anUnreadableInputIsNamedAndTheOthersAreStillAnalysed() throws {
        let result = try ProcessRunner.triage(["logs", "missing.log", CommandLineTests.windows, "--fail-on", "high"])
        #expect(result.status == 3)
        #expect(result.standardError.contains("missing.log: cannot read: No such file or directory"))
        #expect(result.standardOutput.contains("ephemeral-port-exhaustion"))
        #expect(result.standardOutput.contains("missing.log: unreadable"))
    }

    @Test func usageErrorsExitTwoAndSayWhatToDo() throws {
        let result = try ProcessRunner.triage(["logs", "--format", "yaml", CommandLineTests.windows])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("--format must be one of text, markdown, jira, html, json, jsonl"))
        #expect(result.standardError.contains("triage logs --help"))
    }

    @Test func readsStandardInput() throws {
        let data = try Data(contentsOf: TestPaths.root.appending(path: CommandLineTests.pool))
        let result = try ProcessRunner.triage(["logs", "-"], input: data)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("<stdin>:173  org.apache.http.conn.ConnectionPoolTimeoutException"))
    }

    @Test func writesTheReportToAFile() throws {
        let output = try TestPaths.temporaryDirectory().appending(path: "ticket.md")
        let result = try ProcessRunner.triage(["logs", CommandLineTests.windows, "--format", "markdown", "-o", output.path])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(try String(contentsOf: output, encoding: .utf8).hasPrefix("# triage report"))
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        // Not a terminal here: no colour by default, colour with --color always, none with NO_COLOR.
        let plain = try ProcessRunner.triage(["logs", CommandLineTests.windows])
        #expect(!plain.standardOutput.contains("\u{1B}["))
        let forced = try ProcessRunner.triage(["logs", CommandLineTests.windows, "--color", "always"])
        #expect(forced.standardOutput.contains("\u{1B}["))
        // Progress goes to a terminal only: nothing on a pipe.
        #expect(plain.standardError.isEmpty)
    }

    @Test func helpTeachesAndVersionAnswers() throws {
        let help = try ProcessRunner.triage(["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("Examples:"))
        #expect(help.standardOutput.contains("Exit status:"))
        let logsHelp = try ProcessRunner.triage(["logs", "--help"])
        #expect(logsHelp.standardOutput.contains("--fail-on SEVERITY"))
        #expect(try ProcessRunner.triage(["--version"]).standardOutput == "triage 0.1.0\n")
    }

    @Test func aCopiedBinaryStillHasItsRules() throws {
        let directory = try TestPaths.temporaryDirectory()
        let copy = directory.appending(path: "triage")
        try FileManager.default.copyItem(at: TestPaths.binary, to: copy)
        let result = try ProcessRunner.run(copy, ["rules", "list", "--format", "json"], directory: directory)
        #expect(result.status == 0)
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        // Every rule file but the library list, which is not a rule.
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.rules.path)
            .filter { $0.hasSuffix(".json5") && $0 != "libraries.json5" }
        #expect(rules.compactMap { $0["id"] as? String }.sorted() == names.map { String($0.dropLast(6)) }.sorted())
        #expect(rules.count >= 12)
        // The library list travels with it: the copy still tells the application's frame apart.
        let log = directory.appending(path: "app.log")
        try """
            2024-12-21 13:26:03,117 ERROR [exec-3] c.a.OrderClient - order failed
            org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool
            	at org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:313)
            	at org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)
            	at com.acme.orders.OrderClient.place(OrderClient.java:57)
            	at java.lang.Thread.run(Thread.java:829)

            """.write(to: log, atomically: true, encoding: .utf8)
        let report = try ProcessRunner.run(copy, ["logs", "app.log", "--width", "0"], directory: directory)
        #expect(report.standardOutput.contains("in your code: com.acme.orders.OrderClient.place(OrderClient.java:57)  app.log:5"))
    }

    @Test func rulesShowExplainsARule() throws {
        let result = try ProcessRunner.triage(["rules", "show", "ephemeral-port-exhaustion"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("0.80  windows-no-buffer-space"))
        #expect(result.standardOutput.contains("tcp_tw_recycle"))
        // What keeps a signal off its nearest neighbour is shown too: a server's bind is not a connect.
        #expect(result.standardOutput.contains("top frame is not: sun.nio.ch.Net.bind0"))
        let leak = try ProcessRunner.triage(["rules", "show", "connection-leak"])
        #expect(leak.standardOutput.contains("not when the chain holds: ConnectionPoolTimeoutException"))
        let unknown = try ProcessRunner.triage(["rules", "show", "no-such-rule"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("triage rules list"))
    }

    @Test func rulesCheckReportsFileAndLineAndRunsExamples() throws {
        let directory = try TestPaths.temporaryDirectory()
        let good = try String(contentsOf: TestPaths.rules.appending(path: "fd-exhaustion.json5"), encoding: .utf8)
            .replacingOccurrences(of: "id: \"fd-exhaustion\"", with: "id: \"my-fd-rule\"")
        try good.write(to: directory.appending(path: "a-good.json5"), atomically: true, encoding: .utf8)
        let failing = good.replacingOccurrences(of: "id: \"my-fd-rule\"", with: "id: \"my-broken-rule\"")
            .replacingOccurrences(of: "message: [\"Too many open files\", ", with: "message: [\"Too many open sockets\", ")
        try failing.write(to: directory.appending(path: "b-failing.json5"), atomically: true, encoding: .utf8)
        try "{\n  id: \"x\",\n  title: 3\n}\n".write(to: directory.appending(path: "c-broken.json5"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.triage(["rules", "check", directory.path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("ok    my-fd-rule"))
        #expect(result.standardError.contains("c-broken.json5:3:3: title should be a string"))
        #expect(result.standardError.contains("b-failing.json5:"))
        #expect(result.standardError.contains("examples.match[0] must raise 'my-broken-rule' but does not"))
        // And the good one can be used at once.
        let used = try ProcessRunner.triage(["logs", CommandLineTests.windows, "--rules", directory.path])
        #expect(used.status == 2)
        #expect(used.standardError.contains("c-broken.json5:3"))
    }

    /// Text in a pipe wraps at 80 columns, `--width N` at N, `--width 0` not at all; a line
    /// longer than the width is one unbreakable word (a path, a frame).
    @Test(arguments: [(nil, 80), ("120", 120), ("0", Int.max)] as [(String?, Int)])
    func textWrapsToTheWidth(_ width: String?, _ limit: Int) throws {
        let result = try ProcessRunner.triage(["logs", "samples/windows-port-exhaustion/"] + (width.map { ["--width", $0] } ?? []))
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= limit || !$0.drop { $0 == " " }.contains(" ") }, "a line passed \(limit) columns")
        if limit == Int.max {
            #expect(lines.contains { $0.count > 200 }, "unwrapped, the Windows fix step is one long line")
        } else {
            #expect(lines.contains { $0.count > limit - 15 }, "the width is used")
        }
        // Wrapping moves words, never loses one.
        let words = result.standardOutput.split(whereSeparator: \.isWhitespace)
        let unwrapped = try ProcessRunner.triage(["logs", "samples/windows-port-exhaustion/", "--width", "0"]).standardOutput
        #expect(words == unwrapped.split(whereSeparator: \.isWhitespace))
    }

    @Test func helpFitsEightyColumns() throws {
        for topic in ["", "logs", "scan", "diff", "collect", "rules"] {
            let help = try ProcessRunner.triage(["help"] + (topic.isEmpty ? [] : [topic])).standardOutput
            for line in help.split(separator: "\n") { #expect(line.count <= 80, "help \(topic): \(line)") }
        }
    }
}
