import CZlib

/// The kinds of archive whose members are read as files of their own.
public enum ArchiveKind: String, Codable, Sendable {
    case tar, zip
}

/// A member of an archive: its name, and its bytes, or why it is not read.
struct ArchiveMember {
    var name: String
    var source: ByteSource?
    var refusal: String?
}

/// Reads a `.tar` (after gzip, a `.tar.gz`) or a `.zip` member after member, in one forward
/// pass and without extracting anything: each member's bytes come straight from the archive's
/// stream, and whatever the analysis leaves unread is skipped before the next header.
final class ArchiveMembers {
    private let stream: ArchiveStream
    let kind: ArchiveKind
    private var current: MemberSource?
    private var ended = false
    /// What stopped the walk early (a corrupt header), for the report.
    private(set) var problem: String?

    init(_ source: ByteSource, kind: ArchiveKind) {
        stream = ArchiveStream(source)
        self.kind = kind
    }

    func close() { stream.source.close() }

    /// The next member, or nil at the end (or after a problem, which `problem` says).
    func next() -> ArchiveMember? {
        guard !ended else { return nil }
        do {
            if let current {
                try current.finish()
                self.current = nil
            }
            let member = try kind == .tar ? nextTar() : nextZip()
            if member == nil { ended = true }
            return member
        } catch let error as ByteSourceError {
            ended = true
            problem = error.reason
            return nil
        } catch {
            ended = true
            problem = "\(error)"
            return nil
        }
    }

    // MARK: - tar (POSIX ustar, GNU long names, pax paths and sizes)

    private var longName: String?

