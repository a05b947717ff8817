/// A stream of bytes read in chunks: a file, stdin, an inflating gzip stream, a transcoder.
///
/// Sources are classes because they own OS or zlib resources; `close()` is idempotent.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes and returns how many were written; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    func close()
    /// Whether `lend()` works: the bytes already sit in memory of the source's own.
    var lends: Bool { get }
    /// The next bytes where they sit, instead of a copy (`read`); empty at the end. Valid until
    /// the next call on the source. Only when `lends`.
    func lend() throws -> UnsafeRawBufferPointer
    /// What the reader should know about how the bytes were read (plain text after the gzip
    /// data, a file that grew while read), this source's and those it wraps; once read to the end.
    var notes: [String] { get }
}

extension ByteSource {
    public var lends: Bool { false }
    public var notes: [String] { [] }
    public func lend() throws -> UnsafeRawBufferPointer {
        preconditionFailure("\(type(of: self)) does not lend its bytes; read them")
    }
}

/// Why reading an input failed; `InputReader` turns it into a `TriageError` with the path.
public struct ByteSourceError: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
