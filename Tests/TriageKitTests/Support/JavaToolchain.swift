import Foundation

/// The JDK on this machine, for tests that run real JVMs: compile the fixture programs once,
/// launch one in a scenario, take its dumps with the JDK's own tools, stop it.
enum JavaToolchain {
    /// `javac`, `java`, `jstack`, `jcmd` from PATH, or nil when any is missing.
    static let tools: [String: URL]? = {
        var found: [String: URL] = [:]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["javac", "java", "jstack", "jcmd"] {
            guard let url = path.split(separator: ":").map({ URL(fileURLWithPath: String($0)).appending(path: name) })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else { return nil }
            found[name] = url
        }
        return found
    }()

    static var available: Bool { tools != nil }

    /// The JDK's keytool, beside `java` (the TLS tests make their certificates with it).
    static var keytool: URL {
        (tools?["java"]?.resolvingSymlinksInPath().deletingLastPathComponent() ?? URL(fileURLWithPath: "/usr/bin"))
            .appending(path: "keytool")
    }

    /// Debian's HttpClient 4 jars (libhttpclient-java), for the pool scenarios.
    static let httpClientJars: [String]? = {
        let jars = ["httpclient.jar", "httpcore.jar", "commons-logging.jar"].map { "/usr/share/java/" + $0 }
        return jars.allSatisfy { FileManager.default.fileExists(atPath: $0) } ? jars : nil
    }()

    /// Debian's DBCP 2 over H2 (libcommons-dbcp2-java, libh2-java), with HttpClient 4, for the
    /// pool-misuse scenarios.
    static let poolMisuseJars: [String]? = {
        let jars = ["commons-dbcp2.jar", "commons-pool2.jar", "h2.jar"].map { "/usr/share/java/" + $0 }
        guard let httpClient = httpClientJars, jars.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else { return nil }
        return httpClient + jars
    }()

    static let fixtures = TestPaths.root.appending(path: "Tests/TriageKitTests/Fixtures/java")

    /// The fixture programs, compiled once per test run.
    static let classes: Result<URL, Error> = {
        Result {
            let output = try TestPaths.temporaryDirectory().appending(path: "classes")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            var sources = ["Scenarios.java", "PortChurn.java", "MemoryFailures.java", "NetworkFailures.java", "ExecutorFailures.java"].map { fixtures.appending(path: $0).path }
            var arguments = ["-d", output.path]
            if let jars = poolMisuseJars ?? httpClientJars {
                arguments += ["-cp", jars.joined(separator: ":")]
                sources.append(fixtures.appending(path: "HttpPools.java").path)
                if poolMisuseJars != nil { sources.append(fixtures.appending(path: "PoolMisuse.java").path) }
            }
            let result = try ProcessRunner.run(tools!["javac"]!, arguments + sources)
            guard result.status == 0 else { throw JVMError("javac failed: \(result.standardError)") }
            return output
        }
    }()

    /// Starts a fixture program; `namespace` runs it inside that network namespace (`ip netns exec`).
    static func launch(_ arguments: [String], namespace: String? = nil) throws -> RunningJVM {
        let classes = try classes.get()
        let classpath = ([classes.path] + (poolMisuseJars ?? httpClientJars ?? [])).joined(separator: ":")
        let java = tools!["java"]!
        if let namespace {
            return try RunningJVM(java: NetworkNamespace.ip, arguments: ["netns", "exec", namespace, java.path, "-cp", classpath] + arguments)
        }
        return try RunningJVM(java: java, arguments: ["-cp", classpath] + arguments)
    }
}

struct JVMError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A JVM started by a test, killed when the test is done with it.
final class RunningJVM: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var output = ""

    init(java: URL, arguments: [String]) throws {
        process.executableURL = java
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty, let self else { return }
            self.lock.lock()
            self.output += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !printed.contains("READY") {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw JVMError("the JVM did not get ready: \(printed)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    var printed: String {
        lock.lock()
        defer { lock.unlock() }
        return output
    }

    /// `PORT n` printed by the HTTP scenarios.
    var port: Int? {
        printed.split(separator: "\n").first { $0.hasPrefix("PORT ") }.flatMap { Int($0.dropFirst(5)) }
    }

    var pid: Int32 { process.processIdentifier }

    /// Runs a JDK tool against this JVM and saves what it printed to `file`.
    func capture(_ tool: String, _ arguments: [String], to file: URL) throws {
        let result = try ProcessRunner.run(JavaToolchain.tools![tool]!, arguments)
        guard result.status == 0 else { throw JVMError("\(tool) failed: \(result.standardError)") }
        try result.standardOutput.write(to: file, atomically: true, encoding: .utf8)
    }

    func jstack(to file: URL) throws { try capture("jstack", ["-l", "\(pid)"], to: file) }
    func jcmdThreadPrint(to file: URL) throws { try capture("jcmd", ["\(pid)", "Thread.print", "-l"], to: file) }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}
