import Foundation
import Testing
@testable import TriageKit

/// "In your code": the first frame that is neither the JDK's, a library's nor generated.
struct ApplicationCodeTests {
    let code = ApplicationCode.builtin

    @Test(arguments: [
        ("at com.acme.export.ExportService.loadAll(ExportService.java:88)", true),
        ("\tat app//com.acme.web.OrderController.create(OrderController.java:41)", true),
        ("com.acme.Main.main(Main.java:5)", true),
        ("orgchart.Tree.walk(Tree.java:7)", true),
        ("at java.base/java.net.SocketInputStream.socketRead0(Native Method)", false),
        ("java.base@17.0.15/java.lang.Thread.run(Thread.java:833)", false),
        ("at org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:313)", false),
        ("at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)", false),
        ("at com.acme.orders.OrderService$$EnhancerBySpringCGLIB$$3f2a1c.place(<generated>)", false),
        ("at com.acme.orders.OrderService$$Lambda$412/0x0000000800c1b440.apply(Unknown Source)", false),
        ("at jdk.proxy2.$Proxy87.findAll(Unknown Source)", false),
        ("at jdk.internal.reflect.GeneratedMethodAccessor87.invoke(Unknown Source)", false),
        // A module-qualified application frame keeps its package after the module.
        ("at com.acme.app/com.acme.Billing.charge(Billing.java:12)", true),
    ])
    func tellsTheApplicationFromTheRest(_ frame: String, _ expected: Bool) {
        #expect(code.isApplication(frame) == expected, "\(frame)")
    }

    @Test func anApplicationPackageReplacesTheGuess() {
        // An Apache developer's own code lives under org.apache.
        let named = code.naming(applicationPackages: ["org.apache.fineract"])
        #expect(named.isApplication("at org.apache.fineract.loan.LoanService.disburse(LoanService.java:210)"))
        #expect(!named.isApplication("at org.apache.http.impl.client.InternalHttpClient.doExecute(InternalHttpClient.java:186)"))
        #expect(!named.isApplication("at com.acme.Main.main(Main.java:5)"), "outside the named packages")
        #expect(!named.isApplication("at org.apache.fineractx.Other.run(Other.java:1)"), "a package is a whole name")
        #expect(!named.isApplication("at org.apache.fineract.Loan$HibernateProxy$x1.get(Unknown Source)"), "generated stays generated")
    }

    @Test(arguments: [("com.acme", true), ("com.acme.orders.", true), ("Main", true), ("com..acme", false), ("com acme", false),
                      ("", false), ("1com.acme", false)])
    func packageNames(_ text: String, _ valid: Bool) {
        #expect(ApplicationCode.isPackageName(text) == valid)
    }

    /// Spring wraps a Hikari timeout; the cause's own frames are the pool's and its `... N more`
    /// are the wrapper's: the search goes outwards to the first application frame.
    @Test func anExceptionGroupNamesTheApplicationFrameNearestTheFailure() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-4] c.a.e.ExportJob - export failed",
            "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:82)",
            "\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:376)",
            "\tat com.acme.export.ExportRepository$$EnhancerBySpringCGLIB$$91b2.findAll(<generated>)",
            "\tat com.acme.export.ExportService.loadAll(ExportService.java:88)",
            "\tat com.acme.export.ExportJob.run(ExportJob.java:31)",
            "\tat java.base/java.lang.Thread.run(Thread.java:833)",
            "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)",
            "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)",
            "\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:158)",
            "\t... 6 more",
        ]))
        let group = try #require(report.exceptions.first)
        #expect(group.applicationFrame == ApplicationFrame(frame: "com.acme.export.ExportService.loadAll(ExportService.java:88)",
                                                          source: "test.log", line: 6))
        let finding = try #require(report.findings.first { $0.rule == "connection-leak" })
        #expect(finding.applicationFrames?.first?.frame == "com.acme.export.ExportService.loadAll(ExportService.java:88)")
        // The JSON keeps the whole trace, both exceptions, with what `... 6 more` left out.
        let trace = try #require(group.trace)
        #expect(trace.map(\.relation) == ["thrown", "caused-by"])
        #expect(trace[0].frames.count == 6 && trace[1].frames.count == 4 && trace[1].framesLeftOut == 6)
    }

    @Test func aTraceWithoutApplicationCodeNamesNone() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [main] o.a.c.c.C.[Tomcat] - failed",
            "java.net.SocketTimeoutException: Read timed out",
            "\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)",
            "\tat org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)",
            "\tat java.base/java.lang.Thread.run(Thread.java:833)",
        ]))
        let group = try #require(report.exceptions.first)
        #expect(group.applicationFrame == nil)
        #expect(report.findings.allSatisfy { $0.applicationFrames == nil })
    }

    @Test func theRepresentativeTraceIsBounded() throws {
        var lines = ["2024-12-21 13:26:03,117 ERROR [main] c.a.Deep - failed", "java.lang.StackOverflowError"]
        for depth in 0..<400 { lines.append("\tat com.acme.deep.Recursion.step(Recursion.java:\(depth + 1))") }
        let group = try #require(Analyze.report(Analyze.lines(lines)).exceptions.first)
        let trace = try #require(group.trace)
        #expect(trace[0].frames.count == ExceptionGroupTable.traceFrameLimit)
        #expect(trace[0].framesLeftOut == 400 - ExceptionGroupTable.traceFrameLimit)
        #expect(group.applicationFrame?.frame == "com.acme.deep.Recursion.step(Recursion.java:1)")
    }

    /// A lock held too long: the holder's code is the line to change, named before its waiters'.
    @Test func aContentionFindingNamesTheHoldersCodeFirst() throws {
        var lines = ["2024-12-21 13:26:03", "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):", ""]
        lines += [
            "\"holder\" #20 prio=5 os_prio=0 cpu=900.00ms elapsed=60.00s tid=0x1 nid=0x100 runnable  [0x1]",
            "   java.lang.Thread.State: RUNNABLE",
            "\tat java.net.SocketInputStream.socketRead0(java.base@17.0.15/Native Method)",
            "\tat com.acme.cache.PriceCache.refresh(PriceCache.java:120)",
            "\t- locked <0x00000000c0000001> (a java.lang.Object)",
            "\tat com.acme.cache.PriceCache.get(PriceCache.java:64)",
            "",
        ]
        for index in 0..<6 {
            lines += [
                "\"exec-\(index)\" #\(30 + index) prio=5 os_prio=0 cpu=1.00ms elapsed=60.00s tid=0x2 nid=0x\(200 + index) waiting for monitor entry  [0x2]",
                "   java.lang.Thread.State: BLOCKED (on object monitor)",
                "\tat com.acme.cache.PriceCache.get(PriceCache.java:60)",
                "\t- waiting to lock <0x00000000c0000001> (a java.lang.Object)",
                "\tat com.acme.web.PriceController.show(PriceController.java:22)",
                "",
            ]
        }
        let finding = try #require(Analyze.report(Analyze.lines(lines)).findings.first { $0.rule == "lock-contention" })
        let frames = try #require(finding.applicationFrames)
        #expect(frames.map(\.frame) == ["com.acme.cache.PriceCache.refresh(PriceCache.java:120)", "com.acme.cache.PriceCache.get(PriceCache.java:60)"])
        #expect(frames[0].line == 4 && frames[1].count == 6)
    }
}

