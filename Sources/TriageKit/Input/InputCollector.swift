import Foundation

/// Expands the paths a user typed into the inputs to analyse.
///
/// Directories are walked recursively in name order so reports are deterministic; hidden
/// entries inside a walked directory are left out (an explicitly named hidden file is read);
/// symbolic links to directories are not followed, which rules out cycles.
public enum InputCollector {
    public struct Collection: Sendable {
        public var inputs: [InputLocation] = []
        /// Paths that could not be expanded (missing, unreadable directory).
        public var refused: [(location: InputLocation, reason: String)] = []
        private var seen = Set<InputLocation>()

        /// Adds an input once, however many times it was named.
        mutating func add(_ location: InputLocation) {
            if seen.insert(location).inserted { inputs.append(location) }
        }
    }

    public static func collect(_ arguments: [String]) -> Collection {
        var collection = Collection()
        for argument in arguments {
            if argument == "-" {
                collection.add(.standardInput)
                continue
            }
            var info = stat()
            guard stat(argument, &info) == 0 else {
                let reason = FileDescriptorSource.reason(errno)
                collection.refused.append((.file(path: argument), reason))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: argument, into: &collection)
            } else {
                collection.add(.file(path: argument))
            }
        }
        return collection
    }

    private static func walk(directory: String, into collection: inout Collection) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            collection.refused.append((.file(path: directory), "cannot list the directory: \(errnoReason(directory))"))
            return
        }
        for name in names where !name.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var linkInfo = stat()
            guard lstat(path, &linkInfo) == 0 else { continue }
            let kind = linkInfo.st_mode & S_IFMT
            if kind == S_IFDIR {
                walk(directory: path, into: &collection)
            } else if kind == S_IFREG {
                collection.add(.file(path: path))
            } else if kind == S_IFLNK {
                var target = stat()
                if stat(path, &target) == 0 && (target.st_mode & S_IFMT) == S_IFREG {
                    collection.add(.file(path: path))
                }
            }
        }
    }

    private static func errnoReason(_ path: String) -> String {
        if access(path, R_OK | X_OK) != 0 { return String(cString: strerror(errno)) }
        return "unknown error"
    }
}
