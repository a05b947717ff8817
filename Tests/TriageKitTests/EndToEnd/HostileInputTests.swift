import Foundation
import Testing
import TriageKit

/// What an incident leaves behind can be truncated, binary, hand-edited or still being written.
/// Through the real binary: each hostile input gives a one-line error naming it (and its line),
/// never a crash or a hang; the good inputs beside it are still analysed; nothing is modified.
@Suite struct HostileInputTests {
    static let goodLog = "samples/pool-timeouts/search-service.log"

    /// A folder of hostile inputs (and one good log), with what each must produce.
    final class Fixture {
        let directory: URL
        /// File name → a text its `Read` line or its error must contain.
        var expected: [String: String] = [:]

        init() throws {
            directory = try TestPaths.temporaryDirectory()
            let good = try Data(contentsOf: TestPaths.root.appending(path: HostileInputTests.goodLog))
            func write(_ name: String, _ data: Data, _ expectation: String) throws {
                try data.write(to: directory.appending(path: name))
                expected[name] = expectation
            }
            try write("good.log", good, "good.log: 320 KB, 3,575 lines")
            var random = SplitMix64(seed: 7)
            try write("garbage.bin", Data((0..<65_536).map { _ in UInt8(truncatingIfNeeded: random.next()) }),
                      "garbage.bin: skipped: binary data")
            try write("empty.log", Data(), "empty.log: 0 B, 0 lines")
            let invalid = Data("2024-12-21 13:26:03,117 ERROR [main] c.e.X - caf\u{E9} \u{1F600}\n".utf8)
                + Data([0xC3, 0x28, 0xFF, 0xFE, 0x0A])
                + Data("java.net.SocketException: Connection reset\n\tat a.b.C.d(C.java:1)\n".utf8)
            try write("invalid-utf8.log", invalid, "invalid-utf8.log: 126 B, 4 lines, 1 records, 1 stack traces")
            // UTF-16LE with a mark, a lone high surrogate, a lone low one, and a second mark mid-file.
            var utf16: [UInt16] = [0xFEFF]
            utf16 += Array("2024-12-21 13:26:03,117 ERROR [main] c.e.X - ".utf16) + [0xD800, 0x41, 0xDC00, 0x0A, 0xFEFF]
            utf16 += Array("java.net.SocketException: Connection reset\n\tat a.b.C.d(C.java:1)\n".utf16)
            try write("utf16-surrogates.log", Data(utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
                      "utf16-surrogates.log [utf-16le]:")
            let gzipped = try HostileInputTests.gzip(good)
            try write("truncated.log.gz", gzipped.prefix(gzipped.count / 2),
                      "truncated.log.gz:")
            var badCRC = try HostileInputTests.gzip(Data("2024-12-21 13:26:03,117 ERROR [main] c.e.X - boom\n".utf8))
            badCRC[badCRC.count - 8] ^= 0xFF
            try write("bad-crc.log.gz", badCRC, "bad-crc.log.gz:2: reading stopped: the gzip data is corrupt (incorrect data check)")
            try write("trailing-garbage.log.gz", gzipped + Data((0..<3000).map { _ in UInt8(truncatingIfNeeded: random.next()) }),
                      "trailing-garbage.log.gz:3576: reading stopped: 3,000 bytes after the gzip data are neither gzip nor text")
            try write("appended.log.gz", gzipped + Data("2024-12-21 15:00:00,000 ERROR [main] c.e.X - after rotation\n".utf8),
                      "appended.log.gz [gzip]: 321 KB, 3,576 lines, 422 records")
            try write("copytruncate.log", Data(count: 1024) + good, "1,024 NUL bytes at its start were skipped")
            let dump = """
            Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):

            "worker-1" #31 prio=5 os_prio=0 cpu=10.00ms elapsed=1.00s tid=0x1 nid=0x1092 waiting for monitor entry  [0x0]
               java.lang.Thread.State: BLOCKED (on object monitor)
            \tat com.example.Ledger.post(Ledger.java:10)
            \t- waiting to lock <0x00000000aaaa> (a java.lang.Object)

            "worker-2" #32 prio=5 os_prio=0 cpu=10.00ms elapsed=1.00s tid=0x2 nid=0x1093 runn
            """
            try write("dump-cut.txt", Data(dump.utf8), "dump-cut.txt: ")
            let javacore = """
            0SECTION       TITLE subcomponent dump routine
            1TICHARSET     EBCDIC-037
            1TIDATETIME    Date: 2024/12/21 at 14:21:05:123
            0SECTION       THREADS subcomponent dump routine
            3XMTHREADINFO      "WebContainer : 1" J9VMThread:0x1, omrthread_t:0x2, java/lang/Thread:0x3, state:B, prio=5
            3XMTHREADINFO1            (native thread ID:0x5D31, native priority:0x5, native policy:UNKNOWN)
            4XESTACKTRACE                at com/example/Ledger.post(Ledger.java:10)
            """
            try write("javacore-wrong-charset.txt", Data(javacore.utf8), "sections: javacore 1")
            // A folder that links back to itself.
            try FileManager.default.createDirectory(at: directory.appending(path: "loop"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: directory.appending(path: "loop/again").path, withDestinationPath: "..")
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// Each file's bytes and modification time, to show nothing was written.
        func fingerprints() throws -> [String: (Data, Date)] {
            var result: [String: (Data, Date)] = [:]
            for name in expected.keys {
                let url = directory.appending(path: name)
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                result[name] = (try Data(contentsOf: url), attributes[.modificationDate] as? Date ?? .distantPast)
            }
            return result
        }
    }

    static func gzip(_ data: Data) throws -> Data {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "x")
        try data.write(to: file)
        try ProcessRunner.shell("gzip -n -c x > x.gz", directory: directory)
        return try Data(contentsOf: directory.appending(path: "x.gz"))
    }

    @Test func everyHostileInputIsNamedAndTheGoodOneStillAnalysed() throws {
        let fixture = try Fixture()
        let before = try fixture.fingerprints()
        let started = Date()
        let result = try ProcessRunner.triage(["logs", fixture.directory.path, "--width", "0"])
        #expect(Date().timeIntervalSince(started) < 60, "no input may stall the run")
        #expect(result.status == 3, "some inputs could not be read whole")
        for (name, expectation) in fixture.expected {
            let mentioned = (result.standardOutput + result.standardError).split(separator: "\n").contains {
                $0.contains(name) && $0.contains(expectation) || ($0.contains(expectation) && expectation.contains(name))
            }
            #expect(mentioned || result.standardOutput.contains(expectation), "\(name): \(expectation)")
        }
        // The good log's finding is there, and nothing of the hostile ones crashed the run.
        #expect(result.standardOutput.contains("Connection pool exhausted") || result.standardOutput.contains("connection-leak")
                || result.standardOutput.contains("ConnectionPoolTimeoutException"))
        // Every error is one line that names its file.
        for line in result.standardError.split(separator: "\n") where !line.hasPrefix("triage: nothing") {
            #expect(line.hasPrefix("triage: " + fixture.directory.path), "\(line)")
        }
        let after = try fixture.fingerprints()
        for (name, (data, date)) in before {
            #expect(after[name]?.0 == data, "\(name) was modified")
            #expect(after[name]?.1 == date, "\(name)'s modification time changed")
        }
    }

