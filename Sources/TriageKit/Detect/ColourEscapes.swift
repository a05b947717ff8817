import Foundation

/// Lines written in terminal colours — Spring Boot's console pattern with ANSI output on,
/// logback's and log4j's `%highlight`, a container run with a TTY, `stern --color always` — carry
/// `ESC[…m` around their fields, and no header reads `\e[2m2024-12-21 13:26:03.117\e[0;39m`.
/// Whether an input is coloured is decided on its first lines, as `GrepPrefix`: then every line
/// with an escape is read as a copy without them; the lines of any other input are not touched.
struct ColourEscapes {
    enum Mode { case undecided, off, strip }

    private(set) var mode = Mode.undecided
    private var linesSeen = 0
    /// The last line `strip` changed, without its escapes.
    private(set) var stripped: [UInt8] = []
    /// Colour shows on the first lines (a banner, the first records); plain ones before it are
    /// the JVM's own (`Picked up JAVA_TOOL_OPTIONS`).
    static let decidingLines = 50

    /// Whether `line` had escape sequences: then `stripped` holds it without them.
    @inline(__always)
    mutating func strip(_ line: UnsafeRawBufferPointer) -> Bool {
        if mode == .undecided { decide(line) }
        guard mode == .strip, let base = line.baseAddress, memchr(base, 0x1B, line.count) != nil else { return false }
        stripped.removeAll(keepingCapacity: true)
        ColourEscapes.append(line, withoutEscapesTo: &stripped)
        return true
    }

    private mutating func decide(_ line: UnsafeRawBufferPointer) {
        guard line.count > 0 else { return }
        linesSeen += 1
        if let escape = line.range(of: "\u{1B}["), escape.lowerBound < 256 {
            mode = .strip
        } else if linesSeen >= ColourEscapes.decidingLines {
            mode = .off
        }
    }

    /// Appends `line` to `out` without its escape sequences: CSI (`ESC [`, parameters, a final
    /// byte from `@` to `~`: colours, cursor moves, erases) and the short ones (`ESC (B`, `ESC =`).
    static func append(_ line: UnsafeRawBufferPointer, withoutEscapesTo out: inout [UInt8]) {
        guard let base = line.baseAddress else { return }
        var index = 0
        while index < line.count {
            guard let found = memchr(base + index, 0x1B, line.count - index) else {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[index...]))
                return
            }
            let escape = UnsafeRawPointer(found) - base
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[index..<escape]))
            index = escape + 1
            if index < line.count, line[index] == 0x5B {
                index += 1
                while index < line.count, !(0x40...0x7E).contains(line[index]) { index += 1 }
            } else {
                while index < line.count, (0x20...0x2F).contains(line[index]) { index += 1 }
            }
            index += 1
        }
    }
}
