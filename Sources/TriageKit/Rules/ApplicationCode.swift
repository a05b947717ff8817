import Foundation

/// A list of packages that are not the application's own (`rules/libraries.json5`).
public struct LibraryList: Codable, Sendable {
    public struct Library: Codable, Sendable {
        public var name: String
        public var packages: [String]
    }

    public struct Examples: Codable, Sendable {
        /// Frames that must count as the application's code.
        public var application: [String]
        /// Frames that must not.
        public var library: [String]
    }

    public var libraries: [Library]
    /// Parts of class names that generators and proxies add (`$$EnhancerBySpringCGLIB$$`).
    public var generated: [String]?
    public var examples: Examples?
    /// File the list was loaded from; not in the JSON5.
    public var origin: String?
}

/// Tells the application's own frames from the JDK's, libraries' and generated proxies', by
/// class-name prefix, so a report can say which line of *your* code to open.
///
/// Compared as bytes: it runs for each distinct frame of every dump and every new exception group.
public struct ApplicationCode: Sendable {
    public let lists: [LibraryList]
    /// `--app-package`: when given, only these packages are the application.
    public let applicationPackages: [String]
    /// Library prefixes bucketed by their first byte.
    private let prefixes: [[[UInt8]]]
    private let markers: [[UInt8]]
    private let applicationPrefixes: [[UInt8]]

    public init(lists: [LibraryList], applicationPackages: [String] = []) {
        self.lists = lists
        self.applicationPackages = applicationPackages
        var buckets = Array(repeating: [[UInt8]](), count: 256)
        for list in lists {
            for library in list.libraries {
                for package in library.packages where !package.isEmpty {
                    buckets[Int(package.utf8.first!)].append(Array(package.utf8))
                }
            }
        }
        prefixes = buckets
        markers = lists.flatMap { $0.generated ?? [] }.filter { !$0.isEmpty }.map { Array($0.utf8) }
        // `com.acme` names the package: `com.acme.` and the class `com.acme` itself, not `com.acmex.`.
        applicationPrefixes = applicationPackages.map { package in
            Array((package.hasSuffix(".") ? package : package + ".").utf8)
        }
    }

    /// The built-in list, from `rules/libraries.json5` compiled into the binary.
    public static let builtin = ApplicationCode(lists: RuleSet.builtinLibraryLists)

    /// The same lists with the application named.
    public func naming(applicationPackages packages: [String]) -> ApplicationCode {
        ApplicationCode(lists: lists, applicationPackages: packages)
    }

    /// Whether a frame (`com.acme.X.run(X.java:8)`, `at …`, `java.base/…`) is the application's.
    public func isApplication(_ frame: String) -> Bool {
        var frame = frame
        return frame.withUTF8 { isApplication(UnsafeRawBufferPointer($0)) }
    }

    public func isApplication(_ frame: StackFrame) -> Bool {
        isApplication(frame.qualifiedMethod)
    }

    /// The first of `frames` that is the application's.
    public func firstApplicationFrame(_ frames: [StackFrame]) -> StackFrame? {
        frames.first { isApplication($0) }
    }

    public func isApplication(_ frame: UnsafeRawBufferPointer) -> Bool {
        var start = frame.skippingBlanks(from: 0)
        if frame.matches("at ", at: start) { start = frame.skippingBlanks(from: start + 3) }
        let end = frame.firstIndex(of: 0x28, from: start) ?? frame.count   // `(`
        guard start < end else { return false }
        start = ApplicationCode.skippingModule(frame, start, end)
        guard start < end else { return false }
        let name = UnsafeRawBufferPointer(rebasing: frame[start..<end])
        for marker in markers where ApplicationCode.contains(name, marker) { return false }
        if !applicationPrefixes.isEmpty {
            return applicationPrefixes.contains { name.hasPrefix($0) || name.elementsEqual($0.dropLast()) }
        }
        for prefix in prefixes[Int(name[0])] where name.hasPrefix(prefix) { return false }
        return true
    }

    private static func contains(_ text: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= text.count else { return false }
        let first = needle[0]
        var index = 0
        while index + needle.count <= text.count {
            if text[index] == first, memcmp(text.baseAddress! + index, needle, needle.count) == 0 { return true }
            index += 1
        }
        return false
    }

    /// `com.acme`, `com.acme.orders.` or a class name: Java identifiers joined by dots.
    public static func isPackageName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let body = parts.last == "" ? parts.dropLast() : parts[...]
        return !body.isEmpty && body.allSatisfy { part in
            guard let first = part.first, first.isLetter || first == "_" || first == "$" else { return false }
            return part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        }
    }

    /// Past a module or class-loader prefix (`java.base/`, `java.base@17.0.2/`, `app//`); a
    /// hidden class's `/0x…` suffix (`Foo$$Lambda$14/0x…`) is not one: its part has a `$`.
    private static func skippingModule(_ frame: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        guard let slash = frame.firstIndex(of: 0x2F, from: start, limit: end) else { return start }
        for index in start..<slash where frame[index] == 0x24 { return start }
        var after = slash + 1
        while after < end, frame[after] == 0x2F { after += 1 }
        return after
    }

    /// Checks a library list as loaded: names and packages present, every example classified
    /// as it says.
    static func problems(_ list: LibraryList, origin: String, at: (String, String) -> TriageError) -> [TriageError] {
        var problems: [TriageError] = []
        if list.libraries.isEmpty { problems.append(at("libraries", "libraries is empty; list at least one library and its packages")) }
        for (index, library) in list.libraries.enumerated() {
            if library.name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(at("libraries[\(index)].name", "libraries[\(index)].name is empty; say which library the packages are"))
            }
            if library.packages.isEmpty {
                problems.append(at("libraries[\(index)].packages", "libraries[\(index)].packages is empty"))
            }
            for package in library.packages where package.isEmpty || package.contains(" ") || package.contains("(") {
                problems.append(at("libraries[\(index)].packages",
                                   "'\(package)' is not a package prefix; write it like 'org.apache.' (a class name's start)"))
            }
        }
        for marker in list.generated ?? [] where marker.isEmpty {
            problems.append(at("generated", "generated holds an empty text, which would match every class"))
        }
        // Examples are checked against this list together with the built-in one, as a run would use them.
        let code = ApplicationCode(lists: [list] + (origin.hasPrefix("rules/") ? [] : RuleSet.builtinLibraryLists))
        for (index, frame) in (list.examples?.application ?? []).enumerated() where !code.isApplication(frame) {
            problems.append(at("examples.application[\(index)]", "'\(frame)' should be the application's code, but the list calls it a library's"))
        }
        for (index, frame) in (list.examples?.library ?? []).enumerated() where code.isApplication(frame) {
            problems.append(at("examples.library[\(index)]", "'\(frame)' should be a library's, but no package or generated mark of the list covers it"))
        }
        return problems
    }
}
