import Testing
@testable import TriageKit

/// Every table format triage reads, line by line: which rows count, which side each socket is
/// on, who owns it, and where a table starts and when it was taken.
struct SocketTableParserTests {
    /// The snapshots the pipeline takes from `text`.
    static func snapshots(_ lines: [String], name: String = "sockets.txt") -> [SocketSnapshot] {
        Analyze.text(Analyze.lines(lines), name: name).socketSnapshots
    }

    static func snapshot(_ lines: [String]) throws -> SocketSnapshot {
        let all = snapshots(lines)
        #expect(all.count == 1)
        return try #require(all.first)
    }

    @Test func readsLinuxNetstatWithProgramsAndSkipsUnixSockets() throws {
        let table = try Self.snapshot([
            "(Not all processes could be identified, non-owned process info",
            " will not be shown, you would have to be root to see it all.)",
            "Active Internet connections (servers and established)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ",
            "tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      4242/java           ",
            "tcp        0      0 10.20.1.15:41022        10.20.30.40:9200        CLOSE_WAIT  4242/java           ",
            "tcp        1      0 10.20.1.15:41024        10.20.30.40:9200        CLOSE_WAIT  4242/java           ",
            "tcp        0      0 10.20.1.15:8080         10.20.0.31:52114        TIME_WAIT   -                   ",
            "tcp6       0      0 127.0.0.1:40001         127.0.0.1:8080          TIME_WAIT   -                   ",
            "udp        0      0 0.0.0.0:68              0.0.0.0:*                           911/dhclient        ",
            "Active UNIX domain sockets (servers and established)",
            "Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path",
            "unix  2      [ ACC ]     STREAM     LISTENING     151902   3006/systemd         /run/user/1000/systemd/private",
            "unix  3      [ ]         STREAM     CONNECTED     22079    966/dbus-daemon      ",
        ])
        #expect(table.tool == .netstatLinux)
        #expect(table.line == 3)
        #expect(table.sockets == 5)
        #expect(table.count(.closeWait) == 2)
        #expect(table.clientCount(.closeWait, toward: "10.20.30.40:9200") == 2)
        #expect(table.clientByRemoteAndProcess[.closeWait]?.counts["10.20.30.40:9200  java/4242"] == 2)
        // The TIME_WAIT on 8080 is the server's (8080 listens); the tcp6 one is a client's, its
        // IPv4-mapped address read as plain IPv4.
        #expect(table.serverSide[.timeWait] == 1)
        #expect(table.clientCount(.timeWait, toward: "127.0.0.1:8080") == 1)
        #expect(table.otherRows == 3)   // one UDP, two unix
        #expect(table.location(.closeWait, "10.20.30.40:9200") == SourceLocation(source: "sockets.txt", line: 6))
    }

    @Test func readsNetstatWithUserInodeAndTimerColumns() throws {
        let table = try Self.snapshot([
            "Active Internet connections (servers and established)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name     Timer",
            "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      0          22405      1026/sshd            off (0.00/0/0)",
            "tcp        0      0 172.16.1.10:60094       172.16.1.11:2380        ESTABLISHED 0          93720      1472/etcd            keepalive (6.63/0/0)",
            "tcp        0      0 172.16.1.10:22          172.16.1.1:41282        ESTABLISHED 0          150882     3002/sshd: core [pr  keepalive (7074.91/0/0)",
        ])
        #expect(table.sockets == 3)
        #expect(table.byProcess[.established]?.counts == ["etcd/1472": 1, "sshd/3002": 1])
        #expect(table.serverSide[.established] == 1)
        #expect(table.clientCount(.established, toward: "172.16.1.11:2380") == 1)
    }

    @Test func readsWindowsNetstatWithPIDsHostNamesAndServiceNames() throws {
        let table = try Self.snapshot([
            "",
            "Active Connections",
            "",
            "  Proto  Local Address          Foreign Address        State           PID",
            "  TCP    0.0.0.0:2869           BUILD-PC:0             LISTENING       4",
            "  TCP    [::]:8080              [::]:0                 LISTENING       7796",
            "  TCP    192.168.1.6:2869       192.168.1.1:1758       TIME_WAIT       0",
            "  TCP    192.168.1.6:50311      ec2-54-225-238-240:https  ESTABLISHED     10904",
            "  TCP    192.168.1.6:50312      ec2-54-225-238-240:https  CLOSE_WAIT      10904",
            "  UDP    0.0.0.0:500            *:*                                    3048",
        ])
        #expect(table.tool == .netstatWindows)
        #expect(table.isWindows)
        #expect(table.line == 2)
        #expect(table.sockets == 5)
        #expect(table.listeningPorts == [2869, 8080])
        #expect(table.serverSide[.timeWait] == 1)
        #expect(table.clientCount(.closeWait, toward: "ec2-54-225-238-240:443") == 1)
        #expect(table.byProcess[.closeWait]?.counts == ["pid 10904": 1])
        #expect(table.otherRows == 1)
    }

