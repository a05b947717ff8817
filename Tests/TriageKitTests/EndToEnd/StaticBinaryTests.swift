import Foundation
import Testing

enum MountNamespace {
    static let unshare = "/usr/bin/unshare"
    static let available: Bool = {
        guard FileManager.default.isExecutableFile(atPath: unshare) else { return false }
        return (try? ProcessRunner.run(URL(fileURLWithPath: unshare), ["--mount", "true"]).status) == 0
    }()
}

/// The binary to copy to an incident host: built as the README says, with the Swift runtime
/// linked in, then run where the toolchain's libraries are hidden (a mount namespace lays an
/// empty folder over them) — as on a production host without Swift.
@Suite(.enabled(if: MountNamespace.available, "no unshare, or not allowed to make a mount namespace: the static binary is not checked"))
struct StaticBinaryTests {
    static let unshare = MountNamespace.unshare

    /// Where the dynamically linked build finds the Swift runtime (from its own `ldd`).
    static func runtimeFolder() throws -> String {
        let ldd = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/ldd"), [TestPaths.binary.path]).standardOutput
        let line = try #require(ldd.split(separator: "\n").first { $0.contains("libswiftCore.so") })
        let path = try #require(line.split(separator: " ").first { $0.hasPrefix("/") })
        return URL(fileURLWithPath: String(path)).deletingLastPathComponent().path
    }

    @Test func theStaticBinaryRunsWithoutTheToolchain() throws {
        let scratch = TestPaths.root.appending(path: ".build/static")
        let build = try ProcessRunner.shell("swift build -c release --static-swift-stdlib --product triage --scratch-path '\(scratch.path)' 2>&1",
                                            directory: TestPaths.root)
        #expect(build.status == 0, "\(build.standardOutput.suffix(800))")
        let binary = scratch.appending(path: "release/triage").path
        let ldd = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/ldd"), [binary]).standardOutput
        #expect(!ldd.contains("libswift") && !ldd.contains("libFoundation") && !ldd.contains("libdispatch"), "\(ldd)")
        let empty = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let hidden = try Self.runtimeFolder()
        func hiddenRun(_ executable: String) throws -> ProcessResult {
            let script = "mount --bind '\(empty.path)' '\(hidden)' && exec '\(executable)' logs samples/windows-port-exhaustion/ --brief"
            return try ProcessRunner.run(URL(fileURLWithPath: Self.unshare), ["--mount", "sh", "-c", script],
                                         environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"], directory: TestPaths.root)
        }
        // The hiding works: the ordinary build cannot start there.
        let dynamic = try hiddenRun(TestPaths.binary.path)
        #expect(dynamic.status != 0 && dynamic.standardError.contains("libswift"), "\(dynamic.standardError)")
        let copied = try hiddenRun(binary)
        #expect(copied.status == 0, "\(copied.standardError)")
        #expect(copied.standardOutput.contains("1. CRITICAL 0.99  Ephemeral ports exhausted by connection churn"))
    }
}
