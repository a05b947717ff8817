/// Severity of a log record, across the spellings of log4j, logback, JUL and WebSphere.
public enum LogLevel: Int, Comparable, Codable, Sendable, CaseIterable {
    case trace, debug, info, warn, error, fatal

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var name: String {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warn: "WARN"
        case .error: "ERROR"
        case .fatal: "FATAL"
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let level = LogLevel.allCases.first(where: { $0.name == text.uppercased() }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown level \(text)"))
        }
        self = level
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    /// Recognises an upper-case level word (`SEVERE`, `WARNING`, `FINE`, `CRITICAL` …).
    static func word(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ length: Int) -> LogLevel? {
        switch length {
        case 4:
            if bytes.matches("INFO", at: start) { return .info }
            if bytes.matches("WARN", at: start) { return .warn }
            if bytes.matches("FINE", at: start) { return .debug }
        case 5:
            if bytes.matches("ERROR", at: start) { return .error }
            if bytes.matches("DEBUG", at: start) { return .debug }
            if bytes.matches("TRACE", at: start) { return .trace }
            if bytes.matches("FATAL", at: start) { return .fatal }
            if bytes.matches("FINER", at: start) { return .trace }
        case 6:
            if bytes.matches("SEVERE", at: start) { return .error }
            if bytes.matches("CONFIG", at: start) { return .info }
            if bytes.matches("NOTICE", at: start) { return .info }
            if bytes.matches("FINEST", at: start) { return .trace }
        case 7:
            if bytes.matches("WARNING", at: start) { return .warn }
        case 8:
            if bytes.matches("CRITICAL", at: start) { return .fatal }
        default:
            break
        }
        return nil
    }
}
