import Testing
@testable import TriageKit

/// Every number read from input goes through `InputNumber`: its extremes give nil, never a trap
/// and never a wrapped value.
struct InputNumberTests {
    static func bytes(_ text: String, _ body: (UnsafeRawBufferPointer) -> Int?) -> Int? {
        Array(text.utf8).withUnsafeBytes(body)
    }

    @Test(arguments: [
        ("0", 0), ("65535", 65_535), ("00080", 80), ("65536", nil), ("99999", nil), ("", nil), ("-1", nil), ("+1", nil),
        ("9223372036854775807", nil), ("9223372036854775808", nil), ("99999999999999999999999999", nil), ("12a", nil),
    ] as [(String, Int?)])
    func readsPortsFromBytes(_ text: String, _ expected: Int?) {
        #expect(Self.bytes(text) { InputNumber.decimal($0, in: InputNumber.port) } == expected)
    }

    @Test func scansADigitRunWhateverItsLength() {
        var index = 4
        let line = "... 99999999999999999999 more"
        let value = Array(line.utf8).withUnsafeBytes { InputNumber.scanDecimal($0, at: &index, in: InputNumber.count) }
        #expect(value == nil)
        #expect(index == 24, "past every digit, so the caller reads on after them")
        var start = 4
        #expect(Array("... 12 more".utf8).withUnsafeBytes { InputNumber.scanDecimal($0, at: &start, in: InputNumber.count) } == 12)
        #expect(start == 6)
    }

    @Test(arguments: [
        ("443", 443), ("-9223372036854775807", nil), ("-9223372036854775808", nil), ("99999", nil), ("0", 0), ("", nil),
    ] as [(String, Int?)])
    func readsPortsFromText(_ text: String, _ expected: Int?) {
        #expect(InputNumber.decimal(text, in: InputNumber.port) == expected)
    }

    @Test(arguments: [
        ("0x1F90", 8080), ("1f90", 8080), ("0xFFFF", 65_535), ("0x10000", nil), ("0x", nil), ("-0x1", nil), ("0x-1", nil),
        ("0xffffffffffffffffff", nil), ("zz", nil),
    ] as [(String, Int?)])
    func readsHex(_ text: String, _ expected: Int?) {
        #expect(InputNumber.hex(text, in: InputNumber.port) == expected)
    }

    @Test(arguments: [
        ("99.9", 99.9), ("12,5", 12.5), ("0", 0), ("inf", nil), ("-inf", nil), ("nan", nil), ("1e309", nil),
        ("9.3e18", nil), ("-1", nil), ("409600", 409_600), ("409600.1", nil),
    ] as [(String, Double?)])
    func readsFinitePercentages(_ text: String, _ expected: Double?) {
        #expect(InputNumber.real(text, in: InputNumber.percent) == expected)
    }

    @Test func roundsComputedFiguresWithoutTrapping() {
        #expect(Double.infinity.roundedInt(in: 0...100) == 100)
        #expect((-Double.infinity).roundedInt(in: 0...100) == 0)
        #expect(Double.nan.roundedInt(in: 0...100) == 0)
        #expect(9.3e18.roundedInt(in: 0...Int.max) == Int.max)
        #expect(49.5.roundedInt(in: 0...100) == 50)
    }
}
