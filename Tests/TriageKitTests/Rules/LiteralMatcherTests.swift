import Testing
@testable import TriageKit

@Suite struct LiteralMatcherTests {
    /// Every occurrence, the slow obvious way, ignoring ASCII case.
    private func naive(_ literals: [String], _ text: String) -> [LiteralMatcher.Hit] {
        let haystack = Array(text.lowercased().utf8)
        var hits: [LiteralMatcher.Hit] = []
        for start in haystack.indices {
            for (id, literal) in literals.enumerated() {
                let needle = Array(literal.lowercased().utf8)
                if start + needle.count <= haystack.count, Array(haystack[start..<(start + needle.count)]) == needle {
                    hits.append(.init(offset: start, literal: id))
                }
            }
        }
        return hits.sorted { ($0.offset, $0.literal) < ($1.offset, $1.literal) }
    }

    @Test func findsWhatANaiveSearchFindsOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdeABCDE .:-\n")
        let literals = ["abcd", "bcde", "ABCDEa", "e. :", "dddd", "cab c"]
        let matcher = LiteralMatcher(literals: literals)
        for _ in 0..<200 {
            let text = String((0..<400).map { _ in alphabet.randomElement(using: &generator)! })
            let found = matcher.hits(in: text).sorted { ($0.offset, $0.literal) < ($1.offset, $1.literal) }
            #expect(found == naive(literals, text))
        }
    }

    /// Blocks are hashed with `| 0x20`, which also pairs `@`/`` ` ``, `[`/`{`, `\`/`|`: those
    /// share a hash but must never match each other.
    @Test func tellsApartTheBytesTheCaseBlindHashPairs() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aA@`[{\\|bB")
        let literals = ["a@[b", "A`{B", "b\\|a", "[[@@"]
        let matcher = LiteralMatcher(literals: literals)
        for _ in 0..<200 {
            let text = String((0..<300).map { _ in alphabet.randomElement(using: &generator)! })
            let found = matcher.hits(in: text).sorted { ($0.offset, $0.literal) < ($1.offset, $1.literal) }
            #expect(found == naive(literals, text))
        }
        #expect(matcher.hits(in: "x A@[B y").map(\.literal) == [0])
        #expect(matcher.hits(in: "x a`{b y").map(\.literal) == [1])
        #expect(matcher.hits(in: "x a`[b y").isEmpty)
    }

    /// A block is scanned as eight interleaved stretches: a literal straddling a stretch's end,
    /// starting right at it or ending at the block's last byte, is found once, and hits come
    /// out in offset order.
    @Test(arguments: [["Read timed out", "timed out", "No buffer space available"], ["ok", "Read timed out"]])
    func findsLiteralsAcrossTheStretchesOfABlock(_ literals: [String]) {
        let matcher = LiteralMatcher(literals: literals)
        let filler = Array(repeating: UInt8(ascii: "-"), count: 1_024)
        for literal in literals {
            for boundary in Array(stride(from: 128, to: 1_024, by: 128)) + [1_024 - literal.utf8.count, 1_024] {
                for start in (boundary - literal.utf8.count - 1)...(boundary + 1) where start >= 0 && start + literal.utf8.count <= filler.count {
                    var bytes = filler
                    bytes.replaceSubrange(start..<(start + literal.utf8.count), with: Array(literal.utf8))
                    let text = String(decoding: bytes, as: UTF8.self)
                    #expect(matcher.hits(in: text) == naive(literals, text), "\(literal) at \(start)")
                }
            }
        }
        // Hits in all eight stretches, in order.
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("okread timedOUT -")
        for _ in 0..<50 {
            let text = String((0..<4_000).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(matcher.hits(in: text) == naive(literals, text))
        }
    }

    /// Long literals are compared eight bytes at a time, and a window's last six bytes are
    /// checked against a bitmap before that: literals sharing a long beginning, texts made of
    /// their pieces in mixed case, and the punctuation bytes `| 0x20` pairs must still come out
    /// exactly as a naive search finds them.
    @Test func findsLongLiteralsThatShareTheirBeginnings() {
        var generator = SystemRandomNumberGenerator()
        let literals = ["Connection reset", "Connection refused", "Connection: close", "Connection timed out",
                        "connection pool shut down", "AxisFault", "timed out", "Connection{reset"]
        let pieces = ["Connection", "CONNECTION", "connection", " reset", " refused", ": close", " timed", " out", "{reset",
                      "[reset", " pool", " shut down", "Axis", "Fault", "axisfault", "x", " ", "\n", "Connection\u{1B}reset"]
        let matcher = LiteralMatcher(literals: literals)
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...120, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(matcher.hits(in: text) == naive(literals, text), "\(text)")
        }
        #expect(matcher.hits(in: "Connection[reset").isEmpty)
        #expect(matcher.hits(in: "xx CONNECTION RESET").map(\.literal) == [0])
    }

    @Test func findsRuleLiteralsInALogBlock() {
        let matcher = LiteralMatcher(literals: ["No buffer space available", "Too many open files", "Read timed out"])
        let text = "x\njava.net.SocketException: no BUFFER space available (maximum connections reached?): connect\nok\nread timed out"
        let buffer = text.utf8.firstRange(of: "no BUFFER".utf8)!.lowerBound
        let read = text.utf8.firstRange(of: "read timed".utf8)!.lowerBound
        #expect(matcher.hits(in: text) == [
            .init(offset: text.utf8.distance(from: text.utf8.startIndex, to: buffer), literal: 0),
            .init(offset: text.utf8.distance(from: text.utf8.startIndex, to: read), literal: 2),
        ])
    }

    @Test func anEmptyMatcherFindsNothing() {
        #expect(LiteralMatcher(literals: []).hits(in: "anything at all").isEmpty)
    }
}
