import Testing
@testable import TriageKit

@Suite struct ByteTextTests {
    private func range(_ text: String, _ literal: StaticString, from index: Int = 0) -> Range<Int>? {
        Array(text.utf8).withUnsafeBytes { $0.range(of: literal, from: index) }
    }

    /// A literal is found past near misses that share its first bytes, at the very end, from a
    /// start offset; not when it runs past the end or the text is shorter.
    @Test func findsALiteralPastNearMisses() {
        #expect(range("waiting waiting on condition", "waiting on") == 8..<18)
        #expect(range("in Object.wai in Object.wait()", "in Object.wait()") == 14..<30)
        #expect(range("x sleeping", "sleeping") == 2..<10)
        #expect(range("sleeping", "sleeping") == 0..<8)
        #expect(range("sleepin", "sleeping") == nil)
        #expect(range("runnable runnable", "runnable", from: 1) == 9..<17)
        #expect(range("runnable", "runnable", from: 1) == nil)
        #expect(range("", "on") == nil)
        #expect(range("TIMED_WAITING on x", " on ") == 13..<17)
    }
}
