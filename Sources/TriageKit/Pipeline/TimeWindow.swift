/// `--since` / `--until`: records outside are counted but not analysed. A bound is compared
/// only with timestamps of its own kind (a time of day with a time of day).
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
}
