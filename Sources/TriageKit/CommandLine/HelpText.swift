/// `--help` for each command, written to teach: what it does, the options (from the same
/// table that parses them), examples to copy, and the exit codes.
public enum HelpText {
    /// What `triage help TOPIC` knows.
    static let topics = ["logs", "scan", "merge", "diff", "collect", "rules", "help"]

    public static func text(for topic: String?) -> String {
        switch topic {
        case "logs": return logs
        case "scan", "merge": return scan
        case "diff": return diff
        case "collect": return collect
        case "rules": return rules
        default: return main
        }
    }

    static let exitCodes = """
    Exit status:
      0  done (findings or not)
      1  a finding at or above --fail-on (for 'rules check': a rule has problems)
      2  usage error: nothing was analysed
      3  some input could not be read; the others were analysed (the report says)
    """

    public static let main = """
    triage \(TriageVersion.current) — find the root cause of a Java incident in what it left
    behind: application logs (plain or .gz), thread dumps, socket tables and kernel
    settings.

    Usage:
      triage logs PATH... [options]   analyse inputs and rank the root causes
      triage scan PATH... [options]   an archive: each file alone, then across all
      triage merge PART.jsonl...      join the parts of a sharded scan
      triage diff BEFORE AFTER        what changed between two captures
      triage collect --pid PID        gather a JVM's evidence here, then analyse it
      triage rules list               the rules triage applies
      triage rules show ID            one rule: its signals, weights and fix
      triage rules check DIR          validate your own rules and run their examples
      triage help COMMAND             more about a command (or: COMMAND --help)

    Examples:
      triage logs app.log
      triage logs app.log app.log.1.gz /var/log/tomcat/
      kubectl logs deploy/orders | triage logs -
      triage logs app.log --format markdown > ticket.md
      triage logs app.log --format json | jq -r '.findings[0].rule'

    \(exitCodes)

    Environment: NO_COLOR (any value) turns colour off.
    """

    public static var logs: String {
        """
        triage logs — analyse inputs and rank the root causes

        Usage: triage logs PATH... [options]

        PATH is a file, a gzip file (recognised by its bytes, not its name, and
        concatenated members are read through), a .tar, .tar.gz or .zip (each member
        an input: bundle.tar.gz!host1/app.log), a directory (read recursively, hidden
        files left out) or - for standard input. UTF-8, UTF-16 and legacy encodings
        such as GBK are read; log4j, logback, Tomcat, java.util.logging, Spring Boot and
        WebSphere layouts are recognised, mixed in one file too. Other collectors'
        bundles are read for their evidence only: a sosreport, linperf_RESULTS
        (its javacore.PID.tar too), a yc-360 capture; one line says what was
        left out.

        Each file may hold several kinds of section, recognised by their first line:
          log records        the layouts above
          thread dumps       jstack (-l), jcmd Thread.print, kill -3 in a log, IBM
                             javacore, Actuator/jcmd JSON, top -H
          socket tables      netstat -an/-anp/-ano/-b (Linux and Windows), ss -tan,
                             -tanp, -peaonmi, /proc/net/tcp(6), lsof -i; `date`
                             printed before a table times it
          kernel settings    sysctl -a (or any of its lines), /proc/sys/net/ipv4/*, a
                             Windows registry export (.reg) or reg query of
                             Tcpip\\Parameters, netsh int ipv4 show dynamicport tcp
        Everything given in one run is one incident: the log, the dumps and the sockets
        are weighed together, and a cause they agree on ranks higher.

        What to collect on the host, during the incident:
          ss -tanp > ss-1.txt; sleep 60; ss -tanp > ss-2.txt  (Windows: netstat -ano)
          sysctl net.ipv4.ip_local_port_range net.ipv4.tcp_tw_reuse > sysctl.txt
          jstack -l PID > jstack-1.txt        (or: jcmd PID Thread.print -l)

        The report lists the root causes, most likely first: severity, confidence and
        the evidence each rests on (with file:line), then what to change. Then the
        exception groups (the same stack trace counted once), the thread dumps, the
        socket tables with the port range in force and its ceiling, then what was read.

        Options:
        \(optionTable("logs"))

        Examples:
          triage logs app.log
          triage logs incident-42/                 # everything in it is one incident
          zcat old.log.gz | triage logs -          # or simply: triage logs old.log.gz
          triage logs app.log --since '2024-12-21 13:00' --until '2024-12-21 14:00'
          triage logs app.log --format markdown -o ticket.md
          triage logs app.log --format html -o report.html --anonymize
          triage logs /var/log/app/ --fail-on high # scripts: exit 1 at high or above

        \(exitCodes)
        """
    }

