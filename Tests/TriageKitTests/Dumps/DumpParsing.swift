@testable import TriageKit

/// Parses dump text through the whole pipeline and returns what the report says of it.
enum DumpParsing {
    static func dumps(_ lines: [String]) -> [DumpSummary] {
        Analyze.report(Analyze.lines(lines), name: "dump.txt").dumps
    }

    /// The parsed threads of each dump (the pipeline's own parsers, fed line by line).
    static func threads(_ lines: [String], javacore: Bool = false) -> [ThreadDump] {
        var found: [ThreadDump] = []
        let hotspot = HotSpotDumpParser(source: "dump.txt") { found.append($0) }
        let ibm = JavacoreParser(source: "javacore.txt") { found.append($0) }
        for (index, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                if javacore {
                    ibm.line(UnsafeRawBufferPointer(buffer), number: index + 1)
                } else {
                    hotspot.line(UnsafeRawBufferPointer(buffer), number: index + 1)
                }
            }
        }
        hotspot.finish()
        ibm.finish()
        return found
    }
}
