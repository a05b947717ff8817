/// A value an analyzer changes on every line or record, kept behind a pointer: a class's
/// stored properties are checked for exclusive access at run time on every touch (a
/// thread-local lookup and a set insert each), a pointer's pointee is not. Only for state
/// that one object owns and touches from one thread at a time.
final class UncheckedBox<Value> {
    private let pointer: UnsafeMutablePointer<Value>

    init(_ value: Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    var value: Value {
        _read { yield pointer.pointee }
        _modify { yield &pointer.pointee }
    }
}
