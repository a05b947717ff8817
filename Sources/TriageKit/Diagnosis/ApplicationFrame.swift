/// A frame of the application's own code, and where it was read: the line to open.
public struct ApplicationFrame: Codable, Sendable, Equatable {
    /// `com.acme.export.ExportService.loadAll(ExportService.java:88)`
    public var frame: String
    public var source: String
    public var line: Int
    /// Occurrences that pass through it: a group's traces, a finding's records and threads.
    public var count: Int

    public init(frame: String, source: String, line: Int, count: Int = 1) {
        self.frame = frame
        self.source = source
        self.line = line
        self.count = count
    }

    public var location: SourceLocation { SourceLocation(source: source, line: line) }

    /// The same frames summed, most passed-through first (then by name, so the order is stable).
    static func combined(_ frames: [ApplicationFrame], limit: Int) -> [ApplicationFrame] {
        var byFrame: [String: ApplicationFrame] = [:]
        var order: [String] = []
        for frame in frames {
            if byFrame[frame.frame] == nil {
                byFrame[frame.frame] = frame
                order.append(frame.frame)
            } else {
                byFrame[frame.frame]!.count += frame.count
            }
        }
        return order.compactMap { byFrame[$0] }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.frame < $1.frame }
            .prefix(limit).map { $0 }
    }
}
