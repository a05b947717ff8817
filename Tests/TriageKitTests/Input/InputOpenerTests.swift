import Foundation
import Testing
@testable import TriageKit

@Suite struct InputOpenerTests {
    private func write(_ bytes: [UInt8], name: String = "input") throws -> URL {
        let url = try TestPaths.temporaryDirectory().appending(path: name)
        try Data(bytes).write(to: url)
        return url
    }

    private func readAll(_ url: URL, encoding: LegacyEncoding? = nil) throws -> (text: String, format: InputFormat) {
        let opened = try InputOpener.open(.file(path: url.path), legacyEncoding: encoding)
        let sink = CollectingSink()
        try LineReader(source: opened.source).read(into: sink)
        return (sink.lines.map(\.text).joined(separator: "\n"), opened.format)
    }

    private func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    static let dumpLine = "\"main\" #1 prio=5 os_prio=0 tid=0x00007f tid nid=0x1 runnable 连接"

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func readsUTF16InEitherByteOrderWithOrWithoutMark(bigEndian: Bool, bom: Bool) throws {
        let text = "2024-12-21 13:26:03,117 ERROR [main] a.B - x\n" + InputOpenerTests.dumpLine + "\nend 😀\n"
        let (read, format) = try readAll(try write(utf16(text, bigEndian: bigEndian, bom: bom)))
        #expect(read == String(text.dropLast()))
        #expect(format.encoding == (bigEndian ? .utf16BigEndian : .utf16LittleEndian))
    }

    @Test func readsGzipWithSeveralMembers() throws {
        let directory = try TestPaths.temporaryDirectory()
        try ProcessRunner.shell("printf 'one\\ntwo\\n' | gzip > a.gz && printf 'three\\n' | gzip >> a.gz", directory: directory)
        let (read, format) = try readAll(directory.appending(path: "a.gz"))
        #expect(read == "one\ntwo\nthree")
        #expect(format.gzip)
    }

    @Test func gzipIsRecognisedByItsBytesNotItsName() throws {
        let directory = try TestPaths.temporaryDirectory()
        try ProcessRunner.shell("printf 'hello\\n' | gzip > app.log", directory: directory)
        let (read, format) = try readAll(directory.appending(path: "app.log"))
        #expect(read == "hello")
        #expect(format.gzip)
    }

    @Test func aTruncatedGzipFailsAfterDeliveringWhatItCould() throws {
        let directory = try TestPaths.temporaryDirectory()
        try ProcessRunner.shell("seq 1 200000 | gzip > big.gz && head -c 60000 big.gz > cut.gz", directory: directory)
        let opened = try InputOpener.open(.file(path: directory.appending(path: "cut.gz").path))
        let sink = CollectingSink()
        #expect(throws: ByteSourceError.self) { try LineReader(source: opened.source).read(into: sink) }
        #expect(sink.lines.count > 1000)
        #expect(sink.lines[999].text == "1000")
    }

    @Test func refusesMissingFiles() throws {
        #expect(throws: InputRefusal.unreadable(reason: "No such file or directory; check the path")) {
            _ = try InputOpener.open(.file(path: "/nonexistent/app.log"))
        }
    }

    @Test func skipsBinaryAndUnsupportedCompression() throws {
        let binary = try write([0x4A, 0x41, 0x56, 0x41, 0x20, 0x50, 0x52, 0x4F] + [UInt8](repeating: 0, count: 200))
        #expect(throws: InputRefusal.self) { _ = try InputOpener.open(.file(path: binary.path)) }
        let xz = try write([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04])
        do {
            _ = try InputOpener.open(.file(path: xz.path))
            Issue.record("xz data must be refused")
        } catch {
            guard case .skipped(let reason) = error else { Issue.record("expected a skip"); return }
            #expect(reason.contains("xz -dk"))
        }
    }

    @Test func invalidUTF8PassesThroughAndGBKDecodesWhenNamed() throws {
        // "远程主机" in GBK inside an otherwise ASCII line.
        let bytes: [UInt8] = Array("2024-12-21 13:26:03,117 ERROR [main] a.B - ".utf8) + [0xD4, 0xB6, 0xB3, 0xCC, 0xD6, 0xF7, 0xBB, 0xFA, 0x0A]
        let url = try write(bytes)
        let lossy = try readAll(url).text
        #expect(lossy.hasPrefix("2024-12-21 13:26:03,117 ERROR [main] a.B - "))
        #expect(lossy.contains("\u{FFFD}"))
        #expect(try readAll(url, encoding: .gbk).text.hasSuffix("远程主机"))
    }
}

/// The source that inflates ahead on its own thread hands out the same bytes, in order, then
/// the error, and stops cleanly when closed early.
struct PrefetchingSourceTests {
    final class CountingSource: ByteSource {
        var remaining: Int
        let failAtEnd: Bool
        var next: UInt8 = 0
        var closed = false
        init(bytes: Int, failAtEnd: Bool) { remaining = bytes; self.failAtEnd = failAtEnd }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            if remaining == 0 {
                if failAtEnd { throw ByteSourceError("disk on fire") }
                return 0
            }
            let count = min(buffer.count, remaining, 1000)
            for index in 0..<count { buffer[index] = next; next &+= 1 }
            remaining -= count
            return count
        }
        func close() { closed = true }
    }

    static func drain(_ source: ByteSource, chunk: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { return all }
            all += buffer[0..<count]
        }
    }

    @Test func handsOutTheSameBytesInOrder() throws {
        let inner = CountingSource(bytes: 123_457, failAtEnd: false)
        let source = PrefetchingSource(inner, blockSize: 4096, depth: 3)
        let bytes = try Self.drain(source, chunk: 777)
        #expect(bytes.count == 123_457)
        #expect(bytes.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset) })
        source.close()
        #expect(inner.closed)
    }

    @Test func deliversTheErrorAfterTheBytesBeforeIt() {
        let source = PrefetchingSource(CountingSource(bytes: 10_000, failAtEnd: true), blockSize: 4096, depth: 2)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var total = 0
        var failure: String?
        do {
            while true {
                let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { break }
                total += count
            }
        } catch {
            failure = (error as? ByteSourceError)?.reason
        }
        #expect(total == 10_000)
        #expect(failure == "disk on fire")
        source.close()
    }

    @Test func stopsWhenClosedBeforeTheEnd() throws {
        let inner = CountingSource(bytes: 10_000_000, failAtEnd: false)
        let source = PrefetchingSource(inner, blockSize: 4096, depth: 2)
        var buffer = [UInt8](repeating: 0, count: 100)
        _ = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        source.close()
        #expect(inner.closed)
        #expect(inner.remaining > 0)
    }
}
