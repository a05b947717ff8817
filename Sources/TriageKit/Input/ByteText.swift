import Foundation

/// Small byte-level text tests used on hot paths, where `String` would cost too much.
extension UnsafeRawBufferPointer {
    @inline(__always)
    func byte(_ index: Int) -> UInt8 {
        index < count ? self[index] : 0
    }

    @inline(__always)
    func isDigit(at index: Int) -> Bool {
        index < count && self[index] &- 0x30 < 10
    }

    /// The value of `length` ASCII digits at `index`, or nil when any is not a digit.
    @inline(__always)
    func digits(at index: Int, length: Int) -> Int? {
        guard index + length <= count else { return nil }
        var value = 0
        for offset in 0..<length {
            let digit = self[index + offset] &- 0x30
            if digit >= 10 { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// True when the bytes at `index` equal `literal` exactly.
    @inline(__always)
    func matches(_ literal: StaticString, at index: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index >= 0, index + length <= count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where self[index + offset] != pointer[offset] { return false }
        return true
    }

    /// Index of the first byte at or after `index` that is not a space or a tab.
    @inline(__always)
    func skippingBlanks(from index: Int) -> Int {
        var position = index
        while position < count, self[position] == 0x20 || self[position] == 0x09 { position += 1 }
        return position
    }

    /// Index of `byte` at or after `index`, or nil.
    @inline(__always)
    func firstIndex(of byte: UInt8, from index: Int, limit: Int = Int.max) -> Int? {
        var position = index
        let end = Swift.min(count, limit)
        while position < end {
            if self[position] == byte { return position }
            position += 1
        }
        return nil
    }

    /// Whether these bytes start with `prefix`.
    @inline(__always)
    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        prefix.count <= count && prefix.withUnsafeBytes { prefix in
            prefix.isEmpty || memcmp(prefix.baseAddress!, baseAddress!, prefix.count) == 0
        }
    }

    /// Where `literal` first occurs at or after `index`, or nil.
    func range(of literal: StaticString, from index: Int = 0) -> Range<Int>? {
        let length = literal.utf8CodeUnitCount
        guard index >= 0, index + length <= count, length > 0 else { return nil }
        var position = index
        while position + length <= count {
            guard let hit = memchr(baseAddress! + position, Int32(literal.utf8Start[0]), count - length + 1 - position) else { return nil }
            let start = UnsafeRawPointer(hit) - baseAddress!
            if memcmp(baseAddress! + start, literal.utf8Start, length) == 0 { return start..<(start + length) }
            position = start + 1
        }
        return nil
    }

    /// The bytes in `range` decoded for display (invalid UTF-8 is replaced, not fatal).
    func string(_ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: self[clamped]), as: UTF8.self)
    }

    /// At most `limit` bytes of `range` as text, cut before a character's continuation bytes and
    /// marked with `…`: a field taken from one line into the report stays small however long the
    /// line was (a 4 MB frame once made a 24 MB report).
    func string(_ range: Range<Int>, limit: Int) -> String {
        let clamped = range.clamped(to: 0..<count)
        guard clamped.count > limit else { return string(clamped) }
        var end = clamped.lowerBound + limit
        while end > clamped.lowerBound, self[end] & 0xC0 == 0x80 { end -= 1 }
        return string(clamped.lowerBound..<end) + "…"
    }
}

extension UInt8 {
    @inline(__always) var isASCIILetter: Bool { (self | 0x20) &- 0x61 < 26 }
    @inline(__always) var isASCIIUppercase: Bool { self &- 0x41 < 26 }
    @inline(__always) var isASCIILowercase: Bool { self &- 0x61 < 26 }
    @inline(__always) var isASCIIDigit: Bool { self &- 0x30 < 10 }
    @inline(__always) var isASCIIHexDigit: Bool { self &- 0x30 < 10 || (self | 0x20) &- 0x61 < 6 }
    @inline(__always) var isBlank: Bool { self == 0x20 || self == 0x09 }
    /// Letters, digits, `_` and `$`: the bytes of a Java identifier's ASCII subset.
    @inline(__always) var isJavaIdentifierByte: Bool {
        isASCIILetter || isASCIIDigit || self == 0x5F || self == 0x24 || self >= 0x80
    }
}
