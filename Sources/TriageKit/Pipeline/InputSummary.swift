/// What was read from one input, and anything that was not.
public struct InputSummary: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case analysed
        /// Reading stopped part-way (a truncated gzip, an I/O error); the rest is in the report.
        case partial
        case unreadable
        /// Not something triage reads (a heap dump, an xz archive); not an error.
        case skipped
    }

    public var source: String
    public var status: Status
    public var reason: String?
    public var format: InputFormat?
    /// Bytes of text read (after gzip and transcoding).
    public var bytes: Int = 0
    public var lines: Int = 0
    public var records: Int = 0
    public var levels: [String: Int] = [:]
    public var sections: [String: Int] = [:]
    /// Stack traces found in log records, and the `Caused by` links among them.
    public var traces: Int = 0
    public var causes: Int = 0
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    /// Lines longer than the line limit, cut at it.
    public var truncatedLines: Int = 0
    /// Lines of oversized records that were counted but not kept.
    public var droppedLines: Int = 0
    /// Log events read from JSON lines, and JSON lines that were not events (read as text).
    public var jsonEvents: Int?
    public var unreadableJSONLines: Int?
    /// The container platform's wrapper cut from each line (`kubectl --timestamps`, `CRI`…).
    public var wrapper: String?
    /// Records outside `--since`/`--until`.
    public var recordsOutsideWindow: Int = 0
    /// Thread dumps and socket tables taken outside `--since`/`--until` (left out), and those
    /// without a dated time (kept: when they were taken cannot be told); absent without a window.
    public var dumpsOutsideWindow: Int?
    public var tablesOutsideWindow: Int?
    public var untimedKeptInWindow: Int?
    /// How the input was read, where it matters to the reader (NUL bytes skipped, plain text
    /// after the gzip data, a file that grew while read); absent when there is nothing to say.
    public var notes: [String]?

    public init(source: String, status: Status, reason: String? = nil) {
        self.source = source
        self.status = status
        self.reason = reason
    }
}
