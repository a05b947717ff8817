import java.sql.Connection;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

/**
 * Real pools (Debian's HttpClient 4.5, DBCP 2 over H2) misused as applications misuse them,
 * logging as an application does, then exiting:
 *   httpclient-closed: a shared client closed, then called again (Connection pool shut down);
 *   dbcp-closed: a BasicDataSource closed, then borrowed from (Data source is closed);
 *   dbcp-leak: two connections borrowed and never returned from a pool of two, then a third
 *       borrower times out (Cannot get a connection, pool error Timeout waiting for idle object).
 */
public class PoolMisuse {
    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "httpclient-closed": PriceSync.afterClose(); break;
                case "dbcp-closed": OrderReports.afterClose(); break;
                case "dbcp-leak": OrderReports.leak(); break;
                case "dbcp-saturated": OrderReports.saturated(); break;
                default: throw new IllegalArgumentException(args[0]);
            }
        } catch (Exception failure) {
            log("ERROR", "scheduler-1", "job failed");
            failure.printStackTrace(System.out);
        }
        System.out.flush();
    }

    static void log(String level, String thread, String message) {
        String time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date());
        System.out.println(time + " " + level + " [" + thread + "] com.acme.PoolMisuse - " + message);
    }

    static class PriceSync {
        static void afterClose() throws Exception {
            CloseableHttpClient client = HttpClients.createDefault();
            client.close();   // a refresh closed the shared client; this task kept its reference
            client.execute(new HttpGet("http://127.0.0.1:9/prices"));
        }
    }

    static class OrderReports {
        static BasicDataSource dataSource(int size, long waitMillis) {
            BasicDataSource source = new BasicDataSource();
            source.setUrl("jdbc:h2:mem:orders");
            source.setMaxTotal(size);
            source.setMaxWaitMillis(waitMillis);
            return source;
        }

        static void afterClose() throws Exception {
            BasicDataSource source = dataSource(4, 500);
            source.getConnection().close();
            source.close();
            try (Connection connection = source.getConnection()) {
                connection.createStatement().execute("select 1");
            }
        }

        /**
         * A database that answers slowly: an H2 TCP server whose query sleeps; a pool of 4 whose
         * connections are all busy in that query; 3 more callers time out waiting for one, again
         * and again. Logs its start-up line (URL, maxTotal) and the timeouts, prints READY, waits.
         */
        static void saturated() throws Exception {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) { port = probe.getLocalPort(); }
            org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
            String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:orders";
            BasicDataSource source = new BasicDataSource();
            source.setUrl(url);
            source.setMaxTotal(4);
            source.setMaxWaitMillis(800);
            log("INFO", "main", "orders database pool: url=" + url + " maxTotal=4 maxWaitMillis=800");
            try (Connection connection = source.getConnection()) {
                connection.createStatement().execute("CREATE ALIAS IF NOT EXISTS SLEEP FOR 'java.lang.Thread.sleep'");
            }
            for (int i = 1; i <= 4; i++) {
                Thread worker = new Thread(() -> {
                    try (Connection connection = source.getConnection()) {
                        connection.createStatement().execute("CALL SLEEP(600000)");   // the slow report query
                    } catch (Exception e) { }
                }, "report-worker-" + i);
                worker.setDaemon(true);
                worker.start();
            }
            Thread.sleep(500);
            for (int i = 1; i <= 3; i++) {
                String name = "http-nio-8080-exec-" + i;
                Thread caller = new Thread(() -> {
                    while (true) {
                        try (Connection connection = source.getConnection()) {
                            connection.createStatement().execute("select 1");
                        } catch (Exception failure) {
                            synchronized (System.out) {
                                log("ERROR", name, "order lookup failed");
                                failure.printStackTrace(System.out);
                            }
                        }
                    }
                }, name);
                caller.setDaemon(true);
                caller.start();
            }
            Thread.sleep(2000);
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(120_000);
        }

        static void leak() throws Exception {
            BasicDataSource source = dataSource(2, 300);
            List<Connection> neverClosed = new ArrayList<>();
            for (int i = 0; i < 2; i++) neverClosed.add(source.getConnection());
            log("INFO", "main", "pool stats: maxTotal=2, active=" + source.getNumActive() + ", idle=" + source.getNumIdle());
            try (Connection connection = source.getConnection()) {
                connection.createStatement().execute("select 1");
            }
        }
    }
}
