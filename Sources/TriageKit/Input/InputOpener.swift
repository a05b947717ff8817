#if canImport(Glibc)
import Glibc
#endif

/// An input opened for reading, already unwrapped (gzip inflated, UTF-16 transcoded).
public struct OpenedInput {
    public var source: ByteSource
    public var format: InputFormat
    /// What was found while opening that the report should say (NUL bytes skipped).
    public var notes: [String] = []
}

/// Why an input was not analysed: an error (exit status 3) or a deliberate skip.
public enum InputRefusal: Error, Equatable {
    /// The input could not be read at all (missing, permission, corrupt from the first byte).
    case unreadable(reason: String)
    /// The input is readable but not something triage analyses (a heap dump, an xz archive).
    case skipped(reason: String)
}

/// Opens inputs and decides from their first bytes how to read them.
public enum InputOpener {
    /// `legacyEncoding` (from `--encoding`) applies to inputs that are not UTF-16.
    public static func open(_ location: InputLocation, legacyEncoding: LegacyEncoding? = nil) throws(InputRefusal) -> OpenedInput {
        let raw: ByteSource
        switch location {
        case .standardInput:
            raw = FileDescriptorSource(descriptor: STDIN_FILENO, ownsDescriptor: false)
        case .file(let path):
            do {
                raw = try FileDescriptorSource(path: path)
            } catch let error as ByteSourceError {
                throw .unreadable(reason: error.reason)
            } catch {
                throw .unreadable(reason: "\(error)")
            }
        }
        return try unwrap(raw, format: InputFormat(), depth: 0, legacyEncoding: legacyEncoding)
    }

    /// Sniffs `source` and wraps it in the decoders its bytes call for.
    static func unwrap(_ source: ByteSource, format: InputFormat, depth: Int, legacyEncoding: LegacyEncoding?,
                       insideArchive: Bool = false) throws(InputRefusal) -> OpenedInput {
        var prefix: [UInt8]
        var peekError: Error?
        var leadingNULs = 0
        do {
            (prefix, peekError) = try PeekedSource.peek(source, count: InputSniffer.sniffLength)
            // UTF-16BE without a mark starts with one NUL; a hole is a run of them.
            if prefix.prefix(8).count == 8, prefix.prefix(8).allSatisfy({ $0 == 0 }), depth == 0 {
                (prefix, peekError, leadingNULs) = try skipLeadingNULs(source, prefix, peekError)
            }
        } catch let error as ByteSourceError {
            source.close()
            throw .unreadable(reason: error.reason)
        } catch {
            source.close()
            throw .unreadable(reason: "\(error)")
        }
        if leadingNULs > maxLeadingNULs {
            source.close()
            throw .skipped(reason: "more than \(NumberFormatting.bytes(maxLeadingNULs)) of NUL bytes and nothing else; not a log")
        }
        if leadingNULs > 0 && prefix.isEmpty {
            source.close()
            throw .skipped(reason: "only NUL bytes (\(NumberFormatting.bytes(leadingNULs))); a file emptied by a rotation?")
        }
        let replay = PeekedSource(prefix: prefix, rest: source, deferredError: peekError)
        var format = format
        var notes: [String] = []
        if leadingNULs > 0 {
            format.leadingNULBytes = leadingNULs
            notes.append("\(NumberFormatting.count(leadingNULs)) NUL bytes at its start were skipped "
                         + "(logrotate's copytruncate leaves them when the application keeps writing at its old offset)")
        }
        switch InputSniffer.sniff(prefix) {
        case .gzip where depth == 0:
            format.gzip = true
            do {
                // Inflated on a thread of its own, ahead of the analysis. Eight blocks ahead, not
                // four: with the records' thread too, three threads share two cores, and four
                // blocks (7 ms of inflating) did not outlast a time slice (1 GB .gz: 2.40 → 2.30 s,
                // 4 MB more).
                return try unwrap(PrefetchingSource(try GzipSource(replay), depth: 8), format: format, depth: depth + 1,
                                  legacyEncoding: legacyEncoding, insideArchive: insideArchive)
            } catch let refusal as InputRefusal {
                throw refusal
            } catch {
                throw .unreadable(reason: "\(error)")
            }
        case .gzip:
            replay.close()
            throw .skipped(reason: "gzip inside gzip; decompress the outer layer first")
        case .text(let encoding, let bomLength):
            format.encoding = encoding
            let body: ByteSource = bomLength > 0
                ? PeekedSource(prefix: Array(prefix.dropFirst(bomLength)), rest: source, deferredError: peekError)
                : replay
            switch encoding {
            case .utf8:
                if let legacyEncoding, bomLength == 0 {
                    format.legacyEncoding = legacyEncoding.rawValue
                    return OpenedInput(source: LegacyEncodingSource(body, encoding: legacyEncoding), format: format, notes: notes)
                }
                return OpenedInput(source: body, format: format, notes: notes)
            case .utf16LittleEndian: return OpenedInput(source: UTF16Source(body, bigEndian: false), format: format, notes: notes)
            case .utf16BigEndian: return OpenedInput(source: UTF16Source(body, bigEndian: true), format: format, notes: notes)
            }
        case .unsupported(let kind, let advice):
            replay.close()
            throw .skipped(reason: "\(kind) data is not read directly; \(advice)")
        case .archive(let kind) where !insideArchive:
            format.archive = kind
            return OpenedInput(source: replay, format: format, notes: notes)
        case .archive(let kind):
            replay.close()
            throw .skipped(reason: "a \(kind.rawValue) archive two archives deep; unpack the outer ones and scan the folder")
        case .triageReport(let reportFormat):
            replay.close()
            throw .skipped(reason: "a triage report (\(reportFormat)), not evidence: reports are never read back as input")
        case .binary:
            replay.close()
            throw .skipped(reason: "binary data (NUL or control bytes), not a text log, dump or snapshot")
        }
    }

    /// Past this many NUL bytes at the start, an input is not a log with a hole before it.
    static let maxLeadingNULs = 1 << 30

    /// Reads past the NUL bytes an input starts with and returns the bytes after them (at least
    /// the sniffing length, when there are that many), the error met, and how many NUL bytes
    /// there were (more than `maxLeadingNULs`: it stopped looking). A hole of a gigabyte is read
    /// in large blocks, eight bytes compared at a time.
    private static func skipLeadingNULs(_ source: ByteSource, _ first: [UInt8], _ firstError: Error?) throws
        -> ([UInt8], Error?, Int) {
        var skipped = first.withUnsafeBytes(firstNonNUL)
        if skipped < first.count || firstError != nil { return (Array(first[skipped...]), firstError, skipped) }
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
        defer { block.deallocate() }
        while skipped <= maxLeadingNULs {
            let count: Int
            do {
                count = try source.read(into: block)
            } catch {
                return ([], error, skipped)
            }
            if count == 0 { return ([], nil, skipped) }
            let run = firstNonNUL(UnsafeRawBufferPointer(rebasing: block[..<count]))
            skipped += run
            guard run == count else {
                var window = Array(block[run..<count])
                var error: Error?
                if window.count < InputSniffer.sniffLength {
                    let more = try PeekedSource.peek(source, count: InputSniffer.sniffLength - window.count)
                    window += more.bytes
                    error = more.error
                }
                return (window, error, skipped)
            }
        }
        return ([], nil, skipped)
    }

    private static func firstNonNUL(_ bytes: UnsafeRawBufferPointer) -> Int {
        var index = 0
        while index + 8 <= bytes.count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) == 0 { index += 8 }
        while index < bytes.count, bytes[index] == 0 { index += 1 }
        return index
    }
}
