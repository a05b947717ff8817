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