    private func nextTar() throws -> ArchiveMember? {
        while true {
            guard let header = try stream.take(512) else { return nil }
            if header.allSatisfy({ $0 == 0 }) { return nil }   // the end-of-archive blocks
            guard Self.tarChecksumMatches(header) else {
                throw ByteSourceError("a damaged tar header at byte \(stream.offset - 512): the members after it are not read")
            }
            let size = try Self.tarSize(header)
            let type = header[156]
            // A long name or pax header is read whole: past a megabyte it is damage, not a name.
            if (type == UInt8(ascii: "L") || type == UInt8(ascii: "x") || type == UInt8(ascii: "g")) && size > Self.headerDataLimit {
                throw ByteSourceError("a tar extended header of \(NumberFormatting.bytes(size)) at byte \(stream.offset - 512): "
                                      + "damaged; the members after it are not read")
            }
            var name = longName ?? Self.tarName(header)
            longName = nil
            let padded = (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):                     // GNU: the next member's long name
                let data = try stream.take(padded) ?? []
                longName = String(decoding: data.prefix(size).prefix { $0 != 0 }, as: UTF8.self)
            case UInt8(ascii: "x"):                     // pax: this member's path (and size)
                let data = try stream.take(padded) ?? []
                let fields = Self.paxFields(Array(data.prefix(size)))
                if let path = fields["path"] { longName = path }
                // A size from text: within what tar's own 12-digit field could say.
                if let size = fields["size"].flatMap(Int.init), (0...Self.memberSizeLimit).contains(size) { paxSize = size }
            case UInt8(ascii: "g"):
                _ = try stream.skip(padded)
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                let length = paxSize ?? size
                paxSize = nil
                if name.hasPrefix("./") { name.removeFirst(2) }
                let source = MemberSource(stream, length: length, padding: (length + 511) / 512 * 512 - length, crc: nil)
                current = source
                return ArchiveMember(name: name, source: source)
            default:                                    // folders, links, devices: nothing to read
                paxSize = nil
                _ = try stream.skip(padded)
            }
        }
    }
    private var paxSize: Int?

    static let headerDataLimit = 1 << 20
    /// 8^12: the largest size a tar header's octal field holds (base-256 sizes are capped alike).
    static let memberSizeLimit = 1 << 36

    static func tarChecksumMatches(_ header: [UInt8]) -> Bool {
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        let field = header[148..<156].prefix { $0 != 0 && $0 != 32 }
        guard let stored = Int(String(decoding: field, as: UTF8.self), radix: 8) else { return false }
        return stored == sum
    }

    static func tarSize(_ header: [UInt8]) throws -> Int {
        let field = header[124..<136]
        if field.first! & 0x80 != 0 {                   // base-256, for members past 8 GB
            var value = 0
            for byte in field.dropFirst() {
                value = value << 8 | Int(byte)
                guard value <= memberSizeLimit else { throw ByteSourceError("a tar member's size is out of range") }
            }
            return value
        }
        let digits = field.drop { $0 == 32 }.prefix { $0 != 0 && $0 != 32 }
        if digits.isEmpty { return 0 }
        guard let value = Int(String(decoding: digits, as: UTF8.self), radix: 8), value >= 0 else {
            throw ByteSourceError("a tar member's size is not a number")
        }
        return value
    }

    static func tarName(_ header: [UInt8]) -> String {
        let name = String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
        guard header[257..<262].elementsEqual("ustar".utf8) else { return name }
        let prefix = String(decoding: header[345..<500].prefix { $0 != 0 }, as: UTF8.self)
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// `30 path=some/long/name\n` records.
    static func paxFields(_ data: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let equals = line[space...].firstIndex(of: "=") else { continue }
            fields[String(line[line.index(after: space)..<equals])] = String(line[line.index(after: equals)...])
        }
        return fields
    }

    // MARK: - zip (local headers in order; deflate or stored; data descriptors; zip64 sizes)

    private func nextZip() throws -> ArchiveMember? {
        while true {
            guard let signature = try stream.take(4) else { return nil }
            let magic = Self.le32(signature, 0)
            // The central directory follows the last member: the end.
            if magic == 0x0201_4b50 || magic == 0x0605_4b50 || magic == 0x0606_4b50 { return nil }
            guard magic == 0x0403_4b50 else {
                throw ByteSourceError("no zip member header at byte \(stream.offset - 4): the members after it are not read")
            }
            guard let fixed = try stream.take(26) else { throw ByteSourceError("the zip archive ends inside a member header") }
            let flags = Self.le16(fixed, 2), method = Self.le16(fixed, 4)
            let crc = Self.le32(fixed, 10)
            var compressed = Int(Self.le32(fixed, 14))
            let nameLength = Int(Self.le16(fixed, 22)), extraLength = Int(Self.le16(fixed, 24))
            guard let nameBytes = try stream.take(nameLength), let extra = try stream.take(extraLength) else {
                throw ByteSourceError("the zip archive ends inside a member header")
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            var zip64 = false
            if compressed == 0xFFFF_FFFF, let size = Self.zip64CompressedSize(extra) {
                compressed = size
                zip64 = true
            }
            let descriptor = flags & 0x0008 != 0
            let known = !descriptor || compressed > 0
            if name.hasSuffix("/") {                    // a folder
                if known { _ = try stream.skip(compressed) }
                continue
            }
            if flags & 0x0001 != 0 {
                guard known else { throw ByteSourceError("\(name) is encrypted and its size is not in its header: the members after it are not read") }
                _ = try stream.skip(compressed)
                _ = try readDescriptor(descriptor, zip64: zip64)
                return ArchiveMember(name: name, source: nil, refusal: "encrypted in the zip; not read")
            }
            switch method {
            case 0 where known:
                let source = MemberSource(stream, length: compressed, padding: 0, crc: descriptor ? nil : crc)
                source.afterward = { [unowned self] in try self.readDescriptor(descriptor, zip64: zip64) }
                current = source
                return ArchiveMember(name: name, source: source)
            case 8:
                let source = try MemberSource(inflating: stream, compressedLength: known ? compressed : nil, crc: descriptor ? nil : crc)
                source.afterward = { [unowned self] in try self.readDescriptor(descriptor, zip64: zip64) }
                current = source
                return ArchiveMember(name: name, source: source)
            default:
                guard known else {
                    throw ByteSourceError("\(name) is stored with its size after the data: a zip written that way cannot be read "
                                          + "in one pass; unzip it and scan the folder")
                }
                _ = try stream.skip(compressed)
                _ = try readDescriptor(descriptor, zip64: zip64)
                return ArchiveMember(name: name, source: nil, refusal: "compressed with zip method \(method), not deflate; not read")
            }
        }
    }

    /// After data written with its sizes behind it: an optional signature, the CRC (returned,
    /// for the member to check), two sizes.
    private func readDescriptor(_ present: Bool, zip64: Bool) throws -> UInt32? {
        guard present else { return nil }
        guard let first = try stream.peek(4) else { return nil }
        if Self.le32(first, 0) == 0x0807_4b50 { _ = try stream.skip(4) }
        guard let crc = try stream.take(4) else { return nil }
        _ = try stream.skip(zip64 ? 16 : 8)
        return Self.le32(crc, 0)
    }

    static func zip64CompressedSize(_ extra: [UInt8]) -> Int? {
        var index = 0
        while index + 4 <= extra.count {
            let id = le16(extra, index), length = Int(le16(extra, index + 2))
            // Zip64: uncompressed size, then compressed size, 8 bytes each.
            if id == 0x0001, length >= 16, index + 4 + 16 <= extra.count {
                let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(extra[index + 12 + $1]) << (8 * UInt64($1)) }
                return value <= UInt64(Int.max) ? Int(value) : nil
            }
            index += 4 + length
        }
        return nil
    }

    static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}

