/// The start of a log record, recognised from the first bytes of a line.
public struct LogHeader: Equatable, Sendable {
    /// Which family of layouts the header came from; decides how the record continues.
    public enum Style: String, Sendable {
        case iso            // log4j/logback/Spring Boot: 2024-12-21 13:26:03,117 …
        case tomcatJULI     // 21-Dec-2024 13:26:03.117 SEVERE [thread] …
        case julTwoLine     // Dec 21, 2024 1:26:03 PM class method  (level on the next line)
        case webSphere      // [12/21/24 13:26:03:117 CST] 0000002a SystemOut O …
        case webLogic       // ####<Dec 7, 2026 9:12:11,100 AM CET> <Error> <WebLogicServer> … <BEA-000337> <…>
        case timeOnly       // 13:26:03,117 ERROR [Class:181] …
        case compact        // HDFS: 081109 203615 148 INFO …
        case slashDate      // Spark: 17/06/09 20:10:40 INFO …
        case dottedDate     // 14.03.2025 11:15:01.700 | ERROR | …
        case log4jDate      // 21 Dec 2024 13:26:03,117 …
        case syslog         // Dec 21 13:26:03 host app[42]: …
        case uncaught       // Exception in thread "main" java.lang.…  (raw stderr)
        case event          // a JSON log line, decoded (its fields give time and level)
        case pattern        // the layout given with --pattern
    }

    public var style: Style
    public var timestamp: LogTimestamp?
    public var level: LogLevel?
    /// Where the message text starts in the line (after timestamp, level and the like).
    public var messageStart: Int
}

/// Recognises record headers from bytes, without `String` or `Regex` (this runs on every line).
public enum LogHeaderParser {
    public static func parse(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard line.count >= 8 else { return nil }
        let first = line[0]
        if first.isASCIIDigit { return digitLed(line) ?? LocalizedJUL.unpaddedDate(line) ?? LocalizedJUL.header(line) }
        if first == 0x5B { return bracketed(line) }   // [
        if first == 0x23 || first == 0x3C { return webLogic(line) }   // # <
        if first.isASCIIUppercase { return letterLed(line) ?? LocalizedJUL.header(line) }
        // `déc. 07, 2026 …`, `十二月 07, 2026 …`: java.util.logging under another locale.
        if first.isASCIILowercase || first >= 0x80 { return LocalizedJUL.header(line) }
        return nil
    }

    // MARK: - Layouts that start with a digit

    private static func digitLed(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        // The third byte tells the layouts apart, so each line is tried against one or two.
        switch line.byte(2) {
        case 0x3A: return timeOnly(line)
        case 0x2D: return tomcatJULI(line)
        case 0x2F: return slashDate(line)
        case 0x2E: return dottedDate(line)
        case let third where third.isASCIIDigit: return iso(line) ?? compact(line)
        default: return log4jDate(line)
        }
    }

    /// yyyy-MM-dd[ T]HH:mm:ss  or  yyyy/MM/dd HH:mm:ss
    private static func iso(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        // `yyyy-MM-` in one load (most lines of most logs start so): both separators alike,
        // then every other byte a digit.
        guard line.count >= 19 else { return nil }
        let word = line.loadUnaligned(as: UInt64.self).littleEndian
        let separator = word >> 32 & 0xFF
        guard separator == 0x2D || separator == 0x2F, word >> 56 == separator else { return nil }
        let x = word ^ (0x0030_3000_3030_3030 | separator << 32 | separator << 56)
        guard allBelowTen(x), let day = line.digits(at: 8, length: 2), line[10] == 0x20 || line[10] == 0x54,
              let time = time(line, at: 11) else { return nil }
        let year = Int(x & 0xFF) * 1000 + Int(x >> 8 & 0xFF) * 100 + Int(x >> 16 & 0xFF) * 10 + Int(x >> 24 & 0xFF)
        let month = Int(x >> 40 & 0xFF) * 10 + Int(x >> 48 & 0xFF)
        return header(.iso, line, year, month, day, time)
    }