    @Test func attachesWindowsOwnerLinesToTheRowAbove() throws {
        let table = try Self.snapshot([
            "Active Connections",
            "",
            "  Proto  Local Address          Foreign Address        State",
            "  TCP    10.46.88.66:50111      dc01:msft-gc           ESTABLISHED",
            " [CiscoJabber.exe]",
            "  TCP    10.46.88.66:53801      dav01dc01:microsoft-ds  ESTABLISHED",
            " Can not obtain ownership information",
            "  TCP    10.46.88.66:53967      rsmsep:8014            TIME_WAIT",
            "  TCP    10.46.88.66:60590      uc01:8443              CLOSE_WAIT",
            "  RpcSs",
            " [svchost.exe]",
            "  TCP    127.0.0.1:5001         BUILD-PC:50188         CLOSE_WAIT",
            " [agent.exe]",
            "  TCP    127.0.0.1:50188        BUILD-PC:5001          FIN_WAIT_2",
            " [java.exe]",
        ])
        #expect(table.sockets == 6)
        #expect(table.byProcess[.established]?.counts == ["CiscoJabber.exe": 1])
        #expect(table.clientByRemoteAndProcess[.closeWait]?.counts == ["uc01:8443  svchost.exe": 1])
        #expect(table.count(.finWait2) == 1)
        // No LISTENING rows (`-b` without `-a`): port 5001 is a service because another row of
        // this host connects to it, so its CLOSE_WAIT is the server's, not a client's.
        #expect(table.serverSide[.closeWait] == 1)
        #expect(table.clientCount(.closeWait) == 1)
    }

    @Test func readsSSWithProcessesAndMappedAddresses() throws {
        let table = try Self.snapshot([
            "State      Recv-Q Send-Q      Local Address:Port        Peer Address:Port Process                          ",
            "LISTEN     0      128    [::ffff:127.0.0.1]:8080                   *:*     users:((\"java\",pid=17026,fd=4)) ",
            "CLOSE-WAIT 1      0      [::ffff:127.0.0.1]:36566 [::ffff:127.0.0.1]:8080  users:((\"java\",pid=17051,fd=31))",
            "FIN-WAIT-2 0      0      [::ffff:127.0.0.1]:8080  [::ffff:127.0.0.1]:36566                                 ",
            "ESTAB      0      0             10.0.0.5:51000    [2001:db8::7]:443    users:((\"java\",pid=17051,fd=40),(\"java\",pid=17051,fd=41))",
        ])
        #expect(table.tool == .ss)
        #expect(table.sockets == 4)
        #expect(table.clientCount(.closeWait, toward: "127.0.0.1:8080") == 1)
        #expect(table.byProcess[.closeWait]?.counts == ["java/17051": 1])
        #expect(table.serverSide[.finWait2] == 1)
        #expect(table.clientCount(.established, toward: "[2001:db8::7]:443") == 1)
    }

    @Test func readsSSWithNetidColumnAndContinuationLines() throws {
        let table = try Self.snapshot([
            "Netid  State   Recv-Q  Send-Q   Local Address:Port    Peer Address:Port   Process",
            "nl     UNCONN  0       0                    0:967                  *      sk=0 cb=0 groups=0x00000559",
            "u_str  ESTAB   0       0                    * 25225                * 25226  users:((\"hyperkube\",pid=1143,fd=20))",
            "tcp    LISTEN  0       128            0.0.0.0:22             0.0.0.0:*      users:((\"sshd\",pid=1026,fd=4)) ino:22405 sk:99 <->",
            "\t skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) cubic rto:1000 mss:536",
            "tcp    ESTAB   0       0          172.16.1.10:60094     172.16.1.11:2380   users:((\"etcd\",pid=1472,fd=11)) timer:(keepalive,6.6sec,0) ino:93720 sk:a3 <->",
            "\t skmem:(r0,rb369280,t0,tb87040,f0,w0,o0,bl0,d0) ts sack cubic wscale:7,7 rto:201 rtt:0.23/0.05",
            "udp    UNCONN  0       0              0.0.0.0:68             0.0.0.0:*      users:((\"dhclient\",pid=911,fd=6))",
        ])
        #expect(table.sockets == 2)
        #expect(table.otherRows == 3)
        #expect(table.clientCount(.established, toward: "172.16.1.11:2380") == 1)
        #expect(table.byProcess[.established]?.counts == ["etcd/1472": 1])
    }

