/// One frame of a Java stack trace.
public struct StackFrame: Hashable, Sendable, Codable {
    /// `org.apache.axis.transport.http.HTTPSender`
    public var className: String
    /// `invoke`, `<init>`, `lambda$run$0`
    public var method: String
    /// `HTTPSender.java:154`, `Native Method`, `Unknown Source`; nil when absent.
    public var location: String?
    /// The input line the frame was read from (0 when not from an input).
    public var line: Int

    public init(className: String, method: String, location: String? = nil, line: Int = 0) {
        self.className = className
        self.method = method
        self.location = location
        self.line = line
    }

    /// `class.method`, the form rules name frames by.
    public var qualifiedMethod: String { className + "." + method }

    public var description: String {
        "at \(className).\(method)(\(location ?? ""))"
    }
}

/// An exception of a chain: the thrown one, its causes, its suppressed ones.
public struct ThrownException: Sendable, Codable, Equatable {
    public enum Relation: String, Sendable, Codable {
        case thrown
        case causedBy = "caused-by"
        case suppressed
        /// Named in a log message without a stack trace (`… due to java.io.IOException: x`).
        case mentioned
    }

    public var relation: Relation
    public var className: String
    public var message: String
    public var frames: [StackFrame]
    public var omittedFrames: Int
    /// The line of the input where this exception's header is.
    public var line: Int

    public init(relation: Relation, className: String, message: String, frames: [StackFrame] = [], omittedFrames: Int = 0, line: Int) {
        self.relation = relation
        self.className = className
        self.message = message
        self.frames = frames
        self.omittedFrames = omittedFrames
        self.line = line
    }

    /// The simple class name: `SocketException` for `java.net.SocketException`.
    public var simpleName: Substring {
        // On the UTF-8 bytes: a Character search costs grapheme breaking on every step, and the
        // generic `lastIndex(of:)` of the UTF-8 view was most of matching an exception's class.
        let utf8 = className.utf8
        let afterDot = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var index = bytes.count
            while index > 0 {
                if bytes[index - 1] == 0x2E { return index }
                index -= 1
            }
            return nil
        }
        switch afterDot {
        case .some(.some(let offset)): return className[utf8.index(utf8.startIndex, offsetBy: offset)...]
        case .some(.none): return className[...]
        case .none:
            guard let dot = utf8.lastIndex(of: 0x2E) else { return className[...] }
            return className[utf8.index(after: dot)...]
        }
    }

    /// `java.net.SocketException: No buffer space available`, on one line.
    public var headline: String {
        let firstLine = message.utf8.firstIndex(of: 0x0A).map { message[..<$0] } ?? message[...]
        return firstLine.isEmpty ? className : className + ": " + firstLine
    }
}

/// A thrown exception with its causes, as parsed from one stack trace.
public struct ExceptionChain: Sendable {
    public var exceptions: [ThrownException]
    public var fingerprint: ExceptionFingerprint

    /// The deepest `Caused by`: usually where the real failure is.
    public var rootCause: ThrownException? {
        exceptions.last(where: { $0.relation != .suppressed && $0.relation != .mentioned })
    }
}
