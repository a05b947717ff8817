/// One socket table (a run of `netstat`, `ss`, /proc/net/tcp, `lsof -i`), reduced to counts in
/// bounded memory: per state, per remote endpoint for client-side sockets, per process.
///
/// Client or server side: a socket whose local port is a listening port is the server's end.
/// Tools print listeners first, so most rows are told apart as they are read; the exact
/// server-side counts are settled in `finish()` once every listener is known.
public struct SocketSnapshot: Sendable {
    public enum Tool: String, Codable, Sendable {
        case netstatLinux = "netstat"
        /// macOS and the BSDs: `tcp4`, `10.0.0.5.52437` (the port after a dot).
        case netstatBSD = "netstat (macOS/BSD)"
        case netstatWindows = "netstat (Windows)"
        case ss
        case procNetTCP = "/proc/net/tcp"
        case lsof = "lsof -i"
        /// PowerShell's `Get-NetTCPConnection` table, and `… | Group-Object State[, RemoteAddress]`.
        case powershell = "Get-NetTCPConnection"
        case powershellGroups = "Get-NetTCPConnection | Group-Object"
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
    /// Server-side sockets by state.
    public var serverSide: [TCPState: Int] = [:]
    /// Server-side CLOSE_WAIT by listening port, and the line of the first: callers that closed
    /// a request this process had not answered.
    public var serverCloseWaitByPort: [Int: (count: Int, firstLine: Int)] = [:]
    /// Sockets by state and owning process (`java/17`, `java.exe`), where the tool names it.
    public var byProcess: [TCPState: BoundedCounter] = [:]
    /// The lowest and highest local port of client-side sockets: the ephemeral range in use.
    public var clientPortLow: Int?
    public var clientPortHigh: Int?
    /// The first input line of each `STATE remote` pair, to cite.
    public var firstLine: [String: Int] = [:]
    /// Rows of other protocols (UDP, raw, unix sockets), skipped.
    public var otherRows = 0
    /// Non-listening rows, grouped, until `finish()` knows every listener.
    private var pending: [PendingKey: PendingRows] = [:]
    /// Remote ports seen: without listeners in the table, a local port that others connect to is a service.
    private var remotePorts = Set<Int>()

    private struct PendingKey: Hashable {
        var state: TCPState
        var localPort: Int?
        var remote: String
        var process: String?
    }

    private struct Target: Hashable {
        var state: TCPState
        var key: String
    }

    private struct PendingRows {
        var count: Int
        var firstLine: Int
    }

    static let endpointsKept = 4096
    /// Grouped rows held per table; beyond it rows are settled as they come (a host rarely has more).
    static let pendingKept = 262_144

    public init(source: String, line: Int, tool: Tool, time: LogTimestamp?) {
        self.source = source
        self.line = line
        self.tool = tool
        self.time = time
    }

    public var isWindows: Bool { tool == .netstatWindows || tool == .powershell || tool == .powershellGroups }
    public var isBSD: Bool { tool == .netstatBSD }
    public var isEmpty: Bool { sockets == 0 }

    /// `count`: rows of the same socket shape at once (a `Group-Object` summary's line).
    mutating func add(local: SocketEndpoint, remote: SocketEndpoint, state: TCPState, process: String?, line: Int, count: Int = 1) {
        sockets += count
        states[state, default: 0] += count
        if state == .listen {
            if let port = local.port { listeningPorts.insert(port) }
            return
        }
        if let process { byProcess[state, default: BoundedCounter(capacity: 256)].add(process) }
        if let port = remote.port, remotePorts.count < 65536 { remotePorts.insert(port) }
        let key = PendingKey(state: state, localPort: local.port, remote: remote.description, process: process)
        if pending[key] != nil {
            pending[key]!.count += count
        } else if pending.count < Self.pendingKept {
            pending[key] = PendingRows(count: count, firstLine: line)
        } else {
            let listening = listeningPorts
            settle(key, PendingRows(count: count, firstLine: line), isService: listening.contains)
        }
    }