    @Test func readsProcNetTCP() throws {
        let all = Self.snapshots([
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4105 1 0000000000000000 100 0 0 10 0",
            "   1: 0100007F:9C40 0100007F:1F90 06 00000000:00000000 03:00000F63 00000000     0        0 0 3 0000000000000000",
            "   2: 0F01140A:C7D6 281E140A:23F0 08 00000000:00000001 00:00000000 00000000  1000        0 5120 1 0000000000000000 20 4 30 10 -1",
        ])
        let tcp = try #require(all.first)
        #expect(tcp.tool == .procNetTCP)
        #expect(tcp.listeningPorts == [8080])
        // 0100007F:9C40 is 127.0.0.1:40000 toward 127.0.0.1:8080, in TIME_WAIT (06).
        #expect(tcp.clientCount(.timeWait, toward: "127.0.0.1:8080") == 1)
        // 0F01140A is 10.20.1.15 (little-endian), 281E140A:23F0 is 10.20.30.40:9200, CLOSE_WAIT (08).
        #expect(tcp.clientCount(.closeWait, toward: "10.20.30.40:9200") == 1)
    }

    @Test func readsIPv4MappedRowsOfProcNetTCP6() throws {
        let table = try Self.snapshot([
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0000000000000000FFFF00000F01140A:C7E0 0000000000000000FFFF0000281E140A:23F0 08 00000000:00000001 00:00000000 00000000  1000        0 5121 1 0000000000000000 20 4 30 10 -1",
            "   1: 00000000000000000000000001000000:A410 00000000000000000000000001000000:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 5122 1 0000000000000000 20 4 30 10 -1",
        ])
        #expect(table.clientCount(.closeWait, toward: "10.20.30.40:9200") == 1)
        #expect(table.clientCount(.established, toward: "[0:0:0:0:0:0:0:1]:8080") == 1)
    }

    @Test func readsLsof() throws {
        let table = try Self.snapshot([
            "COMMAND  PID USER   FD   TYPE  DEVICE SIZE/OFF NODE NAME",
            "java    4242 app   12u  IPv6  81234      0t0  TCP *:8080 (LISTEN)",
            "java    4242 app   45u  IPv6  81299      0t0  TCP 10.20.1.15:51022->10.20.30.40:9200 (CLOSE_WAIT)",
            "java    4242 app   46u  IPv6  81300      0t0  TCP 10.20.1.15:51024->10.20.30.40:9200 (ESTABLISHED)",
            "java    4242 app   47u  IPv4  81301      0t0  UDP *:5353",
        ])
        #expect(table.tool == .lsof)
        #expect(table.sockets == 3)
        #expect(table.clientByRemoteAndProcess[.closeWait]?.counts == ["10.20.30.40:9200  java/4242": 1])
        #expect(table.otherRows == 1)
    }

    @Test func takesEachTableTimeFromTheDateLineBeforeIt() {
        let all = Self.snapshots([
            "Tue Nov  5 22:40:42 UTC 2019",
            "(Not all processes could be identified, non-owned process info",
            " will not be shown, you would have to be root to see it all.)",
            "Active Internet connections (servers and established)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ",
            "tcp        0      0 127.0.0.1:40001         127.0.0.1:9080          TIME_WAIT   -                   ",
            "Active UNIX domain sockets (servers and established)",
            "Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path",
            "",
            "Tue Nov  5 22:44:45 UTC 2019",
            "(Not all processes could be identified, non-owned process info",
            " will not be shown, you would have to be root to see it all.)",
            "Active Internet connections (servers and established)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ",
            "tcp        0      0 127.0.0.1:40001         127.0.0.1:9080          TIME_WAIT   -                   ",
            "tcp        0      0 127.0.0.1:40002         127.0.0.1:9080          TIME_WAIT   -                   ",
        ])
        #expect(all.map(\.sockets) == [1, 2])
        #expect(all.map(\.line) == [4, 13])
        #expect(all.map { $0.time?.text } == ["2019-11-05 22:40:42.000", "2019-11-05 22:44:45.000"])
    }

