import Foundation

/// Finds the remote endpoints a log names: `Connect to 10.0.0.5:8080`, URLs, `/10.0.0.5:8080`.
///
/// Used on the records a rule matched, to name the destination of failing connections.
public enum EndpointScanner {
    /// Endpoints as `host:port`, in order of appearance, without duplicates.
    public static func endpoints(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { endpoints(in: UnsafeRawBufferPointer($0)) }
    }

    static func endpoints(in bytes: UnsafeRawBufferPointer) -> [String] {
        var found: [String] = []
        func add(_ endpoint: String) {
            if !found.contains(endpoint) { found.append(endpoint) }
        }
        guard let base = bytes.baseAddress else { return found }
        // JDBC URLs name the database: `jdbc:postgresql://db:5432/orders`, `jdbc:oracle:thin:@db:1521:ORCL`.
        var jdbcFrom = 0
        while let jdbc = bytes.range(of: "jdbc:", from: jdbcFrom) {
            if let endpoint = jdbcEndpoint(bytes, at: jdbc.upperBound) { add(endpoint) }
            jdbcFrom = jdbc.upperBound
        }
        // Every form has a `:` (the scheme's, or the port's) and no `:` before it: the colons are
        // found with memchr and each form is tried from its colon, in order, never inside the
        // text an endpoint found before took. (A byte-by-byte scan for the forms' first bytes
        // was most of the cost of a record that raises a finding.)
        var taken = 0
        var colon = 0
        while colon < bytes.count, let next = memchr(base + colon, 0x3A, bytes.count - colon) {
            colon = UnsafeRawPointer(next) - base
            defer { colon += 1 }
            // scheme://host[:port]
            if bytes.matches("//", at: colon + 1) {
                var schemeStart = colon
                while schemeStart > 0, bytes[schemeStart - 1].isASCIILetter { schemeStart -= 1 }
                let length = colon - schemeStart
                let https = length == 5 && (bytes[schemeStart + 4] | 0x20) == 0x73
                let scheme = (length == 4 || https) && (bytes[schemeStart] | 0x20) == 0x68 && (bytes[schemeStart + 1] | 0x20) == 0x74
                    && (bytes[schemeStart + 2] | 0x20) == 0x74 && (bytes[schemeStart + 3] | 0x20) == 0x70
                // `{http://xml.apache.org/axis/}stackTrace` is an XML namespace, not a destination.
                let namespace = schemeStart > 0 && bytes[schemeStart - 1] == 0x7B
                if scheme && !namespace && colon >= taken && !followsSee(bytes, schemeStart) {
                    let (host, port, end) = hostAndPort(bytes, from: colon + 3)
                    if let host {
                        add("\(host):\(port ?? (https ? 443 : 80))")
                        taken = end
                        colon = max(colon, end - 1)
                        continue
                    }
                }
            }
            // The host (or address) that ends at this colon.
            var hostStart = colon
            while hostStart > 0, bytes[hostStart - 1].isHostByte { hostStart -= 1 }
            guard hostStart < colon else { continue }
            // "Connect to host:port" (HttpClient 4.4+, "connect to" too), and "… to host:port" after any word
            // (Hadoop's IPC `from a/10.0.0.1 to namenode-1:9000`, PostgreSQL's `Connection to db:5432 refused`),
            // there a name, not a bare number (`set to 12:30`); both with a port.
            let connectTo = hostStart >= 11 && bytes.matches("onnect to ", at: hostStart - 10)
                && bytes[hostStart - 11] | 0x20 == 0x63 && hostStart - 11 >= taken
            let namedTo = !connectTo && hostStart >= 4 && bytes.matches(" to ", at: hostStart - 4) && hostStart - 3 >= taken
                && (hostStart..<colon).contains(where: { bytes[$0].isASCIILetter })
            if connectTo || namedTo, case let (host?, port?, end) = hostAndPort(bytes, from: hostStart) {
                add("\(host):\(port)")
                taken = end
                colon = max(colon, end - 1)
                continue
            }
            // /10.0.0.5:8080 (Java's InetSocketAddress.toString) or a bare a.b.c.d:port
            var addressStart = colon
            while addressStart > 0, bytes[addressStart - 1].isASCIIDigit || bytes[addressStart - 1] == 0x2E { addressStart -= 1 }
            if addressStart < colon, bytes[addressStart].isASCIIDigit, addressStart >= taken,
               addressStart == 0 || !bytes[addressStart - 1].isASCIILetter,
               let (ip, port, end) = ipv4AndPort(bytes, from: addressStart) {
                add("\(ip):\(port)")
                taken = end
                colon = max(colon, end - 1)
            }
        }
        return found
    }

