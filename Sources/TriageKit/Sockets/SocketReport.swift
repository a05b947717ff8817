/// What the socket snapshots and kernel settings of an incident show, for the report: per
/// snapshot the states and the busiest destinations, the port range in force with its
/// ceiling, and how counts moved from one snapshot to the next.
public struct SocketReport: Codable, Sendable {
    public var snapshots: [SocketSnapshotSummary]
    /// The port range and TIME_WAIT length the figures are computed with (one host per incident).
    public var headroom: PortRangeHeadroom
    /// Kernel settings read, by name.
    public var settings: [KernelSettings.Setting]
    /// Counts toward the same destination across snapshots, in time order (two or more snapshots).
    public var trends: [SocketTrend]
    /// Tables read but left out of a very long series (every other one; never a peak).
    public var tablesThinned = 0
}

/// One snapshot, reduced to what a reader needs.
public struct SocketSnapshotSummary: Codable, Sendable {
    public var source: String
    public var line: Int
    public var tool: String
    public var time: LogTimestamp?
    public var sockets: Int
    /// Sockets by state name (`TIME_WAIT`), all sides.
    public var states: [String: Int]
    public var clientTimeWait: Int
    /// TIME_WAIT on a listening port: the server closed first. It uses no ephemeral port.
    public var serverTimeWait: Int
    public var clientCloseWait: Int
    /// Client ports in use, lowest to highest (`40000–40499`).
    public var clientPorts: String?
    public var timeWaitToward: [DestinationFigure]
    public var closeWaitToward: [DestinationFigure]
    public var establishedToward: [DestinationFigure]
}

/// Client-side sockets in one state toward one destination, with the share of the port range
/// they hold and the process that owns them where the tool says.
public struct DestinationFigure: Codable, Sendable, Equatable {
    public var destination: String
    public var count: Int
    /// Of the usable ephemeral ports (TIME_WAIT only).
    public var percentOfRange: Int?
    /// New connections per second over the last TIME_WAIT period (TIME_WAIT only).
    public var recentPerSecond: Double?
    public var processes: [Tally]?
    public var source: String
    public var line: Int
}

/// One state toward one destination, snapshot after snapshot.
public struct SocketTrend: Codable, Sendable, Equatable {
    public var state: String
    public var destination: String
    public var counts: [Int]
}
