import Foundation
import Testing
@testable import TriageKit

/// Records are read where the line reader's block holds them, and a gzip's blocks are read
/// where the inflating thread left them: a record cut by a block's end must come out as if
/// it were read whole. The bundled samples, read in blocks of a few kilobytes (copied reads
/// and lent blocks, inline and on the records' thread), give the report they give read at once.
@Suite struct BlockBoundaryTests {
    static let logs = ["axis1-http-sender/catalina.out", "close-wait-javacore/SystemOut.log", "pool-saturation/report-service.log"]

    private func json(_ analysis: InputAnalysis) -> String {
        JSONReportRenderer().render(Analysis.merge([analysis], rules: RuleSet.builtin))
    }

    @Test(arguments: logs)
    func smallBlocksGiveTheReportOfOneRead(_ log: String) throws {
        let bytes = try Array(Data(contentsOf: TestPaths.samples.appending(path: log)))
        let once = Analysis.analyze(source: MemorySource(bytes), name: log, matcher: Analyze.matcher)
        // Records with traces and rule hits, many thousand bytes apart: blocks cut them.
        #expect(once.summary.traces > 10)
        #expect(once.tallies.contains { $0.records > 0 })
        let whole = json(once)
        let feeds: [(String, () -> ByteSource, Int, Int?)] = [
            ("copied, 4 KB", { MemorySource(bytes) }, 4096, nil),
            ("lent, 3001-byte blocks", { PrefetchingSource(MemorySource(bytes), blockSize: 3001, depth: 3) }, 4096, nil),
            ("lent, records' thread", { PrefetchingSource(MemorySource(bytes), blockSize: 3001, depth: 3) }, 4096, 16_384),
        ]
        for (feed, source, readSize, pipelineAfter) in feeds {
            let opened = source()
            defer { opened.close() }
            let analysis = Analysis.analyze(source: opened, name: log, matcher: Analyze.matcher, readSize: readSize, pipelineAfter: pipelineAfter)
            #expect(json(analysis) == whole, "\(log), \(feed)")
        }
    }
}
