/// Transcodes a UTF-16 stream (either byte order) to UTF-8 as it is read.
///
/// Windows tools (PowerShell `>`, `.reg` exports, some jstack captures) write UTF-16; the rest
/// of the pipeline sees only UTF-8, so line splitting and record detection work unchanged.
final class UTF16Source: ByteSource {
    private let raw: ByteSource
    private let bigEndian: Bool
    private var rawBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var carry: [UInt8] = []          // an odd byte left over between reads
    private var pendingHighSurrogate: UInt16?
    private var output = TranscodedBytes(reserving: 192 * 1024)
    private var ended = false

    init(_ raw: ByteSource, bigEndian: Bool) {
        self.raw = raw
        self.bigEndian = bigEndian
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
        let count = try rawBuffer.withUnsafeMutableBytes { try raw.read(into: $0) }
        if count == 0 {
            ended = true
            if pendingHighSurrogate != nil || !carry.isEmpty { appendScalar(0xFFFD) }
            return
        }
        var units = carry
        units.append(contentsOf: rawBuffer[0..<count])
        let evenCount = units.count & ~1
        carry = evenCount < units.count ? [units[evenCount]] : []
        var index = 0
        while index < evenCount {
            let first = UInt16(units[index]), second = UInt16(units[index + 1])
            let unit = bigEndian ? (first << 8 | second) : (second << 8 | first)
            index += 2
            decode(unit)
        }
    }

    private func decode(_ unit: UInt16) {
        if let high = pendingHighSurrogate {
            pendingHighSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                appendScalar(scalar)
                return
            }
            appendScalar(0xFFFD)
        }
        if unit >= 0xD800 && unit <= 0xDBFF {
            pendingHighSurrogate = unit
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
            appendScalar(0xFFFD)
        } else {
            appendScalar(UInt32(unit))
        }
    }

    private func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    func close() { raw.close() }

    var notes: [String] { raw.notes }
}
