/// What a container platform wraps around each line the application wrote, cut so the line is
/// read as if alone (and a trace whose lines each carry the wrapper stays one trace):
///
/// - `kubectl logs --timestamps`: `2026-03-09T14:03:34.892345678Z ` (RFC 3339);
/// - `kubectl logs --prefix`: `[pod/orders-7d9f/app] ` (with or without the timestamp after it);
/// - CRI-O and containerd files: `2026-03-09T14:03:34.892Z stdout F `, where `P` marks a line
///   the runtime split, joined here to the lines that complete it;
/// - Docker's `json-file` driver: `{"log":"…\n","stream":"stderr","time":"…"}`, unescaped
///   (a line Docker split at 16 KB has no `\n` at its end and is joined to the next);
/// - `docker compose logs`: `orders-1  | ` (v1: `orders_1  | `);
/// - `stern`: `orders-7d9f4-x2bq app ` (the pod, the container), its time after them with
///   `--timestamps`.
///
/// Decided on an input's first lines, as `GrepPrefix`; a line without the wrapper is passed on
/// as it is.
struct ContainerEnvelope {
    enum Kind: Equatable {
        case undecided, none, timestamp, kubectlPrefix, cri, dockerJSON, compose, stern, journal, journalExport, windowsEvents

        /// As the report names it.
        var name: String? {
            switch self {
            case .undecided, .none: nil
            case .timestamp: "RFC 3339 timestamps (kubectl logs --timestamps)"
            case .kubectlPrefix: "kubectl logs --prefix"
            case .cri: "CRI (containerd, CRI-O)"
            case .dockerJSON: "Docker json-file"
            case .compose: "docker compose logs"
            case .stern: "stern (pod and container)"
            case .journal: "journald / syslog (host, identifier and pid)"
            case .windowsEvents: "Windows Event Log text (wevtutil /f:text, Format-List)"
            case .journalExport: "journalctl -o export"
            }
        }
    }

    private(set) var kind = Kind.undecided
    private var linesSeen = 0
    /// kubectl's `--prefix` and stern: whether their own time follows the prefix (`--timestamps`),
    /// as decided on the first line. A time the application wrote there (Spring Boot 3's
    /// `2024-05-03T07:02:19.417Z  INFO 1 --- …`) is its header and stays.
    private var prefixedTime = true
    /// A CRI or Docker line split by the runtime, waiting for its end, and its first line number.
    private var partial: [UInt8] = []
    private var partialLine = 0
    private var scratch: [UInt8] = []
    /// Pieces longer than this are not joined further (the line reader's own cap).
    static let maxJoined = 1 << 20

    /// Calls `body` with the line as the application wrote it, its number, and whether the bytes
    /// are still the caller's (false: a decoded or joined copy, valid during the call).
    @inline(__always)
    mutating func unwrap(_ line: UnsafeRawBufferPointer, number: Int,
                         _ body: (UnsafeRawBufferPointer, Int, Bool) -> Void) {
        if kind == .undecided { decide(line) }
        switch kind {
        case .none, .undecided:
            body(line, number, true)
        case .timestamp:
            body(ContainerEnvelope.withoutTimestamp(line), number, true)
        case .kubectlPrefix:
            guard let end = ContainerEnvelope.afterPodPrefix(line) else { return body(line, number, true) }
            let rest = UnsafeRawBufferPointer(rebasing: line[end...])
            body(prefixedTime ? ContainerEnvelope.withoutTimestamp(rest) : rest, number, true)
        case .compose:
            body(ContainerEnvelope.afterComposePrefix(line).map { UnsafeRawBufferPointer(rebasing: line[$0...]) } ?? line, number, true)
        case .stern:
            guard let end = ContainerEnvelope.afterSternPrefix(line) else { return body(line, number, true) }
            let rest = UnsafeRawBufferPointer(rebasing: line[end...])
            body(prefixedTime ? ContainerEnvelope.withoutTimestamp(rest) : rest, number, true)
        case .windowsEvents:
            windowsEventLine(line, number: number, body)
        case .journalExport:
            journalExportLine(line, number: number, body)
        case .journal:
            guard let (time, rest) = ContainerEnvelope.journalPrefix(line) else { return body(line, number, true) }
            // The application's line where it reads alone (its own header, a frame, a cause);
            // elsewhere the journal's time heads the line, as a record of its own.
            let message = UnsafeRawBufferPointer(rebasing: line[rest...])
            body(ContainerEnvelope.standsAlone(message) || ContainerEnvelope.continues(message)
                 ? message : UnsafeRawBufferPointer(rebasing: line[time...]), number, true)
        case .cri:
            guard let (start, isPartial) = ContainerEnvelope.criContent(line) else { return body(line, number, true) }
            piece(UnsafeRawBufferPointer(rebasing: line[start...]), ends: !isPartial, inBlock: true, number: number, body)
        case .dockerJSON:
            guard let (ends, _) = dockerLog(line) else { return body(line, number, true) }
            // `dockerLog` left the unescaped text in `scratch`.
            let text = scratch
            text.withUnsafeBytes { piece($0, ends: ends, inBlock: false, number: number, body) }
        }
    }

