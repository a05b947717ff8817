/// Lines cut at spaces to fit a width, continuation lines indented under their first word:
/// the text report on a terminal (its width, `--width N`, 80 in a pipe) and `--help` (80).
/// Colour escapes take no columns; a word longer than the width stays whole (a path, a URL).
enum TextWrapping {
    /// `column`: where continuation lines start (default: two past the line's own indent).
    static func wrap(_ text: String, width: Int, column: Int? = nil) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 16)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !out.isEmpty || line.startIndex != text.startIndex { out.append("\n") }
            wrapLine(line, width: width, column: column, into: &out)
        }
        return out
    }

    private static func wrapLine(_ line: Substring, width: Int, column continuationColumn: Int?, into out: inout String) {
        guard visibleCount(line) > width else {
            out += line
            return
        }
        let indent = line.prefix { $0 == " " }.count
        let continuation = String(repeating: " ", count: min(continuationColumn ?? indent + 2, width / 2))
        var column = 0
        var first = true
        var lineStart = true
        // Words with the spaces before them; the leading indent stays with the first word.
        var rest = line[...]
        while !rest.isEmpty {
            let spaces = rest.prefix { $0 == " " }
            let word = rest.dropFirst(spaces.count).prefix { $0 != " " }
            rest = rest.dropFirst(spaces.count + word.count)
            let wordWidth = visibleCount(word)
            if !lineStart && column + spaces.count + wordWidth > width {
                out += "\n" + continuation
                column = continuation.count
                lineStart = true
                first = false
            }
            if lineStart && !first {
                out += word
                column += wordWidth
            } else {
                out += spaces
                out += word
                column += spaces.count + wordWidth
            }
            lineStart = false
        }
    }

    /// Characters that take a column: ANSI colour sequences (`ESC [ … m`) take none.
    static func visibleCount(_ text: Substring) -> Int {
        guard text.contains("\u{1B}") else { return text.count }
        var count = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }
}

extension TextWrapping {
    /// Ticket formats: no line past `limit`. Prose wraps (a list item's continuation indented
    /// under it); a table row, which must stay one line, is cut with an ellipsis before its end.
    static func limitingLines(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.count > limit else { return String(line) }
            if line.hasPrefix("|") { return String(line.prefix(limit - 3)) + "… |" }
            let indent = line.prefix { $0 == " " }.count
            return wrap(String(line), width: limit, column: indent + 3)
        }.joined(separator: "\n")
    }
}
