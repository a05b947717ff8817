/// Small text helpers without Foundation, for the few places that work on strings.
extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns. By bytes: a Substring's
    /// `dropLast()` walks from the start each time, which made 40,000 trailing blanks take seconds.
    func trimmingWhitespace() -> String {
        let text = Substring(self)
        let bytes = text.utf8
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(text[first...last])
    }

    /// Every occurrence of `target` replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return String(self) }
        // One ASCII byte for another (`/` → `.` in class names): by bytes, far faster.
        if target.utf8.count == 1, replacement.utf8.count == 1, let from = target.utf8.first, let to = replacement.utf8.first,
           from < 0x80, to < 0x80 {
            return String(decoding: utf8.map { $0 == from ? to : $0 }, as: UTF8.self)
        }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    /// Where the ASCII `needle` first occurs, found by bytes. `firstRange(of:)` on a Substring
    /// searches character by character, which is far too slow on a per-line path (dump parsers).
    func firstRange(ofASCII needle: StaticString) -> Range<Index>? {
        let offset: Int?? = utf8.withContiguousStorageIfAvailable { haystack in
            needle.withUTF8Buffer { pattern -> Int? in
                guard let first = pattern.first, haystack.count >= pattern.count else { return nil }
                var index = 0
                let last = haystack.count - pattern.count
                while index <= last {
                    if haystack[index] == first {
                        var matched = 1
                        while matched < pattern.count && haystack[index + matched] == pattern[matched] { matched += 1 }
                        if matched == pattern.count { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
        guard let searched = offset else { return firstRange(of: String(describing: needle)) }
        guard let found = searched else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: found)
        return lower..<utf8.index(lower, offsetBy: needle.utf8CodeUnitCount)
    }
}
