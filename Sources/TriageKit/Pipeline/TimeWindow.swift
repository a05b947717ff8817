/// `--since` / `--until`: records outside are counted but not analysed; dumps and socket tables
/// taken outside are left out. A bound is compared only with timestamps of its own kind (a time
/// of day with a time of day): `resolved(latest:)` gives a bare time a date first.
public struct TimeWindow: Sendable, Equatable {
    public var since: LogTimestamp?
    public var until: LogTimestamp?

    public init(since: LogTimestamp?, until: LogTimestamp?) {
        self.since = since
        self.until = until
    }

    public func contains(_ time: LogTimestamp?) -> Bool {
        guard let time else { return true }
        if let since, since.hasDate == time.hasDate, time < since { return false }
        if let until, until.hasDate == time.hasDate, until < time { return false }
        return true
    }

    public var hasBareTime: Bool { since.map { !$0.hasDate } ?? false || until.map { !$0.hasDate } ?? false }

    private static let day: Int64 = 86_400_000

    /// The window with each bare time of day given a date, and how each was read:
    /// - `--since 13:30`: 13:30 on the day of the latest record read, or the day before when that
    ///   is later than the latest record (the most recent 13:30 the inputs can hold);
    /// - `--until 14:00`: the first 14:00 after `--since`; without it, 14:00 on the latest record's day;
    /// - a bare `--since` before a dated `--until`: the last such time before it.
    /// Without a dated record (`latest` nil) bare times stay times of day, for time-only logs.
    public func resolved(latest: LogTimestamp?) -> (window: TimeWindow, readings: [String]) {
        guard let latest, latest.hasDate, hasBareTime else { return (self, []) }
        var window = self
        var readings: [String] = []
        let latestDay = latest.milliseconds - LogTimestamp.floorModulo(latest.milliseconds, Self.day)
        if let since, !since.hasDate {
            let reference = until.flatMap { $0.hasDate ? $0 : nil } ?? latest
            let referenceDay = reference.milliseconds - LogTimestamp.floorModulo(reference.milliseconds, Self.day)
            var dated = referenceDay + since.milliseconds
            if dated > reference.milliseconds { dated -= Self.day }
            window.since = LogTimestamp(milliseconds: dated, hasDate: true)
            let why = until?.hasDate == true ? "the last \(since.clock) before --until" : "the last \(since.clock) up to the latest record, \(latest.text)"
            readings.append("--since \(since.clock) read as \(window.since!.text) (\(why))")
        }
        if let until, !until.hasDate {
            var dated: Int64
            if let start = window.since {
                let startDay = start.milliseconds - LogTimestamp.floorModulo(start.milliseconds, Self.day)
                dated = startDay + until.milliseconds
                if dated < start.milliseconds { dated += Self.day }
            } else {
                dated = latestDay + until.milliseconds
            }
            window.until = LogTimestamp(milliseconds: dated, hasDate: true)
            let why = window.since != nil ? "the first \(until.clock) after --since" : "on the day of the latest record, \(latest.text)"
            readings.append("--until \(until.clock) read as \(window.until!.text) (\(why))")
        }
        return (window, readings)
    }

    /// Both ends dated and in the wrong order: a usage error, not an empty report.
    public var isInverted: Bool {
        guard let since, let until, since.hasDate == until.hasDate else { return false }
        return until < since
    }

    /// `2024-12-21 13:30 → 14:00:00`, for the report's header.
    public var text: String {
        "\(since?.text ?? "the start") → \(until?.text ?? "the end")"
    }
}

extension LogTimestamp {
    /// `13:30`, `13:30:05` — a time of day as a user would type it back.
    var clock: String {
        let full = text
        let time = full.split(separator: " ").last.map(String.init) ?? full
        if time.hasSuffix(":00.000") { return String(time.dropLast(7)) }
        return time.hasSuffix(".000") ? String(time.dropLast(4)) : time
    }
}
