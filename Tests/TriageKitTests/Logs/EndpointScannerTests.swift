import Testing
@testable import TriageKit

@Suite struct EndpointScannerTests {
    @Test(arguments: [
        ("Connect to 10.20.1.15:8080 [/10.20.1.15] failed: No buffer space available", ["10.20.1.15:8080"]),
        ("Connect to inventory.internal:8080 [inventory.internal/10.20.1.15] failed", ["inventory.internal:8080"]),
        ("inventory lookup failed for http://10.20.1.15:8080/api/stock", ["10.20.1.15:8080"]),
        ("POST https://pay.example.com/v1/charge failed", ["pay.example.com:443"]),
        ("calling http://search/api twice, then http://search/api again", ["search:80"]),
        ("Connection refused: /172.16.17.90:9994", ["172.16.17.90:9994"]),
        ("version 1.2.3.4 released, 10.0.0.1 has no port", []),
        ("No buffer space available (maximum connections reached?): connect", []),
        // Several in one line, in order, each once; a URL's own address is not counted again.
        ("Connect to a.internal:8080 failed, retrying http://10.0.0.7:9000/x via /10.0.0.8:81 and Connect to a.internal:8080",
         ["a.internal:8080", "10.0.0.7:9000", "10.0.0.8:81"]),
        ("{http://xml.apache.org/axis/}stackTrace:java.net.SocketException: connect to 10.1.1.1:443", ["10.1.1.1:443"]),
        ("connect to db-1:5432 timed out; connect to db-2 refused; 1.2.3.4.5:80 is no address; port 70000:1 neither",
         ["db-1:5432"]),
        ("HTTPS://Pay.Example.com:8443/v1 at 12:30:45, then http:// and https:/x", ["Pay.Example.com:8443"]),
        // Hadoop's IPC and PostgreSQL name the destination after " to "; a documentation link is no destination.
        ("NoRouteToHostException: No Route to Host from  worker-7/10.0.0.7 to namenode-1:9000 failed on socket timeout "
         + "exception: java.net.NoRouteToHostException: No route to host; For more details see:  http://wiki.apache.org/hadoop/NoRouteToHost",
         ["namenode-1:9000"]),
        ("Connection to localhost:5432 refused. Check that the hostname and port are correct", ["localhost:5432"]),
        ("timeout set to 12:30, switched to ssl:true; to visit http://docs.example.com/x, see https://wiki/y; oversee http://a:81/",
         ["a:81"]),
        // JDBC URLs name the database, with each driver's default port.
        ("jdbcUrl.........................jdbc:postgresql://db.internal/orders?ssl=true", ["db.internal:5432"]),
        ("url=jdbc:mysql://10.0.4.8:3307/shop and jdbc:mariadb://maria/shop", ["10.0.4.8:3307", "maria:3306"]),
        ("jdbc:oracle:thin:@ora1:1521:ORCL, jdbc:oracle:thin:@//ora2/svc", ["ora1:1521", "ora2:1521"]),
        ("jdbc:sqlserver://mssql;databaseName=x and jdbc:h2:tcp://127.0.0.1:38685/mem:orders", ["mssql:1433", "127.0.0.1:38685"]),
        ("jdbc:h2:mem:orders is in memory, jdbc:unknown://x:1 is no driver we know", []),
    ])
    func findsEndpoints(_ text: String, _ expected: [String]) {
        #expect(EndpointScanner.endpoints(in: text) == expected)
    }
}
