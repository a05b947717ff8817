/// One input as the user named it (or as a directory walk found it).
public enum InputLocation: Hashable, Sendable, Comparable {
    case file(path: String)
    case standardInput

    /// The name reports use in `file:line` locations.
    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "<stdin>"
        }
    }
}

/// The text encoding an input was read in; everything is transcoded to UTF-8 before lines.
public enum InputEncoding: String, Codable, Sendable {
    case utf8 = "utf-8"
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"
}

/// How an input was stored, as sniffed from its bytes.
public struct InputFormat: Codable, Sendable, Equatable {
    public var gzip: Bool
    public var encoding: InputEncoding
    /// The `--encoding` the bytes were transcoded from, when one was given.
    public var legacyEncoding: String?
    /// NUL bytes skipped at the start (a copytruncate rotation's hole).
    public var leadingNULBytes: Int?
    /// An archive whose members are read as inputs of their own.
    public var archive: ArchiveKind?
    /// The kind of archive this input is a member of.
    public var member: ArchiveKind?

    public init(gzip: Bool = false, encoding: InputEncoding = .utf8) {
        self.gzip = gzip
        self.encoding = encoding
    }
}
