/// The one-line status shown on standard error during a long run (only on a terminal).
public enum ProgressLine {
    /// `triage: 3/12 inputs, 1.4 GB read, 412 MB/s — app.log.3.gz`
    public static func format(_ progress: AnalysisProgress, elapsedSeconds: Double) -> String {
        var text = "triage: \(progress.inputsDone)/\(progress.inputsTotal) inputs, \(NumberFormatting.bytes(progress.bytesRead)) read"
        if elapsedSeconds > 0.5 {
            text += ", \(NumberFormatting.bytes(Int(Double(progress.bytesRead) / elapsedSeconds)))/s"
        }
        // ETA from the share of the bytes on disk done so far, once there is something to go by.
        if let done = progress.diskBytesDone, let total = progress.diskBytesTotal, done > 0, total > done, elapsedSeconds > 2 {
            let left = elapsedSeconds * Double(total - done) / Double(done)
            text += ", about \(TimeSpan.length(Int64(left * 1000))) left"
        }
        return text + " — " + progress.current
    }
}
