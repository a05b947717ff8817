#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor with POSIX `read()`, retrying on `EINTR`.
///
/// A regular file is read as it was when it was opened: up to the size it had then (a log
/// growing faster than it is read would otherwise be read forever), and a file that shrinks
/// while it is read (truncated, rotated by copytruncate) is an error, not a quiet early end.
public final class FileDescriptorSource: ByteSource {
    private var descriptor: Int32
    private let ownsDescriptor: Bool
    /// A regular file's size when it was opened; nil for pipes, terminals, standard input.
    private let sizeAtOpen: Int?
    private var bytesRead = 0
    private var ended = false
    private var grew: Int?
    /// A FIFO: an end before any byte means nobody wrote to it.
    private let isFIFO: Bool
    private var fifoWaits = 0

    public init(descriptor: Int32, ownsDescriptor: Bool) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        sizeAtOpen = nil
        isFIFO = false
    }

    /// Opens `path` read-only; inputs are never modified. Devices are refused (they may never end);
    /// a FIFO is opened without waiting for a writer.
    public init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ByteSourceError(FileDescriptorSource.reason(errno)) }
        let kind = info.st_mode & S_IFMT
        switch kind {
        case S_IFCHR, S_IFBLK:
            throw ByteSourceError("a device, not a file: it may never end (/dev/zero, /dev/urandom); give a file, a directory, "
                                  + "or pipe what it should read into 'triage logs -'")
        case S_IFSOCK:
            throw ByteSourceError("a socket, not a file; give a file, a directory, or pipe into 'triage logs -'")
        case S_IFDIR:
            throw ByteSourceError("a directory where a file was expected")
        default:
            break
        }
        isFIFO = kind == S_IFIFO
        let fd = open(path, O_RDONLY | O_CLOEXEC | (isFIFO ? O_NONBLOCK : 0))
        if fd < 0 { throw ByteSourceError(FileDescriptorSource.reason(errno)) }
        if isFIFO {
            // Open without waiting for a writer, then read as usual (blocking until data or its end).
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        }
        var opened = stat()
        // /proc and /sys files say 0 bytes and hold text (/proc/net/tcp): a size of 0 is not a limit.
        sizeAtOpen = fstat(fd, &opened) == 0 && opened.st_mode & S_IFMT == S_IFREG && opened.st_size > 0 ? Int(opened.st_size) : nil
        descriptor = fd
        ownsDescriptor = true
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard descriptor >= 0, !ended, let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var wanted = buffer.count
        if let size = sizeAtOpen {
            wanted = min(wanted, size - bytesRead)
            if wanted <= 0 { return end() }
        }
        while true {
            let count = Glibc.read(descriptor, base, wanted)
            if count > 0 {
                bytesRead += count
                return count
            }
            if count == 0 {
                if let size = sizeAtOpen, bytesRead < size {
                    ended = true
                    var now = stat()
                    let current = fstat(descriptor, &now) == 0 ? Int(now.st_size) : bytesRead
                    throw ByteSourceError("the file shrank from \(NumberFormatting.bytes(size)) to "
                        + "\(NumberFormatting.bytes(current)) while it was read (truncated, or rotated with copytruncate)")
                }
                if isFIFO && bytesRead == 0 {
                    // No writer yet: one started just after triage may still come.
                    if fifoWaits < 20 {
                        fifoWaits += 1
                        usleep(100_000)
                        continue
                    }
                    ended = true
                    throw ByteSourceError("a FIFO nobody wrote to within 2 s; start its writer first, or pipe into 'triage logs -'")
                }
                return end()
            }
            if errno == EINTR { continue }
            throw ByteSourceError(String(cString: strerror(errno)))
        }
    }

    /// At the end: whether a regular file grew past the size it had when opened.
    private func end() -> Int {
        ended = true
        var now = stat()
        if let size = sizeAtOpen, descriptor >= 0, fstat(descriptor, &now) == 0, Int(now.st_size) > size {
            grew = Int(now.st_size) - size
        }
        return 0
    }

    public var notes: [String] {
        guard let grew, let size = sizeAtOpen else { return [] }
        return ["it grew by \(NumberFormatting.bytes(grew)) while it was read; the \(NumberFormatting.bytes(size)) "
                + "it held when triage opened it were read"]
    }

    /// `strerror`, with what to do about the common cases.
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        switch code {
        case ENOENT, ENOTDIR: return text + "; check the path"
        case EACCES, EPERM: return text + "; check its permissions (run as a user who may read it)"
        default: return text
        }
    }

    public func close() {
        if ownsDescriptor && descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}
