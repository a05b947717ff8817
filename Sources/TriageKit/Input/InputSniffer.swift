/// What the first bytes of an input say about how to read it (never the file name).
enum InputSniff: Equatable {
    case gzip
    case text(InputEncoding, bomLength: Int)
    /// A compression or archive format triage does not read; the advice says what to run.
    case unsupported(kind: String, advice: String)
    case binary
    /// A report triage wrote (text, markdown, json): never read back as evidence.
    case triageReport(format: String)
    /// A tar or zip archive: its members are read as inputs of their own.
    case archive(ArchiveKind)
}

enum InputSniffer {
    static let sniffLength = 64 * 1024

    static func sniff(_ bytes: [UInt8]) -> InputSniff {
        func starts(with magic: [UInt8]) -> Bool {
            bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
        }
        if starts(with: [0x1f, 0x8b]) { return .gzip }
        if starts(with: [0xEF, 0xBB, 0xBF]) { return .text(.utf8, bomLength: 3) }
        if starts(with: [0xFF, 0xFE]) { return .text(.utf16LittleEndian, bomLength: 2) }
        if starts(with: [0xFE, 0xFF]) { return .text(.utf16BigEndian, bomLength: 2) }
        if starts(with: Array("BZh".utf8)) && bytes.count > 3 && (0x31...0x39).contains(bytes[3]) {
            return .unsupported(kind: "bzip2", advice: "decompress it first: bzip2 -dk FILE (or bzcat FILE | triage logs -)")
        }
        if starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            return .unsupported(kind: "xz", advice: "decompress it first: xz -dk FILE (or xzcat FILE | triage logs -)")
        }
        if starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
            return .unsupported(kind: "zstd", advice: "decompress it first: zstd -d FILE (or zstdcat FILE | triage logs -)")
        }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .archive(.zip) }
        if bytes.count >= 512, bytes[257..<262].elementsEqual("ustar".utf8), ArchiveMembers.tarChecksumMatches(Array(bytes[0..<512])) {
            return .archive(.tar)
        }
        if let endianness = utf16WithoutBOM(bytes) { return .text(endianness, bomLength: 0) }
        if let format = reportFormat(bytes.prefix(256)) { return .triageReport(format: format) }
        // Text logs never contain NUL; a heap dump, a core file or a jar does.
        let window = bytes.prefix(8 * 1024)
        let nulCount = window.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        if nulCount > 0 && nulCount * 100 >= window.count { return .binary }
        // Random or encrypted bytes have few NULs but many other control bytes.
        if !window.withUnsafeBytes({ looksLikeText($0) }) { return .binary }
        return .text(.utf8, bomLength: 0)
    }

    /// The format of a report triage wrote, from its first line (text, markdown) or first key (json).
    static func reportFormat(_ head: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: head, as: UTF8.self)
        if text.hasPrefix("# triage report\n") { return "markdown" }
        if text.hasPrefix("h1. triage report\n") { return "jira" }
        if text.hasPrefix(HTMLReportRenderer.head) { return "html" }
        // `triage scan` in its formats: a jsonl row or summary, the json document, Markdown, text.
        if text.hasPrefix("{\"$triage\":\"scan-") || text.hasPrefix("{\n  \"$triage\" : \"scan\"") { return "scan json" }
        if text.hasPrefix("# triage scan\n") || text.hasPrefix("triage scan: ") { return "scan" }
        if text.hasPrefix("{\n  \"$triage\" : \"diff\"") || text.hasPrefix("# triage diff\n") || text.hasPrefix("triage diff: ") { return "diff" }
        if text.hasPrefix("{\n  \"$triage\" : \"report\"") || text.hasPrefix("{\"$triage\":\"report\"") { return "json" }
        var firstLine = text.prefix { $0 != "\n" }
        // `--color always` starts the text report with a bold escape.
        if firstLine.hasPrefix("\u{1B}["), let end = firstLine.firstIndex(of: "m") { firstLine = firstLine[firstLine.index(after: end)...] }
        if firstLine.hasPrefix("triage: "), ["root cause", "nothing was analysed"].contains(where: firstLine.contains),
           firstLine.contains(" input") || firstLine.contains("nothing") {
            return "text"
        }
        return nil
    }

    /// Whether `bytes` read as text: at most 1 % control bytes other than tab, line breaks, form
    /// feed and the escape of colour codes. Random and compressed bytes have about 11 %; text in
    /// any ASCII-based encoding (UTF-8, GBK, Latin-1) has next to none.
    static func looksLikeText(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var controls = 0
        for byte in bytes where (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C
                                 && byte != 0x1B) || byte == 0x7F {
            controls += 1
        }
        return controls * 100 <= bytes.count
    }

    /// UTF-16 without a byte-order mark: mostly-ASCII text leaves a NUL in every other byte.
    private static func utf16WithoutBOM(_ bytes: [UInt8]) -> InputEncoding? {
        let pairs = min(bytes.count, 4096) / 2
        guard pairs >= 8 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        for index in 0..<pairs {
            if bytes[2 * index] == 0 { zeroEven += 1 }
            if bytes[2 * index + 1] == 0 { zeroOdd += 1 }
        }
        if zeroOdd * 10 >= pairs * 4 && zeroEven * 20 <= pairs { return .utf16LittleEndian }
        if zeroEven * 10 >= pairs * 4 && zeroOdd * 20 <= pairs { return .utf16BigEndian }
        return nil
    }
}
