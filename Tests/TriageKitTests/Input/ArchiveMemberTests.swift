import Foundation
import Testing
@testable import TriageKit

/// `.tar`, `.tar.gz` and `.zip` read member by member in one pass, nothing extracted: each
/// member an input of its own (`bundle.tar.gz!host1/app.log`), a damaged one named while the
/// others are still read.
@Suite struct ArchiveMemberTests {
    /// host1: the Windows incident's log and its gzipped rotation; host2: the leaking pool's log.
    static func tree() throws -> URL {
        let folder = try TestPaths.temporaryDirectory()
        let source = folder.appending(path: "src")
        for host in ["host1", "host2"] {
            try FileManager.default.createDirectory(at: source.appending(path: host), withIntermediateDirectories: true)
        }
        let samples = TestPaths.samples
        try FileManager.default.copyItem(at: samples.appending(path: "windows-port-exhaustion/order-service.log"),
                                         to: source.appending(path: "host1/app.log"))
        try FileManager.default.copyItem(at: samples.appending(path: "windows-port-exhaustion/order-service.2024-12-20.log.gz"),
                                         to: source.appending(path: "host1/app.2024-12-20.log.gz"))
        try FileManager.default.copyItem(at: samples.appending(path: "pool-timeouts/search-service.log"),
                                         to: source.appending(path: "host2/search.log"))
        return folder
    }

    static let python: Bool = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    @Test func aTarGzIsReadMemberByMember() throws {
        let folder = try Self.tree()
        defer { try? FileManager.default.removeItem(at: folder) }
        try ProcessRunner.shell("cd src && tar czf ../bundle.tar.gz host1 host2", directory: folder)
        let result = try ProcessRunner.triage(["logs", "bundle.tar.gz", "--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let report = try JSONDecoder().decode(TriageKit.Report.self, from: Data(result.standardOutput.utf8))
        #expect(Set(report.inputs.map(\.source)) == ["bundle.tar.gz!host1/app.2024-12-20.log.gz", "bundle.tar.gz!host1/app.log",
                                                     "bundle.tar.gz!host2/search.log"])
        #expect(report.inputs.first { $0.source.hasSuffix("app.log") }?.lines == 6_164)
        #expect(report.inputs.first { $0.source.hasSuffix(".gz") }?.format?.gzip == true, "a gzipped member inside a gzipped tar")
        #expect(report.findings.map(\.rule) == ["ephemeral-port-exhaustion", "connection-leak"])
        #expect(report.findings.first?.evidence.first.map { "\($0.source):\($0.line)" } == "bundle.tar.gz!host1/app.log:339")
        // Nothing was extracted beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["bundle.tar.gz", "src"])
    }

    @Test func aTarCutShortKeepsTheMembersBeforeTheCut() throws {
        let folder = try Self.tree()
        defer { try? FileManager.default.removeItem(at: folder) }
        // host1/app.log first, then host2/search.log cut in the middle of its data.
        try ProcessRunner.shell("cd src && tar cf ../whole.tar host1/app.log host2/search.log && head -c 800000 ../whole.tar > ../cut.tar",
                                directory: folder)
        let result = try ProcessRunner.triage(["logs", "cut.tar", "--format", "json"], directory: folder)
        #expect(result.status == 3)
        let report = try JSONDecoder().decode(TriageKit.Report.self, from: Data(result.standardOutput.utf8))
        let app = try #require(report.inputs.first { $0.source == "cut.tar!host1/app.log" })
        #expect(app.status == .analysed && app.lines == 6_164)
        let search = try #require(report.inputs.first { $0.source == "cut.tar!host2/search.log" })
        #expect(search.status == .partial)
        #expect(search.reason?.contains("the archive ends inside this member") == true, "\(search.reason ?? "")")
        #expect(report.findings.first?.rule == "ephemeral-port-exhaustion")
    }