    /// Joins a split line's pieces; a whole line not split is passed on where it is.
    private mutating func piece(_ bytes: UnsafeRawBufferPointer, ends: Bool, inBlock: Bool, number: Int,
                                _ body: (UnsafeRawBufferPointer, Int, Bool) -> Void) {
        if partial.isEmpty && ends { return body(bytes, number, inBlock) }
        if partial.isEmpty { partialLine = number }
        if partial.count < ContainerEnvelope.maxJoined {
            partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<min(bytes.count, ContainerEnvelope.maxJoined - partial.count)]))
        }
        guard ends else { return }
        let joined = partial
        partial.removeAll(keepingCapacity: true)
        joined.withUnsafeBytes { body($0, partialLine, false) }
    }

    /// A split line the input ended inside: what was read of it; a last export entry.
    mutating func finish(_ body: (UnsafeRawBufferPointer, Int, Bool) -> Void) {
        finishExport(body)
        guard !partial.isEmpty else { return }
        let joined = partial
        partial.removeAll()
        joined.withUnsafeBytes { body($0, partialLine, false) }
    }

    private mutating func decide(_ line: UnsafeRawBufferPointer) {
        guard line.count > 0 else { return }
        linesSeen += 1
        if line.matches("Event[", at: 0) || line.matches("TimeCreated ", at: 0) {
            kind = .windowsEvents
        } else if line.matches("__CURSOR=", at: 0) || line.matches("__REALTIME_TIMESTAMP=", at: 0) {
            kind = .journalExport
        } else if ContainerEnvelope.criContent(line) != nil {
            kind = .cri
        } else if line.matches("{\"log\":\"", at: 0) {
            kind = .dockerJSON
        } else if let after = ContainerEnvelope.afterPodPrefix(line) {
            kind = .kubectlPrefix
            prefixedTime = ContainerEnvelope.timeStandsBefore(UnsafeRawBufferPointer(rebasing: line[after...]))
        } else if let after = ContainerEnvelope.afterTimestamp(line),
                  ContainerEnvelope.standsAlone(UnsafeRawBufferPointer(rebasing: line[after...])) {
            kind = .timestamp
        } else if ContainerEnvelope.afterComposePrefix(line) != nil {
            kind = .compose
        } else if ContainerEnvelope.journalPrefix(line) != nil {
            kind = .journal
        } else if let after = ContainerEnvelope.afterSternPrefix(line),
                  ContainerEnvelope.standsAlone(ContainerEnvelope.withoutTimestamp(UnsafeRawBufferPointer(rebasing: line[after...])))
                    || ContainerEnvelope.afterTimestamp(UnsafeRawBufferPointer(rebasing: line[after...])) != nil {
            kind = .stern
            prefixedTime = ContainerEnvelope.timeStandsBefore(UnsafeRawBufferPointer(rebasing: line[after...]))
        } else if linesSeen >= 3, !(ContainerEnvelope.afterTimestamp(line) != nil && linesSeen < 50) {
            // Lines led by kubectl's time whose own lines are plain text: look further.
            kind = .none
        }
    }

    // MARK: - journalctl -o export

    /// An entry's fields: `KEY=value` lines, a blank line between entries. Its `MESSAGE` is
    /// the line the application wrote; where it does not read alone, the entry's time
    /// (`__REALTIME_TIMESTAMP`, microseconds) and `PRIORITY` head it. Fields in the binary form
    /// (a name alone, then a length) are not read.
    private var entryMessage: [UInt8] = []
    private var entryHasMessage = false
    private var entryLine = 0

    private mutating func journalExportLine(_ line: UnsafeRawBufferPointer, number: Int,
                                            _ body: (UnsafeRawBufferPointer, Int, Bool) -> Void) {
        if line.isEmpty {
            guard entryHasMessage else { return }
            entryHasMessage = false
            let message = entryMessage
            message.withUnsafeBytes { message in
                if ContainerEnvelope.standsAlone(message) || ContainerEnvelope.continues(message) {
                    return body(message, entryLine, false)
                }
                var header: [UInt8] = []
                if let eventTime { header.append(contentsOf: eventTime.text.utf8); header.append(0x20) }
                if let eventLevel { header.append(contentsOf: eventLevel.name.utf8); header.append(0x20) }
                header.append(contentsOf: message)
                header.withUnsafeBytes { body($0, entryLine, false) }
            }
            eventTime = nil
            eventLevel = nil
            return
        }
        if line.matches("MESSAGE=", at: 0) {
            entryMessage = Array(line[8...])
            entryHasMessage = true
            entryLine = number
        } else if line.matches("__REALTIME_TIMESTAMP=", at: 0) {
            let value = UnsafeRawBufferPointer(rebasing: line[21...])
            eventTime = InputNumber.decimal(value, in: 0...253_402_300_799_999_999).map {
                LogTimestamp(milliseconds: Int64($0 / 1000), hasDate: true)
            }
        } else if line.matches("PRIORITY=", at: 0), line.count == 10, line[9].isASCIIDigit {
            switch line[9] - 0x30 {
            case 0...2: eventLevel = .fatal
            case 3: eventLevel = .error
            case 4: eventLevel = .warn
            case 5, 6: eventLevel = .info
            default: eventLevel = .debug
            }
        }
    }

    /// The last entry, when the input ends without its blank line.
    mutating func finishExport(_ body: (UnsafeRawBufferPointer, Int, Bool) -> Void) {
        guard kind == .journalExport, entryHasMessage else { return }
        journalExportLine(UnsafeRawBufferPointer(start: nil, count: 0), number: entryLine, body)
    }

    // MARK: - Windows Event Log text

    /// An event's fields before its message (`wevtutil qe … /f:text`: `Date:`, `Level:`,
    /// `Source:`; `Get-WinEvent | Format-List`: `TimeCreated :`, `LevelDisplayName :`,
    /// `ProviderName :`); the message is read as a record headed by them.
    private var eventTime: LogTimestamp?
    private var eventLevel: LogLevel?
    private var eventSource: [UInt8] = []
    /// Inside an event's message, and the column Format-List indents its further lines to.
    private var inMessage = false
    private var messageColumn = 0

    private mutating func windowsEventLine(_ line: UnsafeRawBufferPointer, number: Int,
                                           _ body: (UnsafeRawBufferPointer, Int, Bool) -> Void) {
        if line.matches("Event[", at: 0) || line.matches("TimeCreated ", at: 0) {
            eventTime = nil
            eventLevel = nil
            eventSource.removeAll(keepingCapacity: true)
            inMessage = false
            if line.matches("TimeCreated ", at: 0), let value = ContainerEnvelope.fieldValue(line) {
                eventTime = ContainerEnvelope.windowsTime(UnsafeRawBufferPointer(rebasing: line[value...]))
            }
            return
        }
        if inMessage {
            // Format-List indents a message's further lines to the column of its values.
            if messageColumn > 0, line.count >= messageColumn, line.firstIndex(where: { $0 != 0x20 }).map({ $0 >= messageColumn }) ?? false {
                return body(UnsafeRawBufferPointer(rebasing: line[messageColumn...]), number, true)
            }
            if messageColumn == 0 || line.isEmpty { return body(line, number, true) }
            inMessage = false
        }
        let trimmed = UnsafeRawBufferPointer(rebasing: line[line.skippingBlanks(from: 0)...])
        guard let value = ContainerEnvelope.fieldValue(trimmed) else {
            // Between events: blank lines are layout; anything else is read as it is.
            if !trimmed.isEmpty { body(line, number, true) }
            return
        }
        let text = UnsafeRawBufferPointer(rebasing: trimmed[value...])
        if trimmed.matches("Date:", at: 0) {
            eventTime = LogHeaderParser.parse(text)?.timestamp ?? ContainerEnvelope.windowsTime(text)
        } else if trimmed.matches("Level:", at: 0) || trimmed.matches("LevelDisplayName ", at: 0) {
            eventLevel = ContainerEnvelope.windowsLevel(text)
        } else if trimmed.matches("Source:", at: 0) || trimmed.matches("ProviderName ", at: 0) {
            eventSource = Array(text)
        } else if trimmed.matches("Description:", at: 0) || trimmed.matches("Message ", at: 0) {
            inMessage = true
            messageColumn = trimmed.matches("Message ", at: 0) ? (line.count - trimmed.count) + value : 0
            var header: [UInt8] = []
            if let eventTime { header.append(contentsOf: eventTime.text.utf8); header.append(0x20) }
            if let eventLevel { header.append(contentsOf: eventLevel.name.utf8); header.append(0x20) }
            if !eventSource.isEmpty { header.append(0x5B); header.append(contentsOf: eventSource); header.append(contentsOf: "] - ".utf8) }
            header.append(contentsOf: text)
            header.withUnsafeBytes { body($0, number, false) }
        }
    }

    /// After `Name:` (wevtutil) or `Name   : ` (Format-List): where the value starts.
    private static func fieldValue(_ line: UnsafeRawBufferPointer) -> Int? {
        guard let colon = line.firstIndex(of: 0x3A, from: 0, limit: min(line.count, 40)), colon > 1,
              (0..<colon).allSatisfy({ line[$0].isASCIILetter || line[$0] == 0x20 }) else { return nil }
        var value = colon + 1
        while value < line.count, line[value] == 0x20 { value += 1 }
        return value
    }

    /// `Error`, `Warning`, `Information`, `Critical`, `Verbose` (and `Erreur`, `Fehler` read by
    /// their first letter where it agrees).
    private static func windowsLevel(_ text: UnsafeRawBufferPointer) -> LogLevel? {
        guard let first = text.first else { return nil }
        switch first | 0x20 {
        case UInt8(ascii: "c"): return .fatal
        case UInt8(ascii: "e"), UInt8(ascii: "f"): return .error
        case UInt8(ascii: "w"): return .warn
        case UInt8(ascii: "i"): return .info
        case UInt8(ascii: "v"): return .debug
        default: return nil
        }
    }

    /// Format-List's `3/9/2026 2:03:34 PM` (en-US), or an ISO time.
    private static func windowsTime(_ text: UnsafeRawBufferPointer) -> LogTimestamp? {
        if let stamp = LogHeaderParser.parse(text)?.timestamp { return stamp }
        var numbers: [Int] = []
        var index = 0
        var pm = false, am = false
        while index < text.count, numbers.count < 6 {
            if text[index].isASCIIDigit {
                var value = 0
                while index < text.count, text[index].isASCIIDigit, value < 100_000 { value = value * 10 + Int(text[index] - 0x30); index += 1 }
                numbers.append(value)
            } else {
                index += 1
            }
        }
        if text.range(of: "PM") != nil { pm = true } else if text.range(of: "AM") != nil { am = true }
        guard numbers.count >= 6 else { return nil }
        var hour = numbers[3]
        if pm, hour < 12 { hour += 12 }
        if am, hour == 12 { hour = 0 }
        return LogTimestamp(year: numbers[2], month: numbers[0], day: numbers[1], hour: hour, minute: numbers[4],
                            second: numbers[5], millisecond: 0)
    }

    // MARK: - Shapes

    /// `rest` starts with a wrapper's RFC 3339 time: a line that reads alone follows it, or the
    /// whole does not read as the application's own header.
    static func timeStandsBefore(_ rest: UnsafeRawBufferPointer) -> Bool {
        guard let after = afterTimestamp(rest) else { return false }
        return standsAlone(UnsafeRawBufferPointer(rebasing: rest[after...])) || !standsAlone(rest)
    }

    /// The line without kubectl's time.
    @inline(__always)
    static func withoutTimestamp(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let after = afterTimestamp(line) else { return line }
        return UnsafeRawBufferPointer(rebasing: line[after...])
    }

    /// What follows a leading ISO time is a line of its own: a header with a time of its own,
    /// a frame, `Caused by:` or an exception. A layout's own ISO time (Spring Boot 3's
    /// `2026-03-09T14:03:34.892+01:00  INFO 4242 --- …`) is followed by none of these.
    static func standsAlone(_ rest: UnsafeRawBufferPointer) -> Bool {
        if let header = LogHeaderParser.parse(rest) { return header.timestamp != nil || header.style == .uncaught }
        return rest.matches("\tat ", at: 0) || rest.matches("Caused by: ", at: 0)
            || ExceptionNameScanner.header(in: rest, at: 0) != nil
    }

    /// `2026-03-09T14:03:34.892345678Z ` or `…+01:00 `: where the line after it starts. A log
    /// layout's own ISO time has no `T` or is followed by more than a space and a line, so
    /// the `T`, the zone and a fraction of up to nine digits are all required.
    static func afterTimestamp(_ line: UnsafeRawBufferPointer) -> Int? {
        guard line.count > 21, line[4] == 0x2D, line[7] == 0x2D, line[10] == UInt8(ascii: "T"), line[13] == 0x3A,
              line[16] == 0x3A, line[0].isASCIIDigit, line[11].isASCIIDigit, line[18].isASCIIDigit else { return nil }
        var index = 19
        if line[index] == 0x2E {
            index += 1
            let digits = index
            while index < line.count, line[index].isASCIIDigit, index - digits < 9 { index += 1 }
            guard index > digits else { return nil }
        }
        guard index < line.count else { return nil }
        if line[index] == UInt8(ascii: "Z") {
            index += 1
        } else if line[index] == 0x2B || line[index] == 0x2D, index + 6 <= line.count, line[index + 3] == 0x3A {
            index += 6
        } else if line[index] == 0x2B || line[index] == 0x2D, index + 5 <= line.count, line[index + 3].isASCIIDigit {
            index += 5   // journalctl -o short-iso: +0100
        } else {
            return nil
        }
        // A time alone on its line is jcmd's or Thread.dump_to_file's, not a wrapper.
        guard index < line.count, line[index] == 0x20 else { return nil }
        return index + 1
    }

    /// A line that continues the record before it (indented: a frame; a cause; `... N more`),
    /// or a thread dump's own (a quoted thread name and the lines around the threads).
    static func continues(_ rest: UnsafeRawBufferPointer) -> Bool {
        guard let first = rest.first else { return true }
        return first == 0x20 || first == 0x09 || first == 0x22 || rest.matches("Caused by: ", at: 0)
            || rest.matches("Suppressed: ", at: 0) || rest.matches("... ", at: 0) || rest.matches("Full thread dump", at: 0)
            || rest.matches("JNI global", at: 0) || rest.matches("Found ", at: 0) || rest.matches("Java stack information", at: 0)
            || rest.matches("=====", at: 0) || rest.matches("Threads class SMR", at: 0) || rest.matches("Heap", at: 0)
    }

    /// journald's and syslog's prefix: where its time starts and where the message starts.
    /// `journalctl` (`Mar 09 14:03:34 host java[4242]: `, `-o short-precise`, `-o short-iso`
    /// `2026-03-09T14:03:34+0100 host java[4242]: `), a syslog file (`Mar  9 …`, `<134>` first),
    /// and RFC 5424 (`<134>1 2026-03-09T14:03:34.892Z host app 4242 - - `).
    static func journalPrefix(_ line: UnsafeRawBufferPointer) -> (time: Int, message: Int)? {
        var index = 0
        if line.first == 0x3C {   // <PRI>
            index = 1
            while index < min(line.count, 5), line[index].isASCIIDigit { index += 1 }
            guard index > 1, index < line.count, line[index] == 0x3E else { return nil }
            index += 1
            if line.matches("1 ", at: index) {
                let time = index + 2
                // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, then structured data (`-` or `[…]`).
                var position = time
                for _ in 0..<5 {
                    guard let space = line.firstIndex(of: 0x20, from: position, limit: min(line.count, position + 256)) else { return nil }
                    position = space + 1
                }
                guard position < line.count else { return nil }
                if line[position] == 0x2D {
                    position += 1
                } else {
                    while position < line.count, line[position] == 0x5B {
                        guard let close = line.firstIndex(of: 0x5D, from: position) else { return nil }
                        position = close + 1
                    }
                }
                if position < line.count, line[position] == 0x20 { position += 1 }
                if line.matches("\u{FEFF}", at: position) { position += 3 }
                return (time, position)
            }
        }
        let time = index
        let afterTime: Int
        if let after = afterTimestamp(UnsafeRawBufferPointer(rebasing: line[index...])) {
            afterTime = index + after
        } else {
            // `Mar  9 14:03:34` or `Mar 09 14:03:34.892345`
            guard line.count > index + 16, LogHeaderParser.monthName(line, at: index) != nil, line[index + 3] == 0x20,
                  line[index + 4] == 0x20 || line[index + 4].isASCIIDigit, line[index + 5].isASCIIDigit,
                  line[index + 6] == 0x20, line[index + 9] == 0x3A, line[index + 12] == 0x3A, line[index + 14].isASCIIDigit else { return nil }
            var end = index + 15
            if end < line.count, line[end] == 0x2E {
                end += 1
                while end < line.count, line[end].isASCIIDigit { end += 1 }
            }
            guard end < line.count, line[end] == 0x20 else { return nil }
            afterTime = end + 1
        }
        // HOST IDENT[PID]: — the host and the identifier without blanks.
        guard let hostEnd = line.firstIndex(of: 0x20, from: afterTime, limit: min(line.count, afterTime + 128)),
              hostEnd > afterTime else { return nil }
        var position = hostEnd + 1
        let limit = min(line.count, position + 128)
        while position < limit, line[position] != 0x20, line[position] != 0x3A { position += 1 }
        guard position > hostEnd + 1, position < limit, line[position] == 0x3A else { return nil }
        // `java[4242]:` or `java:`; a time of day (`14:03`) is not an identifier.
        guard !line[position - 1].isASCIIDigit || line[position - 1] == 0x5D || line.matches("]", at: position - 1) else { return nil }
        position += 1
        if position < line.count, line[position] == 0x20 { position += 1 }
        return (time, position)
    }

    /// CRI: the timestamp, `stdout` or `stderr`, `F` or `P`, then the content.
    static func criContent(_ line: UnsafeRawBufferPointer) -> (start: Int, partial: Bool)? {
        guard let after = afterTimestamp(line), after < line.count,
              line.matches("stdout ", at: after) || line.matches("stderr ", at: after) else { return nil }
        let tag = after + 7
        guard tag < line.count, line[tag] == UInt8(ascii: "F") || line[tag] == UInt8(ascii: "P") else { return nil }
        let start = tag + 1 < line.count && line[tag + 1] == 0x20 ? tag + 2 : tag + 1
        guard tag + 1 == line.count || line[tag + 1] == 0x20 else { return nil }
        return (start, line[tag] == UInt8(ascii: "P"))
    }

    /// `[pod/orders-7d9f/app] `
    static func afterPodPrefix(_ line: UnsafeRawBufferPointer) -> Int? {
        guard line.count > 6, line.matches("[pod/", at: 0),
              let close = line.firstIndex(of: 0x5D, from: 5, limit: min(line.count, 512)) else { return nil }
        guard close + 1 < line.count else { return close + 1 }
        return line[close + 1] == 0x20 ? close + 2 : nil
    }

    /// stern's `orders-7d9f4-x2bq app `: a pod's name (a DNS name: lower case, digits, `-` and
    /// `.`; with a hyphen, as every generated one has), a container's, a space after each.
    static func afterSternPrefix(_ line: UnsafeRawBufferPointer) -> Int? {
        let limit = min(line.count, 320)
        var index = 0, hyphen = false
        while index < limit, line[index].isASCIILowercase || line[index].isASCIIDigit || line[index] == 0x2D || line[index] == 0x2E {
            if line[index] == 0x2D { hyphen = true }
            index += 1
        }
        guard index > 0, hyphen, index < limit, line[index] == 0x20 else { return nil }
        let container = index + 1
        index = container
        while index < limit, line[index].isASCIILowercase || line[index].isASCIIDigit || line[index] == 0x2D { index += 1 }
        guard index > container, index < line.count, line[index] == 0x20 else { return nil }
        return index + 1
    }

    /// `orders-1  | ` or `orders_1  | `: a service name ending in its replica number, blanks,
    /// a bar. The number keeps `INFO   | jvm 1 |` (Java Service Wrapper) out.
    static func afterComposePrefix(_ line: UnsafeRawBufferPointer) -> Int? {
        let limit = min(line.count, 128)
        var index = 0
        while index < limit, line[index].isJavaIdentifierByte || line[index] == 0x2D || line[index] == 0x2E { index += 1 }
        var digits = index
        while digits > 0, line[digits - 1].isASCIIDigit { digits -= 1 }
        guard digits < index, digits >= 2, line[digits - 1] == 0x2D || line[digits - 1] == 0x5F,
              index < limit, line[index] == 0x20 else { return nil }
        var bar = index
        while bar < limit, line[bar] == 0x20 { bar += 1 }
        guard bar < limit, line[bar] == 0x7C else { return nil }
        if bar + 1 == line.count { return bar + 1 }
        return line[bar + 1] == 0x20 ? bar + 2 : nil
    }

    /// Docker's json-file line: the `log` value unescaped into `scratch`, and whether it ended
    /// with its line break (a line Docker split does not).
    private mutating func dockerLog(_ line: UnsafeRawBufferPointer) -> (ends: Bool, Void)? {
        guard line.matches("{\"log\":\"", at: 0) else { return nil }
        scratch.removeAll(keepingCapacity: true)
        var index = 8
        while index < line.count {
            let byte = line[index]
            if byte == 0x22 { break }
            guard byte == 0x5C, index + 1 < line.count else {
                scratch.append(byte)
                index += 1
                continue
            }
            let escape = line[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "b"), UInt8(ascii: "f"): break
            case UInt8(ascii: "u"):
                guard index + 4 <= line.count, let value = ContainerEnvelope.hex(line, index) else { scratch.append(0x3F); continue }
                index += 4
                scratch.append(contentsOf: UTF8.encode(Unicode.Scalar(value) ?? "?")!)
            default: scratch.append(escape)
            }
        }
        guard index < line.count else { return nil }
        // A container with a TTY: colours arrive as `\u001b[…m` in the JSON.
        if scratch.contains(0x1B) {
            var plain: [UInt8] = []
            scratch.withUnsafeBytes { ColourEscapes.append($0, withoutEscapesTo: &plain) }
            scratch = plain
        }
        var ends = false
        while let last = scratch.last, last == 0x0A || last == 0x0D {
            scratch.removeLast()
            ends = true
        }
        return (ends, ())
    }

    private static func hex(_ line: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        var value: UInt32 = 0
        for index in at..<(at + 4) {
            let byte = line[index]
            switch byte {
            case 0x30...0x39: value = value << 4 | UInt32(byte - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(byte - 0x37)
            case 0x61...0x66: value = value << 4 | UInt32(byte - 0x57)
            default: return nil
            }
        }
        return value
    }
}