    /// Sorts the rows into client and server side now that every listener is known.
    mutating func finish() {
        var services = listeningPorts
        if services.isEmpty {
            // `netstat -n` or `-b` without `-a` lists no listeners: a port below 1024, or a local
            // port that other rows of this host connect to (a loopback peer), is a service.
            let localPorts = Set(pending.keys.compactMap(\.localPort))
            services = localPorts.filter { $0 < 1024 || remotePorts.contains($0) }
        }
        // Totals per destination first, then into the capped counters busiest first, so a
        // destination that piles up is kept however many others the table holds.
        var toward: [Target: (count: Int, firstLine: Int)] = [:]
        var owned: [Target: Int] = [:]
        for (key, rows) in pending {
            if let port = key.localPort, services.contains(port) {
                serverSide[key.state, default: 0] += rows.count
                if key.state == .closeWait { noteServerCloseWait(port, rows) }
                continue
            }
            let target = Target(state: key.state, key: key.remote)
            let previous = toward[target]
            toward[target] = ((previous?.count ?? 0) + rows.count, min(previous?.firstLine ?? rows.firstLine, rows.firstLine))
            if let process = key.process { owned[Target(state: key.state, key: key.remote + "  " + process), default: 0] += rows.count }
            if let port = key.localPort {
                clientPortLow = min(clientPortLow ?? port, port)
                clientPortHigh = max(clientPortHigh ?? port, port)
            }
        }
        for (target, value) in toward.sorted(by: { ($1.value.count, $0.value.firstLine) < ($0.value.count, $1.value.firstLine) }) {
            clientByRemote[target.state, default: BoundedCounter(capacity: Self.endpointsKept)].add(target.key, value.count)
            let cited = "\(target.state.rawValue) \(target.key)"
            if firstLine.count < Self.endpointsKept, firstLine[cited].map({ $0 > value.firstLine }) ?? true { firstLine[cited] = value.firstLine }
        }
        for (target, count) in owned.sorted(by: { ($1.value, $0.key.key) < ($0.value, $1.key.key) }) {
            clientByRemoteAndProcess[target.state, default: BoundedCounter(capacity: 1024)].add(target.key, count)
        }
        pending = [:]
        remotePorts = []
        compact()
    }

    /// Endpoints and processes kept once the table is read: the busiest, which are what the
    /// report and the facts use; a long series of tables then costs little each.
    static let keptAfterFinish = 64

    private mutating func compact() {
        let limit = Self.keptAfterFinish
        clientByRemote = clientByRemote.mapValues { $0.trimmed(to: limit) }
        clientByRemoteAndProcess = clientByRemoteAndProcess.mapValues { $0.trimmed(to: limit) }
        byProcess = byProcess.mapValues { $0.trimmed(to: limit) }
        let kept = clientByRemote
        firstLine = firstLine.filter { key, _ in
            guard let space = key.firstIndex(of: " "), let state = TCPState(rawValue: String(key[..<space])) else { return false }
            return kept[state]?.counts[String(key[key.index(after: space)...])] != nil
        }
    }

    private mutating func settle(_ key: PendingKey, _ rows: PendingRows, isService: (Int) -> Bool) {
        if let port = key.localPort, isService(port) {
            serverSide[key.state, default: 0] += rows.count
            if key.state == .closeWait { noteServerCloseWait(port, rows) }
            return
        }
        clientByRemote[key.state, default: BoundedCounter(capacity: Self.endpointsKept)].add(key.remote, rows.count)
        if let process = key.process {
            clientByRemoteAndProcess[key.state, default: BoundedCounter(capacity: 1024)].add(key.remote + "  " + process, rows.count)
        }
        let cited = "\(key.state.rawValue) \(key.remote)"
        if firstLine.count < Self.endpointsKept, firstLine[cited].map({ $0 > rows.firstLine }) ?? true { firstLine[cited] = rows.firstLine }
        if let port = key.localPort {
            clientPortLow = min(clientPortLow ?? port, port)
            clientPortHigh = max(clientPortHigh ?? port, port)
        }
    }

    private mutating func noteServerCloseWait(_ port: Int, _ rows: PendingRows) {
        if let seen = serverCloseWaitByPort[port] {
            serverCloseWaitByPort[port] = (seen.count + rows.count, min(seen.firstLine, rows.firstLine))
        } else if serverCloseWaitByPort.count < 256 {
            serverCloseWaitByPort[port] = (rows.count, rows.firstLine)
        }
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
