/// Reads socket tables line by line — Linux `netstat -an/-anp/-W -neopa`, Windows `netstat
/// -an/-ano/-b`, `ss -tan/-tanp/-peaonmi`, /proc/net/tcp and tcp6, `lsof -i` — and emits one
/// `SocketSnapshot` per table. A header line starts a table; `date` output before it (as
/// collection scripts print) becomes the snapshot's time. UDP and unix rows are counted and
/// skipped, as are the continuation lines of `ss -e -m -i`.
public final class SocketTableParser {
    private let source: String
    private let emit: (SocketSnapshot) -> Void
    private var current: SocketSnapshot?
    /// `ss` with a `Netid` column (`ss -a` without `-t`).
    private var netidColumn = false
    /// After `Active UNIX domain sockets`: rows until the next Internet table are not TCP.
    private var skipping = false
    /// Windows `netstat -b` prints the owner on the line after the row: the row waits for it.
    private var pendingRow: (local: SocketEndpoint, remote: SocketEndpoint, state: TCPState, process: String?, line: Int)?
    /// Set by whoever saw a timestamp line just before the table.
    public var pendingTime: LogTimestamp?
    /// TCP rows whose endpoints read but whose state is no name triage knows (a translation,
    /// a typo): left out of every count, so the report says how many, and the first.
    public private(set) var unknownStateRows = 0
    public private(set) var firstUnknownState: (word: String, line: Int)?
    /// Rows of `ss … state FILTER` tables: the filter drops the State column, so no row says its
    /// state, and none is counted as any (the report says how many were left out).
    public private(set) var statelessRows = 0
    public private(set) var firstStatelessTable: Int?
    private var inStatelessTable = false
    /// The header of the table being read was a translated one (`Proto Přích-F Odch-F Místní
    /// Adresa …`): its first row says whether Linux or Windows wrote it.
    private var toolFromFirstRow = false

    public init(source: String, emit: @escaping (SocketSnapshot) -> Void) {
        self.source = source
        self.emit = emit
    }

    public func line(_ bytes: UnsafeRawBufferPointer, number: Int) {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("Recv-Q Send-Q"), text.contains("Local Address") {
            finish()
            inStatelessTable = true
            if firstStatelessTable == nil { firstStatelessTable = number }
            return
        }
        if inStatelessTable {
            if SocketTableParser.header(text) == nil, !text.trimmingWhitespace().isEmpty {
                statelessRows += 1
                return
            }
            inStatelessTable = false
        }
        if let tool = SocketTableParser.header(text) {
            startTable(tool, text, number)
            return
        }
        let trimmed = text.trimmingWhitespace()
        if SocketTableParser.isTranslatedNetstatHeader(trimmed) {
            startTable(.netstatLinux, text, number)
            toolFromFirstRow = true
            return
        }
        if trimmed.hasPrefix("Active ") {
            // `Active UNIX domain sockets`, `Active Bluetooth connections`: not TCP.
            skipping = true
            commitPendingRow()
            return
        }
        if let time = LogTimestamp.dateCommand(trimmed) {
            pendingTime = time
            return
        }
        // Rows pasted without their header line: the row's own shape says which tool wrote it.
        if current == nil, let tool = SocketTableParser.headerlessTool(trimmed) {
            current = SocketSnapshot(source: source, line: number, tool: tool, time: pendingTime)
            pendingTime = nil
            netidColumn = false
        }
        guard current != nil, !trimmed.isEmpty else { return }
        if skipping {
            if trimmed.hasPrefix("unix ") { current!.otherRows += 1 }
            return
        }
        row(text, trimmed, number)
    }

    /// Emits the table being read.
    public func finish() {
        commitPendingRow()
        if var snapshot = current {
            snapshot.finish()
            emit(snapshot)
        }
        current = nil
        skipping = false
        toolFromFirstRow = false
        inStatelessTable = false
    }

    /// A row whose endpoints read and whose state word is none triage knows.
    private func unknownState(_ word: Substring, _ number: Int) {
        unknownStateRows += 1
        if firstUnknownState == nil { firstUnknownState = (String(word.prefix(40)), number) }
    }