    /// The URL starting at `start` follows "see" or "visit": a page to read (Hadoop's `For more
    /// details see:  http://wiki.apache.org/hadoop/NoRouteToHost`), not the failing call's destination.
    static func followsSee(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Bool {
        var end = start
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if end > 0, bytes[end - 1] == 0x3A { end -= 1 }
        for word in ["see", "visit"] {
            let count = word.utf8.count
            guard end >= count, zip(word.utf8, (end - count)..<end).allSatisfy({ $0 == bytes[$1] | 0x20 }) else { continue }
            if end == count || !bytes[end - count - 1].isASCIILetter { return true }
        }
        return false
    }

    /// Drivers' URL prefixes after `jdbc:` and their default ports.
    static let jdbcDrivers: [(prefix: StaticString, port: Int)] = [
        ("postgresql://", 5432), ("mysql://", 3306), ("mariadb://", 3306), ("sqlserver://", 1433), ("jtds:sqlserver://", 1433),
        ("h2:tcp://", 9092), ("h2:ssl://", 9092), ("db2://", 50_000), ("oracle:thin:@//", 1521), ("oracle:thin:@", 1521),
    ]

    /// `host:port` of the JDBC URL whose driver part starts at `start` (after `jdbc:`).
    static func jdbcEndpoint(_ bytes: UnsafeRawBufferPointer, at start: Int) -> String? {
        for driver in jdbcDrivers where bytes.matches(driver.prefix, at: start) {
            let (host, port, _) = hostAndPort(bytes, from: start + driver.prefix.utf8CodeUnitCount)
            guard let host, !host.isEmpty else { return nil }
            return "\(host):\(port ?? driver.port)"
        }
        return nil
    }

    private static func hostAndPort(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (String?, Int?, Int) {
        var end = start
        while end < bytes.count, bytes[end].isHostByte {
            end += 1
        }
        guard end > start else { return (nil, nil, start) }
        let host = bytes.string(start..<end)
        var port: Int?
        if end < bytes.count, bytes[end] == 0x3A {
            var position = end + 1
            if let value = InputNumber.scanDecimal(bytes, at: &position, in: 1...65_535) {
                port = value
                end = position
            }
        }
        return (host, port, end)
    }

    private static func ipv4AndPort(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (String, Int, Int)? {
        var position = start
        var octets = 0
        while octets < 4 {
            var value = 0, digits = 0
            while position < bytes.count, bytes[position].isASCIIDigit, digits < 3 {
                value = value * 10 + Int(bytes[position] - 0x30)
                position += 1
                digits += 1
            }
            guard digits > 0, value < 256 else { return nil }
            octets += 1
            if octets < 4 {
                guard position < bytes.count, bytes[position] == 0x2E else { return nil }
                position += 1
            }
        }
        let ipEnd = position
        guard position < bytes.count, bytes[position] == 0x3A else { return nil }
        position += 1
        guard let port = InputNumber.scanDecimal(bytes, at: &position, in: 1...65_535) else { return nil }
        return (bytes.string(start..<ipEnd), port, position)
    }
}

extension UInt8 {
    /// A byte of a host name as `hostAndPort` reads it.
    @inline(__always) fileprivate var isHostByte: Bool { isASCIILetter || isASCIIDigit || self == 0x2E || self == 0x2D || self == 0x5F }
}