/// The archive's bytes with a buffer of its own: headers are taken, member data is handed out
/// as read, and what a member's inflater did not use stays for the next header.
final class ArchiveStream {
    let source: ByteSource
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    private(set) var start = 0
    private(set) var end = 0
    private var sourceEnded = false
    /// Bytes of the archive consumed, for error messages.
    private(set) var offset = 0

    init(_ source: ByteSource) { self.source = source }

    var available: Int { end - start }

    /// At least `count` bytes buffered unless the archive ends first; false at its end.
    @discardableResult
    func fill(_ count: Int = 1) throws -> Bool {
        if available >= count { return true }
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        if buffer.count < count { buffer.append(contentsOf: [UInt8](repeating: 0, count: count - buffer.count)) }
        while available < count && !sourceEnded {
            let read = try buffer.withUnsafeMutableBytes { raw in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
            if read == 0 { sourceEnded = true } else { end += read }
        }
        return available > 0
    }

    /// Exactly `count` bytes, or nil when the archive ended before them (at a clean end: none).
    func take(_ count: Int) throws -> [UInt8]? {
        guard count > 0 else { return [] }
        try fill(count)
        guard available >= count else {
            if available > 0 { throw ByteSourceError("the archive ends in the middle of a header or member, at byte \(offset + available)") }
            return nil
        }
        defer { consume(count) }
        return Array(buffer[start..<(start + count)])
    }

    func peek(_ count: Int) throws -> [UInt8]? {
        try fill(count)
        return available >= count ? Array(buffer[start..<(start + count)]) : nil
    }

    /// Skips up to `count` bytes; how many there were.
    func skip(_ count: Int) throws -> Int {
        var left = count
        while left > 0, try fill() {
            let step = min(left, available)
            consume(step)
            left -= step
        }
        return count - left
    }

    func consume(_ count: Int) {
        start += count
        offset += count
    }

    /// The buffered bytes, for an inflater to read from in place.
    func withAvailable<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}

/// One member's bytes: a stored member's `length` bytes, or a deflated member inflated until
/// its stream ends. The CRC is checked where the header gives it.
final class MemberSource: ByteSource {
    private let stream: ArchiveStream
    private var remaining: Int
    private let padding: Int
    private let expectedCRC: UInt32?
    private var crc: UInt = 0
    private var inflater: UnsafeMutablePointer<z_stream>?
    private var compressedLeft: Int?
    private var done = false
    private var failed = false
    /// Every byte went through `read`, so the CRC covers them (not when `finish` skipped some).
    private var fullyRead = true
    /// Runs once the member's data is behind: a zip data descriptor, whose CRC it returns.
    var afterward: (() throws -> UInt32?)?

    init(_ stream: ArchiveStream, length: Int, padding: Int, crc: UInt32?) {
        self.stream = stream
        remaining = length
        self.padding = padding
        expectedCRC = crc
    }

    init(inflating stream: ArchiveStream, compressedLength: Int?, crc: UInt32?) throws {
        self.stream = stream
        remaining = Int.max
        padding = 0
        expectedCRC = crc
        compressedLeft = compressedLength
        let inflater = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        inflater.initialize(to: z_stream())
        // -15: raw deflate, as zip stores it (no zlib or gzip header).
        guard inflateInit2_(inflater, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            inflater.deallocate()
            throw ByteSourceError("zlib could not start")
        }
        self.inflater = inflater
    }

