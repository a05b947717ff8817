import Foundation

/// `--format json`: the `Report` as sorted-key, pretty-printed JSON.
struct JSONReportRenderer {
    /// `--format jsonl`: the same on one line.
    var oneLine = false

    func render(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = oneLine ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report), let text = String(data: data, encoding: .utf8) else {
            return "{\"schema\": 1, \"error\": \"the report could not be encoded\"}\n"
        }
        return text + "\n"
    }
}
