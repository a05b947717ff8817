#if canImport(Glibc)
import Glibc
#endif

/// A log event written as one JSON object per line, decoded into the lines a plain layout would
/// have printed: a header (time, level, `[thread]`, logger, the message's first line), the
/// message's further lines, then the stack trace, each on a line of its own.
///
/// Layouts read by their field names (the first of each kind wins):
/// logstash-logback-encoder and Spring Boot's `logstash` (`@timestamp`, `level`, `thread_name`,
/// `logger_name`, `message`, `stack_trace`); Elastic ECS, log4j2's `EcsLayout` template and Spring
/// Boot's `ecs` (`log.level` or `log: {level, logger}`, `process.thread.name`, `error.type`,
/// `error.message`, `error.stack_trace`); GELF (`short_message`, `full_message`, a numeric
/// `timestamp` and syslog `level`, `_thread_name`, `_logger_name`, `_error_stack_trace`); Google
/// Cloud (`severity`, `textPayload`, `timestamp` as text or `{seconds, nanos}`); log4j2's older
/// `JsonLayout` (`timeMillis` or `instant`, `thrown: {name, message, extendedStackTrace: [{class,
/// method, file, line}], cause}`); journald's `-o json` (`MESSAGE`, `__REALTIME_TIMESTAMP`,
/// `PRIORITY`).
///
/// Bounded: nesting past `maxDepth` or a frame list past `maxFrames` is not followed; a line that
/// is not such an object is left to be read as plain text.
struct JSONLogEvent {
    static let maxDepth = 32
    static let maxFrames = 1024

    /// The decoded lines, one after another, each between its start and end.
    private(set) var text: [UInt8] = []
    private var lineStarts: [Int] = []
    private var lineEnds: [Int] = []
    private(set) var header = LogHeader(style: .event, timestamp: nil, level: nil, messageStart: 0)

    // The fields found, as ranges of the line (`escaped`: the string holds a backslash).
    private struct Field {
        var range: Range<Int>
        var escaped: Bool
        var isString: Bool
    }

    private enum Slot: Int, CaseIterable {
        case time, epochMillis, epochSeconds, epochNanos, nanos, level, message, fullMessage, thread, logger, stack,
             errorType, errorMessage
    }

    /// An exception of log4j2 JsonLayout's `thrown` (its causes nest inside it).
    private struct Thrown {
        var depth: Int
        var name: Range<Int>?
        var message: Field?
        var frames: [(class: Range<Int>?, method: Range<Int>?, file: Range<Int>?, line: Range<Int>?)] = []
    }

    /// Where a key sits, as far as the decoder cares.
    private enum Context: Equatable {
        case root, error, log, process, processThread, instant, timestampObject, exception, other
        case thrown(Int), frames(Int), frame(Int)
    }

    /// By `Slot.rawValue`; inline, so a line's decoding allocates nothing for its fields.
    private var fields = InlineArray<13, Field?>(repeating: nil)
    private var thrown: [Thrown] = []
    private var bytes = UnsafeRawBufferPointer(start: nil, count: 0)

    /// Decodes `line`; false when it is not a JSON log event (then nothing of it is kept).
    mutating func decode(_ line: UnsafeRawBufferPointer) -> Bool {
        assert(Slot.allCases.count == fields.count, "a slot per field")
        bytes = line
        for index in fields.indices { fields[index] = nil }
        thrown.removeAll(keepingCapacity: true)
        var position = skipBlanks(0)
        guard position < line.count, line[position] == 0x7B,
              walkObject(&position, context: .root, depth: 0),
              skipBlanks(position) == line.count else { return false }
        let hasText = fields[Slot.message.rawValue] != nil || fields[Slot.fullMessage.rawValue] != nil
            || fields[Slot.stack.rawValue] != nil || !thrown.isEmpty || fields[Slot.errorType.rawValue] != nil
        guard hasText, fields[Slot.time.rawValue] != nil || fields[Slot.epochMillis.rawValue] != nil
            || fields[Slot.epochSeconds.rawValue] != nil || fields[Slot.epochNanos.rawValue] != nil
            || fields[Slot.level.rawValue] != nil else { return false }
        render()
        return true
    }

