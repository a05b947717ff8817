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
        /// Other collectors' bundles found in the walk, with the files of theirs left out.
        var bundles: [CollectorBundle.Tally] = []
        private var seen = Set<InputLocation>()
        /// Device and inode of each file taken: a link to a file already taken (a sosreport's
        /// `netstat` beside `sos_commands/networking/netstat_-W_-neopa`) is the same evidence.
        private var seenFiles = Set<[UInt64]>()

        /// Adds an input once, however many times it was named or linked.
        mutating func add(_ location: InputLocation, _ info: stat? = nil) {
            if let info, !seenFiles.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted { return }
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
                var bundle: CollectorBundle.InFolder?
                walk(directory: argument, into: &collection, bundle: &bundle, below: [])
            } else {
                collection.add(.file(path: argument), info)
            }
        }
        return collection
    }

    private static func walk(directory: String, into collection: inout Collection, bundle: inout CollectorBundle.InFolder?,
                             below path: [Substring]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            collection.refused.append((.file(path: directory), "cannot list the directory: \(errnoReason(directory))"))
            return
        }
        let nameSet = Set(names)
        var root = Substring(directory)
        while root.count > 1 && root.hasSuffix("/") { root = root.dropLast() }
        let opened = bundle == nil
        if opened { bundle = CollectorBundle.InFolder(directory: directory, names: nameSet, depth: path.count, root: String(root)) }
        defer {
            if opened, let tally = bundle?.tally {
                collection.bundles.append(tally)
                bundle = nil
            }
        }
        // Links after the files beside them: a link to one of them is then dropped, not the file.
        var entries: [(name: String, file: String, info: stat)] = []
        for name in names where !name.hasPrefix(".") {
            let file = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var linkInfo = stat()
            if lstat(file, &linkInfo) == 0 { entries.append((name, file, linkInfo)) }
        }
        let links = entries.filter { $0.info.st_mode & S_IFMT == S_IFLNK }
        for (name, file, linkInfo) in entries.filter({ $0.info.st_mode & S_IFMT != S_IFLNK }) + links {
            let below = path + [Substring(name)]
            let kind = linkInfo.st_mode & S_IFMT
            if kind == S_IFDIR {
                walk(directory: file, into: &collection, bundle: &bundle, below: below)
                continue
            }
            var info = linkInfo
            guard kind == S_IFREG || (kind == S_IFLNK && stat(file, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG) else {
                continue
            }
            if bundle?.leavesOut(below, isLink: kind == S_IFLNK, siblings: nameSet) == true { continue }
            collection.add(.file(path: file), info)
        }
    }

    private static func errnoReason(_ path: String) -> String {
        if access(path, R_OK | X_OK) != 0 { return String(cString: strerror(errno)) }
        return "unknown error"
    }
}