    /// Python's zipfile writing to a pipe puts each member's sizes after its data (flag bit 3),
    /// as streaming zip writers do; one member's deflate data is then damaged.
    @Test(.enabled(if: python, "no python3 to write the zip fixtures"))
    func aStreamedZipWithADamagedMemberLosesOnlyThatMember() throws {
        let folder = try Self.tree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            import sys, zipfile
            out = zipfile.ZipFile(sys.stdout.buffer, 'w', zipfile.ZIP_DEFLATED)
            for name in ['host1/app.log', 'host2/search.log']:
                out.write('src/' + name, name)
            out.close()
            """
        try script.write(to: folder.appending(path: "make.py"), atomically: true, encoding: .utf8)
        try ProcessRunner.shell("python3 make.py | cat > streamed.zip", directory: folder)
        let good = try ProcessRunner.triage(["logs", "streamed.zip", "--format", "json"], directory: folder)
        #expect(good.status == 0, "\(good.standardError)")
        let report = try JSONDecoder().decode(TriageKit.Report.self, from: Data(good.standardOutput.utf8))
        #expect(report.inputs.map(\.source) == ["streamed.zip!host1/app.log", "streamed.zip!host2/search.log"])
        #expect(report.inputs.map(\.lines) == [6_164, 3_575])
        // Flip 40 bytes in the middle of the first member's data: its CRC (or its inflate) fails.
        var bytes = try Data(contentsOf: folder.appending(path: "streamed.zip"))
        let nameLength = Int(bytes[26]) | Int(bytes[27]) << 8, extraLength = Int(bytes[28]) | Int(bytes[29]) << 8
        let dataStart = 30 + nameLength + extraLength
        for index in (dataStart + 8_000)..<(dataStart + 8_040) { bytes[index] ^= 0x5A }
        try bytes.write(to: folder.appending(path: "damaged.zip"))
        let damaged = try ProcessRunner.triage(["logs", "damaged.zip", "--format", "json"], directory: folder)
        #expect(damaged.status == 3)
        let again = try JSONDecoder().decode(TriageKit.Report.self, from: Data(damaged.standardOutput.utf8))
        let first = try #require(again.inputs.first { $0.source == "damaged.zip!host1/app.log" })
        #expect(first.status != .analysed, "the damaged member is not passed off as read")
        #expect(damaged.standardError.contains("damaged.zip!host1/app.log"))
        #expect(again.inputs.contains { $0.source == "damaged.zip!host2/search.log" && $0.status == .analysed && $0.lines == 3_575 }
                || again.inputs.contains { $0.source == "damaged.zip" && $0.status == .partial },
                "the next member is read, or the archive says where the walk stopped")
    }

    @Test func aScanListsEachMemberWithItsHost() throws {
        let folder = try Self.tree()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appending(path: "archive"), withIntermediateDirectories: true)
        try ProcessRunner.shell("cd src && tar czf ../archive/bundle.tgz host1 host2", directory: folder)
        let result = try ProcessRunner.triage(["scan", "archive", "--format", "json"], directory: folder)
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let files = try #require(document["files"] as? [[String: Any]])
        #expect(files.map { $0["file"] as? String ?? "" } == ["bundle.tgz!host1/app.2024-12-20.log.gz", "bundle.tgz!host1/app.log",
                                                             "bundle.tgz!host2/search.log"])
        #expect(files.map { $0["host"] as? String ?? "" } == ["host1", "host1", "host2"])
    }

    @Test func tarHeadersAreCheckedAndTheirFieldsRead() throws {
        var header = [UInt8](repeating: 0, count: 512)
        for (index, byte) in "host1/app.log".utf8.enumerated() { header[index] = byte }
        for (index, byte) in "00000001750\0".utf8.enumerated() { header[124 + index] = byte }   // 1000 bytes, octal
        for (index, byte) in "ustar\0".utf8.enumerated() { header[257 + index] = byte }
        for (index, byte) in "logs".utf8.enumerated() { header[345 + index] = byte }
        header[156] = UInt8(ascii: "0")
        for index in 148..<156 { header[index] = 32 }
        let sum = header.reduce(0) { $0 + Int($1) }
        for (index, byte) in String(format: "%06o\0 ", sum).utf8.enumerated() { header[148 + index] = byte }
        #expect(ArchiveMembers.tarChecksumMatches(header))
        #expect(try ArchiveMembers.tarSize(header) == 1000)
        #expect(ArchiveMembers.tarName(header) == "logs/host1/app.log")
        header[10] ^= 1
        #expect(!ArchiveMembers.tarChecksumMatches(header), "a damaged header is caught")
        #expect(ArchiveMembers.paxFields(Array("30 path=a/very/long/name.log\n".utf8)) == ["path": "a/very/long/name.log"])
    }

    /// A GNU long-name header that claims 7.5 GB of name: refused as damage, not read into memory.
    @Test func aLongNameHeaderOfGigabytesIsDamageNotAName() throws {
        var header = [UInt8](repeating: 0, count: 512)
        for (index, byte) in "././@LongLink".utf8.enumerated() { header[index] = byte }
        for (index, byte) in "70000000000\u{0}".utf8.enumerated() { header[124 + index] = byte }
        header[156] = UInt8(ascii: "L")
        for (index, byte) in "ustar\u{0}00".utf8.enumerated() { header[257 + index] = byte }
        for index in 148..<156 { header[index] = 32 }
        let sum = header.reduce(0) { $0 + Int($1) }
        for (index, byte) in String(format: "%06o\u{0} ", sum).utf8.enumerated() { header[148 + index] = byte }
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(header + [UInt8](repeating: 0x41, count: 4096)).write(to: folder.appending(path: "huge-name.tar"))
        let result = try ProcessRunner.triage(["logs", "huge-name.tar", "--width", "0"], directory: folder)
        #expect(result.status == 3)
        #expect(result.standardError.contains("a tar extended header of 7.5 GB at byte 0: damaged"), "\(result.standardError)")
    }

    /// The archive fuzz target's seeds are archives triage reads whole: a GNU long name in a
    /// tar, stored and deflated zip members, sizes after the data, a tar in a tar or zip.
    @Test func theFuzzSeedsAreArchivesReadWhole() throws {
        let text = Array("2026-03-09 14:03:34,892 ERROR [exec-1] c.a.Client - call failed\njava.net.ConnectException: refused\n".utf8)
        let seeds = FuzzArchives.seeds(text)
        #expect(seeds.count == 5)
        for (index, seed) in seeds.enumerated() {
            let opened = try InputOpener.unwrap(MemorySource(seed), format: InputFormat(), depth: 0, legacyEncoding: nil)
            let kind = try #require(opened.format.archive, "seed \(index) is not recognised as an archive")
            let analyses = Analysis.analyzeMembers(opened, kind: kind, name: "seed", matcher: FuzzTarget.builtinMatcher, window: nil,
                                                   encoding: nil, pattern: nil, onBlock: nil)
            if index >= 3 {
                // The bundle seeds: the javacore in the tar in the archive, the sosreport's netstat
                // file, linperf's ps.out (no bundle by this name: read), and the sosreport's /proc left out.
                #expect(analyses.map(\.summary.source) == ["seed!javacore.4242.tar!javacore.20241221.142105.4242.0001.txt",
                                                           "seed!sosreport-h-2026/sos_commands/networking/netstat_-W_-neopa",
                                                           "seed!ps.out", "seed!sosreport-h-2026/"], "seed \(index)")
                #expect(analyses.last?.summary.reason == "a sosreport bundle: 1 of its 2 files left out "
                        + "(1 a copy of the host's files or the report's own): proc/net/tcp")
                continue
            }
            #expect(analyses.map(\.summary.status) == [.analysed, .analysed], "seed \(index): \(analyses.map(\.summary.reason))")
            #expect(analyses.map(\.summary.lines) == [2, 2])
            #expect(analyses.last?.summary.source == "seed!host2/" + String(repeating: "long-name-", count: 12) + "x.log")
        }
    }
}