    /// Calls `body` with each decoded line; the first is the header.
    func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
        text.withUnsafeBytes { all in
            for index in lineStarts.indices {
                body(UnsafeRawBufferPointer(rebasing: all[lineStarts[index]..<lineEnds[index]]))
            }
        }
    }

    // MARK: - Walking the object

    private func skipBlanks(_ from: Int) -> Int {
        var index = from
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
        return index
    }

    /// At an opening brace: reads the members, noting the fields of interest.
    private mutating func walkObject(_ position: inout Int, context: Context, depth: Int) -> Bool {
        guard depth < JSONLogEvent.maxDepth else { return false }
        position += 1
        position = skipBlanks(position)
        if position < bytes.count, bytes[position] == 0x7D { position += 1; return true }
        while position < bytes.count {
            guard bytes[position] == 0x22, let key = string(&position) else { return false }
            position = skipBlanks(position)
            guard position < bytes.count, bytes[position] == 0x3A else { return false }
            position = skipBlanks(position + 1)
            guard position < bytes.count else { return false }
            let valueStart = position
            currentKey = key.range
            let target = self.target(key.range, in: context)
            switch bytes[position] {
            case 0x22:
                guard let value = string(&position) else { return false }
                store(value, target: target, context: context)
            case 0x7B:
                guard walkObject(&position, context: nested(key.range, in: context), depth: depth + 1) else { return false }
            case 0x5B:
                guard walkArray(&position, context: arrayContext(key.range, in: context), depth: depth + 1) else { return false }
            default:
                while position < bytes.count, !isDelimiter(bytes[position]) { position += 1 }
                guard position > valueStart else { return false }
                store(Field(range: valueStart..<position, escaped: false, isString: false), target: target, context: context)
            }
            position = skipBlanks(position)
            guard position < bytes.count else { return false }
            if bytes[position] == 0x2C {
                position = skipBlanks(position + 1)
                continue
            }
            guard bytes[position] == 0x7D else { return false }
            position += 1
            return true
        }
        return false
    }

    private mutating func walkArray(_ position: inout Int, context: Context, depth: Int) -> Bool {
        guard depth < JSONLogEvent.maxDepth else { return false }
        position = skipBlanks(position + 1)
        if position < bytes.count, bytes[position] == 0x5D { position += 1; return true }
        while position < bytes.count {
            switch bytes[position] {
            case 0x22:
                guard string(&position) != nil else { return false }
            case 0x7B:
                var itemContext = Context.other
                if case .frames(let level) = context, let index = thrown.lastIndex(where: { $0.depth == level }),
                   thrown[index].frames.count < JSONLogEvent.maxFrames {
                    thrown[index].frames.append((nil, nil, nil, nil))
                    itemContext = .frame(level)
                }
                guard walkObject(&position, context: itemContext, depth: depth + 1) else { return false }
            case 0x5B:
                guard walkArray(&position, context: .other, depth: depth + 1) else { return false }
            default:
                let start = position
                while position < bytes.count, !isDelimiter(bytes[position]) { position += 1 }
                guard position > start else { return false }
            }
            position = skipBlanks(position)
            guard position < bytes.count else { return false }
            if bytes[position] == 0x2C {
                position = skipBlanks(position + 1)
                continue
            }
            guard bytes[position] == 0x5D else { return false }
            position += 1
            return true
        }
        return false
    }

    @inline(__always)
    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x7D || byte == 0x5D || byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    /// At a quote: the string's content, and whether it holds escapes. The closing quote is
    /// found with memchr; a quote after an odd run of backslashes is escaped.
    private func string(_ position: inout Int) -> Field? {
        let start = position + 1
        guard let base = bytes.baseAddress, start <= bytes.count else { return nil }
        var from = start
        while from < bytes.count, let hit = memchr(base + from, 0x22, bytes.count - from) {
            let quote = UnsafeRawPointer(hit) - base
            var slashes = 0
            while quote - slashes - 1 >= start, bytes[quote - slashes - 1] == 0x5C { slashes += 1 }
            if slashes % 2 == 0 {
                position = quote + 1
                let escaped = quote > start && memchr(base + start, 0x5C, quote - start) != nil
                return Field(range: start..<quote, escaped: escaped, isString: true)
            }
            from = quote + 1
        }
        return nil
    }

    private func key(_ range: Range<Int>, is name: StaticString) -> Bool {
        range.count == name.utf8CodeUnitCount && bytes.matches(name, at: range.lowerBound)
    }

    // MARK: - What each key means

    private func target(_ key: Range<Int>, in context: Context) -> Slot? {
        switch context {
        case .root:
            switch key.count {
            case 2: if self.key(key, is: "ts") { return .time }
            case 3: if self.key(key, is: "msg") { return .message }
            case 4:
                if self.key(key, is: "time") || self.key(key, is: "date") { return .time }
            case 5:
                if self.key(key, is: "level") { return .level }
            case 6:
                if self.key(key, is: "thread") { return .thread }
                if self.key(key, is: "logger") { return .logger }
            case 7 where bytes[key.lowerBound] == 0x5F:   // log4j2's GELF template
                if self.key(key, is: "_thread") { return .thread }
                if self.key(key, is: "_logger") { return .logger }
            case 7:
                if self.key(key, is: "message") || self.key(key, is: "MESSAGE") { return .message }
            case 8:
                if self.key(key, is: "severity") { return .level }
                if self.key(key, is: "PRIORITY") { return .level }
                if self.key(key, is: "@message") { return .message }
            case 9:
                if self.key(key, is: "timestamp") { return .time }
                if self.key(key, is: "log.level") { return .level }
            case 10:
                if self.key(key, is: "@timestamp") { return .time }
                if self.key(key, is: "timeMillis") { return .epochMillis }
                if self.key(key, is: "threadName") { return .thread }
                if self.key(key, is: "loggerName") { return .logger }
                if self.key(key, is: "log.logger") { return .logger }
                if self.key(key, is: "error.type") { return .errorType }
                if self.key(key, is: "stackTrace") { return .stack }
            case 11:
                if self.key(key, is: "_log_logger") { return .logger }
                if self.key(key, is: "thread_name") { return .thread }
                if self.key(key, is: "logger_name") { return .logger }
                if self.key(key, is: "stack_trace") { return .stack }
                if self.key(key, is: "textPayload") { return .message }
                if self.key(key, is: "_level_name") { return .level }
            case 12:
                if self.key(key, is: "_thread_name") { return .thread }
                if self.key(key, is: "_logger_name") { return .logger }
                if self.key(key, is: "full_message") { return .fullMessage }
            case 13:
                if self.key(key, is: "short_message") { return .message }
                if self.key(key, is: "error.message") { return .errorMessage }
            case 17:
                if self.key(key, is: "error.stack_trace") { return .stack }
            case 18:
                if self.key(key, is: "_error_stack_trace") { return .stack }
            case 19:
                if self.key(key, is: "process.thread.name") { return .thread }
            case 20:
                if self.key(key, is: "__REALTIME_TIMESTAMP") { return .epochNanos }
                if self.key(key, is: "_process_thread_name") { return .thread }
                if self.key(key, is: "exception.stacktrace") { return .stack }
            default: break
            }
            if key.count == 9, self.key(key, is: "exception") { return .stack }
            return nil
        case .error:
            if self.key(key, is: "type") { return .errorType }
            if self.key(key, is: "message") { return .errorMessage }
            if self.key(key, is: "stack_trace") { return .stack }
            return nil
        case .log:
            if self.key(key, is: "level") { return .level }
            if self.key(key, is: "logger") { return .logger }
            return nil
        case .processThread:
            return self.key(key, is: "name") ? .thread : nil
        case .instant:
            if self.key(key, is: "epochSecond") { return .epochSeconds }
            if self.key(key, is: "nanoOfSecond") { return .nanos }
            return nil
        case .timestampObject:
            if self.key(key, is: "seconds") { return .epochSeconds }
            if self.key(key, is: "nanos") { return .nanos }
            return nil
        case .exception:
            return self.key(key, is: "stacktrace") || self.key(key, is: "stack_trace") ? .stack : nil
        default:
            return nil
        }
    }

    private mutating func nested(_ key: Range<Int>, in context: Context) -> Context {
        switch context {
        case .root:
            if self.key(key, is: "error") { return .error }
            if self.key(key, is: "log") { return .log }
            if self.key(key, is: "process") { return .process }
            if self.key(key, is: "instant") { return .instant }
            if self.key(key, is: "timestamp") { return .timestampObject }
            if self.key(key, is: "exception") { return .exception }
            if self.key(key, is: "thrown") { return startThrown(depth: 0) }
        case .process:
            if self.key(key, is: "thread") { return .processThread }
        case .thrown(let level):
            if self.key(key, is: "cause") { return startThrown(depth: level + 1) }
        default:
            break
        }
        return .other
    }

    private mutating func startThrown(depth: Int) -> Context {
        guard thrown.count < 64 else { return .other }
        thrown.append(Thrown(depth: depth))
        return .thrown(depth)
    }

    private func arrayContext(_ key: Range<Int>, in context: Context) -> Context {
        if case .thrown(let level) = context, self.key(key, is: "extendedStackTrace") { return .frames(level) }
        return .other
    }

    private mutating func store(_ value: Field, target: Slot?, context: Context) {
        if let target {
            if fields[target.rawValue] == nil { fields[target.rawValue] = value }
            return
        }
        switch context {
        case .thrown(let level):
            guard let index = thrown.lastIndex(where: { $0.depth == level }) else { return }
            if key(lastKey, is: "name") { thrown[index].name = value.range }
            if key(lastKey, is: "message"), thrown[index].message == nil { thrown[index].message = value }
        case .frame(let level):
            guard let index = thrown.lastIndex(where: { $0.depth == level }), !thrown[index].frames.isEmpty else { return }
            let last = thrown[index].frames.count - 1
            if key(lastKey, is: "class") { thrown[index].frames[last].class = value.range }
            if key(lastKey, is: "method") { thrown[index].frames[last].method = value.range }
            if key(lastKey, is: "file") { thrown[index].frames[last].file = value.range }
            if key(lastKey, is: "line") { thrown[index].frames[last].line = value.range }
        default:
            break
        }
    }

    /// The key of the member being stored (set by `walkObject` before `store`).
    private var currentKey: Range<Int> = 0..<0
    private var lastKey: Range<Int> { currentKey }

    // MARK: - Rendering

    private mutating func render() {
        text.removeAll(keepingCapacity: true)
        lineEnds.removeAll(keepingCapacity: true)
        let time = timestamp()
        let level = self.level()
        if let time { appendTime(time); text.append(0x20) }
        if let level { append(level.name); text.append(0x20) }
        if let thread = fields[Slot.thread.rawValue] { text.append(0x5B); appendValue(thread, singleLine: true); append("] ") }
        if let logger = fields[Slot.logger.rawValue] { appendValue(logger, singleLine: true); append(" - ") }
        let messageStart = text.count
        header = LogHeader(style: .event, timestamp: time, level: level, messageStart: messageStart)
        // GELF's full message holds the short one and, in most encoders, the trace.
        if let body = fields[Slot.fullMessage.rawValue] ?? fields[Slot.message.rawValue] {
            appendValue(body, singleLine: false)
        }
        endLine()
        if let stack = fields[Slot.stack.rawValue] {
            appendValue(stack, singleLine: false)
            endLine()
        } else if !thrown.isEmpty {
            renderThrown()
        } else if let type = fields[Slot.errorType.rawValue] {
            appendValue(type, singleLine: true)
            if let message = fields[Slot.errorMessage.rawValue] { append(": "); appendValue(message, singleLine: false) }
            endLine()
        }
        // The text's own line breaks become lines; an empty last line is dropped.
        splitLines()
    }

    /// log4j2 JsonLayout: each exception, then its frames, then its cause as `Caused by:`.
    private mutating func renderThrown() {
        for (index, exception) in thrown.enumerated() {
            if index > 0 { append("Caused by: ") }
            if let name = exception.name { appendRaw(name) }
            if let message = exception.message { append(": "); appendValue(message, singleLine: false) }
            endLine()
            for frame in exception.frames {
                append("\tat ")
                if let owner = frame.class { appendRaw(owner); text.append(0x2E) }
                if let method = frame.method { appendRaw(method) }
                text.append(0x28)
                if let file = frame.file { appendRaw(file) } else { append("Unknown Source") }
                if let line = frame.line { text.append(0x3A); appendRaw(line) }
                text.append(0x29)
                endLine()
            }
        }
    }

    /// `2026-03-09 14:03:34.892` (as `LogTimestamp.text`, without making strings: once per event).
    private mutating func appendTime(_ time: LogTimestamp) {
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                text.append(UInt8(0x30 + rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        let dayMillis = LogTimestamp.floorModulo(time.milliseconds, 86_400_000)
        if time.hasDate {
            let (year, month, day) = LogTimestamp.civilFromDays(Int((time.milliseconds - dayMillis) / 86_400_000))
            digits(max(0, min(year, 9999)), 4); text.append(0x2D); digits(month, 2); text.append(0x2D); digits(day, 2)
            text.append(0x20)
        }
        let seconds = Int(dayMillis / 1000)
        digits(seconds / 3600, 2); text.append(0x3A); digits(seconds / 60 % 60, 2); text.append(0x3A); digits(seconds % 60, 2)
        text.append(0x2E); digits(Int(dayMillis % 1000), 3)
    }

    private mutating func endLine() {
        text.append(0x0A)
    }

    /// Lines are the text between breaks; empty ones after the header are dropped.
    private mutating func splitLines() {
        lineStarts.removeAll(keepingCapacity: true)
        lineEnds.removeAll(keepingCapacity: true)
        text.withUnsafeBytes { all in
            guard let base = all.baseAddress else { return }
            var start = 0
            while start < all.count, let hit = memchr(base + start, 0x0A, all.count - start) {
                let index = UnsafeRawPointer(hit) - base
                var end = index
                if end > start, all[end - 1] == 0x0D { end -= 1 }
                if end > start || lineStarts.isEmpty {
                    lineStarts.append(start)
                    lineEnds.append(end)
                }
                start = index + 1
            }
        }
    }

    private mutating func append(_ literal: String) {
        text.append(contentsOf: literal.utf8)
    }

    private mutating func appendRaw(_ range: Range<Int>) {
        text.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// A value as text: strings unescaped; `singleLine` turns line breaks into spaces. The runs
    /// between backslashes are copied whole.
    private mutating func appendValue(_ field: Field, singleLine: Bool) {
        guard field.escaped, let base = bytes.baseAddress else {
            appendRaw(field.range)
            return
        }
        var index = field.range.lowerBound
        let end = field.range.upperBound
        while index < end {
            guard let hit = memchr(base + index, 0x5C, end - index) else {
                appendRaw(index..<end)
                return
            }
            let slash = UnsafeRawPointer(hit) - base
            if slash > index { appendRaw(index..<slash) }
            guard slash + 1 < end else { return }
            let escape = bytes[slash + 1]
            index = slash + 2
            switch escape {
            case UInt8(ascii: "n"): text.append(singleLine ? 0x20 : 0x0A)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "r"): if singleLine { text.append(0x20) }
            case UInt8(ascii: "b"), UInt8(ascii: "f"): break
            case UInt8(ascii: "u"):
                guard index + 4 <= end, var scalar = hex(index, 4) else { text.append(0x3F); continue }
                index += 4
                // A surrogate pair is one character.
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= end, bytes[index] == 0x5C,
                   bytes[index + 1] == UInt8(ascii: "u"), let low = hex(index + 2, 4), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                appendScalar(scalar)
            default: text.append(escape)
            }
        }
    }

    private func hex(_ at: Int, _ count: Int) -> UInt32? {
        var value: UInt32 = 0
        for index in at..<(at + count) {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x37
            case 0x61...0x66: digit = byte - 0x57
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func appendScalar(_ value: UInt32) {
        guard let scalar = Unicode.Scalar(value) else { text.append(0x3F); return }
        text.append(contentsOf: UTF8.encode(scalar)!)
    }

    // MARK: - Time and level

    private func timestamp() -> LogTimestamp? {
        if let field = fields[Slot.time.rawValue] {
            let value = UnsafeRawBufferPointer(rebasing: bytes[field.range])
            if field.isString, let stamp = LogHeaderParser.parse(value)?.timestamp { return stamp }
            if !field.isString, let stamp = epoch(value) { return stamp }
            // Numeric text (`"1741528614.892"`).
            if let stamp = epoch(value) { return stamp }
        }
        for slot in [Slot.epochMillis, .epochSeconds, .epochNanos] {
            guard let field = fields[slot.rawValue], var stamp = epoch(UnsafeRawBufferPointer(rebasing: bytes[field.range])) else {
                continue
            }
            // `instant: {epochSecond, nanoOfSecond}` (log4j2), `timestamp: {seconds, nanos}` (Google).
            if slot == .epochSeconds, let nanos = fields[Slot.nanos.rawValue],
               let value = InputNumber.decimal(UnsafeRawBufferPointer(rebasing: bytes[nanos.range]), in: 0...999_999_999) {
                stamp.milliseconds += Int64(value / 1_000_000)
            }
            return stamp
        }
        return nil
    }

    /// Seconds, milliseconds, microseconds or nanoseconds since 1970, told apart by size
    /// (dates between 1973 and 5138 in each unit).
    private func epoch(_ value: UnsafeRawBufferPointer) -> LogTimestamp? {
        var index = 0
        var whole: Int64 = 0
        var digits = 0
        while index < value.count, value[index].isASCIIDigit {
            // Nanoseconds since 1970 take 19 digits; more than Int64 holds is no time.
            let (times, overflow) = whole.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(Int64(value[index] - 0x30))
            guard !overflow, !carry else { return nil }
            whole = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        var fraction: Int64 = 0
        if index < value.count, value[index] == 0x2E {
            index += 1
            var scale: Int64 = 100
            while index < value.count, value[index].isASCIIDigit {
                fraction += Int64(value[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        if index < value.count, value[index] | 0x20 == UInt8(ascii: "e") {
            // `1.725547337613E9` (Spring Boot's GELF): seconds in scientific notation.
            guard let number = Double(String(decoding: value, as: UTF8.self)), number.isFinite,
                  (1e8..<1e11).contains(number) else { return nil }
            return LogTimestamp(milliseconds: Int64((number * 1000).rounded()), hasDate: true)
        }
        guard index == value.count else { return nil }
        let milliseconds: Int64
        switch whole {
        case 100_000_000..<100_000_000_000: milliseconds = whole * 1000 + fraction
        case 100_000_000_000..<100_000_000_000_000: milliseconds = whole
        case 100_000_000_000_000..<100_000_000_000_000_000: milliseconds = whole / 1000
        case 100_000_000_000_000_000...: milliseconds = whole / 1_000_000
        default: return nil
        }
        return LogTimestamp(milliseconds: milliseconds, hasDate: true)
    }

    private func level() -> LogLevel? {
        guard let field = fields[Slot.level.rawValue] else { return nil }
        let value = UnsafeRawBufferPointer(rebasing: bytes[field.range])
        // Syslog severities (GELF, journald's PRIORITY): 0–7.
        if value.count == 1, value[0].isASCIIDigit {
            switch value[0] - 0x30 {
            case 0...2: return .fatal
            case 3: return .error
            case 4: return .warn
            case 5, 6: return .info
            default: return .debug
            }
        }
        guard value.count <= 9 else { return nil }
        var upper: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &upper) { buffer -> LogLevel? in
            for index in 0..<value.count {
                let byte = value[index]
                buffer[index] = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
            }
            let word = UnsafeRawBufferPointer(rebasing: buffer[0..<value.count])
            if let level = LogLevel.word(word, 0, value.count) { return level }
            if word.matches("ERR", at: 0) { return .error }
            if word.matches("EMERGENCY", at: 0) || word.matches("ALERT", at: 0) || word.matches("CRIT", at: 0) { return .fatal }
            return nil
        }
    }
}
