/// Which JVM each dump of an incident comes from. Dumps given together may be two services'
/// (they once made "threads grew from 5 to 64"): series facts — thread-count growth, threads
/// stuck on a frame, CPU deltas — are computed per JVM, never across two.
///
/// Told apart by what the dumps carry: the process id (jcmd's `4242:` line, a javacore's
/// `1CIPROCESSID`), the VM's version line, and failing both, thread names: two dumps of one JVM
/// share most of their application threads' names.
enum JVMIdentity {
    /// For each snapshot, in order, the number of its JVM (1, 2, … in order of appearance).
    static func group(_ snapshots: [DumpSnapshot]) -> [Int] {
        var representatives: [DumpSnapshot] = []
        var names: [Set<String>] = []
        var result: [Int] = []
        for snapshot in snapshots {
            let own = applicationThreadNames(snapshot)
            if let index = representatives.indices.first(where: { sameJVM(representatives[$0], names[$0], snapshot, own) }) {
                result.append(index + 1)
                // The latest dump of the JVM stands for it: thread names drift as pools grow.
                representatives[index] = snapshot
                names[index] = own
            } else {
                representatives.append(snapshot)
                names.append(own)
                result.append(representatives.count)
            }
        }
        return result
    }

    static func sameJVM(_ a: DumpSnapshot, _ aNames: Set<String>, _ b: DumpSnapshot, _ bNames: Set<String>) -> Bool {
        if let first = a.processId, let second = b.processId, first != second { return false }
        if let first = a.jvm, let second = b.jvm, first != second { return false }
        if a.processId != nil && a.processId == b.processId { return true }
        // Too few names of their own to compare: nothing says they differ.
        guard aNames.count >= 2, bNames.count >= 2 else { return true }
        let shared = aNames.intersection(bNames).count
        return shared * 2 >= min(aNames.count, bNames.count)
    }

    /// Thread names minus those every JVM has (`main`, `Finalizer`, compiler and GC threads).
    static func applicationThreadNames(_ snapshot: DumpSnapshot) -> Set<String> {
        Set(snapshot.threads.map(\.name).filter { name in
            !jvmThreadNames.contains(name) && !jvmThreadPrefixes.contains { name.hasPrefix($0) }
        })
    }

    static let jvmThreadNames: Set<String> = [
        "main", "Reference Handler", "Finalizer", "Signal Dispatcher", "Common-Cleaner", "Attach Listener", "Service Thread",
        "Notification Thread", "Monitor Deflation Thread", "DestroyJavaVM", "VM Thread", "VM Periodic Task Thread",
        "process reaper", "Sweeper thread", "Signal Reporter", "JIT Diagnostic Compilation Thread", "Surrogate Locker Thread (Concurrent GC)",
    ]
    static let jvmThreadPrefixes = [
        "C1 CompilerThread", "C2 CompilerThread", "GC Thread", "G1 ", "GC task thread", "Gang worker", "JIT Compilation Thread",
        "Concurrent Mark-Sweep", "ZWorker", "ZDirector", "Shenandoah", "Finalizer thread", "Dump Writer", "Attach API",
    ]
}
