import Foundation
import Testing
@testable import TriageKit

/// The fuzz targets in the test suite: every input a fuzzer ever crashed triage with is replayed
/// (`Fixtures/fuzz/TARGET/`, minimal inputs), and each target takes a short mutation run from
/// the bundled samples and rules. A trap here stops the test process, which fails the run.
/// The long runs are `.ci/fuzz` (libFuzzer and AddressSanitizer).
struct FuzzSmokeTests {
    static let fixtures = TestPaths.root.appending(path: "Tests/TriageKitTests/Fixtures/fuzz")

    @Test func everyTargetHasADictionaryAndADistinctName() {
        #expect(Set(FuzzTarget.all.map(\.name)).count == FuzzTarget.all.count)
        for target in FuzzTarget.all { #expect(!target.dictionary.isEmpty, "\(target.name)") }
    }

    @Test func replaysEveryCrashEverFound() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).sorted()
        #expect(folders.count >= 6)
        for folder in folders {
            let target = try #require(FuzzTarget.named(folder), "Fixtures/fuzz/\(folder) names no target")
            let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.appending(path: folder).path).sorted()
            #expect(!files.isEmpty)
            for file in files {
                let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appending(path: "\(folder)/\(file)")))
                bytes.withUnsafeBytes { target.run($0) }
            }
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func mutatesTheSamples(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = FuzzSeeds.collect([TestPaths.samples.path, TestPaths.rules.path], for: target, perFile: 8)
        var mutator = FuzzMutator(seed: UInt64(name.utf8.reduce(5381) { $0 &* 33 &+ Int($1) }.magnitude), dictionary: target.dictionary,
                                  maxLength: 16 << 10)
        let starts = seeds.isEmpty ? [[UInt8]()] : seeds
        // Whole inputs cost more each (they render three reports): fewer rounds.
        let rounds = name == "input" ? 60 : 250
        for round in 0..<rounds {
            let input = mutator.mutate(starts[round % starts.count])
            input.withUnsafeBytes { target.run($0) }
        }
        #expect(name == "rules" || !seeds.isEmpty, "the samples hold something the \(name) target reads")
    }
}
