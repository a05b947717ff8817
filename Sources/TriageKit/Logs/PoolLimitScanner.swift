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
    public static let literals = ["route allocated:", "maxperroute", "max-per-route", "maxconnectionsperhost",
                                  "maximumpoolsize", "maxtotal", "maxpoolsize", "maxactive", "jdbc:"]

    /// The limits stated in one line of text (searched as ASCII-lower-cased bytes, as
    /// `PoolStatsScanner` and for the same reason).
    public static func limits(in text: String) -> [(max: Int, route: String?, statement: String)] {
        var lower = Array(text.utf8)
        for index in lower.indices where lower[index] >= 0x41 && lower[index] <= 0x5A { lower[index] |= 0x20 }
        return lower.withUnsafeBytes { bytes in
            var found: [(Int, String?, String)] = []
            func digits(from start: Int) -> Range<Int> {
                var end = start
                while end < bytes.count, bytes[end].isASCIIDigit { end += 1 }
                return start..<end
            }
            // route allocated: A of M
            if let range = bytes.range(of: "route allocated: ") {
                let allocated = digits(from: range.upperBound)
                if !allocated.isEmpty, bytes.matches(" of ", at: allocated.upperBound) {
                    let maximum = digits(from: allocated.upperBound + 4)
                    if let value = InputNumber.decimal(UnsafeRawBufferPointer(rebasing: bytes[maximum]), in: 1...1_000_000) {
                        found.append((value, route(in: text), "route allocated: \(bytes.string(allocated)) of \(bytes.string(maximum))"))
                    }
                }
            }
            // HTTP pools' per-route maxima, then database pools' maxima (one route: the database):
            // HikariCP, DBCP 2, c3p0, Tomcat JDBC / Druid / DBCP 1.
            let keys: [(StaticString, String)] = [
                ("defaultmaxperroute", "defaultMaxPerRoute"), ("maxperroute", "maxPerRoute"), ("max-per-route", "max-per-route"),
                ("defaultmaxconnectionsperhost", "defaultMaxConnectionsPerHost"), ("maxconnectionsperhost", "maxConnectionsPerHost"),
                ("maximumpoolsize", "maximumPoolSize"), ("maxtotal", "maxTotal"), ("maxpoolsize", "maxPoolSize"), ("maxactive", "maxActive")]
            // HttpClient's own `maxTotal` / `setMaxTotal(200)` is the pool's total, not a route's:
            // on a line about HTTP, or beside a per-route maximum, the database keys are not read.
            let httpLine = bytes.range(of: "http") != nil
            for (key, name) in keys {
                if PoolLimitScanner.isDatabasePool(name + "="), httpLine || !found.isEmpty { continue }
                var searchFrom = 0
                while let range = bytes.range(of: key, from: searchFrom) {
                    searchFrom = range.upperBound
                    // `setDefaultMaxPerRoute` would also contain `maxperroute`; the longer key reports it.
                    let afterDefault = range.lowerBound >= 7 && bytes.matches("default", at: range.lowerBound - 7)
                    if afterDefault, name == "maxPerRoute" || name == "maxConnectionsPerHost" { continue }
                    var start = range.upperBound
                    // `=`, `: `, `(`, quotes, HikariCP's `maximumPoolSize.............10`, c3p0's `maxPoolSize -> 15`.
                    while start < bytes.count, [0x20, 0x3D, 0x3A, 0x28, 0x22, 0x2E, 0x2D, 0x3E].contains(bytes[start]) { start += 1 }
                    // `maxActive=-1` is no limit (unbounded), not 1.
                    if start > range.upperBound, bytes[start - 1] == 0x2D { continue }
                    guard let value = InputNumber.decimal(UnsafeRawBufferPointer(rebasing: bytes[digits(from: start)]), in: 1...999_999) else {
                        continue
                    }
                    found.append((value, EndpointScanner.endpoints(in: text).first, "\(name)=\(value)"))
                    break
                }
            }
            return found
        }
    }

    /// A database pool's maximum (its one route is the database), by the statement made of it.
    static func isDatabasePool(_ statement: String) -> Bool {
        ["maximumPoolSize=", "maxTotal=", "maxPoolSize=", "maxActive="].contains { statement.hasPrefix($0) }
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