    deinit {
        if let inflater {
            inflateEnd(inflater)
            inflater.deallocate()
        }
    }

    private var deferredError: Error?

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let error = deferredError {
            deferredError = nil
            throw error
        }
        guard !done, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let count: Int
        if let inflater {
            count = try inflate(into: buffer, inflater)
        } else {
            guard remaining > 0 else { return try finishData() }
            guard try stream.fill() else {
                (failed, done) = (true, true)
                throw ByteSourceError("the archive ends inside this member (\(NumberFormatting.bytes(remaining)) missing)")
            }
            count = min(remaining, buffer.count, stream.available)
            stream.withAvailable { base.copyMemory(from: $0.baseAddress!, byteCount: count) }
            stream.consume(count)
            remaining -= count
        }
        if count == 0 { return try finishData() }
        if inflater == nil { crc = CZlib.crc32(crc, base.assumingMemoryBound(to: Bytef.self), UInt32(count)) }
        return count
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer, _ inflater: UnsafeMutablePointer<z_stream>) throws -> Int {
        inflater.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        inflater.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        while inflater.pointee.avail_out == UInt32(min(buffer.count, Int(UInt32.max))) {
            guard try stream.fill() else {
                (failed, done) = (true, true)
                throw ByteSourceError("the archive ends inside this member's compressed data")
            }
            let status: Int32 = stream.withAvailable { input in
                let offered = min(input.count, compressedLeft ?? input.count)
                inflater.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                inflater.pointee.avail_in = UInt32(offered)
                let status = CZlib.inflate(inflater, Z_NO_FLUSH)
                let used = offered - Int(inflater.pointee.avail_in)
                stream.consume(used)
                if compressedLeft != nil { compressedLeft! -= used }
                return status
            }
            if status == Z_STREAM_END {
                done = true
                break
            }
            if status != Z_OK && status != Z_BUF_ERROR {
                // With its compressed size known, the next member's header can still be found.
                (failed, done) = (compressedLeft == nil, true)
                let message = inflater.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw ByteSourceError("this member's compressed data is corrupt (\(message))")
            }
            if compressedLeft == 0 {
                done = true
                throw ByteSourceError("this member's compressed data ends before its stream does")
            }
        }
        let produced = buffer.count - Int(inflater.pointee.avail_out)
        if produced > 0 {
            crc = CZlib.crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: Bytef.self), UInt32(produced))
        }
        if done {
            // A CRC found wrong at the end: these bytes are analysed, the error comes next.
            do {
                try checkCRC()
                try afterData()
            } catch {
                guard produced > 0 else { throw error }
                deferredError = error
            }
        }
        return produced
    }

    private func finishData() throws -> Int {
        guard !done else { return 0 }
        done = true
        try checkCRC()
        try afterData()
        return 0
    }

    private func checkCRC() throws {
        if let expectedCRC, UInt32(truncatingIfNeeded: crc) != expectedCRC {
            throw ByteSourceError("its CRC does not match: the member is damaged")
        }
    }

    private var afterDone = false
    private func afterData() throws {
        guard !afterDone else { return }
        afterDone = true
        // A member compressed in fewer bytes than its header said: the rest is skipped.
        if let left = compressedLeft, left > 0 { _ = try stream.skip(left) }
        _ = try stream.skip(padding)
        if let trailing = try afterward?(), fullyRead, UInt32(truncatingIfNeeded: crc) != trailing {
            throw ByteSourceError("its CRC does not match: the member is damaged")
        }
    }

    /// Whatever the analysis did not read, so the next header is next.
    func finish() throws {
        if failed { throw ByteSourceError("the walk stopped at a damaged member") }
        if inflater != nil {
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
            defer { scratch.deallocate() }
            while !done {
                // A CRC or data error here only concerns this member: the next header is still found.
                do { _ = try read(into: scratch) } catch { if failed { throw error } }
            }
            try afterData()
            return
        }
        if remaining > 0 {
            fullyRead = false
            remaining -= try stream.skip(remaining)
        }
        done = true
        try afterData()
    }

    func close() {}
}
