/// A logback / log4j2 conversion pattern given with `--pattern`
/// (`%d{dd.MM.yyyy HH:mm:ss.SSS} | %-5level | %thread | %logger - %msg%n`), compiled into a
/// header reader for layouts the built-in ones do not know. A line is a header when it follows
/// the pattern up to the message: its literals in place, its date readable, its level a level
/// word. What follows `%msg` is the message.
public struct LogPattern: Sendable, Equatable {
    enum Element: Sendable, Equatable {
        case literal([UInt8])
        case date([DatePart])
        case level
        /// Text up to the next literal (thread, logger, MDC, anything else the pattern prints).
        case text
        case message
    }

    enum DatePart: Sendable, Equatable {
        case year4, year2, month2, monthName, day, hour24, hour12, minute, second, millis, amPm
        case literal(UInt8)
    }

    let elements: [Element]
    public let source: String

    /// Compiles `pattern`; the error says which part cannot be read.
    public init(_ pattern: String) throws(PatternError) {
        source = pattern
        var elements: [Element] = []
        var literal: [UInt8] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        func flush() {
            if !literal.isEmpty { elements.append(.literal(literal)); literal = [] }
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x25 else {   // %
                literal.append(byte)
                index += 1
                continue
            }
            index += 1
            if index < bytes.count, bytes[index] == 0x25 { literal.append(0x25); index += 1; continue }
            // Format modifiers: `-5`, `.30`, `-5.5`.
            while index < bytes.count, bytes[index] == 0x2D || bytes[index] == 0x2E || bytes[index].isASCIIDigit { index += 1 }
            var word: [UInt8] = []
            while index < bytes.count, bytes[index].isASCIILetter { word.append(bytes[index]); index += 1 }
            var option: String?
            if index < bytes.count, bytes[index] == 0x7B, let close = bytes[index...].firstIndex(of: 0x7D) {
                option = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                index = close + 1
            }
            let name = String(decoding: word, as: UTF8.self)
            switch name {
            case "d", "date":
                flush()
                elements.append(.date(try LogPattern.date(option)))
            case "p", "le", "level":
                flush()
                elements.append(.level)
            case "m", "msg", "message":
                flush()
                elements.append(.message)
            case "n":
                break
            case "":
                throw PatternError("'%' at \(index) names no conversion; write %% for a percent sign")
            default:
                // %thread, %logger, %X{…}, %class, %pid … : text up to what follows.
                flush()
                if elements.last != .text { elements.append(.text) }
            }
            // A message ends what a header can say.
            if elements.last == .message { break }
        }
        flush()
        guard elements.contains(where: { if case .date = $0 { return true } else { return false } }) else {
            throw PatternError("the pattern has no date (%d{…}): records could not be told apart")
        }
        if case .text = elements.first {
            throw PatternError("the pattern starts with free text before its date; start it with %d{…} or a literal")
        }
        self.elements = elements
    }

