import Foundation

/// The host's socket tools, and a throw-away network namespace (only `lo` up, its own
/// ip_local_port_range) where a test can exhaust ephemeral ports without touching the host.
enum SocketTools {
    static func find(_ name: String) -> URL? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appending(path: name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static let ss = find("ss")

    /// `ss ARGUMENTS` (inside `namespace` when given), saved to `file`.
    static func capture(_ arguments: [String], namespace: String? = nil, to file: URL) throws {
        let result = try namespace.map { try NetworkNamespace.run($0, [ss!.path] + arguments) }
            ?? ProcessRunner.run(ss!, arguments)
        guard result.status == 0 else { throw JVMError("ss \(arguments.joined(separator: " ")) failed: \(result.standardError)") }
        try result.standardOutput.write(to: file, atomically: true, encoding: .utf8)
    }
}

/// `ip netns`: created by a test, deleted when it is done (the TIME_WAIT sockets go with it).
struct NetworkNamespace {
    static let ip = SocketTools.find("ip") ?? URL(fileURLWithPath: "/usr/sbin/ip")

    /// Whether this machine lets the tests create namespaces (root, or CAP_SYS_ADMIN and CAP_NET_ADMIN).
    static let available: Bool = {
        guard SocketTools.ss != nil, SocketTools.find("ip") != nil, SocketTools.find("sysctl") != nil else { return false }
        let probe = "triage-probe-\(getpid())"
        guard let created = try? ProcessRunner.run(ip, ["netns", "add", probe]), created.status == 0 else { return false }
        _ = try? ProcessRunner.run(ip, ["netns", "del", probe])
        return true
    }()

    let name: String

    /// A fresh namespace with `lo` up and the given sysctl settings (`net.ipv4.tcp_tw_reuse=0`), if any.
    init(_ settings: [String]) throws {
        name = "triage-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let created = try ProcessRunner.run(Self.ip, ["netns", "add", name])
        guard created.status == 0 else { throw JVMError("ip netns add failed: \(created.standardError)") }
        let sysctl = settings.isEmpty ? [] : [["sysctl", "-q", "-w"] + settings]
        for command in [["ip", "link", "set", "lo", "up"]] + sysctl {
            let result = try Self.run(name, [SocketTools.find(command[0])!.path] + command.dropFirst())
            guard result.status == 0 else {
                delete()
                throw JVMError("\(command.joined(separator: " ")) failed in the namespace: \(result.standardError)")
            }
        }
    }

    static func run(_ namespace: String, _ command: [String]) throws -> ProcessResult {
        try ProcessRunner.run(ip, ["netns", "exec", namespace] + command)
    }

    func run(_ command: [String]) throws -> ProcessResult { try Self.run(name, command) }

    func delete() {
        _ = try? ProcessRunner.run(Self.ip, ["netns", "del", name])
    }
}
