import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that opens a new TCP connection per request and closes it first, so every request
 * leaves a client-side TIME_WAIT, against a keep-alive server in the same JVM on 127.0.0.1.
 * In a network namespace with a narrow ip_local_port_range the ports run out and connect()
 * fails with EADDRNOTAVAIL.
 *   PortChurn PORT THREADS FAILURES: serves on PORT (outside the ephemeral range, or it takes one
 *   of the ports the clients need), prints PORT n, logs each failure (log4j layout, with its stack
 *   trace) to stdout, and prints READY after FAILURES failures (or 15 s); then waits to be killed.
 */
public class PortChurn {
    static final PrintStream LOG = System.out;
    static final AtomicInteger failures = new AtomicInteger();
    static final AtomicInteger requests = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[1]);
        int wanted = Integer.parseInt(args[2]);
        ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 256, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> serve(server), "test-server");
        acceptor.setDaemon(true);
        acceptor.start();
        int port = server.getLocalPort();
        System.out.println("PORT " + port);
        log("INFO ", "main", "quote client starting: a new connection per request to http://127.0.0.1:" + port + "/quote");
        for (int i = 1; i <= threads; i++) {
            Thread worker = new Thread(() -> work(port), "quote-worker-" + i);
            worker.setDaemon(true);
            worker.start();
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while (failures.get() < wanted && System.currentTimeMillis() < deadline) Thread.sleep(50);
        log("INFO ", "main", "requests ok=" + requests.get() + " failed=" + failures.get());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(600_000);
    }

    static void work(int port) {
        byte[] request = ("GET /quote HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.getOutputStream().write(request);
                readResponse(socket.getInputStream());
                requests.incrementAndGet();
            } catch (IOException e) {
                failures.incrementAndGet();
                synchronized (LOG) {
                    log("ERROR", Thread.currentThread().getName(), "quote request to http://127.0.0.1:" + port + "/quote failed");
                    e.printStackTrace(LOG);
                }
                sleep(100);
            }
        }
    }

    /** Headers, then Content-Length bytes of body: the connection could be reused, but is not. */
    static void readResponse(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            headers.append((char) c);
            if (headers.length() >= 4 && headers.substring(headers.length() - 4).equals("\r\n\r\n")) break;
        }
        int length = 0;
        for (String line : headers.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        for (int i = 0; i < length && in.read() >= 0; i++) { }
    }

    static void serve(ServerSocket server) {
        while (true) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> answer(socket), "test-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Keep-alive: answers until the client closes, so the client closes first. */
    static void answer(Socket socket) {
        try (Socket s = socket) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] body = "{\"quote\":42}".getBytes(StandardCharsets.UTF_8);
            int matched = 0, c;
            while ((c = in.read()) >= 0) {
                matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
                if (matched == 4) {
                    matched = 0;
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    static void log(String level, String thread, String message) {
        String time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date());
        LOG.println(time + " " + level + " [" + thread + "] com.example.quotes.QuoteClient - " + message);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
