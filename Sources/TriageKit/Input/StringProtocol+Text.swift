/// Small text helpers without Foundation, for the few places that work on strings.
extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    func trimmingWhitespace() -> String {
        var sub = self[...]
        while let first = sub.first, first == " " || first == "\t" || first == "\r" { sub = sub.dropFirst() }
        while let last = sub.last, last == " " || last == "\t" || last == "\r" { sub = sub.dropLast() }
        return String(sub)
    }

    /// Every occurrence of `target` replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return String(self) }
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