    /// `Proto` and at least four more column names, none of them the English ones: netstat
    /// under a locale that translates its header (Czech, a localized Windows). Only seen inside
    /// a socket section: a table under such a header starts at its first row (`headerlessTool`),
    /// and a second one in the same section starts here.
    static func isTranslatedNetstatHeader(_ trimmed: String) -> Bool {
        guard trimmed.hasPrefix("Proto "), !trimmed.contains("RefCnt") else { return false }
        return trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).count >= 5
    }

    // MARK: - Headers

    /// The tool whose table header this line is, or nil.
    static func header(_ line: String) -> SocketSnapshot.Tool? {
        let trimmed = line.trimmingWhitespace()
        if trimmed.hasPrefix("Active Internet connections") { return .netstatLinux }
        if trimmed == "Active Connections" { return .netstatWindows }
        if trimmed.hasPrefix("Proto Recv-Q Send-Q") { return .netstatLinux }
        if trimmed.hasPrefix("Proto"), trimmed.contains("Local Address"), trimmed.contains("Foreign Address"), !trimmed.contains("Recv-Q") {
            return .netstatWindows
        }
        if (trimmed.hasPrefix("State ") || trimmed.hasPrefix("Netid ")), trimmed.contains("Recv-Q"), trimmed.contains("Local Address") {
            return .ss
        }
        if trimmed.hasPrefix("sl "), trimmed.contains("local_address"), trimmed.contains("rem_address") || trimmed.contains("remote_address") {
            return .procNetTCP
        }
        if trimmed.hasPrefix("COMMAND "), trimmed.contains(" PID "), trimmed.hasSuffix("NAME") { return .lsof }
        if trimmed.hasPrefix("LocalAddress"), trimmed.contains("LocalPort"), trimmed.contains("RemoteAddress"), trimmed.contains("State") {
            return .powershell
        }
        if trimmed.hasPrefix("Count"), trimmed.contains(" Name"), trimmed.hasSuffix("Group") { return .powershellGroups }
        return nil
    }

    /// The tool a socket row comes from when it stands without its header: Linux netstat
    /// (`tcp 0 0 10.0.0.5:41234 10.0.0.9:443 TIME_WAIT`), ss (`ESTAB 0 0 10.0.0.5:41234 10.0.0.9:443`)
    /// or Windows netstat (`TCP 10.0.0.5:50123 10.0.0.9:443 TIME_WAIT`); nil for anything else.
    static func headerlessTool(_ trimmed: String) -> SocketSnapshot.Tool? {
        let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 4 else { return nil }
        func endpoints(_ first: Int) -> Bool {
            first + 1 < fields.count && SocketEndpoint.parse(fields[first]) != nil && SocketEndpoint.parse(fields[first + 1]) != nil
                && fields[first].contains(":") && fields[first + 1].contains(":")
        }
        if fields[0].hasPrefix("tcp"), fields.count >= 6, fields[1].allSatisfy(\.isNumber), fields[2].allSatisfy(\.isNumber),
           endpoints(3), TCPState.named(fields[5]) != nil {
            return .netstatLinux
        }
        if fields[0] == "TCP", endpoints(1), TCPState.named(fields[3]) != nil { return .netstatWindows }
        if TCPState.named(fields[0]) != nil, fields.count >= 5, fields[1].allSatisfy(\.isNumber), fields[2].allSatisfy(\.isNumber),
           endpoints(3) {
            return .ss
        }
        return nil
    }

    private func startTable(_ tool: SocketSnapshot.Tool, _ text: String, _ number: Int) {
        commitPendingRow()
        // `Active Internet connections` then `Proto Recv-Q …` (and `Active Connections` then
        // `Proto Local Address …`) are one table's two header lines.
        if let table = current, table.tool == tool, table.isEmpty, !skipping, text.contains("Proto") {
            return
        }
        finish()
        current = SocketSnapshot(source: source, line: number, tool: tool, time: pendingTime)
        pendingTime = nil
        toolFromFirstRow = false
        netidColumn = tool == .ss && text.trimmingWhitespace().hasPrefix("Netid")
    }

    // MARK: - Rows

    private func row(_ text: String, _ trimmed: String, _ number: Int) {
        guard current != nil else { return }
        let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if toolFromFirstRow, let first = fields.first {
            let windows = first == "TCP" || first == "UDP"
            if windows { current!.tool = .netstatWindows }
            if windows || first.hasPrefix("tcp") || first.hasPrefix("udp") { toolFromFirstRow = false }
            // The translated header of `Active UNIX domain sockets` (`Proto RefZäh Flaggen …`):
            // not a TCP table, and the next `Proto Recv-Q …` must start one of its own.
            if first == "unix" {
                toolFromFirstRow = false
                skipping = true
            }
        }
        let tool = current!.tool
        switch tool {
        case .netstatLinux, .netstatBSD: netstatLinuxRow(fields, number)
        case .netstatWindows: netstatWindowsRow(text, trimmed, fields, number)
        case .ss: ssRow(text, fields, number)
        case .procNetTCP: procRow(fields, number)
        case .lsof: lsofRow(fields, number)
        case .powershell: powershellRow(fields, number)
        case .powershellGroups: powershellGroupRow(trimmed, number)
        }
    }

    /// `tcp6  0  0 127.0.0.1:40000  127.0.0.1:8080  TIME_WAIT  [user inode]  [17/java]  [timer]`
    private func netstatLinuxRow(_ fields: [Substring], _ number: Int) {
        guard let proto = fields.first else { return }
        // `tcp4` / `tcp46` and dotted ports: a macOS or BSD netstat under the same header.
        if current!.tool == .netstatLinux, current!.isEmpty, proto == "tcp4" || proto == "tcp46" {
            current!.tool = .netstatBSD
        }
        guard proto.hasPrefix("tcp") else {
            if ["udp", "udp6", "udpl", "raw", "raw6", "unix"].contains(proto) { current!.otherRows += 1 }
            return
        }
        guard fields.count >= 6, let local = SocketEndpoint.parse(fields[3]), let remote = SocketEndpoint.parse(fields[4]) else { return }
        guard let state = TCPState.named(fields[5]) else { return unknownState(fields[5], number) }
        var process: String?
        for field in fields.dropFirst(6) {
            // `17/java`, `3002/sshd:` — a pid, a slash, a program.
            guard let slash = field.firstIndex(of: "/"), slash > field.startIndex,
                  field[..<slash].allSatisfy(\.isNumber) else { continue }
            var program = field[field.index(after: slash)...]
            while program.last == ":" { program = program.dropLast() }
            process = "\(program)/\(field[..<slash])"
            break
        }
        current!.add(local: local, remote: remote, state: state, process: process, line: number)
    }

    /// `TCP  10.0.0.5:50111  host:https  ESTABLISHED  [pid]`, then with `-b` ` [java.exe]`.
    private func netstatWindowsRow(_ text: String, _ trimmed: String, _ fields: [Substring], _ number: Int) {
        if trimmed.hasPrefix("["), trimmed.hasSuffix("]") {
            if let pending = pendingRow {
                pendingRow = nil
                let name = String(trimmed.dropFirst().dropLast())
                current!.add(local: pending.local, remote: pending.remote, state: pending.state,
                             process: pending.process.map { "\(name)/\($0)" } ?? name, line: pending.line)
            }
            return
        }
        guard let proto = fields.first else { return }
        guard proto == "TCP" else {
            if proto == "UDP" { commitPendingRow(); current!.otherRows += 1 }
            // Component lines of `-b` (` RpcSs`) and "Can not obtain ownership information".
            return
        }
        commitPendingRow()
        guard fields.count >= 4, let local = SocketEndpoint.parse(fields[1]), let remote = SocketEndpoint.parse(fields[2]) else { return }
        guard let state = TCPState.named(fields[3]) else { return unknownState(fields[3], number) }
        let pid = fields.count >= 5 && fields[4].allSatisfy(\.isNumber) ? String(fields[4]) : nil
        pendingRow = (local, remote, state, pid.map { "pid \($0)" }, number)
    }

    private func commitPendingRow() {
        guard let pending = pendingRow, current != nil else { return }
        pendingRow = nil
        current!.add(local: pending.local, remote: pending.remote, state: pending.state, process: pending.process, line: pending.line)
    }

    /// `[Netid] State Recv-Q Send-Q Local:Port Peer:Port [users:(("java",pid=17,fd=4)) …]`
    private func ssRow(_ text: String, _ fields: [Substring], _ number: Int) {
        // Continuation lines of `-e -m -i` (skmem, cubic, rtt) are indented.
        guard let first = text.utf8.first, first != 0x20, first != 0x09 else { return }
        var columns = fields[...]
        if netidColumn {
            guard let netid = columns.first else { return }
            guard netid == "tcp" else {
                current!.otherRows += 1
                return
            }
            columns = columns.dropFirst()
        }
        guard columns.count >= 5 else { return }
        let base = columns.startIndex
        guard let local = SocketEndpoint.parse(columns[base + 3]), let remote = SocketEndpoint.parse(columns[base + 4]) else { return }
        guard let state = TCPState.named(columns[base]) else { return unknownState(columns[base], number) }
        current!.add(local: local, remote: remote, state: state, process: SocketTableParser.ssUser(text), line: number)
    }

    /// `users:(("java",pid=17,fd=4))` → `java/17`.
    static func ssUser(_ text: String) -> String? {
        guard let users = text.firstRange(of: "users:((\"") else { return nil }
        let rest = text[users.upperBound...]
        guard let quote = rest.firstIndex(of: "\"") else { return nil }
        let name = rest[..<quote]
        guard let pid = rest.firstRange(of: "pid=") else { return String(name) }
        let digits = rest[pid.upperBound...].prefix(while: \.isNumber)
        return digits.isEmpty ? String(name) : "\(name)/\(digits)"
    }

    /// `10.0.0.5  50123  10.0.0.9  443  TimeWait  [AppliedSetting]  4242`: addresses and ports in
    /// columns of their own (IPv6 ones hold colons).
    private func powershellRow(_ fields: [Substring], _ number: Int) {
        guard fields.count >= 5, !fields[0].hasPrefix("-"), let localPort = InputNumber.decimal(fields[1], in: InputNumber.port),
              let remotePort = InputNumber.decimal(fields[3], in: InputNumber.port), let state = TCPState.named(fields[4]) else { return }
        let local = SocketEndpoint(host: SocketEndpoint.normalised(fields[0]), port: localPort == 0 ? nil : localPort)
        let remote = SocketEndpoint(host: SocketEndpoint.normalised(fields[2]), port: remotePort == 0 ? nil : remotePort)
        let owner = fields.count > 5 && fields[fields.count - 1].allSatisfy(\.isNumber) ? "pid \(fields[fields.count - 1])" : nil
        current!.add(local: local, remote: remote, state: state, process: owner, line: number)
    }

    /// `16318 TimeWait, 10.0.0.9, 443   {MSFT_NetTCPConnection (…), …}`: a count per state and,
    /// when grouped by them too, per remote address and port. The local ports are not there.
    private func powershellGroupRow(_ trimmed: String, _ number: Int) {
        let count = trimmed.prefix { $0.isNumber }
        guard let rows = InputNumber.decimal(count, in: InputNumber.count), rows > 0 else { return }
        var name = trimmed.dropFirst(count.count).drop { $0 == " " }
        if let brace = name.firstIndex(of: "{") { name = name[..<brace] }
        let parts = name.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard let stateText = parts.first, let state = TCPState.named(stateText[...]) else { return }
        let remoteHost = parts.count > 1 ? SocketEndpoint.normalised(parts[1][...]) : "*"
        let remotePort = parts.count > 2 ? InputNumber.decimal(parts[2], in: 1...65_535) : nil
        current!.add(local: SocketEndpoint(host: "*", port: nil), remote: SocketEndpoint(host: remoteHost, port: remotePort),
                     state: state, process: nil, line: number, count: rows)
    }

    /// `0: 0100007F:9C40 0100007F:1F90 06 00000000:00000000 …`
    private func procRow(_ fields: [Substring], _ number: Int) {
        guard fields.count >= 4, fields[0].hasSuffix(":"), let local = SocketEndpoint.procHex(fields[1]),
              let remote = SocketEndpoint.procHex(fields[2]), let code = InputNumber.hex(fields[3], in: 0...0xFF),
              let state = TCPState.procCode(code) else { return }
        current!.add(local: local, remote: remote, state: state, process: nil, line: number)
    }

    /// `java 4242 app 45u IPv6 0x… 0t0 TCP 10.0.0.1:54321->10.0.0.2:8080 (CLOSE_WAIT)`
    private func lsofRow(_ fields: [Substring], _ number: Int) {
        guard fields.count >= 3, let protocolIndex = fields.firstIndex(where: { $0 == "TCP" || $0 == "UDP" }) else { return }
        guard fields[protocolIndex] == "TCP" else {
            current!.otherRows += 1
            return
        }
        guard protocolIndex + 2 < fields.count else { return }
        let name = fields[protocolIndex + 1]
        let stateField = fields[protocolIndex + 2]
        guard stateField.hasPrefix("("), stateField.hasSuffix(")"),
              let state = TCPState.named(stateField.dropFirst().dropLast()) else { return }
        let arrow = name.firstRange(of: "->")
        guard let local = SocketEndpoint.parse(arrow.map { name[..<$0.lowerBound] } ?? name) else { return }
        let remote = arrow.map { SocketEndpoint.parse(name[$0.upperBound...]) } ?? SocketEndpoint(host: "*", port: nil)
        guard let remote else { return }
        current!.add(local: local, remote: remote, state: state, process: "\(fields[0])/\(fields[1])", line: number)
    }
}

extension LogTimestamp {
    /// The default output of `date`: `Tue Nov  5 22:40:42 UTC 2019` (the zone is optional).
    static func dateCommand(_ text: String) -> LogTimestamp? {
        let words = text.split(separator: " ")
        guard words.count == 5 || words.count == 6,
              ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(words[0]),
              let month = monthNumber(words[1]), let day = InputNumber.decimal(words[2], in: 1...31),
              let year = InputNumber.decimal(words[words.count - 1], in: 1971...9999) else { return nil }
        let clock = words[3].split(separator: ":").compactMap { InputNumber.decimal($0, in: 0...60) }
        guard clock.count == 3 else { return nil }
        return LogTimestamp(year: year, month: month, day: day, hour: clock[0], minute: clock[1], second: clock[2], millisecond: 0)
    }

    static func monthNumber(_ name: Substring) -> Int? {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return months.firstIndex(of: String(name)).map { $0 + 1 }
    }
}
