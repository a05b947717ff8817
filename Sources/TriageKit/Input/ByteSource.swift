/// A stream of bytes read in chunks: a file, stdin, an inflating gzip stream, a transcoder.
///
/// Sources are classes because they own OS or zlib resources; `close()` is idempotent.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes and returns how many were written; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    func close()
}

/// Why reading an input failed; `InputReader` turns it into a `TriageError` with the path.
public struct ByteSourceError: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
