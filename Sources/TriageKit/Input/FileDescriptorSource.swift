#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor with POSIX `read()`, retrying on `EINTR`.
public final class FileDescriptorSource: ByteSource {
    private var descriptor: Int32
    private let ownsDescriptor: Bool

    public init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens `path` read-only; inputs are never modified.
    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ByteSourceError(String(cString: strerror(errno))) }
        self.init(descriptor: fd, ownsDescriptor: true)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard descriptor >= 0, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ByteSourceError(String(cString: strerror(errno)))
        }
    }

    public func close() {
        if ownsDescriptor && descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}