/// The library list as a user extends it, and `--app-package`, from the command line.
struct ApplicationCodeCommandLineTests {
    static let vendorLog = """
        2024-12-21 13:26:03,117 ERROR [exec-3] c.a.OrderClient - order failed
        org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool
        \tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:313)
        \tat com.vendor.sdk.RestCaller.call(RestCaller.java:90)
        \tat com.acme.orders.OrderClient.place(OrderClient.java:57)

        """

    @Test func aUserListMakesAVendorSDKALibrary() throws {
        let directory = try TestPaths.temporaryDirectory()
        try Self.vendorLog.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let before = try ProcessRunner.triage(["logs", "app.log", "--width", "0"], directory: directory)
        #expect(before.standardOutput.contains("in your code: com.vendor.sdk.RestCaller.call(RestCaller.java:90)  app.log:4"))
        let rules = directory.appending(path: "rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try """
            { libraries: [{ name: "Vendor SDK", packages: ["com.vendor."] }],
              examples: { application: ["com.acme.orders.OrderClient.place(OrderClient.java:57)"],
                          library: ["com.vendor.sdk.RestCaller.call(RestCaller.java:90)"] } }
            """.write(to: rules.appending(path: "vendor.json5"), atomically: true, encoding: .utf8)
        let after = try ProcessRunner.triage(["logs", "--rules", "rules", "app.log", "--width", "0"], directory: directory)
        #expect(after.standardOutput.contains("in your code: com.acme.orders.OrderClient.place(OrderClient.java:57)  app.log:5"))
        let check = try ProcessRunner.triage(["rules", "check", "rules"], directory: directory)
        #expect(check.status == 0)
        #expect(check.standardOutput.contains("ok    libraries (rules/vendor.json5): 1 packages, 2 examples pass"))
    }

    @Test func aListWhoseExampleFailsIsRefusedWithItsLine() throws {
        let directory = try TestPaths.temporaryDirectory()
        try """
            {
              libraries: [{ name: "Vendor SDK", packages: ["com.vendor."] }],
              examples: {
                application: ["com.vendor.sdk.RestCaller.call(RestCaller.java:90)"],
                library: [],
              },
              packges: [],
            }
            """.write(to: directory.appending(path: "vendor.json5"), atomically: true, encoding: .utf8)
        let check = try ProcessRunner.triage(["rules", "check", "."], directory: directory)
        #expect(check.status == 1)
        #expect(check.standardError.contains("./vendor.json5:4:"))
        #expect(check.standardError.contains("should be the application's code, but the list calls it a library's"))
        #expect(check.standardError.contains("./vendor.json5:7:3: unknown key 'packges' in the library list"))
    }

    @Test func appPackageNamesTheApplication() throws {
        let directory = try TestPaths.temporaryDirectory()
        try Self.vendorLog.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let named = try ProcessRunner.triage(["logs", "--app-package", "com.acme", "app.log", "--width", "0"], directory: directory)
        #expect(named.standardOutput.contains("in your code: com.acme.orders.OrderClient.place(OrderClient.java:57)  app.log:5"))
        let json = try ProcessRunner.triage(["logs", "--app-package=com.acme", "--format", "json", "app.log"], directory: directory)
        #expect(json.standardOutput.contains("\"applicationFrame\" : {"))
        let wrong = try ProcessRunner.triage(["logs", "--app-package", "com acme", "app.log"], directory: directory)
        #expect(wrong.status == 2)
        #expect(wrong.standardError.contains("--app-package 'com acme' is not a Java package"))
    }
}
