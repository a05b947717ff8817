/// Who waits for whom in one dump: an edge from a thread to the owner of the lock it waits
/// for (a monitor, or a `ReentrantLock`-like ownable synchronizer). A cycle is a deadlock,
/// whether or not the JVM reported it; many edges into one lock is contention.
struct WaitForGraph {
    struct Edge {
        var waiter: Int
        var owner: Int
        var lock: LockReference
    }

    let dump: ThreadDump
    /// For each thread, the edge out of it, if it waits for a lock someone holds.
    private(set) var edges: [Int: Edge] = [:]
    private(set) var owners: [String: Int] = [:]

    init(_ dump: ThreadDump) {
        self.dump = dump
        // By index, reading fields: iterating copies every thread (a retain per field).
        let threads = dump.threads
        for index in threads.indices {
            for lock in threads[index].heldLocks where owners[lock.key] == nil { owners[lock.key] = index }
        }
        var byName: [String: Int]?
        for index in threads.indices {
            guard let lock = threads[index].waitingFor, let kind = threads[index].waitKind else { continue }
            // Object.wait() and parking on a condition wait for a signal, not for a lock.
            guard kind == .monitorEntry || kind == .parked || kind == .parkedOnLock, !lock.isCondition else { continue }
            var owner = owners[lock.key]
            if owner == nil, let name = threads[index].waitingForOwner {
                // Only JMX-style dumps name the owner instead of the lock: indexed when first asked.
                if byName == nil {
                    var names: [String: Int] = [:]
                    for index in threads.indices where names[threads[index].name] == nil { names[threads[index].name] = index }
                    byName = names
                }
                owner = byName?[name]
            }
            // A parked thread waits for a lock only when someone holds it as a synchronizer.
            guard let owner, owner != index else { continue }
            edges[index] = Edge(waiter: index, owner: owner, lock: lock)
        }
    }

    /// Every cycle, each as thread indices in wait order (a waits for b waits for … a).
    func cycles() -> [[Int]] {
        var state = [Int: Int]()   // 1: on the current path, 2: done
        var found: [[Int]] = []
        for start in edges.keys.sorted() where state[start] == nil {
            var path: [Int] = []
            var node: Int? = start
            while let current = node, state[current] == nil {
                state[current] = 1
                path.append(current)
                node = edges[current]?.owner
            }
            if let current = node, state[current] == 1, let at = path.firstIndex(of: current) {
                found.append(Array(path[at...]))
            }
            for member in path { state[member] = 2 }
        }
        return found
    }

    /// Locks by the threads waiting to enter or acquire them.
    func waitersByLock() -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for edge in edges.values.sorted(by: { $0.waiter < $1.waiter }) { result[edge.lock.key, default: []].append(edge.waiter) }
        return result
    }

    /// The frame under which `thread` took `lock`, when the dump shows it (a `- locked` line
    /// under a frame; an ownable synchronizer does not say where it was acquired).
    func holdingFrame(_ thread: Int, _ lock: LockReference) -> String? {
        let holder = dump.threads[thread]
        guard let entry = holder.lockedMonitors.first(where: { $0.lock.key == lock.key }), entry.frame < holder.frames.count else { return nil }
        return dump.frames[holder.frames[entry.frame]]
    }

    /// Where the thread waits: the first frame below the locking plumbing
    /// (`Unsafe.park`, `LockSupport`, `AbstractQueuedSynchronizer`, `ReentrantLock`…).
    func waitingFrame(_ thread: Int) -> String? {
        let waiter = dump.threads[thread]
        let start = min(waiter.waitFrame ?? 0, max(0, waiter.frames.count - 1))
        let frames = waiter.frames[start...]
        let application = frames.first { id in
            let method = dump.frames.method(id)
            return !WaitForGraph.plumbing.contains { method.hasPrefix($0) }
        }
        return (application ?? frames.first).map { dump.frames[$0] }
    }

    static let plumbing = ["sun.misc.Unsafe.", "jdk.internal.misc.Unsafe.", "java.util.concurrent.locks.", "java.lang.Object.wait",
                           "jrockit.vm.Threads.", "jrockit.vm.Locks."]
}
