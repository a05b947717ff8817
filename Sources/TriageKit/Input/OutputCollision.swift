#if canImport(Glibc)
import Glibc
#endif

/// `-o` must never name an input: `triage logs app.log -o app.log` once replaced the log with
/// its report. Files are compared by device and inode (so any path or link to them counts), and
/// a report inside an input directory is refused too (the next run would read it back).
public enum OutputCollision {
    /// Why writing the report to `output` would touch the inputs, or nil when it would not.
    public static func reason(output: String, inputs: [String]) -> String? {
        let inputIdentities = Set(inputs.compactMap(identity))
        if let target = identity(output), inputIdentities.contains(target) {
            return "-o \(output) is one of the inputs; the report would replace it. Write the report elsewhere"
        }
        // The folders that hold the output, from its own up to the root, symbolic links resolved.
        let inputFolders = Dictionary(inputs.filter(isDirectory).compactMap { path in identity(path).map { ($0, path) } },
                                      uniquingKeysWith: { first, _ in first })
        if !inputFolders.isEmpty, var folder = canonical(parent(of: output)) {
            while true {
                if let current = identity(folder), let input = inputFolders[current] {
                    return "-o \(output) is inside the input directory \(input); the next run would read the report back "
                        + "as evidence. Write the report outside it"
                }
                if folder == "/" { break }
                folder = parent(of: folder)
            }
        }
        // Files collected from the input folders, by inode (a hard link elsewhere).
        if let target = identity(output) {
            for location in InputCollector.collect(inputs.filter(isDirectory)).inputs {
                if case .file(let path) = location, identity(path) == target {
                    return "-o \(output) is the input \(path) (the same file); the report would replace it. Write it elsewhere"
                }
            }
        }
        return nil
    }

    struct Identity: Hashable {
        var device: UInt
        var inode: UInt
    }

    static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt(info.st_dev), inode: UInt(info.st_ino))
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The folder a path is in: `.` for a bare name, `/` at the top.
    private static func parent(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The absolute path with links, `.` and `..` resolved; nil when the folder does not exist.
    private static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
