/// Starting inputs for a fuzz target: the bundled samples and the shared corpus, cut into
/// pieces of whole lines small enough to mutate quickly, keeping the pieces the target reads.
public enum FuzzSeeds {
    /// At most `perFile` pieces of at most `pieceLength` bytes from each file under `paths`
    /// (gzip and UTF-16 read as triage reads them), in a stable order.
    public static func collect(_ paths: [String], for target: FuzzTarget, pieceLength: Int = 4096,
                               perFile: Int = 40) -> [[UInt8]] {
        var seeds: [[UInt8]] = target.example.map { [Array($0.utf8)] } ?? []
        for location in InputCollector.collect(paths).inputs {
            guard let opened = try? InputOpener.open(location) else { continue }
            defer { opened.source.close() }
            let sink = PieceSink(pieceLength: pieceLength, limit: perFile, target: target)
            try? LineReader(source: opened.source, initialCapacity: 64 << 10, maxLineLength: pieceLength).read(into: sink)
            sink.flush()
            seeds += target.wrapSeed.map { wrap in sink.pieces.prefix(3).flatMap(wrap) } ?? sink.pieces
        }
        return seeds
    }
}

/// Gathers whole lines into pieces; stops keeping once it has enough.
private final class PieceSink: LineSink {
    let pieceLength: Int
    let limit: Int
    let target: FuzzTarget
    var pieces: [[UInt8]] = []
    private var current: [UInt8] = []

    init(pieceLength: Int, limit: Int, target: FuzzTarget) {
        self.pieceLength = pieceLength
        self.limit = limit
        self.target = target
    }

    func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { line, _, _ in
            guard pieces.count < limit else { return }
            if current.count + line.count + 1 > pieceLength { flush() }
            current += line.prefix(pieceLength - 1)
            current.append(0x0A)
        }
    }

    func flush() {
        defer { current.removeAll(keepingCapacity: true) }
        guard !current.isEmpty, pieces.count < limit,
              target.isSeed(String(decoding: current, as: UTF8.self)) else { return }
        pieces.append(current)
    }
}
