/// What each distinct frame of a dump is — a pool wait, a pool use, a socket read, a client
/// library, lock plumbing — worked out once per frame rather than once per thread and frame:
/// thousands of threads share a few hundred frames.
struct FrameTraits {
    struct Trait: OptionSet {
        let rawValue: UInt32
        static let socketRead = Trait(rawValue: 1 << 24)
        static let clientLibrary = Trait(rawValue: 1 << 25)
        static let lockPlumbing = Trait(rawValue: 1 << 26)
        /// Waiting for work: a server's accept, a selector's select or poll.
        static let idleWait = Trait(rawValue: 1 << 27)
        /// The application's own code (`ApplicationCode`): what a finding names as "in your code".
        static let application = Trait(rawValue: 1 << 28)
        /// Waiting for another thread's result: a future's get, a latch, a join.
        static let resultWait = Trait(rawValue: 1 << 29)
        /// JDK 13+'s socket read (`NioSocketImpl.implRead`), and its timed path (`timedRead`):
        /// the first without the second is a read with no timeout.
        static let socketImplRead = Trait(rawValue: 1 << 30)
        static let timedRead = Trait(rawValue: 1 << 31)
        static func poolWait(_ signature: Int) -> Trait { Trait(rawValue: 1 << UInt32(signature)) }
        static func poolUse(_ signature: Int) -> Trait { Trait(rawValue: 1 << UInt32(12 + signature)) }
    }

    private let traits: [Trait]

    init(_ frames: FrameTable, code: ApplicationCode = .builtin) {
        let prefixes = FrameTraits.prefixes
        traits = frames.texts.map { text in
            var text = text
            return text.withUTF8 { utf8 in
                // Compared as bytes up to the `(`: per distinct frame of every dump.
                let bytes = UnsafeRawBufferPointer(utf8)
                let method = UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.firstIndex(of: 0x28, from: 0) ?? bytes.count)])
                var trait: Trait = []
                for (prefix, prefixTrait) in prefixes where method.hasPrefix(prefix) { trait.formUnion(prefixTrait) }
                if code.isApplication(bytes) { trait.insert(.application) }
                return trait
            }
        }
    }

    /// Every method prefix that marks a trait, as UTF-8.
    private static let prefixes: [([UInt8], Trait)] = {
        var prefixes: [([UInt8], Trait)] = []
        for (index, signature) in PoolSignature.all.enumerated() {
            prefixes += signature.waitFrames.map { (Array($0.utf8), .poolWait(index)) }
            prefixes += signature.useFrames.map { (Array($0.utf8), .poolUse(index)) }
        }
        prefixes += PoolSignature.socketReadFrames.map { (Array($0.utf8), .socketRead) }
        prefixes += PoolSignature.clientFrames.map { (Array($0.utf8), .clientLibrary) }
        prefixes += WaitForGraph.plumbing.map { (Array($0.utf8), .lockPlumbing) }
        prefixes += PoolSignature.idleWaitFrames.map { (Array($0.utf8), .idleWait) }
        prefixes += PoolSignature.resultWaitFrames.map { (Array($0.utf8), .resultWait) }
        prefixes.append((Array("sun.nio.ch.NioSocketImpl.implRead".utf8), .socketImplRead))
        prefixes.append((Array("sun.nio.ch.NioSocketImpl.timedRead".utf8), .timedRead))
        return prefixes
    }()

    subscript(id: Int32) -> Trait { traits[Int(id)] }

    func any(_ frames: some Sequence<Int32>, _ trait: Trait) -> Bool {
        frames.contains { !traits[Int($0)].isDisjoint(with: trait) }
    }

    func first(_ frames: some Sequence<Int32>, _ trait: Trait) -> Int32? {
        frames.first { !traits[Int($0)].isDisjoint(with: trait) }
    }
}
