/// One socket table (a run of `netstat`, `ss`, /proc/net/tcp, `lsof -i`), reduced to counts in
/// bounded memory: per state, per remote endpoint for client-side sockets, per process.
///
/// Client or server side: a socket whose local port is a listening port is the server's end.
/// Tools print listeners first, so most rows are told apart as they are read; the exact
/// server-side counts are settled in `finish()` once every listener is known.
public struct SocketSnapshot: Sendable {
    public enum Tool: String, Codable, Sendable {
        case netstatLinux = "netstat"
        case netstatWindows = "netstat (Windows)"
        case ss
        case procNetTCP = "/proc/net/tcp"
        case lsof = "lsof -i"
    }

    public var source: String
    /// The line of the table's header: where to look.
    public var line: Int
    public var tool: Tool
    public var time: LogTimestamp?
    /// TCP rows read.
    public var sockets = 0
    public var states: [TCPState: Int] = [:]
    /// Local ports in LISTEN: a socket on one of them is a server's end.
    public var listeningPorts = Set<Int>()
    /// Client-side sockets by state and remote endpoint (`10.0.0.5:8080`).
    public var clientByRemote: [TCPState: BoundedCounter] = [:]
    /// Client-side sockets by state and `remote  process`, where the tool names the process.
    public var clientByRemoteAndProcess: [TCPState: BoundedCounter] = [:]
    /// Server-side sockets by state (set by `finish()`).
    public var serverSide: [TCPState: Int] = [:]
    /// Sockets by state and owning process (`java/17`, `java.exe`), where the tool names it.
    public var byProcess: [TCPState: BoundedCounter] = [:]
    /// The lowest and highest local port of client-side sockets: the ephemeral range in use.
    public var clientPortLow: Int?
    public var clientPortHigh: Int?
    /// The first input line of each `STATE remote` pair, to cite.
    public var firstLine: [String: Int] = [:]
    /// Rows of other protocols (UDP, raw, unix sockets), skipped.
    public var otherRows = 0
    /// Local ports of non-listening rows, per state (`state << 16 | port`): dropped by `finish()`.
    private var localPorts: [Int: Int] = [:]

    static let endpointsKept = 4096

    public init(source: String, line: Int, tool: Tool, time: LogTimestamp?) {
        self.source = source
        self.line = line
        self.tool = tool
        self.time = time
    }

    public var isWindows: Bool { tool == .netstatWindows }
    public var isEmpty: Bool { sockets == 0 }

    mutating func add(local: SocketEndpoint, remote: SocketEndpoint, state: TCPState, process: String?, line: Int) {
        sockets += 1
        states[state, default: 0] += 1
        if state == .listen {
            if let port = local.port { listeningPorts.insert(port) }
            return
        }
        if let process { byProcess[state, default: BoundedCounter(capacity: 256)].add(process) }
        if let port = local.port {
            localPorts[Self.portKey(state, port), default: 0] += 1
            if listeningPorts.contains(port) { return }
        }
        let key = remote.description
        clientByRemote[state, default: BoundedCounter(capacity: Self.endpointsKept)].add(key)
        if let process {
            clientByRemoteAndProcess[state, default: BoundedCounter(capacity: 1024)].add(key + "  " + process)
        }
        let cited = "\(state.rawValue) \(key)"
        if firstLine.count < Self.endpointsKept, firstLine[cited] == nil { firstLine[cited] = line }
    }

    /// Settles the server-side counts and the client port span now that every listener is known.
    mutating func finish() {
        // Without any listener in the table (`netstat -n` prints none), a port below 1024 is a service.
        let listening = listeningPorts
        for (key, count) in localPorts {
            let port = key & 0xFFFF
            let state = TCPState.allCases[key >> 16]
            if listening.isEmpty ? port < 1024 : listening.contains(port) {
                serverSide[state, default: 0] += count
            } else {
                clientPortLow = min(clientPortLow ?? port, port)
                clientPortHigh = max(clientPortHigh ?? port, port)
            }
        }
        localPorts = [:]
    }

    private static func portKey(_ state: TCPState, _ port: Int) -> Int {
        TCPState.allCases.firstIndex(of: state)! << 16 | (port & 0xFFFF)
    }

    public func count(_ state: TCPState) -> Int { states[state] ?? 0 }

    /// Sockets in `state` on the client side (everything not on a listening port).
    public func clientCount(_ state: TCPState) -> Int { count(state) - (serverSide[state] ?? 0) }

    /// Client-side sockets in `state` toward their busiest remote endpoints.
    public func topRemotes(_ state: TCPState, _ limit: Int) -> [(key: String, count: Int)] {
        clientByRemote[state]?.top(limit) ?? []
    }

    /// Client-side sockets in `state` toward `remote`.
    public func clientCount(_ state: TCPState, toward remote: String) -> Int {
        clientByRemote[state]?.counts[remote] ?? 0
    }

    /// Where the first `state` socket toward `remote` was printed.
    public func location(_ state: TCPState, _ remote: String) -> SourceLocation {
        SourceLocation(source: source, line: firstLine["\(state.rawValue) \(remote)"] ?? line)
    }
}
