import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.text.SimpleDateFormat;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS handshakes and name lookups that fail as they fail in production, against a server in
 * the same JVM on 127.0.0.1, logged as an application logs them:
 *   java NetworkFailures DIR untrusted | expired | hostname | protocol | dns | refused | connect ADDRESS
 * DIR holds server.p12 (the server's key) and trust.p12 (what the client trusts), made by the
 * test with keytool; `dns` looks up a name under .invalid, which never resolves; `refused` calls
 * a port on 127.0.0.1 nothing listens on; `connect` calls ADDRESS:8080, which the test's network
 * namespace routes as unreachable, prohibited or not at all.
 */
public class NetworkFailures {
    static final char[] PASSWORD = "changeit".toCharArray();

    public static void main(String[] args) throws Exception {
        String dir = args[0];
        String mode = args[1];
        if (mode.equals("dns")) {
            for (int call = 0; call < 5; call++) {
                try {
                    InventoryClient.resolve("inventory.no-such-zone.invalid");
                } catch (Exception failure) {
                    log("ERROR", "pool-2-thread-" + (call + 1), "inventory lookup failed");
                    failure.printStackTrace(System.out);
                }
            }
            return;
        }
        if (mode.equals("refused") || mode.equals("connect")) {
            String address = mode.equals("connect") ? args[2] : "127.0.0.1";
            int port = 8080;
            if (mode.equals("refused")) {
                // A port that was just free: nothing listens on it.
                try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getByName(address))) {
                    port = probe.getLocalPort();
                }
            }
            String url = "http://" + address + ":" + port + "/stock";
            for (int call = 0; call < 5; call++) {
                try {
                    InventoryClient.fetch(url);
                } catch (Exception failure) {
                    log("ERROR", "pool-2-thread-" + (call + 1), "inventory call to " + url + " failed");
                    failure.printStackTrace(System.out);
                }
            }
            return;
        }
        SSLContext serverContext = context(dir + "/server.p12", null);
        SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        if (mode.equals("protocol")) server.setEnabledProtocols(new String[] {"TLSv1.3"});
        Thread acceptor = new Thread(() -> {
            try (Socket socket = server.accept()) {
                ((SSLSocket) socket).startHandshake();
            } catch (Exception ignored) {
                // the client's failure is what the test reads
            }
        }, "tls-server");
        acceptor.start();
        try {
            PaymentClient.handshake(mode.equals("untrusted") ? SSLContext.getDefault() : context(null, dir + "/trust.p12"),
                                    server.getLocalPort(), mode.equals("protocol") ? new String[] {"TLSv1.2"} : null);
        } catch (Exception failure) {
            log("ERROR", "http-nio-8080-exec-4", "payment call failed");
            failure.printStackTrace(System.out);
        }
        acceptor.join(5_000);
        server.close();
    }

    static SSLContext context(String keyStore, String trustStore) throws Exception {
        KeyManagerFactory keys = null;
        TrustManagerFactory trust = null;
        if (keyStore != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new FileInputStream(keyStore), PASSWORD);
            keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(store, PASSWORD);
        }
        if (trustStore != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new FileInputStream(trustStore), PASSWORD);
            trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(store);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return context;
    }

    static void log(String level, String thread, String message) {
        String time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date());
        System.out.println(time + " " + level + " [" + thread + "] com.acme.NetworkFailures - " + message);
    }

    static class PaymentClient {
        static void handshake(SSLContext context, int port, String[] protocols) throws Exception {
            Socket raw = new Socket();
            raw.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 2_000);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            if (protocols != null) socket.setEnabledProtocols(protocols);
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            socket.close();
        }
    }

    static class InventoryClient {
        static InetAddress resolve(String host) throws Exception {
            return InetAddress.getByName(host);
        }

        static int fetch(String url) throws Exception {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) new java.net.URL(url).openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(2_000);
            return connection.getResponseCode();
        }
    }
}
