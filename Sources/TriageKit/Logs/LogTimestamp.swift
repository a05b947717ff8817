/// A log timestamp as written: wall-clock time without a zone (logs rarely carry one and an
/// incident is read on its own clock), to the millisecond.
public struct LogTimestamp: Hashable, Comparable, Sendable {
    /// Milliseconds since 1970-01-01 00:00 of the written wall clock, or since midnight when
    /// the header carries only a time of day.
    public var milliseconds: Int64
    public var hasDate: Bool

    public init(milliseconds: Int64, hasDate: Bool) {
        self.milliseconds = milliseconds
        self.hasDate = hasDate
    }

    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0..<24).contains(hour),
              (0..<60).contains(minute), (0..<61).contains(second), (0..<1000).contains(millisecond) else { return nil }
        let days = LogTimestamp.daysFromCivil(year: year, month: month, day: day)
        milliseconds = ((Int64(days) * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000
            + Int64(second) * 1000 + Int64(millisecond)
        hasDate = true
    }

    public init?(hour: Int, minute: Int, second: Int, millisecond: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<61).contains(second),
              (0..<1000).contains(millisecond) else { return nil }
        milliseconds = ((Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)) * 1000 + Int64(millisecond)
        hasDate = false
    }

    /// This time of day placed on the date of `dated` (for time-only headers that follow dated ones).
    func onDate(of dated: LogTimestamp) -> LogTimestamp {
        guard !hasDate, dated.hasDate else { return self }
        let day = dated.milliseconds - LogTimestamp.floorModulo(dated.milliseconds, 86_400_000)
        return LogTimestamp(milliseconds: day + milliseconds, hasDate: true)
    }

    public static func < (lhs: LogTimestamp, rhs: LogTimestamp) -> Bool {
        (lhs.hasDate ? 1 : 0, lhs.milliseconds) < (rhs.hasDate ? 1 : 0, rhs.milliseconds)
    }

    /// `2024-12-21 13:26:03.117`, or `13:26:03.117` without a date.
    public var text: String {
        let dayMillis = LogTimestamp.floorModulo(milliseconds, 86_400_000)
        let ms = Int(dayMillis % 1000), totalSeconds = Int(dayMillis / 1000)
        let time = "\(pad(totalSeconds / 3600)):\(pad(totalSeconds / 60 % 60)):\(pad(totalSeconds % 60)).\(pad(ms, 3))"
        guard hasDate else { return time }
        let days = Int((milliseconds - dayMillis) / 86_400_000)
        let (year, month, day) = LogTimestamp.civilFromDays(days)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day)) \(time)"
    }

    private func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }

    /// Days since 1970-01-01. Runs for every dated header: within 1901…2099 every fourth year
    /// is a leap year, so the count needs no division (a sixth of the header parsing otherwise).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        guard year >= 1901, year <= 2099, month >= 1, month <= 12 else { return daysFromCivilAnyYear(year: year, month: month, day: day) }
        // Days before the month in a common year: March on follows a 153-days-per-5-months cycle.
        let beforeMonth = month > 2 ? (153 &* (month &- 3) &+ 2) / 5 &+ 59 : (month == 2 ? 31 : 0)
        let leapDay = month > 2 && year & 3 == 0 ? 1 : 0
        // `>> 2` floors, so the leap days before 1970 count negative.
        return (year &- 1970) &* 365 &+ ((year &- 1969) >> 2) &+ beforeMonth &+ leapDay &+ day &- 1
    }

    // Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no Foundation.
    static func daysFromCivilAnyYear(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension LogTimestamp: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = LogTimestamp.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a timestamp: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Parses the `text` form back, and the forms users type for `--since`/`--until`:
    /// `2024-12-21`, `2024-12-21 13:00`, `2024-12-21T13:00:05.250`, `13:00`, `13:00:05`.
    public static func parse(_ text: String) -> LogTimestamp? {
        var normalized = text.trimmingWhitespace()
        let parts = normalized.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        func withSeconds(_ time: String) -> String {
            time.split(separator: ":").count == 2 ? time + ":00" : time
        }
        if parts.count == 1, parts[0].contains("-") {
            normalized = parts[0] + " 00:00:00"
        } else if parts.count == 1, parts[0].contains(":") {
            normalized = withSeconds(parts[0]) + ",000"
        } else if parts.count == 2 {
            normalized = parts[0] + " " + withSeconds(parts[1])
        }
        var bytes = Array(normalized.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            LogHeaderParser.parse(UnsafeRawBufferPointer(buffer))?.timestamp
        }
    }
}