    /// net-tools' netstat under a Czech, German or Brazilian Portuguese locale prints its states
    /// (and, but for German, its header) translated: rows shaped after `LANGUAGE=cs netstat -tan`
    /// on Debian. Every row counts as its English twin would.
    @Test func readsNetstatsTranslatedStates() throws {
        let czech = try Self.snapshot([
            "Proto Přích-F Odch-F Místní Adresa          Vzdálená Adresa         Stav     ",
            "tcp        0      0 127.0.0.1:44047         0.0.0.0:*               NASLOUCHÁ ",
            "tcp        1      0 127.0.0.1:59748         127.0.0.1:44047         CLOSE_WAIT ",
            "tcp        0      0 127.0.0.1:44047         127.0.0.1:59748         FIN_WAIT2  ",
            "tcp        0      0 127.0.0.1:59790         127.0.0.1:44047         SPOJENO    ",
            "tcp        0      0 127.0.0.1:44047         127.0.0.1:59790         SPOJENO    ",
            "tcp        0      0 127.0.0.1:59800         10.0.0.9:443            POSLEDNÍ ACK",
        ])
        #expect(czech.tool == .netstatLinux)
        #expect(czech.sockets == 6)
        #expect(czech.states == [.listen: 1, .closeWait: 1, .finWait2: 1, .established: 2, .lastAck: 1])
        #expect(czech.clientCount(.closeWait, toward: "127.0.0.1:44047") == 1)
        #expect(czech.serverSide[.established] == 1)

        let portuguese = try Self.snapshot([
            "Proto Recv-Q Send-Q Endereço Local          Endereço Remoto         Estado     ",
            "tcp        0      0 127.0.0.1:33533         0.0.0.0:*               OUÇA      ",
            "tcp        1      0 127.0.0.1:59748         127.0.0.1:33533         ESPERANDO_FECHAR",
            "tcp        0      0 127.0.0.1:59790         127.0.0.1:33533         ESTABELECIDA",
            "tcp        0      0 127.0.0.1:33533         127.0.0.1:59748         ESPERA_FIN2",
        ])
        #expect(portuguese.states == [.listen: 1, .closeWait: 1, .established: 1, .finWait2: 1])
        #expect(portuguese.clientCount(.closeWait, toward: "127.0.0.1:33533") == 1)

        let german = try Self.snapshot([
            "Aktive Internetverbindungen (Server und stehende Verbindungen)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ",
            "tcp        0      0 127.0.0.1:40000         10.0.0.9:443            VERBUNDEN  ",
        ])
        #expect(german.states == [.established: 1])
    }

    /// A state no tool prints in any language this reader knows: the row is left out and the
    /// input's notes say how many, and the first.
    @Test func aRowWithAnUnknownStateIsCountedAndNamed() throws {
        let analysis = Analyze.text(Analyze.lines([
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ",
            "tcp        0      0 127.0.0.1:40000         10.0.0.9:443            ESTABLISHED",
            "tcp        0      0 127.0.0.1:40001         10.0.0.9:443            HERGESTELLT",
            "tcp        0      0 127.0.0.1:40002         10.0.0.9:443            HERGESTELLT",
            "TCP    10.0.0.5:50111     10.0.0.9:443     ESTABLISHED     4242",
        ]))
        #expect(analysis.socketSnapshots.map(\.sockets) == [1])
        let notes = analysis.summary.notes ?? []
        #expect(notes == ["2 socket row(s) have a state triage does not know (first `HERGESTELLT`, line 3): left out of the socket counts"])
    }

