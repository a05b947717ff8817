/// A Java thread's state, across HotSpot's names and IBM's one-letter codes.
public enum ThreadState: String, Codable, Sendable, DeclarationOrdered {
    case runnable = "RUNNABLE"
    case blocked = "BLOCKED"
    case waiting = "WAITING"
    case timedWaiting = "TIMED_WAITING"
    case new = "NEW"
    case terminated = "TERMINATED"
    case unknown = "UNKNOWN"

    /// `RUNNABLE`, `TIMED_WAITING (parking)`…: the word before any detail.
    static func named(_ text: Substring) -> ThreadState? {
        let word = text.prefix { $0 != " " && $0 != "(" }
        return ThreadState(rawValue: String(word))
    }

    /// The same from the bytes of a `java.lang.Thread.State:` line's value.
    static func named(_ bytes: UnsafeRawBufferPointer) -> ThreadState? {
        var end = 0
        while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x28 { end += 1 }
        return ThreadState(rawValue: bytes.string(0..<end))
    }

    /// HotSpot header wording, for dumps without a `java.lang.Thread.State:` line (JDK 5).
    static func fromHeaderText(_ text: UnsafeRawBufferPointer) -> ThreadState? {
        if text.range(of: "waiting for monitor entry") != nil { return .blocked }
        if text.range(of: "in Object.wait()") != nil || text.range(of: "waiting on condition") != nil { return .waiting }
        if text.range(of: "sleeping") != nil { return .timedWaiting }
        if text.range(of: "runnable") != nil { return .runnable }
        return nil
    }

    /// IBM javacore `state:` letters.
    static func javacore(_ code: Substring) -> ThreadState {
        switch code {
        case "R": .runnable
        case "B", "MW": .blocked
        case "CW", "P", "W": .waiting
        case "Z": .terminated
        default: .unknown
        }
    }
}

/// A lock as a dump names it: `<0x000000070fe20f58>` or `java.lang.Object@6d06d69c`.
public struct LockReference: Hashable, Codable, Sendable {
    /// Normalised identity: the hex address without leading zeros, or `Class@hash`.
    public var key: String
    /// `java.lang.Object`, `java.util.concurrent.locks.ReentrantLock$NonfairSync`…
    public var className: String?

    public init(key: String, className: String?) {
        self.key = key
        self.className = className
    }

    /// `<0x000000070fe20f58> (a java.lang.Object)`, as HotSpot prints it on every lock line, from
    /// bytes; anything else (`owned by …` after it is ignored) goes to the text parser below.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> LockReference? {
        var position = bytes.skippingBlanks(from: 0)
        guard bytes.matches("<0x", at: position) else {
            let text = bytes.string(position..<bytes.count)
            let body = text[...].firstRange(ofASCII: " owned by ").map { text[..<$0.lowerBound] } ?? text[...]
            return parse(body)
        }
        position += 3
        while position < bytes.count, bytes[position] == 0x30 { position += 1 }   // leading zeros
        let digitsStart = position
        while position < bytes.count, bytes[position].isASCIIHexDigit { position += 1 }
        guard position < bytes.count, bytes[position] == 0x3E else { return nil }   // >
        var key = digitsStart == position ? "0" : bytes.string(digitsStart..<position)
        if key.utf8.contains(where: \.isASCIIUppercase) { key = key.lowercased() }
        var className: String?
        if bytes.matches(" (a ", at: position + 1) {
            let nameStart = position + 5
            if let close = bytes.firstIndex(of: 0x29, from: nameStart) { className = bytes.string(nameStart..<close) }
        }
        return LockReference(key: key, className: className)
    }

    /// `<0x000000070fe20f58> (a java.lang.Object)` / `0x00000000E5D82380` / `java.lang.Object@6d06d69c`.
    static func parse(_ text: Substring) -> LockReference? {
        var rest = text.drop { $0 == " " }
        var className: String?
        if let open = rest.firstRange(ofASCII: "(a "), let close = rest[open.upperBound...].firstIndex(of: ")") {
            className = String(rest[open.upperBound..<close])
            rest = rest[..<open.lowerBound]
        }
        rest = Substring(rest.trimmingWhitespace())
        if rest.hasPrefix("<") { rest = rest.dropFirst().prefix { $0 != ">" } }
        if rest.hasPrefix("0x") || rest.hasPrefix("0X") {
            let digits = rest.dropFirst(2).prefix { $0.isHexDigit }
            let trimmed = digits.drop { $0 == "0" }
            return LockReference(key: String(trimmed.isEmpty ? "0" : trimmed).lowercased(), className: className)
        }
        // `java.lang.Object@6d06d69c` (JMX/VisualVM) or javacore `com/ibm/Chopstick@0x00000000E5D82380`.
        if let at = rest.lastIndex(of: "@") {
            let name = String(rest[..<at]).replacingAll("/", with: ".")
            var hash = rest[rest.index(after: at)...].prefix { !$0.isWhitespace && $0 != "," && $0 != ")" }
            if hash.hasPrefix("0x") || hash.hasPrefix("0X") {
                hash = hash.dropFirst(2).drop { $0 == "0" }
                return LockReference(key: String(hash).lowercased(), className: className ?? name)
            }
            return LockReference(key: "\(name)@\(hash)", className: className ?? name)
        }
        let word = rest.prefix { !$0.isWhitespace }
        guard !word.isEmpty else { return nil }
        return LockReference(key: String(word).lowercased(), className: className)
    }

    /// `ReentrantLock$NonfairSync` for a lock class; nil when unknown.
    public var shortClassName: String? {
        className.map { name in name.split(separator: ".").last.map(String.init) ?? name }
    }

    /// An AQS condition object: a parked thread waiting for a signal, not for a lock.
    var isCondition: Bool {
        className?.hasSuffix("ConditionObject") ?? false
    }
}

/// How a thread waits, when it does.
public enum WaitKind: String, Codable, Sendable {
    /// `- waiting to lock` / `Blocked on:`: entering a monitor someone holds.
    case monitorEntry = "monitor"
    /// `- parking to wait for` a lock (a `ReentrantLock` and friends).
    case parkedOnLock = "parked-on-lock"
    /// Parked on a condition or another synchroniser: waiting for a signal.
    case parked = "parked"
    /// `Object.wait()` on a monitor (`- waiting on`).
    case objectWait = "object-wait"
}
