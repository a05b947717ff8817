import Foundation

/// A value shared between threads, behind a pthread mutex. Synchronization's `Mutex` locks with
/// futex calls ThreadSanitizer cannot see, so under `.ci/sanitizers thread` every access it
/// guarded was reported as a race (a six-line program with a correct count shows it too). The
/// locks here are taken per input or per block, never per line.
final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
