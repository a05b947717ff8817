import Foundation
import Testing

/// What the binary does on a terminal: colour and a progress line, unless told otherwise.
/// `script` gives the command a pseudo-terminal for standard output and standard error.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux `script` is absent"))
struct TerminalTests {
    private func onTerminal(_ arguments: String, noColor: Bool) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        if noColor { environment["NO_COLOR"] = "1" }
        let command = "\(TestPaths.binary.path) \(arguments)"
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
                                           environment: environment, directory: TestPaths.root)
        #expect(result.status == 0)
        return result.standardOutput
    }

    @Test func coloursAndProgressOnATerminal() throws {
        let output = try onTerminal("logs samples/windows-port-exhaustion/order-service.log", noColor: false)
        #expect(output.contains("\u{1B}[1;31mCRITICAL\u{1B}[0m"))
        #expect(output.contains("\r\u{1B}[Ktriage: "))
    }

    @Test func noColourWithNoColorButStillProgress() throws {
        let output = try onTerminal("logs samples/windows-port-exhaustion/order-service.log", noColor: true)
        #expect(!output.contains("\u{1B}[1;31m"))
        #expect(output.contains("CRITICAL"))
        #expect(output.contains("\r\u{1B}[Ktriage: "))
    }

    @Test func noProgressWhenAskedAndNoColourInAFile() throws {
        let file = try TestPaths.temporaryDirectory().appending(path: "report.txt")
        let output = try onTerminal("logs samples/windows-port-exhaustion/order-service.log --no-progress -o \(file.path)", noColor: false)
        #expect(!output.contains("triage: "))
        #expect(!(try String(contentsOf: file, encoding: .utf8)).contains("\u{1B}["))
    }

    @Test func textWrapsAtTheTerminalsWidth() throws {
        // stty runs first so the report sees a 100-column terminal.
        let wide = try onTerminalSized(columns: 100, "logs samples/pool-saturation/ --no-progress")
        // A terminal ends lines with \r\n, one Character in Swift: made plain first.
        let lines = wide.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 || !$0.drop { $0 == " " }.contains(" ") }, "a line passed 100 columns")
        #expect(lines.contains { $0.count > 80 }, "the terminal's 100 columns are used, not 80")
    }

    private func onTerminalSized(columns: Int, _ arguments: String) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        let command = "stty cols \(columns) rows 50; \(TestPaths.binary.path) \(arguments)"
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
                                           environment: environment, directory: TestPaths.root)
        #expect(result.status == 0)
        return result.standardOutput
    }
}
