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
        // Every form has a `:` (scheme, port) or `Connect to `: most lines have neither.
        guard bytes.firstIndex(of: 0x3A, from: 0) != nil else { return found }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // Most bytes can start no form: one test for them, not one per form.
            if !EndpointScanner.mayStart(byte) {
                index += 1
                continue
            }
            // scheme://host[:port]
            if byte == 0x3A, bytes.matches("//", at: index + 1) {
                var schemeStart = index
                while schemeStart > 0, bytes[schemeStart - 1].isASCIILetter { schemeStart -= 1 }
                let length = index - schemeStart
                let https = length == 5 && (bytes[schemeStart + 4] | 0x20) == 0x73
                let scheme = (length == 4 || https) && (bytes[schemeStart] | 0x20) == 0x68 && (bytes[schemeStart + 1] | 0x20) == 0x74
                    && (bytes[schemeStart + 2] | 0x20) == 0x74 && (bytes[schemeStart + 3] | 0x20) == 0x70
                // `{http://xml.apache.org/axis/}stackTrace` is an XML namespace, not a destination.
                let namespace = schemeStart > 0 && bytes[schemeStart - 1] == 0x7B
                if scheme && !namespace {
                    let (host, port, end) = hostAndPort(bytes, from: index + 3)
                    if let host { add("\(host):\(port ?? (https ? 443 : 80))") }
                    index = max(end, index + 1)
                    continue
                }
            }
            // "Connect to host:port" (HttpClient 4.4+) and "connect to host:port"
            if (byte == 0x43 || byte == 0x63), bytes.matches("onnect to ", at: index + 1) {
                let (host, port, end) = hostAndPort(bytes, from: index + 11)
                if let host, let port { add("\(host):\(port)") }
                index = max(end, index + 1)
                continue
            }
            // /10.0.0.5:8080 (Java's InetSocketAddress.toString) or a bare a.b.c.d:port
            if byte.isASCIIDigit, index == 0 || !(bytes[index - 1].isASCIIDigit || bytes[index - 1] == 0x2E || bytes[index - 1].isASCIILetter) {
                if let (ip, port, end) = ipv4AndPort(bytes, from: index) {
                    add("\(ip):\(port)")
                    index = end
                    continue
                }
            }
            index += 1
        }
        return found
    }

    /// `:` (of `://`), `C`/`c` (of `Connect to`), or a digit (of an address).
    @inline(__always)
    private static func mayStart(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 11 || byte | 0x20 == 0x63
    }

    private static func hostAndPort(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (String?, Int?, Int) {
        var end = start
        while end < bytes.count, bytes[end].isASCIILetter || bytes[end].isASCIIDigit
                || bytes[end] == 0x2E || bytes[end] == 0x2D || bytes[end] == 0x5F {
            end += 1
        }
        guard end > start else { return (nil, nil, start) }
        let host = bytes.string(start..<end)
        var port: Int?
        if end < bytes.count, bytes[end] == 0x3A {
            var position = end + 1
            var value = 0
            while position < bytes.count, bytes[position].isASCIIDigit, value < 65_536 {
                value = value * 10 + Int(bytes[position] - 0x30)
                position += 1
            }
            if position > end + 1, value > 0, value < 65_536 {
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
        var port = 0, digits = 0
        while position < bytes.count, bytes[position].isASCIIDigit, digits < 5 {
            port = port * 10 + Int(bytes[position] - 0x30)
            position += 1
            digits += 1
        }
        guard digits > 0, port > 0, port < 65_536 else { return nil }
        if position < bytes.count, bytes[position].isASCIIDigit { return nil }
        return (bytes.string(start..<ipEnd), port, position)
    }
}
