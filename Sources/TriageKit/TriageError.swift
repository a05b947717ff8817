/// Everything that can go wrong outside argument parsing, with the file and line in it.
/// All wording lives in `description`; each message says what to do next.
public enum TriageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input could not be opened or read from its first byte.
    case unreadableInput(path: String, reason: String)
    /// Reading stopped part-way; what came before `line` was analysed.
    case inputFailed(path: String, line: Int, reason: String)
    case invalidRule(file: String, line: Int?, column: Int? = nil, reason: String)
    case duplicateRule(id: String, files: [String])
    case unknownRule(id: String)
    case rulesDirectoryUnreadable(path: String, reason: String)
    case outputNotWritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableInput(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .inputFailed(let path, let line, let reason):
            return "\(path):\(line): reading stopped: \(reason); the \(line - 1) lines before it were analysed"
        case .invalidRule(let file, let line, let column, let reason):
            let location = line.map { "\(file):\($0)" + (column.map { ":\($0)" } ?? "") } ?? file
            return "\(location): \(reason)"
        case .duplicateRule(let id, let files):
            return "rule id '\(id)' is defined more than once (\(files.joined(separator: ", "))); rename one: ids are unique"
        case .unknownRule(let id):
            return "no rule has the id '\(id)'; 'triage rules list' shows them all"
        case .rulesDirectoryUnreadable(let path, let reason):
            return "\(path): cannot read rules: \(reason); --rules takes a directory of .json5 files"
        case .outputNotWritable(let path, let reason):
            return "\(path): cannot write the report: \(reason); choose another -o path"
        }
    }
}
