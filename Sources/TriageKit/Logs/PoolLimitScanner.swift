/// A connection pool's per-route maximum, as a log states it: HttpClient's own DEBUG line
/// (`[route: {}->http://10.0.0.7:9200][total kept alive: 0; route allocated: 400 of 400; …]`)
/// or an application's start-up line (`maxPerRoute=400`, `maxConnectionsPerHost=20`).
public struct PoolLimit: Codable, Sendable, Equatable {
    public var maxPerRoute: Int
    /// `host:port` of the route, when the line names it.
    public var route: String?
    /// The text that stated it (`route allocated: 400 of 400`, `maxPerRoute=400`).
    public var statement: String
    public var source: String
    public var line: Int

    public var location: SourceLocation { SourceLocation(source: source, line: line) }
}

/// Finds pool limits in the records the prefilter flagged, keeping one per route in bounded memory.
public enum PoolLimitScanner {
    /// Texts the prefilter looks for (lower-case); a record holding one is scanned.
    public static let literals = ["route allocated:", "maxperroute", "max-per-route", "maxconnectionsperhost"]

    /// The limits stated in one line of text.
    public static func limits(in text: String) -> [(max: Int, route: String?, statement: String)] {
        var found: [(Int, String?, String)] = []
        let lower = text.lowercased()
        // route allocated: A of M
        if let range = lower.firstRange(of: "route allocated: ") {
            let rest = lower[range.upperBound...]
            let allocated = rest.prefix(while: \.isNumber)
            let afterAllocated = rest.dropFirst(allocated.count)
            if !allocated.isEmpty, afterAllocated.hasPrefix(" of ") {
                let maximum = afterAllocated.dropFirst(4).prefix(while: \.isNumber)
                if let value = InputNumber.decimal(maximum, in: 1...1_000_000) {
                    found.append((value, route(in: text), "route allocated: \(allocated) of \(maximum)"))
                }
            }
        }
        let keys = [("defaultmaxperroute", "defaultMaxPerRoute"), ("maxperroute", "maxPerRoute"), ("max-per-route", "max-per-route"),
                    ("defaultmaxconnectionsperhost", "defaultMaxConnectionsPerHost"), ("maxconnectionsperhost", "maxConnectionsPerHost")]
        for (key, name) in keys {
            var searchFrom = lower.startIndex
            while let range = lower[searchFrom...].firstRange(of: key) {
                searchFrom = range.upperBound
                // `setDefaultMaxPerRoute` would also contain `maxperroute`; the longer key reports it.
                if key == "maxperroute", range.lowerBound > lower.startIndex, lower[..<range.lowerBound].hasSuffix("default") { continue }
                if key == "maxconnectionsperhost", lower[..<range.lowerBound].hasSuffix("default") { continue }
                var rest = lower[range.upperBound...]
                rest = rest.drop(while: { $0 == " " || $0 == "=" || $0 == ":" || $0 == "(" || $0 == "\"" })
                let digits = rest.prefix(while: \.isNumber)
                guard let value = InputNumber.decimal(digits, in: 1...999_999) else { continue }
                found.append((value, EndpointScanner.endpoints(in: text).first, "\(name)=\(value)"))
                break
            }
        }
        return found
    }

    /// `[route: {}->http://10.0.0.7:9200]`, `[route: {s}->https://api:443]`.
    static func route(in text: String) -> String? {
        guard let range = text.firstRange(of: "[route: ") else { return nil }
        let inner = text[range.upperBound...].prefix(while: { $0 != "]" })
        return EndpointScanner.endpoints(in: String(inner)).first
    }
}

/// The pool limits an incident's logs state, one per route (the last stated wins: a
/// reconfigured pool), in bounded memory.
public struct PoolLimitTable: Codable, Sendable, Equatable {
    public private(set) var limits: [PoolLimit] = []
    /// The pools' figures (active, idle, waiting) the same records state.
    public var stats = PoolStatsTable()
    static let capacity = 64

    public init() {}

    public mutating func add(_ limit: PoolLimit) {
        if let index = limits.firstIndex(where: { $0.route == limit.route }) {
            // Keep the first place it was stated, to cite; a changed value replaces it.
            if limits[index].maxPerRoute != limit.maxPerRoute { limits[index] = limit }
        } else if limits.count < Self.capacity {
            limits.append(limit)
        }
    }

    public mutating func merge(_ other: PoolLimitTable) {
        for limit in other.limits { add(limit) }
        stats.merge(other.stats)
    }

    /// The limit for `endpoint`: stated for that route, else one stated without a route.
    public func limit(for endpoint: String) -> PoolLimit? {
        limits.first { $0.route == endpoint } ?? limits.first { $0.route == nil }
    }
}
