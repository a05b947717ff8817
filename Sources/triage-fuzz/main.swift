import Foundation
import TriageKit

// Drives one fuzz target. Built with libFuzzer (see .ci/fuzz), it hands the target to
// libFuzzer; built plainly, it replays inputs (a crash's file) or runs a mutation smoke.

let usage = """
usage: triage-fuzz --list
       triage-fuzz --target NAME [--seeds PATH]... [--smoke N] [FILE...]   (plain build)
       triage-fuzz --target NAME [--seeds PATH]... CORPUS_DIR [libFuzzer flags]   (libFuzzer build, see .ci/fuzz)
"""

nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected?.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("triage-fuzz: \(message)\n".utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var seedPaths: [String] = []
var smoke = 0
var rest: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--list":
        for target in FuzzTarget.all { print(target.name.padding(toLength: 16, withPad: " ", startingAt: 0) + target.summary) }
        exit(0)
    case "--target":
        guard let name = arguments.first, let target = FuzzTarget.named(name) else {
            fail("--target needs one of: " + FuzzTarget.all.map(\.name).joined(separator: ", "))
        }
        selected = target
        arguments.removeFirst()
    case "--seeds":
        guard let path = arguments.first else { fail("--seeds needs a path") }
        seedPaths.append(path)
        arguments.removeFirst()
    case "--smoke":
        guard let value = arguments.first.flatMap({ Int($0) }), value >= 0 else { fail("--smoke needs a count") }
        smoke = value
        arguments.removeFirst()
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        rest.append(argument)
    }
}
// libFuzzer's -fork runs this program again without --target: the environment carries it.
if selected == nil, let name = ProcessInfo.processInfo.environment["TRIAGE_FUZZ_TARGET"] { selected = FuzzTarget.named(name) }
guard let target = selected else { fail("no --target given\n" + usage) }
setenv("TRIAGE_FUZZ_TARGET", target.name, 1)
let seeds = FuzzSeeds.collect(seedPaths, for: target)

#if LIBFUZZER
// The seeds go into a directory of their own, read by libFuzzer after the corpus (the first
// directory, where it writes what it finds); the dictionary beside them.
let work = URL(fileURLWithPath: ".build/fuzz/\(target.name)")
let seedDirectory = work.appendingPathComponent("seeds")
try? FileManager.default.createDirectory(at: seedDirectory, withIntermediateDirectories: true)
for (index, seed) in seeds.enumerated() {
    try? Data(seed).write(to: seedDirectory.appendingPathComponent(String(format: "seed-%04d", index)))
}
let dictionary = work.appendingPathComponent("dictionary")
let entries = target.dictionary.map { word in
    "\"" + word.utf8.map { byte in
        byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
    }.joined() + "\""
}
try? entries.joined(separator: "\n").write(to: dictionary, atomically: true, encoding: .utf8)
var driverArguments = [CommandLine.arguments[0]] + rest.filter { $0.hasPrefix("-") }
driverArguments += rest.filter { !$0.hasPrefix("-") }
// Only the first run adds seeds and the dictionary; -fork's workers get theirs from it.
if !seedPaths.isEmpty { driverArguments += [seedDirectory.path, "-dict=\(dictionary.path)"] }
var argc = CInt(driverArguments.count)
var argv = driverArguments.map { strdup($0)! } + [nil]
let status = argv.withUnsafeMutableBufferPointer { buffer in
    var pointer = buffer.baseAddress!
    return withUnsafeMutablePointer(to: &pointer) { LLVMFuzzerRunDriver(&argc, $0, fuzzOneInput) }
}
exit(status)
#else
// Plain build: replay the files given (each read whole: they are fuzz inputs, small), then
// `smoke` mutations of the seeds.
for path in rest {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    let bytes = [UInt8](data)
    bytes.withUnsafeBytes { target.run($0) }
    print("\(path): ok")
}
if smoke > 0 {
    var mutator = FuzzMutator(seed: 0x5EED, dictionary: target.dictionary)
    let starts = seeds.isEmpty ? [[UInt8]()] : seeds
    for round in 0..<smoke {
        let input = mutator.mutate(starts[round % starts.count])
        input.withUnsafeBytes { target.run($0) }
    }
    print("\(target.name): \(smoke) mutations of \(starts.count) seeds, no crash")
}
#endif
