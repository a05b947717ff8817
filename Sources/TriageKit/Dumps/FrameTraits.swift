/// What each distinct frame of a dump is — a pool wait, a pool use, a socket read, a client
/// library, lock plumbing — worked out once per frame rather than once per thread and frame:
/// thousands of threads share a few hundred frames.
struct FrameTraits {
    struct Trait: OptionSet {
        let rawValue: UInt32
        static let socketRead = Trait(rawValue: 1 << 24)
        static let clientLibrary = Trait(rawValue: 1 << 25)
        static let lockPlumbing = Trait(rawValue: 1 << 26)
        static func poolWait(_ signature: Int) -> Trait { Trait(rawValue: 1 << UInt32(signature)) }
        static func poolUse(_ signature: Int) -> Trait { Trait(rawValue: 1 << UInt32(12 + signature)) }
    }

    private let traits: [Trait]

    init(_ frames: FrameTable) {
        traits = frames.texts.map { text in
            let method = text[..<(text.firstIndex(of: "(") ?? text.endIndex)]
            var trait: Trait = []
            for (index, signature) in PoolSignature.all.enumerated() {
                if signature.waitFrames.contains(where: { method.hasPrefix($0) }) { trait.insert(.poolWait(index)) }
                if signature.useFrames.contains(where: { method.hasPrefix($0) }) { trait.insert(.poolUse(index)) }
            }
            if PoolSignature.socketReadFrames.contains(where: { method.hasPrefix($0) }) { trait.insert(.socketRead) }
            if PoolSignature.clientFrames.contains(where: { method.hasPrefix($0) }) { trait.insert(.clientLibrary) }
            if WaitForGraph.plumbing.contains(where: { method.hasPrefix($0) }) { trait.insert(.lockPlumbing) }
            return trait
        }
    }

    subscript(id: Int32) -> Trait { traits[Int(id)] }

    func any(_ frames: some Sequence<Int32>, _ trait: Trait) -> Bool {
        frames.contains { !traits[Int($0)].isDisjoint(with: trait) }
    }

    func first(_ frames: some Sequence<Int32>, _ trait: Trait) -> Int32? {
        frames.first { !traits[Int($0)].isDisjoint(with: trait) }
    }
}
