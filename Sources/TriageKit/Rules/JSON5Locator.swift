/// Finds line numbers in JSON5 text: where each value is (by coding path, `signals[2].weight`)
/// and where the first syntax error is.
///
/// Foundation's JSON5 decoder reports neither, and `triage rules check` must say `file:line`.
/// This is a tolerant scanner, not a second decoder: values are skipped, only positions kept.
struct JSON5Locator {
    struct SyntaxError: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    struct Position: Equatable {
        var line: Int
        var column: Int
    }

    /// A key as written: the path of the object it is in (`signals[0]`), its name, where it is.
    struct Key: Equatable {
        var parent: String
        var name: String
        var position: Position
    }

    private(set) var positions: [String: Position] = [:]
    private(set) var keys: [Key] = []
    private(set) var syntaxError: SyntaxError?

    /// A rule nests five levels deep (`examples.match[0].lines[1]`); far deeper is not a rule,
    /// and each level costs a path string and a stack frame here and in the decoder after.
    static let maxDepth = 32
    private let bytes: [UInt8]
    private var depth = 0
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
        skipTrivia()
        guard syntaxError == nil else { return }
        if index >= bytes.count {
            fail("the file is empty; a rule is one JSON5 object { id: …, … }")
            return
        }
        value(path: "")
        skipTrivia()
        if syntaxError == nil, index < bytes.count {
            fail("unexpected text after the end of the rule object")
        }
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    func line(for path: String) -> Int? { position(for: path)?.line }

    /// Where `path` is written, or its nearest ancestor that is.
    func position(for path: String) -> Position? {
        var current = path
        while true {
            if let found = positions[current] { return found }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return positions[""] }
            current = String(current[..<cut])
        }
    }

    private var here: Position { Position(line: line, column: index - lineStart + 1) }

    /// `signals[2].weight` from a decoding error's coding path.
    static func path(_ codingPath: [CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result
    }

    private mutating func fail(_ message: String) {
        if syntaxError == nil {
            syntaxError = SyntaxError(line: line, column: index - lineStart + 1, message: message)
        }
        index = bytes.count
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func advance() {
        if bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    private mutating func skipTrivia() {
        while let byte = current {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                advance()
            } else if byte == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x2F {
                while let next = current, next != 0x0A { _ = next; advance() }
            } else if byte == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x2A {
                advance(); advance()
                while index + 1 < bytes.count, !(bytes[index] == 0x2A && bytes[index + 1] == 0x2F) { advance() }
                guard index + 1 < bytes.count else { fail("a /* comment is never closed"); return }
                advance(); advance()
            } else {
                return
            }
        }
    }

    private mutating func value(path: String) {
        skipTrivia()
        guard let byte = current else { fail("a value is missing at the end of the file"); return }
        guard depth < JSON5Locator.maxDepth else {
            fail("values nested more than \(JSON5Locator.maxDepth) levels deep; a rule needs five at most")
            return
        }
        depth += 1
        defer { depth -= 1 }
        positions[path] = positions[path] ?? here
        switch byte {
        case UInt8(ascii: "{"): object(path: path)
        case UInt8(ascii: "["): array(path: path)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): _ = string()
        default:
            let start = index
            while let next = current, next.isJavaIdentifierByte || next == 0x2E || next == 0x2B || next == 0x2D {
                advance()
            }
            if index == start {
                fail("unexpected character '\(Character(Unicode.Scalar(byte)))' where a value should be")
            }
        }
    }

    private mutating func object(path: String) {
        advance()   // {
        while true {
            skipTrivia()
            guard let byte = current else { fail("the object opened here is never closed with }"); return }
            if byte == UInt8(ascii: "}") { advance(); return }
            let key: String
            let keyPosition = here
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                key = string()
            } else if byte.isJavaIdentifierByte {
                let start = index
                while let next = current, next.isJavaIdentifierByte { advance() }
                key = String(decoding: bytes[start..<index], as: UTF8.self)
            } else {
                fail("expected a key or } but found '\(Character(Unicode.Scalar(byte)))'")
                return
            }
            skipTrivia()
            guard current == UInt8(ascii: ":") else { fail("expected : after the key \(key)"); return }
            advance()
            let childPath = path.isEmpty ? key : path + "." + key
            positions[childPath] = keyPosition
            keys.append(Key(parent: path, name: key, position: keyPosition))
            value(path: childPath)
            skipTrivia()
            if current == UInt8(ascii: ",") { advance(); continue }
            if current == UInt8(ascii: "}") { advance(); return }
            fail("expected , or } after the value of \(key) (a missing comma?)")
            return
        }
    }

    private mutating func array(path: String) {
        advance()   // [
        var element = 0
        while true {
            skipTrivia()
            guard let byte = current else { fail("the list opened here is never closed with ]"); return }
            if byte == UInt8(ascii: "]") { advance(); return }
            value(path: "\(path)[\(element)]")
            element += 1
            skipTrivia()
            if current == UInt8(ascii: ",") { advance(); continue }
            if current == UInt8(ascii: "]") { advance(); return }
            fail("expected , or ] after a list element (a missing comma?)")
            return
        }
    }

    private mutating func string() -> String {
        let quote = bytes[index]
        advance()
        let start = index
        while let byte = current {
            if byte == quote {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                advance()
                return text
            }
            if byte == UInt8(ascii: "\\") {
                advance()
                if current != nil { advance() }
                continue
            }
            if byte == 0x0A { fail("a string is not closed before the end of the line"); return "" }
            advance()
        }
        fail("a string is never closed")
        return ""
    }
}
