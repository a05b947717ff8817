import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * One shared HttpClient 4 pool against a server in the same JVM, on 127.0.0.1.
 *   leak PER_ROUTE THREADS: every thread sends a request and never closes the response, so
 *       PER_ROUTE leases are never returned; the server drops idle connections after 300 ms,
 *       which leaves the leased sockets in CLOSE_WAIT; the other threads wait for the pool.
 *   slow PER_ROUTE THREADS: the server answers after two minutes; PER_ROUTE threads read,
 *       the others wait for the pool.
 *   busy PER_ROUTE THREADS: healthy and busy: the server answers after 30 ms, every thread sends
 *       request after request (each response closed), so threads sit in socketRead in any dump.
 *   turns-leaky PER_ROUTE THREADS TRIGGER: healthy (every response closed, a request per thread
 *       every 100 ms, within the server's 300 ms idle limit) until the file TRIGGER appears, then as leak; prints LEAKING when it has.
 * Prints PORT n, then READY once the state is established, and waits to be dumped and killed.
 */
public class HttpPools {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int perRoute = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        ServerSocket server = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> serve(server, mode), "test-server");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("PORT " + server.getLocalPort());

        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setMaxTotal(perRoute);
        pool.setDefaultMaxPerRoute(perRoute);
        CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(600_000).setSocketTimeout(600_000).build())
                .build();
        String url = "http://127.0.0.1:" + server.getLocalPort() + "/stock";
        // What an application logs at start-up, and what triage compares the CLOSE_WAIT count with.
        System.out.println(new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new java.util.Date())
                + " INFO  [main] com.example.search.SearchGateway - pool ready: maxTotal=" + perRoute + " maxPerRoute=" + perRoute + " base=" + url);
        java.io.File trigger = new java.io.File(args.length > 3 ? args[3] : "/nonexistent");
        for (int i = 1; i <= threads; i++) {
            new Thread(() -> {
                try {
                    while (mode.equals("busy") || (mode.equals("turns-leaky") && !trigger.exists())) {
                        try (org.apache.http.client.methods.CloseableHttpResponse response = client.execute(new HttpGet(url))) {
                            org.apache.http.util.EntityUtils.consume(response.getEntity());
                        }
                        if (!mode.equals("busy")) Thread.sleep(100);
                    }
                    client.execute(new HttpGet(url));   // the response is never closed: the lease leaks
                    Thread.sleep(600_000);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "search-worker-" + i).start();
        }
        Thread.sleep(mode.equals("leak") ? 1500 : 1000);
        System.out.println("READY");
        System.out.flush();
        if (mode.equals("turns-leaky")) {
            while (!trigger.exists()) Thread.sleep(50);
            Thread.sleep(1500);   // the server drops the leaked connections after 300 ms idle
            System.out.println("LEAKING");
            System.out.flush();
        }
        Thread.sleep(600_000);
    }

    static void serve(ServerSocket server, String mode) {
        while (true) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> answer(socket, mode), "test-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    static void answer(Socket socket, String mode) {
        try (Socket s = socket) {
            s.setSoTimeout(300);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                try {
                    if (!readHeaders(in)) return;
                } catch (SocketTimeoutException idle) {
                    return;   // drop the idle connection: the client is left in CLOSE_WAIT
                }
                if (mode.equals("slow")) Thread.sleep(120_000);
                if (mode.equals("busy")) Thread.sleep(30);
                byte[] body = "{\"stock\":42}".getBytes(StandardCharsets.UTF_8);
                // One write: headers and body in two would wait out the client's delayed ACK (40 ms).
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                response.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                response.write(body);
                out.write(response.toByteArray());
                out.flush();
            }
        } catch (Exception e) {
            // the test kills the JVM
        }
    }

    static boolean readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int c, matched = 0;
        while ((c = in.read()) >= 0) {
            seen.write(c);
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4) return true;
        }
        return false;
    }
}