    /// Every byte of `x` is below 10: `x` held digits with `"0"` taken away (XOR). A byte of
    /// 10…127 carries into its top bit when 0x76 is added; one of 128 and up has it already.
    @inline(__always)
    static func allBelowTen(_ x: UInt64) -> Bool {
        (x | (x &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0
    }

    /// dd-MMM-yyyy HH:mm:ss.SSS (Tomcat JULI OneLineFormatter)
    private static func tomcatJULI(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard let day = line.digits(at: 0, length: 2), line.byte(2) == 0x2D, let month = monthName(line, at: 3),
              line.byte(6) == 0x2D, let year = line.digits(at: 7, length: 4), line.byte(11) == 0x20,
              let time = time(line, at: 12) else { return nil }
        return header(.tomcatJULI, line, year, month, day, time)
    }

    /// yy/MM/dd HH:mm:ss (Spark's log4j layout)
    private static func slashDate(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard let year = line.digits(at: 0, length: 2), line.byte(2) == 0x2F, let month = line.digits(at: 3, length: 2),
              line.byte(5) == 0x2F, let day = line.digits(at: 6, length: 2), line.byte(8) == 0x20,
              let time = time(line, at: 9) else { return nil }
        return header(.slashDate, line, 2000 + year, month, day, time)
    }

    /// dd.MM.yyyy HH:mm:ss (German and Russian patterns: `14.03.2025 11:15:01.700 | ERROR | …`)
    private static func dottedDate(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard let day = line.digits(at: 0, length: 2), let month = line.digits(at: 3, length: 2), line.byte(5) == 0x2E,
              let year = line.digits(at: 6, length: 4), line.byte(10) == 0x20, let time = time(line, at: 11) else { return nil }
        return header(.dottedDate, line, year, month, day, time)
    }

    /// HH:mm:ss,SSS — a time of day only; demand a fraction or a level so a number in a
    /// continuation line is not taken for a header.
    private static func timeOnly(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard let time = time(line, at: 0) else { return nil }
        let level = findLevel(line, from: time.end, limit: 40)
        guard time.hasFraction || level != nil else { return nil }
        guard let stamp = LogTimestamp(hour: time.hour, minute: time.minute, second: time.second, millisecond: time.millisecond) else { return nil }
        return LogHeader(style: .timeOnly, timestamp: stamp, level: level?.level, messageStart: level?.end ?? time.end)
    }

    /// yyMMdd HHmmss (HDFS 0.18); only with a level word, the shape is otherwise too loose.
    private static func compact(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        guard let year = line.digits(at: 0, length: 2), let month = line.digits(at: 2, length: 2),
              let day = line.digits(at: 4, length: 2), line.byte(6) == 0x20,
              let hour = line.digits(at: 7, length: 2), let minute = line.digits(at: 9, length: 2),
              let second = line.digits(at: 11, length: 2), line.byte(13) == 0x20,
              let level = findLevel(line, from: 14, limit: 24),
              let stamp = LogTimestamp(year: 2000 + year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: 0)
        else { return nil }
        return LogHeader(style: .compact, timestamp: stamp, level: level.level, messageStart: level.end)
    }

    /// d MMM yyyy HH:mm:ss,SSS (log4j %d{DATE})
    private static func log4jDate(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        let dayLength = line.byte(1) == 0x20 ? 1 : 2
        guard let day = line.digits(at: 0, length: dayLength), line.byte(dayLength) == 0x20,
              let month = monthName(line, at: dayLength + 1), line.byte(dayLength + 4) == 0x20,
              let year = line.digits(at: dayLength + 5, length: 4), line.byte(dayLength + 9) == 0x20,
              let time = time(line, at: dayLength + 10) else { return nil }
        return header(.log4jDate, line, year, month, day, time)
    }

    // MARK: - Layouts that start with `[`

    private static func bracketed(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        // [M/d/yy H:mm:ss:SSS ZZZ] 0000002a SystemOut     O message   (WebSphere)
        var index = 1
        if let month = number(line, &index, maxDigits: 2), line.byte(index) == 0x2F {
            index += 1
            guard let day = number(line, &index, maxDigits: 2), line.byte(index) == 0x2F else { return nil }
            index += 1
            guard var year = number(line, &index, maxDigits: 4), line.byte(index) == 0x20 else { return nil }
            if year < 100 { year += 2000 }
            index += 1
            guard let (hour, minute, second) = clock(line, &index) else { return nil }
            var millisecond = 0
            if line.byte(index) == 0x3A || line.byte(index) == 0x2C || line.byte(index) == 0x2E,
               let fraction = line.digits(at: index + 1, length: 3) {
                millisecond = fraction
                index += 4
            }
            guard let close = line.firstIndex(of: 0x5D, from: index, limit: index + 12),
                  let stamp = LogTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
            else { return nil }
            let (level, messageStart) = webSphereLevel(line, after: close + 1)
            return LogHeader(style: .webSphere, timestamp: stamp, level: level, messageStart: messageStart)
        }
        // [2024-12-21 13:26:03,117] …  (ISO inside brackets)
        if let year = line.digits(at: 1, length: 4), line.byte(5) == 0x2D, let month = line.digits(at: 6, length: 2),
           line.byte(8) == 0x2D, let day = line.digits(at: 9, length: 2),
           line.byte(11) == 0x20 || line.byte(11) == 0x54, let time = time(line, at: 12) {
            return header(.iso, line, year, month, day, time)
        }
        return nil
    }

    /// WebSphere: thread id (hex), a component name, then a one-letter event type.
    private static func webSphereLevel(_ line: UnsafeRawBufferPointer, after index: Int) -> (LogLevel?, Int) {
        var position = line.skippingBlanks(from: index)
        while position < line.count, !line[position].isBlank { position += 1 }   // thread id
        position = line.skippingBlanks(from: position)
        while position < line.count, !line[position].isBlank { position += 1 }   // component
        position = line.skippingBlanks(from: position)
        guard position < line.count, line.byte(position + 1) == 0x20 || position + 1 == line.count else {
            return (nil, position)
        }
        let level: LogLevel?
        switch line[position] {
        case UInt8(ascii: "F"): level = .fatal
        case UInt8(ascii: "E"), UInt8(ascii: "R"): level = .error   // R: System.err
        case UInt8(ascii: "W"): level = .warn
        case UInt8(ascii: "A"), UInt8(ascii: "I"), UInt8(ascii: "C"), UInt8(ascii: "O"): level = .info
        case UInt8(ascii: "D"), UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "Z"): level = .debug
        default: return (nil, position)
        }
        return (level, min(line.count, position + 2))
    }

    // MARK: - WebLogic

    /// WebLogic's server log, `####<Dec 7, 2026 9:12:11,100 AM CET> <Error> <WebLogicServer> <host>
    /// <server> <thread> <user> <> <> <1796631131000> <BEA-000337> <message>`, and its standard
    /// out, the same from `<Dec 7, …>` with fewer fields. The message is the field after the
    /// message id (`BEA-000337`), or after the severity when there is none.
    private static func webLogic(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        var index = line.matches("####", at: 0) ? 4 : 0
        guard line.byte(index) == 0x3C, let month = monthName(line, at: index + 1), line.byte(index + 4) == 0x20 else { return nil }
        index += 5
        guard let day = number(line, &index, maxDigits: 2), line.byte(index) == 0x2C, line.byte(index + 1) == 0x20,
              let year = line.digits(at: index + 2, length: 4), line.byte(index + 6) == 0x20 else { return nil }
        index += 7
        guard var (hour, minute, second) = clock(line, &index) else { return nil }
        var millisecond = 0
        if line.byte(index) == 0x2C || line.byte(index) == 0x2E, let fraction = line.digits(at: index + 1, length: 3) {
            millisecond = fraction
            index += 4
        }
        if line.byte(index) == 0x20, line.byte(index + 2) == 0x4D {   // " AM" / " PM"
            if line.byte(index + 1) == 0x50, hour < 12 { hour += 12 }
            if line.byte(index + 1) == 0x41, hour == 12 { hour = 0 }
            index += 3
        }
        // The zone, then the field's end.
        guard let close = line.firstIndex(of: 0x3E, from: index, limit: min(line.count, index + 48)),
              line.byte(close + 1) == 0x20, line.byte(close + 2) == 0x3C,
              let stamp = LogTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                       millisecond: millisecond) else { return nil }
        let severityStart = close + 3
        guard let severityEnd = line.firstIndex(of: 0x3E, from: severityStart, limit: min(line.count, severityStart + 16)) else { return nil }
        let level = webLogicSeverity(UnsafeRawBufferPointer(rebasing: line[severityStart..<severityEnd]))
        var messageStart = line.skippingBlanks(from: severityEnd + 1)
        // The message id: `<BEA-000337>`, `<WL-…>`, `<OSB-…>`: upper-case letters, `-`, digits.
        var field = messageStart
        let limit = min(line.count, 2048)
        while field < limit, line[field] == 0x3C, let end = line.firstIndex(of: 0x3E, from: field + 1, limit: limit) {
            var letter = field + 1
            while letter < end, line[letter].isASCIIUppercase { letter += 1 }
            if letter > field + 1, letter < end, line[letter] == 0x2D, (letter + 1..<end).allSatisfy({ line[$0].isASCIIDigit }), end > letter + 1 {
                messageStart = line.skippingBlanks(from: end + 1)
                break
            }
            // `<<WLS Kernel>>`: a field that holds brackets of its own.
            field = line.skippingBlanks(from: line.byte(end + 1) == 0x3E ? end + 2 : end + 1)
        }
        if line.byte(messageStart) == 0x3C { messageStart += 1 }
        return LogHeader(style: .webLogic, timestamp: stamp, level: level, messageStart: min(messageStart, line.count))
    }

