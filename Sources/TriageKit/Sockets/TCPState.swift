/// A TCP socket's state, as netstat (Linux and Windows), ss and /proc/net/tcp spell it.
public enum TCPState: String, Codable, Sendable, DeclarationOrdered {
    case established = "ESTABLISHED"
    case timeWait = "TIME_WAIT"
    case closeWait = "CLOSE_WAIT"
    case listen = "LISTEN"
    case synSent = "SYN_SENT"
    case synReceived = "SYN_RECV"
    case finWait1 = "FIN_WAIT1"
    case finWait2 = "FIN_WAIT2"
    case lastAck = "LAST_ACK"
    case closing = "CLOSING"
    case closed = "CLOSED"

    /// `TIME_WAIT`, `TIME-WAIT`, `ESTAB`, `LISTENING`, `FIN_WAIT_2`, `SYN_RECEIVED`…
    static func named(_ word: Substring) -> TCPState? {
        switch word.uppercased().replacingAll("-", with: "_") {
        // PowerShell writes them as words run together: TimeWait, CloseWait, FinWait2.
        case "ESTABLISHED", "ESTAB": .established
        case "TIME_WAIT", "TIMEWAIT": .timeWait
        case "CLOSE_WAIT", "CLOSEWAIT": .closeWait
        case "LISTEN", "LISTENING": .listen
        case "SYN_SENT", "SYNSENT": .synSent
        case "SYN_RECV", "SYN_RECEIVED", "SYNRECEIVED": .synReceived
        case "FIN_WAIT1", "FIN_WAIT_1", "FINWAIT1": .finWait1
        case "FIN_WAIT2", "FIN_WAIT_2", "FINWAIT2": .finWait2
        case "LAST_ACK", "LASTACK": .lastAck
        case "CLOSING": .closing
        case "CLOSED", "CLOSE", "UNCONN": .closed
        default: translated(word)
        }
    }

    /// net-tools' `netstat` prints its state names through gettext: under a Czech, German or
    /// Brazilian Portuguese locale a row reads `VERBUNDEN`, `ESPERANDO_FECHAR`, `NASLOUCHÁ`
    /// (its message catalogues' translations; the other catalogues keep the English names).
    /// Czech `POSLEDNÍ ACK` is two words: its first stands for it.
    private static func translated(_ word: Substring) -> TCPState? {
        switch word.uppercased() {
        case "VERBUNDEN", "SPOJENO", "ESTABELECIDA": .established
        case "NASLOUCHÁ", "OUÇA": .listen
        case "ESPERANDO_FECHAR": .closeWait
        case "SYN_ENVIADO": .synSent
        case "SYN_RECEBIDO": .synReceived
        case "ESPERA_FIN1": .finWait1
        case "ESPERA_FIN2": .finWait2
        case "POSLEDNÍ", "ÚLTIMO_ACK": .lastAck
        case "ZAVÍRÁ", "FECHANDO": .closing
        case "ZAVŘEN", "FECHAR": .closed
        default: nil
        }
    }

    /// The hex state of /proc/net/tcp.
    static func procCode(_ code: Int) -> TCPState? {
        switch code {
        case 0x01: .established
        case 0x02: .synSent
        case 0x03: .synReceived
        case 0x04: .finWait1
        case 0x05: .finWait2
        case 0x06: .timeWait
        case 0x07: .closed
        case 0x08: .closeWait
        case 0x09: .lastAck
        case 0x0A: .listen
        case 0x0B: .closing
        default: nil
        }
    }
}

