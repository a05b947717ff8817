import Foundation

/// A file read as it grows: at its end, waits for more; a rotation (another file at the path)
/// or a truncation ends this source with `rotated` set, so the follower starts a new segment.
final class FollowingSource: ByteSource {
    private let path: String
    private let stop: @Sendable () -> Bool
    private var descriptor: Int32 = -1
    private var inode: ino_t = 0
    private var offset = 0
    private(set) var rotated = false
    private(set) var opened = false
    /// Called whenever reading pauses at the end of the file, and at least every few reads.
    var onPause: (() -> Void)?
    private var readsSincePause = 0

    init(path: String, stop: @escaping @Sendable () -> Bool) {
        self.path = path
        self.stop = stop
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if descriptor < 0 {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
                if descriptor < 0 {
                    // Not there yet (or between a rotation's rename and create): wait for it.
                    if opened || errno != ENOENT { throw ByteSourceError(FileDescriptorSource.reason(errno)) }
                    if stop() { return 0 }
                    usleep(200_000)
                    continue
                }
                var info = stat()
                fstat(descriptor, &info)
                guard info.st_mode & S_IFMT == S_IFREG else {
                    throw ByteSourceError("only regular files can be followed (a FIFO or device has no end to wait at)")
                }
                inode = info.st_ino
                opened = true
            }
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count > 0 {
                offset += count
                readsSincePause += 1
                // A steady storm never pauses: look at the findings every 64 reads (16 MB) too.
                if readsSincePause >= 64 {
                    readsSincePause = 0
                    onPause?()
                }
                return count
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ByteSourceError(String(cString: strerror(errno)))
            }
            readsSincePause = 0
            onPause?()
            if stop() { return 0 }
            var atPath = stat(), current = stat()
            let renamed = stat(path, &atPath) == 0 && atPath.st_ino != inode
            let truncated = fstat(descriptor, &current) == 0 && Int(current.st_size) < offset
            if renamed || truncated {
                rotated = true
                return 0
            }
            usleep(250_000)
        }
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
