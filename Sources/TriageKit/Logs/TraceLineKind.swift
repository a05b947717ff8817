/// What one line inside a record is, as far as stack traces go. Decided from bytes.
enum TraceLineKind: Equatable {
    /// `at pkg.Class.method(File.java:1)`; `nameStart` is where `pkg` begins.
    case frame(nameStart: Int)
    /// `Caused by: X: msg`; `headerStart` is where `X` begins.
    case causedBy(headerStart: Int)
    case suppressed(headerStart: Int)
    /// `... 13 more` or `... 13 common frames omitted`; the count is nil beyond any real stack's.
    case omitted(count: Int?)
    /// Axis 1 fault detail: `{http://xml.apache.org/axis/}stackTrace:java.net.X: msg`.
    case axisStackTrace(headerStart: Int)
    case text

    static func classify(_ line: UnsafeRawBufferPointer) -> TraceLineKind {
        let start = line.skippingBlanks(from: 0)
        guard start < line.count else { return .text }
        switch line[start] {
        case UInt8(ascii: "a"):
            if line.matches("at ", at: start) {
                let name = line.skippingBlanks(from: start + 3)
                // Indented, or at column 0 with a parenthesis: `at the moment` is prose.
                if name < line.count, line[name].isJavaIdentifierByte,
                   start > 0 || line.firstIndex(of: 0x28, from: name) != nil {
                    return .frame(nameStart: name)
                }
            }
            if start > 0, isBareFrame(line, start) { return .frame(nameStart: start) }
        case UInt8(ascii: "C"):
            if line.matches("Caused by:", at: start) { return .causedBy(headerStart: line.skippingBlanks(from: start + 10)) }
        case UInt8(ascii: "S"):
            if line.matches("Suppressed:", at: start) { return .suppressed(headerStart: line.skippingBlanks(from: start + 11)) }
        case UInt8(ascii: "."):
            if line.matches("... ", at: start) {
                var index = start + 4
                let count = InputNumber.scanDecimal(line, at: &index, in: 0...1_000_000)
                if index > start + 4 { return .omitted(count: count) }
            }
        case UInt8(ascii: "{"):
            if line.matches("{http://xml.apache.org/axis/}stackTrace:", at: start) {
                return .axisStackTrace(headerStart: start + 40)
            }
        default:
            // WebLogic prints a stuck thread's frames without `at `: `\tcom.acme.Dao.load(Dao.java:77)`.
            if start > 0, line[start].isASCIILowercase, isBareFrame(line, start) { return .frame(nameStart: start) }
        }
        return .text
    }

    /// An indented `package.Class.method(…)` alone on its line: a frame without `at `. At least
    /// two dots before the `(` and nothing but the location after it, so prose does not pass.
    private static func isBareFrame(_ line: UnsafeRawBufferPointer, _ start: Int) -> Bool {
        var index = start
        var dots = 0
        while index < line.count, line[index] != 0x28 {
            let byte = line[index]
            if byte == 0x2E { dots += 1 } else if !byte.isJavaIdentifierByte && byte != 0x2F && byte != 0x24 { return false }
            index += 1
        }
        guard dots >= 2, index < line.count, index > start else { return false }
        var end = line.count
        while end > index, line[end - 1] == 0x20 || line[end - 1] == 0x09 || line[end - 1] == 0x0D { end -= 1 }
        guard end > index + 1, line[end - 1] == 0x29 else { return false }
        // One parenthesised location: `(Dao.java:77)`, `(Native Method)`, `(Unknown Source)`.
        return line.firstIndex(of: 0x28, from: index + 1, limit: end) == nil
    }
}

/// Finds Java exception class names in text: `java.net.SocketException: …`.
enum ExceptionNameScanner {
    /// A qualified exception class name starting exactly at `index` (after an optional
    /// `Exception in thread "…" ` prefix), as the range of the name and where the message starts.
    /// With `requireThrowableSuffix` false (a `Caused by:` line, a line right above frames) any
    /// qualified name will do: `org.xml.sax.SAXParseException; lineNumber: 44` is one too.
    static func header(
        in line: UnsafeRawBufferPointer, at index: Int, requireThrowableSuffix: Bool = true
    ) -> (name: Range<Int>, messageStart: Int)? {
        var start = line.skippingBlanks(from: index)
        if line.matches("Exception in thread \"", at: start),
           let quote = line.firstIndex(of: 0x22, from: start + 21) {
            start = line.skippingBlanks(from: quote + 1)
        }
        guard let name = qualifiedName(in: line, at: start),
              !requireThrowableSuffix || looksLikeThrowable(line, name) else {
            // Axis prints its fault class unqualified on a line of its own.
            if line.matches("AxisFault", at: start), start + 9 == line.count || line[start + 9] == 0x3A || line[start + 9] == 0x20 {
                return (start..<(start + 9), messageAfter(line, start + 9))
            }
            return nil
        }
        let end = name.upperBound
        guard end == line.count || line[end] == 0x3A || line[end] == 0x3B || line[end].isBlank else { return nil }
        return (name, messageAfter(line, end))
    }

    /// The first exception-like class name anywhere in the line (`... due to java.io.IOException: x`).
    static func firstMention(in line: UnsafeRawBufferPointer, from index: Int = 0) -> (name: Range<Int>, messageStart: Int)? {
        var position = index
        while position < line.count {
            let byte = line[position]
            if byte.isASCIILetter, position == 0 || !(line[position - 1].isJavaIdentifierByte || line[position - 1] == 0x2E) {
                if let name = qualifiedName(in: line, at: position) {
                    let end = name.upperBound
                    if looksLikeThrowable(line, name), end == line.count || line[end] == 0x3A || line[end].isBlank || line[end] == 0x29 || line[end] == 0x2C {
                        return (name, messageAfter(line, end))
                    }
                    position = max(end, position + 1)
                    continue
                }
            }
            position += 1
        }
        return nil
    }

    /// `a.b.C` (at least one dot, identifier bytes), starting at `index`.
    static func qualifiedName(in line: UnsafeRawBufferPointer, at index: Int) -> Range<Int>? {
        guard index < line.count, line[index].isASCIILetter || line[index] == 0x5F || line[index] == 0x24 else { return nil }
        var position = index
        var dots = 0
        var lastSegmentStart = index
        while position < line.count {
            let byte = line[position]
            if byte.isJavaIdentifierByte && byte < 0x80 {
                position += 1
            } else if byte == 0x2E, position + 1 < line.count, line[position + 1].isJavaIdentifierByte, line[position + 1] < 0x80 {
                dots += 1
                position += 1
                lastSegmentStart = position
            } else {
                break
            }
        }
        guard dots > 0, line[lastSegmentStart].isASCIIUppercase else { return nil }
        return index..<position
    }

    /// Exception, Error, Throwable, Fault: the suffixes of nearly every throwable class.
    private static func looksLikeThrowable(_ line: UnsafeRawBufferPointer, _ name: Range<Int>) -> Bool {
        let end = name.upperBound
        return line.matches("Exception", at: end - 9) || line.matches("Error", at: end - 5)
            || line.matches("Throwable", at: end - 9) || line.matches("Fault", at: end - 5)
    }

    private static func messageAfter(_ line: UnsafeRawBufferPointer, _ end: Int) -> Int {
        var position = end
        if position < line.count, line[position] == 0x3A || line[position] == 0x3B { position += 1 }
        return line.skippingBlanks(from: position)
    }
}
