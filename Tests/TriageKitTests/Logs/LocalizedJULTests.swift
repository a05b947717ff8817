import Foundation
import Testing
@testable import TriageKit

/// java.util.logging's SimpleFormatter (catalina.out) under a JVM whose locale is not English:
/// the month, the AM/PM marker and the level are the locale's. Read as one record per event,
/// with its time and level, as the English layout is.
struct LocalizedJULTests {
    /// Header lines as the JDK writes them (its CLDR data, and COMPAT, JDK 8's default).
    @Test(arguments: [
        ("12月 07, 2026 2:05:09 下午 org.acme.Orders place", "2026-12-07 14:05:09.000"),
        ("十二月 07, 2026 2:05:09 下午 org.acme.Orders place", "2026-12-07 14:05:09.000"),
        ("12 07, 2026 2:05:09 午後 org.acme.Orders place", "2026-12-07 14:05:09.000"),
        ("3월 07, 2026 12:05:09 오전 org.acme.Orders place", "2026-03-07 00:05:09.000"),
        ("Dez. 07, 2026 2:05:09 PM org.acme.Orders place", "2026-12-07 14:05:09.000"),
        ("févr. 07, 2026 11:05:09 AM org.acme.Orders place", "2026-02-07 11:05:09.000"),
        ("dic 07, 2026 2:05:09 P.\u{A0}M. org.acme.Orders place", "2026-12-07 14:05:09.000"),
        ("Haz 07, 2026 2:05:09 ÖS org.acme.Orders place", "2026-06-07 14:05:09.000"),
        ("дек. 07, 2026 2:05:09 PM org.acme.Orders place", "2026-12-07 14:05:09.000"),
        ("2011-3-16 14:17:30 org.apache.tomcat.util.net.JIoEndpoint$Acceptor run", "2011-03-16 14:17:30.000"),
        // A month English shares, then another locale's marker (Turkish; JDK 8's German `Mrz`).
        ("Mar 07, 2026 2:05:09 ÖS org.acme.Orders place", "2026-03-07 14:05:09.000"),
        ("Mar 07, 2026 12:15:09 ÖÖ org.acme.Orders place", "2026-03-07 00:15:09.000"),
        ("Mrz 07, 2026 2:05:09 PM org.acme.Orders place", "2026-03-07 14:05:09.000"),
    ])
    func readsTheLocalesHeaderLine(_ line: String, _ time: String) throws {
        let header = try #require(Self.header(line))
        #expect(header.style == .julTwoLine)
        #expect(header.timestamp?.text == time)
        #expect(line.utf8.dropFirst(header.messageStart).starts(with: "org.".utf8))
    }

    /// Nearest neighbours: the same shape with a word that is no month, or a marker that is no
    /// AM/PM (the hour could be twelve off), is no header.
    @Test(arguments: [
        "Pedido 07, 2026 2:05:09 PM org.acme.Orders place",
        "dic 07, 2026 2:05:09 XY org.acme.Orders place",
        "dic 07 2026 2:05:09 PM org.acme.Orders place",
        "13月 07, 2026 2:05:09 下午 org.acme.Orders place",
        "2011-3-16 is when it began",
    ])
    func refusesItsNeighbours(_ line: String) {
        #expect(Self.header(line) == nil)
    }

    /// The same unpadded date with a level of its own on the line: that level, not the next line's.
    @Test func anUnpaddedDateWithItsLevel() throws {
        let header = try #require(Self.header("2024-1-5 9:03:07 ERROR [main] c.a.B - boom"))
        #expect(header.level == .error)
        #expect(header.timestamp?.text == "2024-01-05 09:03:07.000")
    }

    @Test(arguments: [
        ("严重: Socket accept failed", LogLevel.error), ("SCHWERWIEGEND: x", .error), ("AVERTISSEMENT: x", .warn),
        ("INFORMACIÓN: x", .info), ("AM FEINSTEN: x", .trace), ("보다 미세: x", .trace), ("警告：全角", .warn),
    ])
    func readsTheLocalesLevel(_ line: String, _ level: LogLevel) {
        #expect(Array(line.utf8).withUnsafeBytes { LocalizedJUL.level($0) } == level)
    }

    @Test(arguments: ["Caused by: java.io.IOException", "Note: retrying", "GRAVEYARD: x", "严重"])
    func levelRefusesItsNeighbours(_ line: String) {
        #expect(Array(line.utf8).withUnsafeBytes { LocalizedJUL.level($0) } == nil)
    }

    static func header(_ line: String) -> LogHeader? {
        Array(line.utf8).withUnsafeBytes { LogHeaderParser.parse($0) }
    }

    /// A real JVM's catalina.out-style log in each locale: 7 records (5 SEVERE with a trace),
    /// stamped with the time they were written, and the acceptor's failure found.
    @Test(.enabled(if: JavaToolchain.available, "no JDK: the localized java.util.logging test is skipped"),
          arguments: [
              ["-Duser.language=zh", "-Duser.country=CN"],
              ["-Duser.language=zh", "-Duser.country=CN", "-Djava.locale.providers=COMPAT"],
              ["-Duser.language=zh", "-Duser.country=CN", "-Djava.locale.providers=COMPAT", "java6"],
              ["-Duser.language=ja", "-Duser.country=JP", "-Djava.locale.providers=COMPAT"],
              ["-Duser.language=ko", "-Duser.country=KR"],
              ["-Duser.language=de", "-Duser.country=DE"],
              ["-Duser.language=fr", "-Duser.country=FR"],
              ["-Duser.language=es", "-Duser.country=ES"],
              ["-Duser.language=pt", "-Duser.country=BR"],
              ["-Duser.language=tr", "-Duser.country=TR"],
          ])
    func readsARealJVMsLogInEachLocale(_ options: [String]) throws {
        let java6 = options.last == "java6"
        let started = Date()
        let jvm = try JavaToolchain.launch(options.filter { $0 != "java6" } + ["-Duser.timezone=UTC", "Scenarios", "jul-acceptor"]
                                           + (java6 ? ["java6"] : []))
        let log = jvm.printed.replacingOccurrences(of: "READY\n", with: "")
        jvm.stop()
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "catalina.out")
        try log.write(to: file, atomically: true, encoding: .utf8)

        let report = Analysis.run(.init(paths: [file.path], rules: .builtin)).report
        let input = try #require(report.inputs.first)
        #expect(input.records == 7, "\(options): \(log.prefix(400))")
        #expect(input.levels == ["INFO": 1, "ERROR": 5, "WARN": 1], "\(options)")
        // Written a moment ago, in UTC: an AM/PM read wrong would be twelve hours off.
        let first = try #require(input.firstSeen, "\(options): no time read")
        #expect(first.hasDate)
        #expect(abs(Double(first.milliseconds) / 1000 - started.timeIntervalSince1970) < 120, "\(options): \(first.text) is not \(started)")
        #expect(report.findings.first?.rule == "fd-exhaustion")
        #expect(report.findings.first?.evidence.first?.count == 5)
    }
}