    @Test(arguments: ["truncated.log.gz", "bad-crc.log.gz", "trailing-garbage.log.gz"])
    func aDamagedGzipIsPartialWithItsLineAndTheRestIsKept(_ name: String) throws {
        let fixture = try Fixture()
        let result = try ProcessRunner.triage(["logs", fixture.directory.appending(path: name).path,
                                               fixture.directory.appending(path: "good.log").path, "--format", "json"])
        #expect(result.status == 3)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "one line per damaged input: \(lines)")
        #expect(lines.first?.contains(fixture.directory.appending(path: name).path + ":") == true)
        #expect(lines.first?.contains("reading stopped") == true)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["status"] as? String } == ["partial", "analysed"])
        #expect((inputs[0]["lines"] as? Int ?? 0) > 0, "what inflated before the damage is analysed")
    }

    @Test func aFIFOWithoutAWriterDoesNotHang() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appending(path: "pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        let result = try ProcessRunner.triage(["logs", fifo, HostileInputTests.goodLog])
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 3)
        #expect(result.standardError.contains("\(fifo): cannot read: a FIFO nobody wrote to"))
        #expect(result.standardOutput.contains("search-service.log"))
    }

    /// /proc files say 0 bytes and hold text: read as text, not as empty; a read that fails
    /// (EIO from /proc/self/mem) is unreadable, never "0 lines, analysed".
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/net/tcp"), "no /proc/net/tcp: not Linux"))
    func procFilesAreReadAndReadErrorsAreNamed() throws {
        let table = try ProcessRunner.triage(["logs", "/proc/net/tcp", "--format", "json"])
        #expect(table.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(table.standardOutput.utf8)) as? [String: Any])
        let input = try #require((object["inputs"] as? [[String: Any]])?.first)
        #expect((input["lines"] as? Int ?? 0) >= 1)
        #expect((input["sections"] as? [String: Int])?["socket-table"] == 1)
        let failing = try ProcessRunner.triage(["logs", "/proc/self/mem"])
        #expect(failing.status == 3)
        #expect(failing.standardError.contains("/proc/self/mem: cannot read: Input/output error"))
    }

