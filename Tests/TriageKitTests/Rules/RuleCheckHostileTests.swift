import Foundation
import Testing

/// `triage rules check` (and `--rules`) on rule folders no one should write: each problem is
/// named at its file, line and column, quickly, and nothing crashes or stalls.
@Suite struct RuleCheckHostileTests {
    static func check(_ files: [String: String]) throws -> (ProcessResult, Double) {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files { try text.write(to: directory.appending(path: name), atomically: true, encoding: .utf8) }
        let started = Date()
        let result = try ProcessRunner.triage(["rules", "check", directory.path])
        let seconds = Date().timeIntervalSince(started)
        let dir = directory.path + "/"
        return (ProcessResult(status: result.status, standardOutput: result.standardOutput,
                              standardError: result.standardError.replacingOccurrences(of: dir, with: "")), seconds)
    }

    static func rule(signals: String) -> String {
        """
        { id: "x-rule", title: "X", severity: "low", summary: "S",
          signals: [\(signals)],
          guidance: { steps: ["x"] },
          examples: { match: [["2024-12-21 13:26:03,117 ERROR [main] a.B - boom happened"]], noMatch: [["quiet"]] } }
        """
    }

    @Test func malformedJSON5IsLocated() throws {
        let (result, _) = try Self.check(["broken.json5": "{\n  id: \"x\",\n  title: 'unclosed\n}\n"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("broken.json5:3:19: JSON5 syntax: a string is not closed before the end of the line"))
    }

    @Test func deepNestingIsRefusedQuickly() throws {
        let (result, seconds) = try Self.check(["nested.json5": String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)])
        #expect(result.status == 1)
        #expect(result.standardError.contains("nested.json5:1:33: JSON5 syntax: values nested more than 32 levels deep"))
        #expect(seconds < 10)
    }

    @Test func aHugeRuleFileIsRefusedWithoutReadingIt() throws {
        let (result, seconds) = try Self.check(["huge.json5": "// " + String(repeating: "x", count: 10 << 20) + "\n{}"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("huge.json5: 10 MB is too large for a rule (at most 1.0 MB)"))
        #expect(seconds < 10)
    }

    @Test func tenThousandSignalsAreRefused() throws {
        let signals = (0..<10_000).map { "{ id: \"s-\($0)\", description: \"d\", weight: 0.1, message: [\"boom happened \($0)\"] }" }
        let (result, seconds) = try Self.check(["many.json5": Self.rule(signals: signals.joined(separator: ",\n"))])
        #expect(result.status == 1)
        #expect(result.standardError.contains("many.json5:2:3: 10000 signals; a rule has at most 256"))
        #expect(seconds < 30)
    }

    @Test func literalsTooShortForThePrefilterAreRefused() throws {
        let (result, _) = try Self.check(["short.json5": Self.rule(signals: "{ id: \"s-one\", description: \"d\", weight: 0.5, message: [\"ab\"] }")])
        #expect(result.status == 1)
        #expect(result.standardError.contains("short.json5:2:13: signal 's-one' is gated by 'ab', shorter than 4 characters"))
    }

    @Test func aBadFileDoesNotHideTheGoodOnes() throws {
        let good = Self.rule(signals: "{ id: \"s-one\", description: \"d\", weight: 0.5, message: [\"boom happened\"] }")
        let (result, _) = try Self.check(["a-broken.json5": "{", "b-good.json5": good])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("ok    x-rule (") && result.standardOutput.contains("b-good.json5): 2 examples pass"))
        #expect(result.standardError.contains("a-broken.json5:1:2: JSON5 syntax"))
    }
}
