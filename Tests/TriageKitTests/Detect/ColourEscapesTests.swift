import Testing
@testable import TriageKit

@Suite struct ColourEscapesTests {
    static func plain(_ text: String) -> String {
        var out: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { ColourEscapes.append($0, withoutEscapesTo: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [
        ("\u{1B}[2m2024-12-21 13:26:03.117\u{1B}[0;39m \u{1B}[31mERROR\u{1B}[0;39m x", "2024-12-21 13:26:03.117 ERROR x"),
        // 256 colours, true colour, bold; a cursor move and an erase; the charset switch of `tput sgr0`.
        ("\u{1B}[38;5;208mWARN\u{1B}[m \u{1B}[1;38;2;255;0;0mred\u{1B}(B\u{1B}[m\u{1B}[2K\u{1B}[1G.", "WARN red."),
        // Cut short: an escape at the end, a CSI without its final byte.
        ("a\u{1B}", "a"), ("a\u{1B}[31;", "a"), ("\u{1B}[", ""),
        ("no escapes at all", "no escapes at all"),
    ])
    func stripsEscapeSequences(_ text: String, _ expected: String) {
        #expect(Self.plain(text) == expected)
    }

    @Test func decidedOnTheFirstLines() {
        var colours = ColourEscapes()
        let plainLine = Array("2024-12-21 13:26:03,117 INFO [main] a.B - plain".utf8)
        for _ in 0..<ColourEscapes.decidingLines { #expect(!plainLine.withUnsafeBytes { colours.strip($0) }) }
        #expect(colours.mode == .off)
        // Decided: an escape later in a plain input is left as it is.
        #expect(!Array("\u{1B}[31mERROR\u{1B}[0m".utf8).withUnsafeBytes { colours.strip($0) })

        var coloured = ColourEscapes()
        #expect(!Array("Picked up JAVA_TOOL_OPTIONS: -Xmx1g".utf8).withUnsafeBytes { coloured.strip($0) })
        #expect(Array("\u{1B}[32mINFO\u{1B}[0m up".utf8).withUnsafeBytes { coloured.strip($0) })
        #expect(coloured.mode == .strip)
        #expect(String(decoding: coloured.stripped, as: UTF8.self) == "INFO up")
    }
}