    public static var scan: String {
        """
        triage scan — what went wrong across an archive of logs, where, and since when

        Usage: triage scan PATH... [options]
               triage merge PART.jsonl... [--format FORMAT] [-o FILE]

        Each file under PATH (walked recursively in name order, hidden entries left
        out, symbolic links followed once, never in a loop; gzip recognised by its
        bytes) is analysed alone, as 'triage logs FILE' would. The report then gathers
        the files' root causes by rule and destination, with their files, hosts (the
        first folder under PATH) and time span; the findings per day; the noisiest
        exception groups; and a row per file (size, lines, records, top finding, or
        why it could not be read). A file that cannot be read is a row with its error,
        the others are still scanned, and the exit status is 3.

        With --since/--until (dates: an archive spans days), files whose name date
        (app.log.2026-03-01.gz) or modification time lies outside the window are not
        opened, and the report counts them.

        Options:
        \(optionTable("scan"))

        Examples:
          triage scan /archive/2026/ --since 2026-03-01 --until 2026-03-09
          triage scan /archive --format jsonl > scan.jsonl  # a line per file, a summary
          triage scan /archive --shard 3/16 --format jsonl > part-3.jsonl
          triage merge part-*.jsonl --format markdown > report.md   # = one whole scan
          parallel triage scan /archive --shard {}/4 --format jsonl ::: 1 2 3 4 >p.jsonl

        \(exitCodes)
        """
    }

    public static var diff: String {
        """
        triage diff — what changed between two captures, or two windows of one

        Usage: triage diff BEFORE AFTER [options]
               triage diff PATH... --before-until TIME --after-since TIME [options]

        Each side is analysed as 'triage logs' would (BEFORE and AFTER are a file or
        a folder each; or one set of inputs, its records and dated dumps and tables
        split at the times given). Then: root causes new, gone and changed
        (confidence, occurrences); exception groups new, gone, or at twice or half
        their rate per minute; client sockets per state per destination in the last
        table of each side; thread states per pool in the last dump of each side;
        kernel settings and the port range that differ.

        Options:
        \(optionTable("diff"))

        Examples:
          triage diff capture-monday/ capture-tuesday/
          triage diff app.log ss.txt --before-until '2024-12-21 13:20' \\
                                     --after-since '2024-12-21 13:20'
          triage diff before/ after/ --format markdown > ticket-comment.md

        \(exitCodes)
        """
    }

    public static var collect: String {
        """
        triage collect — gather a running JVM's evidence on this host, then analyse it

        Usage: triage collect --pid PID [--out DIR] [--dumps 3] [--interval 10s] [--tar]

        Linux only (it reads /proc). Run as the JVM's user or root; needs no network.
        Once: /proc/PID/limits and the descriptors by kind, the kernel settings
        triage reads (port range, tcp_tw_reuse, fs.file-max), the JVM's flags and
        uptime, the tails (8 MB) of the log files it has open. Then --dumps times,
        --interval apart: a thread dump (jcmd Thread.print -l, else jstack -l, else
        kill -3 read back from the JVM's stdout file, which works when it has no
        descriptor left for jcmd's attach socket; sent only to a process that catches
        SIGQUIT), top -H, ss -tanpi (else netstat). DIR must be new or empty.
        Every command's exit status, start and duration go into DIR/MANIFEST; a step
        that fails is recorded and the others still run. Then the report of
        'triage logs DIR' is printed (its options apply).

        Options:
        \(optionTable("collect"))

        Examples:
          triage collect --pid $(pgrep -f catalina) --out /tmp/incident-42 --tar
          triage collect --pid 4242 --dumps 5 --interval 5s --format markdown >t.md

        \(exitCodes)
        """
    }

    public static var rules: String {
        """
        triage rules — the rules triage applies, and checking your own

        Usage:
          triage rules list [--rules DIR] [--format text|json]
          triage rules show ID [--rules DIR] [--format text|json]
          triage rules check DIR

        A rule is one JSON5 file: the signals that are evidence for a root cause
        (exception classes, message texts, stack frames), the weight of each, a
        severity, the fix, and examples that must and must not match. 'rules check'
        reports problems as file:line and runs every example; add the directory to
        'logs' with --rules DIR. The README's "Writing a rule" section walks through
        one.

        Options:
        \(optionTable("rules"))

        \(exitCodes)
        """
    }

    private static func optionTable(_ command: String) -> String {
        let specs = OptionSpec.all.filter { $0.applies(to: command) }
        let width = (specs.map(\.spelling.count).max() ?? 0) + 2
        return specs.map { spec in
            let spelling = spec.spelling
            // Help fits 80 columns: descriptions wrap under their own column.
            let line = "  " + spelling + String(repeating: " ", count: width - spelling.count) + spec.help
            return TextWrapping.wrap(line, width: 80, column: width + 2)
        }.joined(separator: "\n")
    }
}
