/// Lines copied out of `grep -n`, `grep -H` or `grep -C` carry `1234:`, `app.log:1234:` or
/// `app.log-1235-` in front, and `--` between groups. Whether an input is such an excerpt is
/// decided on its first lines: a line that is not a log header as it stands, but is one (or a
/// stack-trace or dump line) once the prefix is cut. Then every line loses its prefix; the
/// lines of any other input are not touched.
struct GrepPrefix {
    enum Mode { case undecided, off, strip }

    private(set) var mode = Mode.undecided
    private var linesSeen = 0

    /// The line as the analysis should see it.
    @inline(__always)
    mutating func apply(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        switch mode {
        case .off: return line
        case .undecided: decide(line)
        case .strip: break
        }
        guard mode == .strip else { return line }
        if line.count == 2, line[0] == 0x2D, line[1] == 0x2D { return UnsafeRawBufferPointer(rebasing: line[2...]) }
        guard let length = GrepPrefix.prefixLength(line) else { return line }
        return UnsafeRawBufferPointer(rebasing: line[length...])
    }

    private mutating func decide(_ line: UnsafeRawBufferPointer) {
        guard line.count > 0 else { return }
        linesSeen += 1
        if LogHeaderParser.parse(line) != nil {
            mode = .off
            return
        }
        if let length = GrepPrefix.prefixLength(line) {
            let rest = UnsafeRawBufferPointer(rebasing: line[length...])
            if LogHeaderParser.parse(rest) != nil || GrepPrefix.isTraceOrDumpLine(rest) {
                mode = .strip
                return
            }
        }
        if linesSeen >= 3 { mode = .off }
    }

    private static func isTraceOrDumpLine(_ line: UnsafeRawBufferPointer) -> Bool {
        switch TraceLineKind.classify(line) {
        case .frame, .causedBy, .suppressed: return true
        default:
            return line.matches("Full thread dump", at: 0) || line.matches("java.lang.Thread.State:", at: line.skippingBlanks(from: 0))
                || ExceptionNameScanner.header(in: line, at: 0) != nil
        }
    }

    /// `1234:` / `1234-`, or a file name without blanks followed by `:1234:` / `-1235-`.
    static func prefixLength(_ line: UnsafeRawBufferPointer) -> Int? {
        let limit = min(line.count, 256)
        var position = 0
        while position < limit {
            let byte = line[position]
            if byte == 0x20 || byte == 0x09 { return nil }
            if position == 0 || byte == 0x3A || byte == 0x2D {
                // Digits, then the same kind of separator grep uses for that line.
                var index = position == 0 && byte.isASCIIDigit ? 0 : position + 1
                let digitsStart = index
                while index < limit, line[index].isASCIIDigit { index += 1 }
                if index > digitsStart, index < line.count, line[index] == 0x3A || line[index] == 0x2D,
                   position == 0 && byte.isASCIIDigit || line[index] == byte {
                    return index + 1
                }
            }
            position += 1
        }
        return nil
    }
}