/// One end of a connection: `10.0.0.5:8080`, normalised so the same peer reads the same
/// from every tool (`[::ffff:10.0.0.5]:8080` and `::ffff:10.0.0.5:8080` are `10.0.0.5:8080`).
public struct SocketEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    /// Nil for a wildcard (`*`, `0`): a listening socket's peer.
    public var port: Int?

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(shownHost):\(port.map(String.init) ?? "*")"
    }

    /// Parses `10.0.0.5:8080`, `[::1]:5432`, `::ffff:127.0.0.1:40000`, `*:*`, `host:https`.
    static func parse(_ text: Substring) -> SocketEndpoint? {
        guard !text.isEmpty else { return nil }
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : ""
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            // BSD's IPv6 `fe80::1%lo0.49152`: the port follows a dot.
            if portText.contains(".") { return parseDotted(text) }
        } else {
            return parseDotted(text)
        }
        if let percent = host.firstIndex(of: "%") { host = host[..<percent] }   // fe80::1%eth0
        // A port no TCP stack can have (99999, -1) makes the row unreadable, not a wildcard.
        if let first = portText.utf8.first, first &- 0x30 < 10 || first == UInt8(ascii: "-") || first == UInt8(ascii: "+"),
           InputNumber.decimal(portText, in: InputNumber.port) == nil {
            return nil
        }
        return SocketEndpoint(host: normalised(host), port: port(portText))
    }

    /// BSD and macOS netstat: the port after the last dot (`10.0.0.5.52437`, `*.8080`, `*.*`).
    static func parseDotted(_ text: Substring) -> SocketEndpoint? {
        guard let dot = text.lastIndex(of: "."), dot > text.startIndex else { return nil }
        var host = text[..<dot]
        let portText = text[text.index(after: dot)...]
        guard portText == "*" || (!portText.isEmpty && portText.allSatisfy { $0.isASCII && $0.isNumber }) else { return nil }
        // A bare IPv4 address with no port would read as one with its last octet for a port.
        guard host == "*" || host.contains(":") || host.split(separator: ".").count == 4 else { return nil }
        if let percent = host.firstIndex(of: "%") { host = host[..<percent] }
        if portText == "*" { return SocketEndpoint(host: normalised(host), port: nil) }
        guard let port = InputNumber.decimal(portText, in: InputNumber.port) else { return nil }
        return SocketEndpoint(host: normalised(host), port: port == 0 ? nil : port)
    }

    static func normalised(_ host: Substring) -> String {
        let lower = host.lowercased()
        if lower.hasPrefix("::ffff:"), lower.dropFirst(7).allSatisfy({ $0.isNumber || $0 == "." }) {
            return String(lower.dropFirst(7))
        }
        return lower.isEmpty ? "*" : lower
    }

    static func port(_ text: Substring) -> Int? {
        if let number = InputNumber.decimal(text, in: InputNumber.port) { return number == 0 ? nil : number }
        return serviceNames[text.lowercased()]
    }

    /// What netstat prints without `-n`.
    static let serviceNames: [String: Int] = [
        "http": 80, "https": 443, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "imap": 143,
        "imaps": 993, "pop3": 110, "ldap": 389, "ldaps": 636, "mysql": 3306, "postgresql": 5432, "ms-sql-s": 1433,
        "epmap": 135, "microsoft-ds": 445, "netbios-ssn": 139, "http-alt": 8080, "webcache": 8080,
    ]

    /// `0100007F:1F90` (/proc/net/tcp: the IPv4 address as a little-endian hex word).
    static func procHex(_ text: Substring) -> SocketEndpoint? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let port = InputNumber.hex(parts[1], in: InputNumber.port) else { return nil }
        let hex = parts[0]
        if hex.count == 8, let word = UInt32(hex, radix: 16) {
            return SocketEndpoint(host: ipv4(littleEndian: word), port: port == 0 ? nil : port)
        }
        if hex.count == 32 {
            let words = (0..<4).compactMap { index -> UInt32? in
                let start = hex.index(hex.startIndex, offsetBy: index * 8)
                return UInt32(hex[start..<hex.index(start, offsetBy: 8)], radix: 16)
            }
            guard words.count == 4 else { return nil }
            // ::ffff:a.b.c.d is words 0, 0, 0xFFFF0000 (little-endian), address.
            if words[0] == 0, words[1] == 0, words[2] == 0xFFFF_0000 {
                return SocketEndpoint(host: ipv4(littleEndian: words[3]), port: port == 0 ? nil : port)
            }
            let groups = words.flatMap { word -> [String] in
                let bytes = [UInt8(word & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word >> 16 & 0xFF), UInt8(word >> 24)]
                return [String(UInt16(bytes[0]) << 8 | UInt16(bytes[1]), radix: 16), String(UInt16(bytes[2]) << 8 | UInt16(bytes[3]), radix: 16)]
            }
            return SocketEndpoint(host: groups.joined(separator: ":"), port: port == 0 ? nil : port)
        }
        return nil
    }

    private static func ipv4(littleEndian word: UInt32) -> String {
        "\(word & 0xFF).\(word >> 8 & 0xFF).\(word >> 16 & 0xFF).\(word >> 24)"
    }
}
