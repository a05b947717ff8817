#if canImport(Glibc)
import Glibc
#endif

/// The latest dated log record among the inputs, found before the analysis so that a bare
/// `--since 13:30` can be given that record's day. A plain file's records end at its end: only
/// its last megabyte is read (all of it when that holds no dated header). A compressed or
/// transcoded input is read through; standard input cannot be read twice and is not read.
enum LatestRecordProbe {
    static let tailBytes = 1 << 20

    /// The latest dated header, and whether standard input was among the inputs (not probed).
    static func latest(_ inputs: [InputLocation], encoding: LegacyEncoding?) -> (time: LogTimestamp?, skippedStandardInput: Bool) {
        var latest: LogTimestamp?
        var skipped = false
        for input in inputs {
            guard case .file(let path) = input else {
                skipped = true
                continue
            }
            if let time = tail(path, encoding: encoding) ?? whole(input, encoding: encoding), latest.map({ $0 < time }) ?? true {
                latest = time
            }
        }
        return (latest, skipped)
    }

    /// The last megabyte of a plain UTF-8 file, read where it is; nil when that is not the case.
    private static func tail(_ path: String, encoding: LegacyEncoding?) -> LogTimestamp? {
        guard encoding == nil, let opened = try? InputOpener.open(.file(path: path)) else { return nil }
        opened.source.close()
        guard !opened.format.gzip, opened.format.encoding == .utf8 else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(info.st_size)
        let start = max(0, size - tailBytes)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size - start, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let count = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(start + filled))
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            filled += count
        }
        var block = UnsafeRawBufferPointer(rebasing: buffer[..<filled])
        // The first line of the tail is likely cut: start after it.
        if start > 0, let newline = block.firstIndex(of: 0x0A, from: 0) { block = UnsafeRawBufferPointer(rebasing: block[(newline + 1)...]) }
        let sink = LatestHeaderSink()
        _ = sink.consume(block, firstLineNumber: 1)
        return sink.latest
    }

    private static func whole(_ input: InputLocation, encoding: LegacyEncoding?) -> LogTimestamp? {
        guard let opened = try? InputOpener.open(input, legacyEncoding: encoding) else { return nil }
        defer { opened.source.close() }
        let sink = LatestHeaderSink()
        try? LineReader(source: opened.source, initialCapacity: 256 << 10).read(into: sink)
        return sink.latest
    }
}

/// Keeps the latest dated timestamp of the header lines it is given.
private final class LatestHeaderSink: LineSink {
    var latest: LogTimestamp?
    private var plain: [UInt8] = []

    func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { line, _, _ in
            guard line.count >= 8 else { return }
            // A coloured header (`\e[2m2024-…`), read as the analysis reads it: without its escapes.
            if line[0] == 0x1B {
                plain.removeAll(keepingCapacity: true)
                ColourEscapes.append(line, withoutEscapesTo: &plain)
                plain.withUnsafeBytes { note(LogHeaderParser.parse($0)?.timestamp) }
                return
            }
            // Digits, `[`, a capital, WebLogic's `####<` and `<`: where a dated header starts.
            guard line[0].isASCIIDigit || line[0] == 0x5B || line[0].isASCIIUppercase || line[0] == 0x23 || line[0] == 0x3C else { return }
            note(LogHeaderParser.parse(line)?.timestamp)
        }
    }

    private func note(_ time: LogTimestamp?) {
        guard let time, time.hasDate, latest.map({ $0 < time }) ?? true else { return }
        latest = time
    }
}
