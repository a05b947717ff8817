import Foundation
import Testing
@testable import TriageKit

@Suite struct InputCollectorTests {
    @Test func walksDirectoriesInNameOrderAndLeavesHiddenFilesOut() throws {
        let directory = try TestPaths.temporaryDirectory()
        try ProcessRunner.shell("mkdir -p b/inner .hidden && touch b/inner/z.log b/a.log c.log .dot.log .hidden/x.log", directory: directory)
        let collection = InputCollector.collect([directory.path])
        let names = collection.inputs.map { $0.displayName.replacingOccurrences(of: directory.path + "/", with: "") }
        #expect(names == ["b/a.log", "b/inner/z.log", "c.log"])
        #expect(collection.refused.isEmpty)
    }

    @Test func namesEachInputOnceAndReportsMissingPaths() throws {
        let directory = try TestPaths.temporaryDirectory()
        try ProcessRunner.shell("touch a.log", directory: directory)
        let file = directory.appending(path: "a.log").path
        let collection = InputCollector.collect([file, file, "-", "/nonexistent/x.log"])
        #expect(collection.inputs == [.file(path: file), .standardInput])
        #expect(collection.refused.count == 1)
        #expect(collection.refused.first?.location == .file(path: "/nonexistent/x.log"))
    }
}
