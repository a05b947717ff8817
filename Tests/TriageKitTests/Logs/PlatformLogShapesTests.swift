import Foundation
import Testing
@testable import TriageKit

/// Logs as containers and JSON layouts write them (issue 17). Each bundled incident log is
/// rewritten as each platform would have written it — JSON events by their field names, every
/// line under a container's wrapper — and must give the plain log's findings and counts.
/// A thread dump the JVM printed to stdout stays plain text among the JSON events, as it does.
struct PlatformLogShapesTests {
    /// A plain record: the header's parts and the lines that continue it.
    struct PlainRecord {
        var date: String, time: String, millis: String, level: String, thread: String, logger: String, message: String
        var rest: [String]
        var header: String
        var iso: String { "\(date)T\(time).\(millis)Z" }
        var epochMillis: Int64 {
            // Parsed inside the closure: the bytes live only as long as it runs.
            Array(header.utf8).withUnsafeBytes { LogHeaderParser.parse($0)!.timestamp!.milliseconds }
        }
    }

    enum Item {
        case record(PlainRecord)
        case raw(String)
    }

    nonisolated(unsafe) static let header = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) (\w+)\s+\[([^\]]+)\] (\S+) - (.*)$/

    /// The log as records, and the thread dump lines printed between them (raw).
    static func items(_ path: String) throws -> [Item] {
        let text = try String(contentsOf: TestPaths.root.appending(path: path), encoding: .utf8)
        var items: [Item] = []
        var inDump = false
        // Not `split(separator: "\n")`: a CRLF line end is one Character.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init) {
            if let match = line.wholeMatch(of: header) {
                let parts = match.output
                items.append(.record(PlainRecord(date: String(parts.1), time: String(parts.2), millis: String(parts.3),
                                                 level: String(parts.4), thread: String(parts.5), logger: String(parts.6),
                                                 message: String(parts.7), rest: [], header: line)))
                inDump = false
            } else if line.hasPrefix("Full thread dump") || inDump || items.isEmpty {
                inDump = true
                items.append(.raw(line))
            } else if !line.isEmpty, case .record(var record) = items.removeLast() {
                record.rest.append(line)
                items.append(.record(record))
            }
        }
        return items
    }

    static func json(_ object: [String: Any]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Each record as one JSON line, made by `event`; raw lines as they are.
    static func jsonLines(_ items: [Item], _ event: (PlainRecord) -> [String: Any]) -> String {
        items.map { item in
            switch item {
            case .raw(let line): line
            case .record(let record): json(event(record))
            }
        }.joined(separator: "\n") + "\n"
    }

    /// Every line of the log under a wrapper (the dump's lines too: the runtime wraps stdout).
    static func wrapped(_ items: [Item], _ wrap: (String, String) -> String) -> String {
        var lastTime = "2024-12-21T00:00:00.000Z"
        var out: [String] = []
        for item in items {
            switch item {
            case .raw(let line): out.append(wrap(lastTime, line))
            case .record(let record):
                lastTime = record.iso
                out.append(wrap(record.iso, record.header))
                out += record.rest.map { wrap(record.iso, $0) }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// log4j2 JsonLayout's `thrown`: the trace's exceptions as nested causes, frames as objects.
    static func thrown(_ lines: [String]) -> [String: Any]? {
        var chain: [(name: String, message: String?, frames: [[String: Any]])] = []
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("at "), !chain.isEmpty {
                let frame = trimmed.dropFirst(3)
                guard let open = frame.firstIndex(of: "("), let dot = frame[..<open].lastIndex(of: ".") else { continue }
                var object: [String: Any] = ["class": String(frame[..<dot]), "method": String(frame[frame.index(after: dot)..<open])]
                let location = frame[frame.index(after: open)...].dropLast()
                let parts = location.split(separator: ":")
                object["file"] = String(parts[0])
                if parts.count > 1, let number = Int(parts[1]) { object["line"] = number }
                chain[chain.count - 1].frames.append(object)
            } else if trimmed.hasPrefix("... ") {
                continue
            } else {
                let body = trimmed.hasPrefix("Caused by: ") ? String(trimmed.dropFirst(11)) : trimmed
                let colon = body.range(of: ": ")
                chain.append((colon.map { String(body[..<$0.lowerBound]) } ?? body, colon.map { String(body[$0.upperBound...]) }, []))
            }
        }
        var result: [String: Any]?
        for exception in chain.reversed() {
            var object: [String: Any] = ["name": exception.name, "extendedStackTrace": exception.frames, "commonElementCount": 0]
            if let message = exception.message { object["message"] = message; object["localizedMessage"] = message }
            if let cause = result { object["cause"] = cause }
            result = object
        }
        return result
    }

    static func epochMillis(_ iso: String) -> Int64 {
        let bytes = Array(iso.replacingOccurrences(of: "T", with: " ").utf8)
        return bytes.withUnsafeBytes { LogHeaderParser.parse($0)!.timestamp!.milliseconds }
    }

    /// `Dec 21 14:03:34` from `2024-12-21T14:03:34.892Z` (journalctl's default).
    static func bsdTime(_ iso: String) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = iso.split(separator: "T")
        let date = parts[0].split(separator: "-")
        return "\(months[Int(date[1])! - 1]) \(date[2]) \(parts[1].prefix(8))"
    }

    static let syslogSeverity = ["FATAL": 2, "ERROR": 3, "WARN": 4, "INFO": 6, "DEBUG": 7, "TRACE": 7]

    /// The header in terminal colours as Spring Boot's console pattern writes them with ANSI on
    /// (faint time, the level's colour, cyan logger, each reset after); the trace stays plain.
    static func coloured(_ items: [Item]) -> String {
        let level = ["ERROR": "31", "FATAL": "31", "WARN": "33", "INFO": "32"]
        return items.map { item in
            switch item {
            case .raw(let line): return line
            case .record(let record):
                let header = "\u{1B}[2m\(record.date) \(record.time),\(record.millis)\u{1B}[0;39m "
                    + "\u{1B}[\(level[record.level] ?? "32")m\(record.level)\u{1B}[0;39m \u{1B}[2m[\(record.thread)]\u{1B}[0;39m "
                    + "\u{1B}[36m\(record.logger)\u{1B}[0;39m - \(record.message)"
                return ([header] + record.rest).joined(separator: "\n")
            }
        }.joined(separator: "\n") + "\n"
    }

    /// Each platform's rendering of a plain log.
    static let shapes: [(name: String, render: @Sendable ([Item]) -> String)] = [
        ("logstash-logback-encoder", { items in jsonLines(items) { record in
            var event: [String: Any] = ["@timestamp": record.iso, "@version": "1", "message": record.message,
                                        "logger_name": record.logger, "thread_name": record.thread, "level": record.level,
                                        "level_value": 20000]
            if !record.rest.isEmpty { event["stack_trace"] = record.rest.joined(separator: "\n") + "\n" }
            return event
        } }),
        ("log4j2 EcsLayout", { items in jsonLines(items) { record in
            var event: [String: Any] = ["@timestamp": record.iso, "log.level": record.level, "message": record.message,
                                        "ecs.version": "1.2.0", "process.thread.name": record.thread, "log.logger": record.logger]
            if let first = record.rest.first {
                event["error.type"] = String(first.prefix { $0 != ":" })
                event["error.stack_trace"] = record.rest.joined(separator: "\n")
            }
            return event
        } }),
        ("Spring Boot ecs", { items in jsonLines(items) { record in
            var event: [String: Any] = ["@timestamp": record.iso, "log": ["level": record.level, "logger": record.logger],
                                        "process": ["pid": 4242, "thread": ["name": record.thread]],
                                        "service": ["name": "orders"], "message": record.message, "ecs": ["version": "8.11"]]
            if let first = record.rest.first {
                event["error"] = ["type": String(first.prefix { $0 != ":" }), "message": "see trace",
                                  "stack_trace": record.rest.joined(separator: "\n")]
            }
            return event
        } }),
        ("GELF", { items in jsonLines(items) { record in
            var event: [String: Any] = ["version": "1.1", "host": "orders-7d9f", "short_message": record.message,
                                        "timestamp": Double(record.epochMillis) / 1000, "level": syslogSeverity[record.level] ?? 6,
                                        "_thread_name": record.thread, "_logger_name": record.logger]
            if !record.rest.isEmpty { event["full_message"] = ([record.message] + record.rest).joined(separator: "\n") }
            return event
        } }),
        ("log4j2 JsonLayout", { items in jsonLines(items) { record in
            var event: [String: Any] = ["instant": ["epochSecond": record.epochMillis / 1000, "nanoOfSecond": record.epochMillis % 1000 * 1_000_000],
                                        "thread": record.thread, "level": record.level, "loggerName": record.logger,
                                        "message": record.message, "endOfBatch": false, "threadId": 41, "threadPriority": 5]
            if let thrown = thrown(record.rest) { event["thrown"] = thrown }
            return event
        } }),
        ("journald -o json", { items in jsonLines(items) { record in
            let text = ([record.header] + record.rest).joined(separator: "\n")
            return ["__REALTIME_TIMESTAMP": String(record.epochMillis * 1000), "PRIORITY": String(syslogSeverity[record.level] ?? 6),
                    "_SYSTEMD_UNIT": "orders.service", "SYSLOG_IDENTIFIER": "java", "MESSAGE": text]
        } }),
        ("Google Cloud Logging", { items in jsonLines(items) { record in
            ["severity": record.level == "WARN" ? "WARNING" : record.level, "timestamp": record.iso,
             "logging.googleapis.com/labels": ["app": "orders"],
             "textPayload": ([record.message] + record.rest).joined(separator: "\n")]
        } }),
        ("kubectl logs --timestamps", { items in wrapped(items) { time, line in "\(time.dropLast())123456Z \(line)" } }),
        ("kubectl logs --prefix --timestamps", { items in wrapped(items) { time, line in "[pod/orders-7d9f/app] \(time) \(line)" } }),
        ("CRI, long lines split", { items in wrapped(items) { time, line in
            // The runtime splits lines at its buffer size; here at 60 bytes, to split many.
            var pieces: [String] = []
            var rest = Substring(line)
            while rest.utf8.count > 60 {
                let cut = rest.index(rest.startIndex, offsetBy: 60)
                pieces.append("\(time) stderr P \(rest[..<cut])")
                rest = rest[cut...]
            }
            pieces.append("\(time) stderr F \(rest)")
            return pieces.joined(separator: "\n")
        } }),
        ("Docker json-file", { items in wrapped(items) { time, line in json(["log": line + "\n", "stream": "stdout", "time": time]) } }),
        ("docker compose logs", { items in wrapped(items) { _, line in "orders-1  | \(line)" } }),
        ("stern", { items in wrapped(items) { _, line in "orders-7d9f4-x2bq app \(line)" } }),
        ("terminal colours (Spring Boot console, ANSI on)", { items in coloured(items) }),
        ("Docker json-file of a TTY container, coloured", { items in
            coloured(items).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map { json(["log": $0 + "\n", "stream": "stdout", "time": "2024-12-21T13:26:03.117Z"]) }.joined(separator: "\n") + "\n" }),
        ("stern --color always", { items in wrapped(items) { _, line in "\u{1B}[36morders-7d9f4-x2bq\u{1B}[0m \u{1B}[32mapp\u{1B}[0m \(line)" } }),
        ("stern --timestamps", { items in wrapped(items) { time, line in "orders-7d9f4-x2bq app \(time) \(line)" } }),
        ("journalctl", { items in wrapped(items) { time, line in "\(bsdTime(time)) orders-7d9f java[4242]: \(line)" } }),
        ("journalctl -o short-iso", { items in wrapped(items) { time, line in
            "\(time.prefix(19))+0100 orders-7d9f java[4242]: \(line)" } }),
        ("syslog RFC 5424", { items in wrapped(items) { time, line in "<134>1 \(time) orders-7d9f orders 4242 - - \(line)" } }),
        ("journalctl -o export", { items in wrapped(items) { time, line in
            "__CURSOR=s=6a1f;i=\(line.utf8.count)\n__REALTIME_TIMESTAMP=\(epochMillis(time) * 1000 + 345)\nPRIORITY=6\n_PID=4242\n"
                + "SYSLOG_IDENTIFIER=java\nMESSAGE=\(line)\n" } }),
    ]

    static let logs = ["samples/pool-timeouts/search-service.log", "samples/pool-saturation/report-service.log",
                       "samples/windows-port-exhaustion/order-service.log"]

    static func outline(_ report: Report) -> [String] {
        let input = report.inputs[0]
        return report.findings.map { "\($0.rule) ×\($0.facts.occurrences) \($0.facts.firstSeen?.text ?? "-")→\($0.facts.lastSeen?.text ?? "-")" }
            + ["records \(input.records)", "traces \(input.traces)", "causes \(input.causes)",
               "levels \(input.levels.sorted { $0.key < $1.key })", "dumps \(report.dumps.map(\.threads))",
               "groups \(report.exceptions.map { "\($0.exception) ×\($0.count)" })"]
    }

    @Test(arguments: logs)
    func everyPlatformShapeGivesThePlainLogsFindingsAndCounts(_ path: String) throws {
        let items = try Self.items(path)
        let plainText = try String(contentsOf: TestPaths.root.appending(path: path), encoding: .utf8)
        let plain = Self.outline(Analyze.report(plainText, name: "plain.log"))
        #expect(plain.count > 6, "the plain log has findings")
        for shape in Self.shapes {
            let report = Analyze.report(shape.render(items), name: "shaped.log")
            let shaped = Self.outline(report)
            #expect(shaped == plain, "\(shape.name)")
        }
    }

    // MARK: - Each format's own fields

    static func single(_ line: String) throws -> (Report, InputSummary) {
        let report = Analyze.report(line + "\n", name: "one.json")
        return (report, try #require(report.inputs.first))
    }

    @Test(arguments: [
        // logstash-logback-encoder, an escaped quote, a tab and a non-ASCII message
        (#"{"@timestamp":"2026-03-09T14:03:34.892+01:00","@version":"1","message":"Zahlung \"4711\" fehlgeschlagen: Zeitüberschreitung","logger_name":"com.acme.pay.Client","thread_name":"http-nio-8080-exec-7","level":"ERROR","level_value":40000,"stack_trace":"java.net.SocketTimeoutException: Read timed out\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n\tat com.acme.pay.Client.charge(Client.java:88)\n"}"#,
         "2026-03-09 14:03:34.892", "ERROR", "http-nio-8080-exec-7", "java.net.SocketTimeoutException"),
        // GCP: severity words, timestamp as {seconds, nanos}
        (#"{"severity":"CRITICAL","timestamp":{"seconds":1773065014,"nanos":892000000},"message":"pool exhausted","logging.googleapis.com/sourceLocation":{"file":"Pool.java"}}"#,
         "2026-03-09 14:03:34.892", "FATAL", nil, nil),
        // journald: microseconds, PRIORITY as text
        (#"{"__REALTIME_TIMESTAMP":"1773065014892345","PRIORITY":"4","MESSAGE":"disk almost full","_PID":"4242"}"#,
         "2026-03-09 14:03:34.892", "WARN", nil, nil),
        // log4j2 JsonLayout with timeMillis and a cause
        (#"{"timeMillis":1773065014892,"thread":"main","level":"ERROR","loggerName":"com.acme.App","message":"start failed","thrown":{"commonElementCount":0,"localizedMessage":"bad config","message":"bad config","name":"java.lang.IllegalStateException","cause":{"commonElementCount":0,"message":"Connection refused","name":"java.net.ConnectException","extendedStackTrace":[{"class":"java.net.PlainSocketImpl","method":"socketConnect","file":"PlainSocketImpl.java","line":-2,"exact":false}]},"extendedStackTrace":[{"class":"com.acme.App","method":"main","file":"App.java","line":12,"exact":true}]},"endOfBatch":false}"#,
         "2026-03-09 14:03:34.892", "ERROR", "main", "java.lang.IllegalStateException"),
        // GELF 1.1 from logback-gelf: numeric time and syslog level, its own names
        (#"{"version":"1.1","host":"orders-7d9f","short_message":"lease failed","timestamp":1773065014.892,"level":3,"_level_name":"ERROR","_process_pid":4242,"_thread_name":"task-3","_logger_name":"com.acme.Lease","_error_type":"java.lang.IllegalStateException","_error_stack_trace":"java.lang.IllegalStateException: Connection pool shut down\n\tat org.apache.http.util.Asserts.check(Asserts.java:34)\n","_error_message":"Connection pool shut down"}"#,
         "2026-03-09 14:03:34.892", "ERROR", "task-3", "java.lang.IllegalStateException"),
        // Spring Boot 3.4's gelf: time in scientific notation, the trace in full_message after a blank line
        (#"{"version":"1.1","short_message":"lease failed","timestamp":1.773065014892E9,"level":3,"_level_name":"ERROR","_process_pid":4242,"_process_thread_name":"task-3","host":"orders","_log_logger":"com.acme.Lease","full_message":"lease failed\n\njava.lang.IllegalStateException: Connection pool shut down\n\tat org.apache.http.util.Asserts.check(Asserts.java:34) ~[httpcore-4.4.16.jar:4.4.16]\n"}"#,
         "2026-03-09 14:03:34.892", "ERROR", "task-3", "java.lang.IllegalStateException"),
        // log4j2's GelfLayout template: _thread, _logger
        (#"{"version":"1.1","host":"orders","short_message":"lease failed","full_message":"java.lang.IllegalStateException: Connection pool shut down\n\tat org.apache.http.util.Asserts.check(Asserts.java:34)","timestamp":1773065014.892,"level":3,"_logger":"com.acme.Lease","_thread":"task-3"}"#,
         "2026-03-09 14:03:34.892", "ERROR", "task-3", "java.lang.IllegalStateException"),
    ] as [(String, String, String, String?, String?)])
    func readsEachLayoutsTimeLevelThreadAndTrace(_ line: String, _ time: String, _ level: String, _ thread: String?, _ exception: String?) throws {
        let (report, input) = try Self.single(line)
        #expect(input.records == 1)
        #expect(input.jsonEvents == 1)
        #expect(input.firstSeen?.text == time)
        #expect(input.levels == [level: 1])
        #expect(input.traces == (exception == nil ? 0 : 1))
        if let exception {
            let group = try #require(report.exceptions.first)
            #expect(group.chain.first == exception)
            #expect(group.samples.first?.line == 1, "file:line cites the JSON line")
        }
        // The record's header, as the decoder wrote it.
        var event = JSONLogEvent()
        #expect(Array(line.utf8).withUnsafeBytes { event.decode($0) })
        var header: String?
        event.forEachLine { if header == nil { header = String(decoding: $0, as: UTF8.self) } }
        #expect(header?.hasPrefix("\(time) \(level) ") == true)
        if let thread { #expect(header?.contains("[\(thread)]") == true, "\(header ?? "")") }
    }

    /// Nanoseconds take 19 digits; a number past Int64 is no time (it once trapped).
    @Test func epochNumbersOfEveryUnitAndNoneTooLarge() throws {
        let lines = [
            #"{"time":1773065014892345678,"level":"INFO","message":"nanoseconds"}"#,
            #"{"time":1773065014892345,"level":"INFO","message":"microseconds"}"#,
            #"{"timeMillis":99999999999999999999999,"level":"INFO","message":"too large"}"#,
        ]
        let report = Analyze.report(lines.joined(separator: "\n") + "\n", name: "app.json")
        let input = try #require(report.inputs.first)
        #expect(input.jsonEvents == 3)
        #expect(input.firstSeen?.text == "2026-03-09 14:03:34.892")
        #expect(input.lastSeen?.text == "2026-03-09 14:03:34.892")
    }

    @Test func theCauseInsideLog4j2sThrownIsACausedBy() throws {
        let line = #"{"timeMillis":1773065014892,"thread":"main","level":"ERROR","loggerName":"com.acme.App","message":"start failed","thrown":{"message":"bad config","name":"java.lang.IllegalStateException","cause":{"message":"Connection refused","name":"java.net.ConnectException","extendedStackTrace":[{"class":"java.net.PlainSocketImpl","method":"socketConnect","file":"PlainSocketImpl.java","line":-2}]},"extendedStackTrace":[{"class":"com.acme.App","method":"main","file":"App.java","line":12}]}}"#
        let (report, input) = try Self.single(line)
        #expect(input.causes == 1)
        #expect(report.exceptions.first?.chain == ["java.lang.IllegalStateException", "java.net.ConnectException"])
        #expect(report.exceptions.first?.rootCause == "java.net.ConnectException: Connection refused")
    }

    @Test func aMalformedJSONLineAmongEventsIsReadAsTextAndCounted() throws {
        let lines = [
            #"{"@timestamp":"2026-03-09T14:03:34.892Z","level":"INFO","message":"started"}"#,
            #"{"@timestamp":"2026-03-09T14:03:35.001Z","level":"ERROR","message":"cut off by a full disk"#,
            #"{"@timestamp":"2026-03-09T14:03:36.000Z","level":"ERROR","message":"Too many open files"}"#,
        ]
        let report = Analyze.report(lines.joined(separator: "\n") + "\n", name: "app.json")
        let input = try #require(report.inputs.first)
        #expect(input.jsonEvents == 2)
        #expect(input.unreadableJSONLines == 1)
        #expect(input.notes?.contains { $0.contains("1 JSON line(s) are not log events") } == true)
        #expect(input.levels == ["INFO": 1, "ERROR": 1])
    }

    /// The same from a file: the note reached the report only for text held in memory (the
    /// file's reading notes replaced the analyzer's).
    @Test func aMalformedJSONLineInAFileIsNoted() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "app.json")
        try Analyze.lines([
            #"{"@timestamp":"2026-03-09T14:03:34.892Z","level":"INFO","message":"started"}"#,
            #"{"@timestamp":"2026-03-09T14:03:35.001Z","level":"ERROR","message":"cut off by a full disk"#,
        ]).write(to: file, atomically: true, encoding: .utf8)
        let report = Analysis.run(.init(paths: [file.path], rules: .builtin)).report
        #expect(report.inputs.first?.notes == ["1 JSON line(s) are not log events this reader knows: read as plain text"])
    }

    /// Spring Boot 3 writes an RFC 3339 time of its own: under stern or kubectl's `--prefix`
    /// without `--timestamps` it is the application's header, not the wrapper's time.
    @Test(arguments: ["orders-7d9f4-x2bq app ", "[pod/orders-7d9f4-x2bq/app] "])
    func anApplicationsOwnRFC3339TimeAfterAPrefixStays(_ prefix: String) throws {
        let lines = (0..<3).flatMap { index in [
            "\(prefix)2024-05-03T07:02:1\(index).417Z ERROR 1 --- [nio-8080-exec-\(index)] c.a.o.OrderClient : call failed",
            "\(prefix)java.net.SocketException: Too many open files",
            "\(prefix)\tat java.base/sun.nio.ch.Net.socket0(Native Method)",
        ] }
        let report = Analyze.report(Analyze.lines(lines), name: "pods.log")
        let input = try #require(report.inputs.first)
        #expect(input.records == 3)
        #expect(input.levels == ["ERROR": 3])
        #expect(input.firstSeen?.text == "2024-05-03 07:02:10.417")
    }

    @Test func thirtyErrorsInAJSONLogAreThirtyErrors() throws {
        let lines = (0..<30).map { index in
            #"{"@timestamp":"2026-03-09T14:03:\#(String(format: "%02d", index)).000Z","level":"ERROR","logger_name":"c.a.Pay","thread_name":"w-\#(index)","message":"charge failed","stack_trace":"java.net.SocketException: Connection reset\n\tat java.net.SocketInputStream.read(SocketInputStream.java:210)\n\tat com.acme.Pay.charge(Pay.java:40)\n"}"#
        }
        let report = Analyze.report(lines.joined(separator: "\n") + "\n", name: "app.json")
        #expect(report.inputs[0].levels == ["ERROR": 30])
        #expect(report.inputs[0].traces == 30)
        #expect(report.findings.first?.rule == "connection-reset")
        #expect(report.findings.first?.facts.occurrences == 30)
    }

    @Test(arguments: [
        "INFO   | jvm 1    | 2026/03/09 14:03:34 | Started",     // Java Service Wrapper: no replica number
        "2026-03-09 14:03:34,892 INFO  [main] c.a.App - started",  // a layout's own ISO time has no T and zone
        "2026-03-09T14:03:34.892 INFO [main] c.a.App - started",   // ISO with T but no zone: the layout's own
        "2026-03-09T14:03:34.892+01:00  INFO 4242 --- [main] c.a.App : started",  // Spring Boot 3's default
        "2026-03-09T14:03:34.892Z INFO [main] c.a.App - started",  // logback %d{yyyy-MM-dd'T'HH:mm:ss.SSSX}
    ])
    func aPlainLogIsNotTakenForAWrapper(_ line: String) throws {
        let report = Analyze.report(Array(repeating: line, count: 3).joined(separator: "\n") + "\n", name: "plain.log")
        #expect(report.inputs[0].wrapper == nil)
        // (The Java Service Wrapper's own lines are read as one record, as before.)
        guard !line.hasPrefix("INFO") else { return }
        #expect(report.inputs[0].records == 3)
        #expect(report.inputs[0].firstSeen?.text.hasPrefix("2026-03-09 14:03:34") == true)
    }

    /// kubectl's time before Spring Boot 3's own, after a banner of plain lines.
    @Test func kubectlTimestampsAreFoundPastABannerOfPlainLines() throws {
        let text = Analyze.lines(
            (0..<8).map { "2026-03-09T14:03:3\($0 % 10).100000000Z   :: Spring Boot ::  (v3.4.1) line \($0)" } + [
            "2026-03-09T14:03:40.892113Z 2026-03-09T15:03:40.892+01:00 ERROR 4242 --- [orders] [nio-8080-exec-7] c.a.Pay : charge failed",
            "2026-03-09T14:03:40.892113Z java.net.SocketException: Connection reset",
            "2026-03-09T14:03:40.892113Z \tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:318)",
            "2026-03-09T14:03:40.892113Z \tat com.acme.Pay.charge(Pay.java:40)",
        ])
        let report = Analyze.report(text, name: "pod.log")
        #expect(report.inputs[0].wrapper == "RFC 3339 timestamps (kubectl logs --timestamps)")
        #expect(report.inputs[0].traces == 1)
        #expect(report.inputs[0].levels["ERROR"] == 1)
        #expect(report.exceptions.first?.frames.count == 2)
    }

    /// journald's own lines keep its time; the JVM's trace under its prefix stays one trace.
    @Test func journalLinesWithoutAHeaderOfTheirOwnKeepTheJournalsTime() throws {
        let text = Analyze.lines([
            "Mar 09 14:03:33 orders-7d9f java[4242]: Starting orders on orders-7d9f",
            "Mar 09 14:03:34 orders-7d9f java[4242]: Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
            "Mar 09 14:03:34 orders-7d9f java[4242]: \tat com.acme.Cache.put(Cache.java:40)",
            "Mar 09 14:03:34 orders-7d9f java[4242]: \tat com.acme.Main.main(Main.java:12)",
            "Mar 09 14:03:35 orders-7d9f systemd[1]: orders.service: Main process exited, code=exited, status=1/FAILURE",
        ])
        let report = Analyze.report(text, name: "journal.txt")
        let input = try #require(report.inputs.first)
        #expect(input.wrapper == "journald / syslog (host, identifier and pid)")
        #expect(input.records == 3)
        #expect(input.traces == 1)
        #expect(report.exceptions.first?.frames.count == 2)
        #expect(report.findings.first?.rule == "java-heap-exhausted")
    }

    /// `wevtutil qe Application /f:text` and `Get-WinEvent | Format-List`: each event is a record
    /// with its time, level and source; its message (a Java trace here) is the record's text.
    @Test(arguments: [
        Analyze.lines([
            "Event[0]:",
            "  Log Name: Application",
            "  Source: Apache Tomcat 9.0 Tomcat9",
            "  Date: 2026-03-09T14:03:34.892",
            "  Event ID: 0",
            "  Task: N/A",
            "  Level: Information",
            "  Opcode: N/A",
            "  Keyword: Classic",
            "  User: N/A",
            "  User Name: N/A",
            "  Computer: APP-01",
            "  Description: ",
            "Server startup in 5210 ms",
            "",
            "Event[1]:",
            "  Log Name: Application",
            "  Source: Apache Tomcat 9.0 Tomcat9",
            "  Date: 2026-03-09T14:05:10.101",
            "  Event ID: 0",
            "  Level: Error",
            "  Computer: APP-01",
            "  Description: ",
            "Servlet.service() for servlet [dispatcher] threw exception",
            "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
            "\tat java.net.DualStackPlainSocketImpl.socketConnect(DualStackPlainSocketImpl.java:79)",
            "\tat com.acme.RatesClient.fetch(RatesClient.java:41)",
        ]),
        Analyze.lines([
            "",
            "TimeCreated  : 3/9/2026 2:03:34 PM",
            "ProviderName : Apache Tomcat 9.0 Tomcat9",
            "Id           : 0",
            "Message      : Server startup in 5210 ms",
            "",
            "TimeCreated  : 3/9/2026 2:05:10 PM",
            "ProviderName : Apache Tomcat 9.0 Tomcat9",
            "LevelDisplayName : Error",
            "Id           : 0",
            "Message      : Servlet.service() for servlet [dispatcher] threw exception",
            "               java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "               \tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
            "               \tat java.net.DualStackPlainSocketImpl.socketConnect(DualStackPlainSocketImpl.java:79)",
            "               \tat com.acme.RatesClient.fetch(RatesClient.java:41)",
        ]),
    ])
    func windowsEventLogTextIsReadAsRecords(_ text: String) throws {
        let report = Analyze.report(text, name: "application-events.txt")
        let input = try #require(report.inputs.first)
        #expect(input.wrapper == "Windows Event Log text (wevtutil /f:text, Format-List)")
        #expect(input.records == 2)
        #expect(input.traces == 1)
        #expect(input.levels["ERROR"] == 1)
        #expect(input.lastSeen?.text.hasPrefix("2026-03-09 14:05:10") == true)
        #expect(report.findings.first?.rule == "ephemeral-port-exhaustion")
        #expect(report.exceptions.first?.frames.count == 3)
    }

    @Test func aCRILineSplitIntoPiecesIsOneLineAtItsFirstPiece() throws {
        let text = Analyze.lines([
            "2026-03-09T14:03:34.892000000Z stdout F 2026-03-09 14:03:34,892 ERROR [w-1] c.a.Pay - charge failed",
            "2026-03-09T14:03:34.892000000Z stdout P java.net.SocketException: Conn",
            "2026-03-09T14:03:34.892000000Z stdout F ection reset",
            "2026-03-09T14:03:34.892000000Z stdout F \tat com.acme.Pay.charge(Pay.java:40)",
        ])
        let report = Analyze.report(text, name: "pod.log")
        let group = try #require(report.exceptions.first)
        #expect(group.exception == "java.net.SocketException: Connection reset")
        #expect(group.samples.first?.line == 2)
        #expect(report.inputs[0].wrapper == "CRI (containerd, CRI-O)")
    }
}