    private static func webLogicSeverity(_ word: UnsafeRawBufferPointer) -> LogLevel? {
        switch (word.byte(0) | 0x20, word.byte(1) | 0x20) {
        case (0x65, 0x6D), (0x61, 0x6C), (0x63, 0x72): return .fatal   // Emergency, Alert, Critical
        case (0x65, 0x72): return .error
        case (0x77, 0x61): return .warn
        case (0x6E, 0x6F), (0x69, 0x6E): return .info                  // Notice, Info
        case (0x64, 0x65): return .debug
        case (0x74, 0x72): return .trace
        default: return nil
        }
    }

    // MARK: - Layouts that start with a letter

    private static func letterLed(_ line: UnsafeRawBufferPointer) -> LogHeader? {
        if let month = monthName(line, at: 0), line.byte(3) == 0x20 {
            // MMM d, yyyy h:mm:ss AM|PM  (java.util.logging SimpleFormatter, level on next line)
            var index = 4
            if let day = number(line, &index, maxDigits: 2), line.byte(index) == 0x2C, line.byte(index + 1) == 0x20,
               let year = line.digits(at: index + 2, length: 4), line.byte(index + 6) == 0x20 {
                index += 7
                guard var (hour, minute, second) = clock(line, &index) else { return nil }
                if line.byte(index) == 0x20, line.byte(index + 2) == 0x4D {   // " AM" / " PM"
                    let meridiem = line.byte(index + 1)
                    if meridiem == 0x50, hour < 12 { hour += 12 }
                    if meridiem == 0x41, hour == 12 { hour = 0 }
                    index += 3
                } else if let localized = LocalizedJUL.header(line) {
                    // Another locale's marker after a month English shares (Turkish `Mar … ÖS`).
                    return localized
                }
                guard let stamp = LogTimestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: 0) else { return nil }
                return LogHeader(style: .julTwoLine, timestamp: stamp, level: nil, messageStart: line.skippingBlanks(from: index))
            }
            // MMM dd HH:mm:ss host … (syslog wrapping a Java log; no year, so no date)
            let dayTens = line.byte(4)
            if dayTens == 0x20 || dayTens.isASCIIDigit, line.byte(5).isASCIIDigit, line.byte(6) == 0x20,
               let time = time(line, at: 7) {
                guard let stamp = LogTimestamp(hour: time.hour, minute: time.minute, second: time.second, millisecond: time.millisecond) else { return nil }
                let level = findLevel(line, from: time.end, limit: 80)
                return LogHeader(style: .syslog, timestamp: stamp, level: level?.level, messageStart: time.end)
            }
            return nil
        }
        if line.matches("Exception in thread \"", at: 0) {
            return LogHeader(style: .uncaught, timestamp: nil, level: .error, messageStart: 0)
        }
        // LEVEL yyyy-MM-dd HH:mm:ss … (layouts that put the level first)
        var wordEnd = 0
        while wordEnd < min(line.count, 9), line[wordEnd].isASCIIUppercase { wordEnd += 1 }
        if let level = LogLevel.word(line, 0, wordEnd) {
            let dateStart = line.skippingBlanks(from: wordEnd)
            if dateStart > wordEnd, dateStart < line.count,
               let inner = digitLed(UnsafeRawBufferPointer(rebasing: line[dateStart...])) {
                var result = inner
                result.level = level
                result.messageStart += dateStart
                return result
            }
        }
        return nil
    }

    // MARK: - Pieces

    struct Time {
        var hour, minute, second, millisecond: Int
        var hasFraction: Bool
        var end: Int
    }

    /// HH:mm:ss with an optional `,SSS`/`.SSS` fraction (any number of digits) and zone.
    private static func time(_ line: UnsafeRawBufferPointer, at index: Int) -> Time? {
        // `HH:mm:ss` in one load: the colons XOR to zero, the digits to their values.
        guard index >= 0, index + 8 <= line.count else { return nil }
        let x = line.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian ^ 0x3030_3A30_303A_3030
        guard x & 0x0000_FF00_00FF_0000 == 0, allBelowTen(x) else { return nil }
        let hour = Int(x & 0xFF) * 10 + Int(x >> 8 & 0xFF)
        let minute = Int(x >> 24 & 0xFF) * 10 + Int(x >> 32 & 0xFF)
        let second = Int(x >> 48 & 0xFF) * 10 + Int(x >> 56)
        var end = index + 8
        var millisecond = 0
        var hasFraction = false
        if line.byte(end) == 0x2C || line.byte(end) == 0x2E, line.isDigit(at: end + 1) {
            hasFraction = true
            end += 1
            var digits = 0
            while line.isDigit(at: end) {
                if digits < 3 { millisecond = millisecond * 10 + Int(line[end] - 0x30) }
                digits += 1
                end += 1
            }
            for _ in digits..<max(digits, 3) { millisecond *= 10 }
        }
        // Zone: Z, +08:00, +0800
        if line.byte(end) == 0x5A { end += 1 }
        else if line.byte(end) == 0x2B || line.byte(end) == 0x2D, line.isDigit(at: end + 1), line.isDigit(at: end + 2) {
            end += 3
            if line.byte(end) == 0x3A { end += 1 }
            while line.isDigit(at: end) { end += 1 }
        }
        return Time(hour: hour, minute: minute, second: second, millisecond: millisecond, hasFraction: hasFraction, end: end)
    }

    private static func header(
        _ style: LogHeader.Style, _ line: UnsafeRawBufferPointer,
        _ year: Int, _ month: Int, _ day: Int, _ time: Time
    ) -> LogHeader? {
        guard let stamp = LogTimestamp(year: year, month: month, day: day, hour: time.hour, minute: time.minute,
                                       second: time.second, millisecond: time.millisecond) else { return nil }
        let level = findLevel(line, from: time.end, limit: 64)
        return LogHeader(style: style, timestamp: stamp, level: level?.level, messageStart: springBootMessage(line, after: level?.end ?? time.end))
    }

    /// Spring Boot's console and file layout puts `PID --- [app] [thread] [trace] logger : `
    /// between the level and the message: the message starts after it, so evidence shows it.
    @inline(__always)
    static func springBootMessage(_ line: UnsafeRawBufferPointer, after index: Int) -> Int {
        var position = index
        while position < line.count, line[position] == 0x20 { position += 1 }
        guard position < line.count, line[position].isASCIIDigit else { return index }
        while position < line.count, line[position].isASCIIDigit { position += 1 }
        guard line.matches(" --- ", at: position),
              let separator = line.range(of: " : ", from: position + 5), separator.lowerBound < position + 400 else { return index }
        return separator.upperBound
    }

    /// The first upper-case level word within `limit` bytes after `index`.
    static func findLevel(_ line: UnsafeRawBufferPointer, from index: Int, limit: Int) -> (level: LogLevel, end: Int)? {
        let end = min(line.count, index + limit)
        var position = index
        while position < end {
            let byte = line[position]
            if byte.isASCIIUppercase, position == 0 || !line[position - 1].isASCIILetter {
                var wordEnd = position + 1
                while wordEnd < line.count, line[wordEnd].isASCIIUppercase { wordEnd += 1 }
                if wordEnd == line.count || !line[wordEnd].isASCIILetter,
                   let level = LogLevel.word(line, position, wordEnd - position) {
                    return (level, wordEnd)
                }
                position = wordEnd
            } else {
                position += 1
            }
        }
        return nil
    }

    /// English three-letter month abbreviation at `index`, as 1…12.
    static func monthName(_ line: UnsafeRawBufferPointer, at index: Int) -> Int? {
        guard index + 3 <= line.count else { return nil }
        let a = line[index] | 0x20, b = line[index + 1] | 0x20, c = line[index + 2] | 0x20
        switch (a, b, c) {
        case (0x6A, 0x61, 0x6E): return 1   // jan
        case (0x66, 0x65, 0x62): return 2   // feb
        case (0x6D, 0x61, 0x72): return 3   // mar
        case (0x61, 0x70, 0x72): return 4   // apr
        case (0x6D, 0x61, 0x79): return 5   // may
        case (0x6A, 0x75, 0x6E): return 6   // jun
        case (0x6A, 0x75, 0x6C): return 7   // jul
        case (0x61, 0x75, 0x67): return 8   // aug
        case (0x73, 0x65, 0x70): return 9   // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }

    /// `h:mm:ss` or `hh:mm:ss` at `index`, which it moves past the seconds.
    static func clock(_ line: UnsafeRawBufferPointer, _ index: inout Int) -> (hour: Int, minute: Int, second: Int)? {
        guard let hour = number(line, &index, maxDigits: 2), line.byte(index) == 0x3A,
              let minute = line.digits(at: index + 1, length: 2), line.byte(index + 3) == 0x3A,
              let second = line.digits(at: index + 4, length: 2) else { return nil }
        index += 6
        return (hour, minute, second)
    }

    /// A run of 1…`maxDigits` digits at `index`, advancing `index` past it.
    static func number(_ line: UnsafeRawBufferPointer, _ index: inout Int, maxDigits: Int) -> Int? {
        var value = 0, digits = 0
        while digits < maxDigits, line.isDigit(at: index) {
            value = value * 10 + Int(line[index] - 0x30)
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
