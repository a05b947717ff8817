/// Numbers read from input. Every count, port, id, size, duration and percentage an input
/// carries is parsed here with the range the field can take: beyond it the answer is nil, never
/// a trap (Swift traps on overflow) and never a wrapped or widened value that looks real.
enum InputNumber {
    /// A TCP port; 0 is how tools write a wildcard.
    static let port: ClosedRange<Int> = 0...65_535
    /// Counts of things in one input (frames omitted, threads, sockets, pool sizes).
    static let count: ClosedRange<Int> = 0...1_000_000_000
    /// OS thread and process ids (Linux's pid_max is 2^22; macOS and AIX ids run larger).
    static let threadId: ClosedRange<Int> = 0...(1 << 48)
    /// Seconds a setting can sensibly hold (TIME_WAIT, timeouts): up to a year.
    static let seconds: ClosedRange<Int> = 0...31_536_000
    /// Milliseconds of CPU or wall time: up to ~30 years.
    static let milliseconds: ClosedRange<Double> = 0...1e12
    /// Percent of one core in `top`: up to 4,096 cores busy.
    static let percent: ClosedRange<Double> = 0...409_600

    /// The decimal digits of `bytes` (all of them, no sign), if within `range`.
    static func decimal(_ bytes: UnsafeRawBufferPointer, in range: ClosedRange<Int>) -> Int? {
        var index = 0
        guard let value = scanDecimal(bytes, at: &index, in: range), index == bytes.count else { return nil }
        return value
    }

    /// The run of decimal digits at `index` (advanced past all of them, however many), if there
    /// is one and its value is within `range`.
    static func scanDecimal(_ bytes: UnsafeRawBufferPointer, at index: inout Int, in range: ClosedRange<Int>) -> Int? {
        let start = index
        var value = 0
        var overflow = false
        while index < bytes.count, bytes[index] &- 0x30 < 10 {
            let digit = Int(bytes[index] &- 0x30)
            if !overflow {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(digit)
                overflow = o1 || o2
                value = sum
            }
            index += 1
        }
        guard index > start, !overflow, range.contains(value) else { return nil }
        return value
    }

    /// Decimal text (an optional leading `+` or `-`), if within `range`.
    static func decimal<Text: StringProtocol>(_ text: Text, in range: ClosedRange<Int>) -> Int? {
        // Int(_:) returns nil on overflow rather than trapping; the range does the rest.
        guard let value = Int(text), range.contains(value) else { return nil }
        return value
    }

    /// Hexadecimal text, with or without `0x`, if within `range`.
    static func hex<Text: StringProtocol>(_ text: Text, in range: ClosedRange<Int>) -> Int? {
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.first != "-", digits.first != "+",
              let value = Int(digits, radix: 16), range.contains(value) else { return nil }
        return value
    }

    /// A finite decimal number (`12.5`, `12,5`, `1e3`), if within `range`: `inf`, `nan` and
    /// `1e309` are not numbers any tool prints for these fields.
    static func real<Text: StringProtocol>(_ text: Text, in range: ClosedRange<Double>) -> Double? {
        let normalised = text.contains(",") ? String(text).replacingAll(",", with: ".") : String(text)
        guard let value = Double(normalised), value.isFinite, range.contains(value) else { return nil }
        return value
    }
}

extension Double {
    /// Rounded to an Int, clamped into `range`: for figures computed from bounded inputs that
    /// must still never trap when converted (`Int(Double.infinity)` does).
    func roundedInt(in range: ClosedRange<Int>) -> Int {
        guard isFinite else { return self > 0 ? range.upperBound : range.lowerBound }
        let rounded = self.rounded()
        if rounded >= Double(range.upperBound) { return range.upperBound }
        if rounded <= Double(range.lowerBound) { return range.lowerBound }
        return Int(rounded)
    }
}