    @Test func aFIFOWithAWriterIsRead() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appending(path: "pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The writer starts after triage opened the FIFO, as `triage logs pipe & producer > pipe` does.
        writer.arguments = ["-c", "sleep 0.5; cat '\(TestPaths.root.appending(path: HostileInputTests.goodLog).path)' > '\(fifo)'"]
        try writer.run()
        let result = try ProcessRunner.triage(["logs", fifo, "--width", "0"])
        writer.waitUntilExit()
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\(fifo): 320 KB, 3,575 lines"))
    }

    @Test(arguments: ["/dev/zero", "/dev/urandom"])
    func aDeviceIsRefusedAtOnce(_ device: String) throws {
        let result = try ProcessRunner.triage(["logs", device, HostileInputTests.goodLog])
        #expect(result.status == 3)
        #expect(result.standardError.contains("\(device): cannot read: a device, not a file"))
        #expect(result.standardOutput.contains("search-service.log: 320 KB"))
    }

    @Test func endlessZerosOnStandardInputStopAtAStatedSize() throws {
        let result = try ProcessRunner.shell("head -c 1200000000 /dev/zero | '\(TestPaths.binary.path)' logs -")
        #expect(result.status == 3)
        #expect(result.standardOutput.contains("<stdin>: skipped: more than 1.1 GB of NUL bytes"))
    }

    /// Peak memory of `triage logs` on one file, from /usr/bin/time (kilobytes).
    static func peakKilobytes(_ file: URL) throws -> (Int, ProcessResult) {
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/time"), ["-f", "peak %M", TestPaths.binary.path, "logs", file.path],
                                           environment: ["NO_COLOR": "1"])
        let line = result.standardError.split(separator: "\n").last { $0.hasPrefix("peak ") }
        return (Int(line?.dropFirst(5) ?? "") ?? .max, result)
    }

    /// What can make memory balloon is bounded: one 300 MB line, a 50,000-deep `Caused by:` chain,
    /// a thread holding 10,000 locks. Each is read in under 64 MB.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time (Debian's time) absent"))
    func inputsThatCouldBalloonStayInBoundedMemory() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let line = directory.appending(path: "one-line.log")
        FileManager.default.createFile(atPath: line.path, contents: Data("2024-12-21 13:26:03,117 ERROR [main] c.e.X - ".utf8))
        let handle = try FileHandle(forWritingTo: line)
        try handle.seekToEnd()
        let chunk = Data(repeating: 0x78, count: 1 << 20)
        for _ in 0..<300 { try handle.write(contentsOf: chunk) }
        try handle.close()
        let chain = directory.appending(path: "chain.log")
        var text = "2024-12-21 13:26:03,117 ERROR [main] c.e.X - failed\njava.io.IOException: level 0\n"
        for level in 1..<50_000 { text += "\tat com.example.L.call(L.java:\(level))\nCaused by: java.io.IOException: level \(level)\n" }
        try text.write(to: chain, atomically: true, encoding: .utf8)
        let locks = directory.appending(path: "locks.txt")
        var dump = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):\n\n\"holder\" #1 prio=5 tid=0x1 nid=0x1 runnable\n"
            + "   java.lang.Thread.State: RUNNABLE\n"
        for index in 0..<10_000 { dump += "\tat com.example.N.level\(index)(N.java:1)\n\t- locked <0x\(String(index, radix: 16))> (a java.lang.Object)\n" }
        try dump.write(to: locks, atomically: true, encoding: .utf8)
        // Under a sanitizer (.ci/sanitizers sets TRIAGE_SANITIZER) the binary's shadow memory and
        // quarantine are most of its size: the bound is for the shipped build.
        let sanitized = ProcessInfo.processInfo.environment["TRIAGE_SANITIZER"] != nil
        for file in [line, chain, locks] {
            let (peak, result) = try Self.peakKilobytes(file)
            #expect(result.status == 0, "\(file.lastPathComponent): \(result.standardError)")
            if !sanitized { #expect(peak < 64 * 1024, "\(file.lastPathComponent): \(peak) KB") }
        }
        let (_, cut) = try Self.peakKilobytes(line)
        #expect(cut.standardOutput.contains("1 over-long line(s) cut at 8 MiB"))
    }

    @Test(.enabled(if: geteuid() != 0, "skipped as root: root reads every file whatever its mode"))
    func anUnreadableFileIsNamed() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "secret.log")
        try Data("x\n".utf8).write(to: file)
        chmod(file.path, 0)
        let result = try ProcessRunner.triage(["logs", file.path, HostileInputTests.goodLog])
        #expect(result.status == 3)
        #expect(result.standardError.contains("secret.log: cannot read: Permission denied; check its permissions"))
    }
}
