import Testing
@testable import TriageKit

/// The status line of a long run: counts, bytes, rate, and for a scan the time left.
struct ProgressLineTests {
    @Test func aScanSaysHowLongIsLeft() {
        var progress = AnalysisProgress(inputsDone: 25, inputsTotal: 100, bytesRead: 400_000_000, current: "/archive/host3/app.log.4.gz")
        (progress.diskBytesDone, progress.diskBytesTotal) = (50_000_000, 200_000_000)
        // A quarter of the bytes in 20 s: 60 s to go.
        #expect(ProgressLine.format(progress, elapsedSeconds: 20)
                == "triage: 25/100 inputs, 400 MB read, 20 MB/s, about 1m 00s left — /archive/host3/app.log.4.gz")
        // Too early to tell, and nothing to tell from for a single `logs` input.
        #expect(!ProgressLine.format(progress, elapsedSeconds: 1).contains("left"))
        let logs = AnalysisProgress(inputsDone: 0, inputsTotal: 1, bytesRead: 10_000_000, current: "app.log")
        #expect(ProgressLine.format(logs, elapsedSeconds: 10) == "triage: 0/1 inputs, 10 MB read, 1.0 MB/s — app.log")
    }
}
