import CZlib

/// Small archives built in memory for the `archive` fuzz target's seeds: a ustar tar with a
/// long (GNU) name, a zip with a stored and a deflated member, and one whose deflated member
/// has its sizes after the data (bit 3), as streaming writers make them; a tar and a zip with
/// a tar inside and a sosreport's paths.
enum FuzzArchives {
    static func seeds(_ text: [UInt8]) -> [[UInt8]] {
        let members: [(String, [UInt8])] = [("host1/app.log", text), ("host2/" + String(repeating: "long-name-", count: 12) + "x.log", text)]
        // Other collectors' shapes: linperf's javacore tar inside its tar, a sosreport's paths.
        let bundles: [(String, [UInt8])] = [("javacore.4242.tar", tar([("javacore.20241221.142105.4242.0001.txt", text)])),
                                            ("sosreport-h-2026/sos_commands/networking/netstat_-W_-neopa", text),
                                            ("sosreport-h-2026/proc/net/tcp", text), ("ps.out", text)]
        return [tar(members), zip(members, descriptor: false), zip(members, descriptor: true), tar(bundles), zip(bundles, descriptor: false)]
    }

    static func tar(_ members: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        func header(_ name: String, size: Int, type: UInt8) -> [UInt8] {
            var block = [UInt8](repeating: 0, count: 512)
            for (index, byte) in name.utf8.prefix(99).enumerated() { block[index] = byte }
            for (index, byte) in String(size, radix: 8).leftPadded(11).utf8.enumerated() { block[124 + index] = byte }
            block[156] = type
            for (index, byte) in "ustar\u{0}00".utf8.enumerated() { block[257 + index] = byte }
            for index in 148..<156 { block[index] = 32 }
            let sum = block.reduce(0) { $0 + Int($1) }
            for (index, byte) in (String(sum, radix: 8).leftPadded(6) + "\u{0} ").utf8.enumerated() { block[148 + index] = byte }
            return block
        }
        func padded(_ data: [UInt8]) -> [UInt8] { data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512) }
        for (name, data) in members {
            if name.utf8.count > 99 {
                out += header("././@LongLink", size: name.utf8.count + 1, type: UInt8(ascii: "L")) + padded(Array(name.utf8) + [0])
            }
            out += header(name, size: data.count, type: UInt8(ascii: "0")) + padded(data)
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }

    static func zip(_ members: [(String, [UInt8])], descriptor: Bool) -> [UInt8] {
        var out: [UInt8] = []
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        for (index, (name, data)) in members.enumerated() {
            let deflated = index % 2 == 1 || descriptor
            let body = deflated ? rawDeflate(data) : data
            let crc = Int(data.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, UInt32($0.count)) })
            let flags = descriptor ? 0x0008 : 0
            out += le(0x0403_4b50, 4) + le(20, 2) + le(flags, 2) + le(deflated ? 8 : 0, 2) + le(0, 4)
            out += descriptor ? le(0, 12) : le(crc, 4) + le(body.count, 4) + le(data.count, 4)
            out += le(name.utf8.count, 2) + le(0, 2) + Array(name.utf8) + body
            if descriptor { out += le(0x0807_4b50, 4) + le(crc, 4) + le(body.count, 4) + le(data.count, 4) }
        }
        return out + le(0x0605_4b50, 4) + [UInt8](repeating: 0, count: 18)
    }

    /// zlib's compress2 writes a 2-byte header, raw deflate, then a 4-byte Adler-32: the middle is zip's.
    static func rawDeflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { compress2(target.baseAddress, &length, $0.baseAddress, uLong($0.count), 6) }
        }
        guard status == Z_OK, length > 6 else { return data }
        return Array(out[2..<(Int(length) - 4)])
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
