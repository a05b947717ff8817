import Foundation
import Testing
@testable import TriageKit

/// Inputs that change or balloon while they are read: a log still being written, one truncated
/// by a rotation, a gzip bomb. Each ends at a stated point with a message, in bounded memory.
struct ChangingInputTests {
    static func readAll(_ source: ByteSource, chunk: Int = 64 << 10) throws -> Int {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { return total }
            total += count
        }
    }

    @Test func aGrowingFileIsReadAsItWasWhenOpened() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "app.log")
        try Data(repeating: 0x41, count: 100_000).write(to: file)
        let source = try FileDescriptorSource(path: file.path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        #expect(try source.read(into: buffer) == 4096)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x42, count: 1_000_000))
        try handle.close()
        #expect(try 4096 + ChangingInputTests.readAll(source) == 100_000)
        #expect(source.notes == ["it grew by 1.0 MB while it was read; the 100 KB it held when triage opened it were read"])
    }

    @Test func aFileTruncatedWhileReadIsAnErrorNotAnEnd() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "app.log")
        try Data(repeating: 0x41, count: 1_000_000).write(to: file)
        let source = try FileDescriptorSource(path: file.path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)
        defer { buffer.deallocate() }
        #expect(try source.read(into: buffer) == 65_536)
        #expect(truncate(file.path, 100_000) == 0)
        #expect(throws: ByteSourceError("the file shrank from 1.0 MB to 100 KB while it was read (truncated, or rotated with copytruncate)")) {
            _ = try ChangingInputTests.readAll(source)
        }
    }

    @Test func aFileTruncatedWhileReadIsReportedPartialWithItsLine() throws {
        // Through the analysis: the lines before the cut count, the input is partial, exit 3's reason names the line.
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "app.log")
        let line = "2024-12-21 13:26:03,117 INFO [main] c.e.X - line\n"
        try Data(String(repeating: line, count: 40_000).utf8).write(to: file)
        let truncating = TruncatingSource(try FileDescriptorSource(path: file.path), path: file.path, after: 300_000)
        let opened = OpenedInput(source: truncating, format: InputFormat())
        let analysis = Analysis.analyze(opened, name: "app.log", matcher: Analyze.matcher, window: nil)
        #expect(analysis.summary.status == .partial)
        #expect(analysis.summary.lines > 5000 && analysis.summary.lines < 40_000)
        #expect(analysis.problem?.description.hasPrefix("app.log:\(analysis.summary.lines + 1): reading stopped: the file shrank") == true)
    }

    @Test func aGzipBombStopsAtAStatedSize() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try ProcessRunner.shell("head -c 268435456 /dev/zero | tr '\\\\0' A | gzip -9 -c > bomb.gz", directory: directory)
        let compressed = try Data(contentsOf: directory.appending(path: "bomb.gz"))
        let source = try GzipSource(MemorySource([UInt8](compressed)), bombFloor: 1 << 20)
        var message = ""
        do {
            _ = try ChangingInputTests.readAll(source)
        } catch let error as ByteSourceError {
            message = error.reason
        }
        #expect(message.contains("more than 1000×): a gzip bomb or one byte repeated, not a log; reading stopped there"))
        #expect(source.inflatedBytes < 4 << 20, "stopped soon after the floor, not at 256 MB")
    }
}

/// Truncates its file once `after` bytes were read, as a rotation with copytruncate does.
final class TruncatingSource: ByteSource {
    private let inner: FileDescriptorSource
    private let path: String
    private let after: Int
    private var read = 0
    private var truncated = false

    init(_ inner: FileDescriptorSource, path: String, after: Int) {
        self.inner = inner
        self.path = path
        self.after = after
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if read >= after, !truncated {
            truncated = true
            _ = truncate(path, after / 2)
        }
        let count = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(4096)))
        read += count
        return count
    }

    func close() { inner.close() }
}
