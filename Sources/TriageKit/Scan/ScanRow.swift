/// One file of a scan, analysed alone: what `--format jsonl` writes a line for and what
/// `triage merge` reads back. Everything the scan's summary says is computed from these rows,
/// so merged shards give exactly the report one scan gives.
public struct ScanFileRow: Codable, Sendable, Equatable {
    /// `"$triage": "scan-file"`, the first key: how merge tells rows, and inputs tell a saved scan.
    public var kind = "scan-file"
    /// The scan root as given, and the file's path under it (`host1/app.log.1.gz`).
    public var root: String
    public var file: String
    /// The first path component under the root (`host1`), or `.` for a file at the root.
    public var host: String
    public var status: InputSummary.Status
    public var reason: String?
    public var bytes: Int = 0
    public var lines: Int = 0
    public var records: Int = 0
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    /// The file's root causes, ranked as `triage logs` ranks them for this file alone.
    public var findings: [ScanFinding] = []
    /// Its most frequent exception groups (at most `ScanFileRow.groupsKept`).
    public var exceptions: [ScanExceptionGroup] = []

    static let groupsKept = 20

    enum CodingKeys: String, CodingKey {
        case kind = "$triage"
        case root, file, host, status, reason, bytes, lines, records, firstSeen, lastSeen, findings, exceptions
    }

    /// `root/file`, as the user would type it.
    public var path: String {
        if file.isEmpty || file.hasPrefix("!") { return root + file }   // the root itself, or a member of it
        return root.hasSuffix("/") ? root + file : root + "/" + file
    }

    public init(root: String, file: String, status: InputSummary.Status, reason: String? = nil) {
        self.root = root
        self.file = file
        // The first folder under the root; inside an archive, the first folder in it (`bundle.tgz!host1/app.log`).
        let inside = file.split(separator: "!", maxSplits: 1).last.map(String.init) ?? file
        let parts = (file.contains("!") && inside.contains("/") ? inside : file).split(separator: "/")
        host = parts.count > 1 ? String(parts[0]) : "."
        self.status = status
        self.reason = reason
    }
}

public struct ScanFinding: Codable, Sendable, Equatable {
    public var rule: String
    public var title: String
    public var severity: Severity
    public var confidence: Double
    public var occurrences: Int
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    /// The endpoint its evidence names most, where one does.
    public var destination: String?
    /// Its strongest evidence, `file:line`.
    public var line: Int?
}

public struct ScanExceptionGroup: Codable, Sendable, Equatable {
    public var fingerprint: String
    public var exception: String
    public var rootCause: String
    public var count: Int
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    public var line: Int?
}

extension ScanFileRow {
    /// The row of a file analysed alone (its report ranks its findings).
    init(root: String, file: String, report: Report) {
        let summary = report.inputs.first
        self.init(root: root, file: file, status: summary?.status ?? .unreadable, reason: summary?.reason)
        bytes = summary?.bytes ?? 0
        lines = summary?.lines ?? 0
        records = summary?.records ?? 0
        firstSeen = summary?.firstSeen
        lastSeen = summary?.lastSeen
        findings = report.findings.map { finding in
            ScanFinding(rule: finding.rule, title: finding.title, severity: finding.severity, confidence: finding.confidence,
                        occurrences: finding.facts.occurrences, firstSeen: finding.facts.firstSeen, lastSeen: finding.facts.lastSeen,
                        destination: finding.facts.destinations.first?.key, line: finding.evidence.first?.line)
        }
        exceptions = report.exceptions.prefix(ScanFileRow.groupsKept).map { group in
            ScanExceptionGroup(fingerprint: group.fingerprint, exception: group.exception, rootCause: group.rootCause, count: group.count,
                               firstSeen: group.firstSeen, lastSeen: group.lastSeen, line: group.samples.first?.line)
        }
    }

    /// Scan order: the roots in the order given, then each path component by name, as the
    /// walk visits them (a `-` sorts before `/` in a string, not in a walk).
    static func ordered(_ rows: [ScanFileRow], roots: [String]) -> [ScanFileRow] {
        let rank = Dictionary(roots.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.sorted { lhs, rhs in
            let left = rank[lhs.root] ?? Int.max, right = rank[rhs.root] ?? Int.max
            if left != right { return left < right }
            if lhs.root != rhs.root { return lhs.root < rhs.root }
            return lhs.file.split(separator: "/").lexicographicallyPrecedes(rhs.file.split(separator: "/"))
        }
    }
}