    /// `ss -tan state time-wait` (ss's header as this machine's iproute2 prints it): the filter
    /// drops the State column, so no row says its state. Not read as any state, and said so;
    /// the `ss -tan` after it is read as usual.
    @Test func anSSTableWithoutItsStateColumnIsNotedNotGuessed() throws {
        let analysis = Analyze.text(Analyze.lines([
            "Recv-Q Send-Q Local Address:Port Peer Address:PortProcess",
            "0      0          127.0.0.1:32768  127.0.0.3:19092",
            "0      0          127.0.0.1:32770  127.0.0.3:19092",
            "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process",
            "ESTAB  0      0          127.0.0.1:40000  10.0.0.9:443",
        ]))
        #expect(analysis.socketSnapshots.map(\.sockets) == [1])
        #expect(analysis.summary.notes == ["2 socket row(s) under the header at line 1 have no State column (`ss … state FILTER` drops it): "
            + "not read; capture `ss -tanp` without a filter"])
    }

    /// Two translated tables in one capture (`date`, then `netstat`, twice) are two snapshots.
    @Test func aTranslatedHeaderStartsTheNextTable() throws {
        let all = Self.snapshots([
            "tcp        1      0 127.0.0.1:59748         127.0.0.1:44047         CLOSE_WAIT ",
            "tcp        1      0 127.0.0.1:59750         127.0.0.1:44047         CLOSE_WAIT ",
            "Proto Přích-F Odch-F Místní Adresa          Vzdálená Adresa         Stav     ",
            "tcp        1      0 127.0.0.1:59748         127.0.0.1:44047         CLOSE_WAIT ",
        ])
        #expect(all.map(\.sockets) == [2, 1])
        #expect(all.map(\.line) == [1, 3])
    }

    /// `date; netstat -anp` twice under a German locale: each capture ends with the UNIX
    /// sockets under their translated header, which must not swallow the next capture's table.
    @Test func aTranslatedUnixSocketHeaderDoesNotTakeTheNextTable() throws {
        let all = Self.snapshots([
            "Tue Nov  5 07:00:00 UTC 2019",
            "Aktive Internetverbindungen (Server und stehende Verbindungen)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name",
            "tcp        0      0 10.0.0.5:40000          10.0.0.9:443            VERBUNDEN   4242/java",
            "Aktive Sockets in der UNIX-Domäne (Server und stehende Verbindungen)",
            "Proto RefZäh Flaggen     Typ        Zustand       I-Node   PID/Program name     Pfad",
            "unix  2      [ ACC ]     STREAM     HÖRT          151902   3006/systemd         /run/user/1000/systemd/private",
            "Tue Nov  5 07:05:00 UTC 2019",
            "Aktive Internetverbindungen (Server und stehende Verbindungen)",
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name",
            "tcp        0      0 10.0.0.5:40002          10.0.0.9:443            VERBUNDEN   4242/java",
            "tcp        0      0 10.0.0.5:40004          10.0.0.9:443            VERBUNDEN   4242/java",
        ])
        #expect(all.map(\.sockets) == [1, 2])
        #expect(all.map { $0.time?.text } == ["2019-11-05 07:00:00.000", "2019-11-05 07:05:00.000"])
    }

    /// The same header over a Windows table: its first row says which tool wrote it.
    @Test func aTranslatedHeaderOverWindowsRows() throws {
        let all = Self.snapshots([
            "TCP    10.0.0.5:50110     10.0.0.9:443     TIME_WAIT       0",
            "  Proto  Lokale Adresse         Remoteadresse          Status           PID",
            "  TCP    10.0.0.5:50111         10.0.0.9:443           TIME_WAIT        0",
            "  TCP    10.0.0.5:50112         10.0.0.9:443           TIME_WAIT        0",
        ])
        #expect(all.map(\.tool) == [.netstatWindows, .netstatWindows])
        #expect(all.map(\.sockets) == [1, 2])
    }

    @Test func leavesTheTableWhenTheLogResumes() {
        let analysis = Analyze.text(Analyze.lines([
            "State     Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
            "TIME-WAIT 0      0         10.20.1.15:40000 10.20.30.40:8080",
            "2024-12-21 13:26:03,117 ERROR [main] c.e.App - connect failed",
            "java.net.BindException: Cannot assign requested address",
        ]))
        #expect(analysis.socketSnapshots.map(\.sockets) == [1])
        #expect(analysis.summary.sections == ["socket-table": 1, "log": 1])
        #expect(analysis.summary.records == 1)
    }

    @Test(arguments: [
        ("Tue Nov  5 22:40:42 UTC 2019", "2019-11-05 22:40:42.000"),
        ("Sat Dec 21 13:20:00 CST 2024", "2024-12-21 13:20:00.000"),
        ("Mon Jan 06 01:02:03 2025", "2025-01-06 01:02:03.000"),
    ])
    func readsTheOutputOfDate(_ text: String, _ expected: String) {
        #expect(LogTimestamp.dateCommand(text)?.text == expected)
    }

    @Test(arguments: ["2024-12-21 13:20:00", "Tue is a day", "Nov  5 22:40:42 host app[1]: started"])
    func refusesWhatIsNotTheOutputOfDate(_ text: String) {
        #expect(LogTimestamp.dateCommand(text) == nil)
    }
}
