import Foundation

/// Runs a command and collects what it printed.
struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

enum ProcessRunner {
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    static func run(_ executable: URL, _ arguments: [String], input: Data? = nil,
                    environment: [String: String]? = nil, directory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        // Drain both pipes while the process runs, so a large report cannot block it.
        let outputData = LockedData(), errorData = LockedData()
        let group = DispatchGroup()
        for (pipe, sink) in [(output, outputData), (error, errorData)] {
            group.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        // A command may exit without reading its input (a usage error): the write then fails
        // with EPIPE, which must not kill the test process with SIGPIPE.
        _ = ignoreBrokenPipes
        if let input { try? standardInput.fileHandleForWriting.write(contentsOf: input) }
        try? standardInput.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return ProcessResult(status: process.terminationStatus,
                             standardOutput: String(decoding: outputData.get(), as: UTF8.self),
                             standardError: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// Runs the built `triage` with `arguments`, from the package root (or `directory`), without colour.
    static func triage(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
                       directory: URL? = nil) throws -> ProcessResult {
        var variables = ProcessInfo.processInfo.environment
        variables["NO_COLOR"] = "1"
        for (key, value) in environment { variables[key] = value }
        return try run(TestPaths.binary, arguments, input: input, environment: variables, directory: directory ?? TestPaths.root)
    }

    /// Runs a shell command line (for gzip and friends in fixtures).
    @discardableResult
    static func shell(_ command: String, directory: URL? = nil) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], directory: directory)
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
