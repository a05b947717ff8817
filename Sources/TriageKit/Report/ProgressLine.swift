/// The one-line status shown on standard error during a long run (only on a terminal).
public enum ProgressLine {
    /// `triage: 3/12 inputs, 1.4 GB read, 412 MB/s — app.log.3.gz`
    public static func format(_ progress: AnalysisProgress, elapsedSeconds: Double) -> String {
        var text = "triage: \(progress.inputsDone)/\(progress.inputsTotal) inputs, \(NumberFormatting.bytes(progress.bytesRead)) read"
        if elapsedSeconds > 0.5 {
            text += ", \(NumberFormatting.bytes(Int(Double(progress.bytesRead) / elapsedSeconds)))/s"
        }
        return text + " — " + progress.current
    }
}