    public struct PatternError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// `%d`'s option: a SimpleDateFormat pattern or one of the named ones.
    static func date(_ option: String?) throws(PatternError) -> [DatePart] {
        var format = option ?? "yyyy-MM-dd HH:mm:ss,SSS"
        // `%d{HH:mm:ss,SSS, Europe/Berlin}`: a time zone after the last comma (the format has commas too).
        if let comma = format.lastIndex(of: ",") {
            let zone = format[format.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if zone.contains("/") || ["UTC", "GMT", "Z"].contains(zone) { format = String(format[..<comma]) }
        }
        switch format {
        case "ISO8601", "": format = "yyyy-MM-dd HH:mm:ss,SSS"
        case "DEFAULT": format = "yyyy-MM-dd HH:mm:ss,SSS"
        case "ISO8601_BASIC": format = "yyyyMMdd'T'HHmmss,SSS"
        case "ABSOLUTE": format = "HH:mm:ss,SSS"
        default: break
        }
        var parts: [DatePart] = []
        let bytes = Array(format.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var run = 1
            while index + run < bytes.count, bytes[index + run] == byte { run += 1 }
            switch (byte, run) {
            case (UInt8(ascii: "y"), 4): parts.append(.year4)
            case (UInt8(ascii: "y"), 2): parts.append(.year2)
            case (UInt8(ascii: "M"), 2): parts.append(.month2)
            case (UInt8(ascii: "M"), 3): parts.append(.monthName)
            case (UInt8(ascii: "d"), 1...2): parts.append(.day)
            case (UInt8(ascii: "H"), 1...2): parts.append(.hour24)
            case (UInt8(ascii: "h"), 1...2): parts.append(.hour12)
            case (UInt8(ascii: "m"), 2): parts.append(.minute)
            case (UInt8(ascii: "s"), 2): parts.append(.second)
            case (UInt8(ascii: "S"), 1...9): parts.append(.millis)
            case (UInt8(ascii: "a"), 1): parts.append(.amPm)
            case (UInt8(ascii: "'"), _):
                // 'T' — quoted literal text
                guard let close = bytes[(index + 1)...].firstIndex(of: 0x27) else { throw PatternError("unclosed quote in the date format '\(format)'") }
                for quoted in bytes[(index + 1)..<close] { parts.append(.literal(quoted)) }
                index = close + 1
                continue
            case (let letter, _) where letter.isASCIILetter:
                throw PatternError("the date format '\(format)' uses '\(String(repeating: Character(Unicode.Scalar(letter)), count: run))', "
                                   + "which triage cannot read; use yyyy, yy, MM, MMM, dd, HH, hh, mm, ss, SSS, a")
            default:
                for _ in 0..<run { parts.append(.literal(byte)) }
            }
            index += run
        }
        return parts
    }

    // MARK: - Reading a header

    /// The header of `line` if it follows the pattern up to its message.
    public func parse(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        var position = 0
        var timestamp: LogTimestamp?
        var level: LogLevel?
        for (offset, element) in elements.enumerated() {
            switch element {
            case .literal(let bytes):
                // Padding (`%-5level`, `%-40logger`) leaves blanks around a literal: blanks at
                // its start match any run of them (at least one).
                var core = bytes[...]
                if core.first == 0x20 {
                    core = core.drop { $0 == 0x20 }
                    guard position < line.count, line[position] == 0x20 else { return nil }
                }
                if core.count < bytes.count || offset > 0 && [.level, .text].contains(elements[offset - 1]) {
                    while position < line.count, line[position] == 0x20 { position += 1 }
                }
                guard position + core.count <= line.count else { return nil }
                for (index, byte) in core.enumerated() where line[position + index] != byte { return nil }
                position += core.count
            case .date(let parts):
                guard let (stamp, end) = LogPattern.readDate(parts, line, at: position) else { return nil }
                timestamp = stamp
                position = end
            case .level:
                while position < line.count, line[position] == 0x20 { position += 1 }
                var end = position
                while end < line.count, line[end].isASCIILetter { end += 1 }
                guard let found = LogLevel.word(line, position, end - position) else { return nil }
                level = found
                position = end
            case .text:
                // Up to the next literal (blanks at its start aside), or the rest when none follows.
                guard case .literal(let next)? = elements.dropFirst(offset + 1).first else { continue }
                let core = Array(next.drop { $0 == 0x20 })
                guard let first = core.first else { continue }
                var search = position
                var found: Int?
                let limit = min(line.count, position + 512)
                while let hit = line.firstIndex(of: first, from: search, limit: limit) {
                    if hit + core.count <= line.count, zip(core.indices, core).allSatisfy({ line[hit + $0] == $1 }) { found = hit; break }
                    search = hit + 1
                }
                guard var end = found else { return nil }
                // The literal's own blanks are the literal's.
                while end > position, line[end - 1] == 0x20 { end -= 1 }
                position = end
            case .message:
                while position < line.count, line[position] == 0x20 { position += 1 }
                return LogHeader(style: .pattern, timestamp: timestamp, level: level, messageStart: min(position, line.count))
            }
        }
        return LogHeader(style: .pattern, timestamp: timestamp, level: level, messageStart: min(position, line.count))
    }

    static func readDate(_ parts: [DatePart], _ line: UnsafeRawBufferPointer, at start: Int) -> (LogTimestamp, Int)? {
        var position = start
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0
        var hasDate = false, pm: Bool?
        func digits(_ count: ClosedRange<Int>) -> Int? {
            var value = 0, read = 0
            while read < count.upperBound, position < line.count, line[position].isASCIIDigit {
                value = value * 10 + Int(line[position] - 0x30)
                position += 1
                read += 1
            }
            return read >= count.lowerBound ? value : nil
        }
        for part in parts {
            switch part {
            case .year4: guard let value = digits(4...4) else { return nil }; year = value; hasDate = true
            case .year2: guard let value = digits(2...2) else { return nil }; year = 2000 + value; hasDate = true
            case .month2: guard let value = digits(2...2) else { return nil }; month = value
            case .monthName:
                guard let value = LogHeaderParser.monthName(line, at: position) else { return nil }
                month = value
                position += 3
            case .day: guard let value = digits(1...2) else { return nil }; day = value
            case .hour24, .hour12: guard let value = digits(1...2) else { return nil }; hour = value
            case .minute: guard let value = digits(2...2) else { return nil }; minute = value
            case .second: guard let value = digits(2...2) else { return nil }; second = value
            case .millis:
                var read = 0, value = 0
                while position < line.count, line[position].isASCIIDigit {
                    if read < 3 { value = value * 10 + Int(line[position] - 0x30) }
                    read += 1
                    position += 1
                }
                guard read > 0 else { return nil }
                for _ in read..<max(read, 3) { value *= 10 }
                millis = value
            case .amPm:
                guard position + 2 <= line.count else { return nil }
                let letter = line[position] | 0x20
                guard letter == UInt8(ascii: "a") || letter == UInt8(ascii: "p"), line[position + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
                pm = letter == UInt8(ascii: "p")
                position += 2
            case .literal(let byte):
                guard position < line.count, line[position] == byte else { return nil }
                position += 1
            }
        }
        if let pm {
            if pm, hour < 12 { hour += 12 }
            if !pm, hour == 12 { hour = 0 }
        }
        let stamp = hasDate
            ? LogTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millis)
            : LogTimestamp(hour: hour, minute: minute, second: second, millisecond: millis)
        return stamp.map { ($0, position) }
    }
}
