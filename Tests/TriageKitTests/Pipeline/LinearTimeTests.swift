import Foundation
import Testing
@testable import TriageKit

/// Work per input grows with its size, never with its square: each shape that once took seconds
/// (or could) is analysed at two sizes eight times apart, and the larger must take less than
/// 24 times as long (linear: ~8; quadratic: ~64).
struct LinearTimeTests {
    /// The fastest of three runs, in seconds.
    static func seconds(_ text: String) -> Double {
        (0..<3).map { _ in
            let start = ContinuousClock.now
            _ = Analyze.report(text)
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }.min()!
    }

    static func expectLinear(_ name: String, small: Int, _ make: (Int) -> String) {
        let smallTime = seconds(make(small))
        let largeTime = seconds(make(small * 8))
        // Below a few milliseconds the clock and the allocator decide; only ratios above that say anything.
        let ratio = largeTime / max(smallTime, 0.002)
        #expect(ratio < 24, "\(name): \(small) took \(smallTime) s, \(small * 8) took \(largeTime) s")
    }

    @Test func blankRunsInASocketRow() {
        Self.expectLinear("spaces in a socket row", small: 20_000) { blanks in
            Analyze.lines(["Active Internet connections (servers and established)",
                           "Proto Recv-Q Send-Q Local Address           Foreign Address         State",
                           "tcp" + String(repeating: " ", count: blanks) + "0 0 10.0.0.5:41234 10.0.0.9:443 TIME_WAIT"
                           + String(repeating: "\t", count: blanks)])
        }
    }

    @Test func blankRunsInADumpHeader() {
        Self.expectLinear("spaces in a dump header", small: 20_000) { blanks in
            Analyze.lines(["Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):", "",
                           "\"worker-1\" #31" + String(repeating: " ", count: blanks) + "prio=5 nid=0x1 runnable"
                           + String(repeating: " ", count: blanks),
                           "   java.lang.Thread.State: RUNNABLE" + String(repeating: "\t", count: blanks),
                           "\tat a.b.C.d(C.java:1)"])
        }
    }

    @Test func blankRunsInSettings() {
        Self.expectLinear("spaces in sysctl output", small: 20_000) { blanks in
            Analyze.lines(["net.ipv4.ip_local_port_range = 32768\t60999",
                           "net.ipv4.tcp_tw_reuse =" + String(repeating: " ", count: blanks) + "0",
                           "net.ipv4.tcp_fin_timeout" + String(repeating: " ", count: blanks) + "= 30" + String(repeating: " ", count: blanks)])
        }
    }

    @Test func aDeepCausedByChain() {
        Self.expectLinear("Caused by chain", small: 6_250) { depth in
            var lines = ["2024-12-21 13:26:03,117 ERROR [main] c.e.X - failed"]
            for level in 0..<depth {
                lines.append((level == 0 ? "" : "Caused by: ") + "java.io.IOException: level \(level)")
                lines.append("\tat com.example.Level\(level % 50).call(Level.java:\(level))")
            }
            return Analyze.lines(lines)
        }
    }

    @Test func manyThreadsInOneDump() {
        Self.expectLinear("threads in a dump", small: 5_000) { threads in
            var lines = ["Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):", ""]
            for index in 0..<threads {
                lines += ["\"pool-1-thread-\(index)\" #\(index) prio=5 os_prio=0 tid=0x\(index) nid=0x\(index) waiting for monitor entry  [0x0]",
                          "   java.lang.Thread.State: BLOCKED (on object monitor)",
                          "\tat com.example.Ledger.post(Ledger.java:10)",
                          "\t- waiting to lock <0x00000000aaaa> (a java.lang.Object)", ""]
            }
            return Analyze.lines(lines)
        }
    }

    @Test func manyLocksHeldByOneThread() {
        Self.expectLinear("locked lines on one thread", small: 1_250) { locks in
            var lines = ["Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):", "",
                         "\"holder\" #1 prio=5 os_prio=0 tid=0x1 nid=0x1 runnable", "   java.lang.Thread.State: RUNNABLE"]
            for index in 0..<locks {
                lines += ["\tat com.example.Nested.level\(index)(Nested.java:\(index))", "\t- locked <0x\(String(index, radix: 16))> (a java.lang.Object)"]
            }
            lines += ["", "\"waiter\" #2 prio=5 os_prio=0 tid=0x2 nid=0x2 waiting for monitor entry  [0x0]",
                      "   java.lang.Thread.State: BLOCKED (on object monitor)", "\tat com.example.Nested.level0(Nested.java:1)",
                      "\t- waiting to lock <0x0> (a java.lang.Object)"]
            return Analyze.lines(lines)
        }
    }

    @Test func oneHugeLine() {
        // Lines are cut at 8 MiB and the rest skipped: 8 MB and 64 MB of one line cost the reading only.
        Self.expectLinear("one long line", small: 8 << 20) { length in
            "2024-12-21 13:26:03,117 ERROR [main] c.e.X - " + String(repeating: "x", count: length) + "\nnext\n"
        }
    }
}
