import Foundation

/// A legacy text encoding the user can name with `--encoding` (GBK on a Chinese Windows JVM,
/// EUC-KR, Shift_JIS…). Without it, invalid UTF-8 passes through with replacement characters:
/// record detection needs only the ASCII structure, which these encodings keep.
public enum LegacyEncoding: String, CaseIterable, Sendable {
    case gb18030, gbk, big5
    case eucKR = "euc-kr"
    case shiftJIS = "shift_jis"
    case eucJP = "euc-jp"
    case latin1 = "iso-8859-1"
    case windows1252 = "windows-1252"

    /// Accepted spellings besides the raw value.
    public static func named(_ name: String) -> LegacyEncoding? {
        let key = name.lowercased().replacingAll("_", with: "-")
        switch key {
        case "gb2312", "cp936", "gbk": return .gbk
        case "gb18030": return .gb18030
        case "big5", "cp950": return .big5
        case "euc-kr", "euckr", "cp949", "ks-c-5601-1987": return .eucKR
        case "shift-jis", "sjis", "cp932", "windows-31j": return .shiftJIS
        case "euc-jp", "eucjp": return .eucJP
        case "iso-8859-1", "latin1", "latin-1": return .latin1
        case "windows-1252", "cp1252": return .windows1252
        default: return nil
        }
    }

    /// Foundation's encoding; GBK is decoded as GB18030, its superset.
    var foundationEncoding: String.Encoding {
        switch self {
        case .gb18030, .gbk: return String.Encoding(rawValue: 0x8000_0632)   // kCFStringEncodingGB_18030_2000
        case .big5: return String.Encoding(rawValue: 0x8000_0A03)            // kCFStringEncodingBig5
        case .eucKR: return String.Encoding(rawValue: 0x8000_0940)           // kCFStringEncodingEUC_KR
        case .shiftJIS: return .shiftJIS
        case .eucJP: return .japaneseEUC
        case .latin1: return .isoLatin1
        case .windows1252: return .windowsCP1252
        }
    }
}

/// Transcodes a legacy-encoded stream to UTF-8, a run of whole lines at a time: `\n` never
/// occurs inside a multi-byte character of these encodings, so cutting there is safe.
final class LegacyEncodingSource: ByteSource {
    private let raw: ByteSource
    private let encoding: String.Encoding
    private var pendingRaw: [UInt8] = []
    private var output = TranscodedBytes(reserving: 512 * 1024)
    private var ended = false
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)

    init(_ raw: ByteSource, encoding: LegacyEncoding) {
        self.raw = raw
        self.encoding = encoding.foundationEncoding
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while output.isDrained {
            if ended { return 0 }
            try refill()
        }
        return output.drain(into: buffer)
    }

    private func refill() throws {
        output.reset()
        let count = try chunk.withUnsafeMutableBytes { try raw.read(into: $0) }
        if count == 0 {
            ended = true
            decode(pendingRaw[...])
            pendingRaw = []
            return
        }
        pendingRaw.append(contentsOf: chunk[0..<count])
        guard let lastNewline = pendingRaw.lastIndex(of: 0x0A) else { return }
        decode(pendingRaw[...lastNewline])
        pendingRaw.removeSubrange(...lastNewline)
    }

    private func decode(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        if let text = String(data: Data(bytes), encoding: encoding) {
            output.append(contentsOf: text.utf8)
            return
        }
        // One bad line must not cost the rest: decode line by line, the bad ones lossily.
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.endIndex
            let line = bytes[start..<end]
            if let text = String(data: Data(line), encoding: encoding) {
                output.append(contentsOf: text.utf8)
            } else {
                output.append(contentsOf: String(decoding: line, as: UTF8.self).utf8)
            }
            start = end
        }
    }

    func close() { raw.close() }

    var notes: [String] { raw.notes }
}
