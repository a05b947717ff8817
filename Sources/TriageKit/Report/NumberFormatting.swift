/// Figures the way people read them in a report: `12,408`, `1.2 MB`, `0.83`.
enum NumberFormatting {
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1000, unit < units.count - 1 {
            amount /= 1000
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        return decimal(amount, places: amount < 10 ? 1 : 0) + " " + units[unit]
    }

    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = places == 0 ? String(Int(rounded)) : String(rounded)
        if places > 0 {
            let fraction = text.split(separator: ".").last.map(\.count) ?? 0
            if !text.contains(".") { text += "." }
            text += String(repeating: "0", count: max(0, places - fraction))
        }
        return text
    }

    /// A rate per second: `470`, `8.3`, `0.4` (one decimal below 100).
    static func rate(_ value: Double) -> String {
        value >= 100 ? count(Int(value.rounded())) : decimal(value, places: 1)
    }

    /// Confidence and weights: two decimals.
    static func weight(_ value: Double) -> String { decimal(value, places: 2) }

    /// `1 − (1 − 0.80)·(1 − 0.15)`: how a confidence was computed.
    static func noisyOrFormula(_ weights: [Double]) -> String {
        guard weights.count > 1 else { return weights.first.map(weight) ?? "0" }
        return "1 − " + weights.map { "(1 − \(weight($0)))" }.joined(separator: "·")
    }
}
