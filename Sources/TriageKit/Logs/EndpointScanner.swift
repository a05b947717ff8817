/// Finds the remote endpoints a log names: `Connect to 10.0.0.5:8080`, URLs, `/10.0.0.5:8080`.
///
/// Used on the few records a rule matched, to name the destination of failing connections.
public enum EndpointScanner {
    /// Endpoints as `host:port`, in order of appearance, without duplicates.
    public static func endpoints(in text: String) -> [String] {
        var found: [String] = []
        func add(_ endpoint: String) {
            if !endpoint.isEmpty, !found.contains(endpoint) { found.append(endpoint) }
        }
        let characters = Array(text.utf8)
        var index = 0
        while index < characters.count {
            // scheme://host[:port]
            if characters[index] == 0x3A, index + 2 < characters.count, characters[index + 1] == 0x2F, characters[index + 2] == 0x2F {
                var schemeStart = index
                while schemeStart > 0, characters[schemeStart - 1].isASCIILetter { schemeStart -= 1 }
                let scheme = String(decoding: characters[schemeStart..<index], as: UTF8.self).lowercased()
                if scheme == "http" || scheme == "https" {
                    let (host, port, end) = hostAndPort(characters, from: index + 3)
                    if let host { add("\(host):\(port ?? (scheme == "https" ? 443 : 80))") }
                    index = max(end, index + 1)
                    continue
                }
            }
            // "Connect to host:port" (HttpClient 4.4+) and "connect to host:port"
            if (characters[index] == 0x43 || characters[index] == 0x63), matches(characters, index, "onnect to ") {
                let (host, port, end) = hostAndPort(characters, from: index + 11)
                if let host, let port { add("\(host):\(port)") }
                index = max(end, index + 1)
                continue
            }
            // /10.0.0.5:8080 (Java's InetSocketAddress.toString) or a bare a.b.c.d:port
            if characters[index].isASCIIDigit, index == 0 || !(characters[index - 1].isASCIIDigit || characters[index - 1] == 0x2E || characters[index - 1].isASCIILetter) {
                if let (ip, port, end) = ipv4AndPort(characters, from: index) {
                    add("\(ip):\(port)")
                    index = end
                    continue
                }
            }
            index += 1
        }
        return found
    }

    private static func matches(_ characters: [UInt8], _ index: Int, _ literal: String) -> Bool {
        let bytes = Array(literal.utf8)
        guard index + 1 + bytes.count <= characters.count else { return false }
        for (offset, byte) in bytes.enumerated() where characters[index + 1 + offset] != byte { return false }
        return true
    }

    private static func hostAndPort(_ characters: [UInt8], from start: Int) -> (String?, Int?, Int) {
        var end = start
        while end < characters.count, characters[end].isASCIILetter || characters[end].isASCIIDigit
                || characters[end] == 0x2E || characters[end] == 0x2D || characters[end] == 0x5F {
            end += 1
        }
        guard end > start else { return (nil, nil, start) }
        let host = String(decoding: characters[start..<end], as: UTF8.self)
        var port: Int?
        if end < characters.count, characters[end] == 0x3A {
            var position = end + 1
            var value = 0
            while position < characters.count, characters[position].isASCIIDigit, value < 65_536 {
                value = value * 10 + Int(characters[position] - 0x30)
                position += 1
            }
            if position > end + 1, value > 0, value < 65_536 {
                port = value
                end = position
            }
        }
        return (host, port, end)
    }

    private static func ipv4AndPort(_ characters: [UInt8], from start: Int) -> (String, Int, Int)? {
        var position = start
        var octets = 0
        while octets < 4 {
            var value = 0, digits = 0
            while position < characters.count, characters[position].isASCIIDigit, digits < 3 {
                value = value * 10 + Int(characters[position] - 0x30)
                position += 1
                digits += 1
            }
            guard digits > 0, value < 256 else { return nil }
            octets += 1
            if octets < 4 {
                guard position < characters.count, characters[position] == 0x2E else { return nil }
                position += 1
            }
        }
        let ipEnd = position
        guard position < characters.count, characters[position] == 0x3A else { return nil }
        position += 1
        var port = 0, digits = 0
        while position < characters.count, characters[position].isASCIIDigit, digits < 5 {
            port = port * 10 + Int(characters[position] - 0x30)
            position += 1
            digits += 1
        }
        guard digits > 0, port > 0, port < 65_536 else { return nil }
        if position < characters.count, characters[position].isASCIIDigit { return nil }
        return (String(decoding: characters[start..<ipEnd], as: UTF8.self), port, position)
    }
}
