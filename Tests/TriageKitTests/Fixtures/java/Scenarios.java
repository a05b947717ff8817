import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts a JVM into a known state for triage's tests, prints READY, then waits to be dumped
 * (jstack, jcmd) and killed. One scenario per run: java Scenarios NAME.
 */
public class Scenarios {
    static final Object ledgerA = new Object();
    static final Object ledgerB = new Object();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "monitor-deadlock": monitorDeadlock(); break;
            case "lock-deadlock": lockDeadlock(); break;
            case "contention": contention(Integer.parseInt(args[1])); break;
            case "semaphore-pool": semaphorePool(Integer.parseInt(args[1]), Integer.parseInt(args[2])); break;
            case "deadlock-with-queue": deadlockWithQueue(Integer.parseInt(args[1])); break;
            case "idle-acceptors": idleAcceptors(Integer.parseInt(args[1])); break;
            case "startup-hang": startupHang(Integer.parseInt(args[1])); break;
            case "deadlock-chain": deadlockChain(); break;
            case "fd-leak": fdLeak(); break;
            case "jul-acceptor": julAcceptor(args.length > 1 && args[1].equals("java6")); break;
            case "hung-server": hungServer(Integer.parseInt(args[1])); break;
            case "silent-backend": silentBackend(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                                                 args.length > 3 ? Integer.parseInt(args[3]) : 0); break;
            default: throw new IllegalArgumentException(args[0]);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000);   // the test kills us long before
    }

    /**
     * A start-up that never finishes: "main" holds the registry's monitor and waits for a loader
     * task that needs the same monitor; WAITERS request threads queue for it too. The JVM reports
     * no deadlock (a future has no owner).
     */
    static void startupHang(int waiters) throws Exception {
        java.util.concurrent.ExecutorService loaders = java.util.concurrent.Executors.newSingleThreadExecutor(
                task -> new Thread(task, "plugin-loader-1"));
        Thread boot = new Thread(() -> {
            try { PluginRegistry.loadAll(loaders); } catch (Exception e) { e.printStackTrace(); }
        }, "boot");
        boot.setDaemon(true);
        boot.start();
        Thread.sleep(300);
        for (int i = 1; i <= waiters; i++) {
            Thread request = new Thread(PluginRegistry::lookup, "http-nio-8080-exec-" + i);
            request.setDaemon(true);
            request.start();
        }
        Thread.sleep(500);
    }

    static class PluginRegistry {
        static synchronized void loadAll(java.util.concurrent.ExecutorService loaders) throws Exception {
            loaders.submit(PluginRegistry::register).get();   // the task needs this monitor: never done
        }

        static synchronized void register() { }

        static synchronized void lookup() { }
    }

    /** Two threads take two monitors in opposite order. */
    static void monitorDeadlock() throws InterruptedException {
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        new Thread(() -> transfer(ledgerA, ledgerB, bothHoldOne), "transfer-a-to-b").start();
        new Thread(() -> transfer(ledgerB, ledgerA, bothHoldOne), "transfer-b-to-a").start();
        bothHoldOne.await();
        Thread.sleep(300);
    }

    static void transfer(Object from, Object to, CountDownLatch latch) {
        synchronized (from) {
            latch.countDown();
            try { latch.await(); } catch (InterruptedException e) { return; }
            synchronized (to) {
                System.out.println("never");
            }
        }
    }

    /** The same with ReentrantLocks: the JVM's own detector does not report this shape in every JDK. */
    static void lockDeadlock() throws InterruptedException {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        new Thread(() -> lockBoth(first, second, bothHoldOne), "settle-1").start();
        new Thread(() -> lockBoth(second, first, bothHoldOne), "settle-2").start();
        bothHoldOne.await();
        Thread.sleep(300);
    }

    static void lockBoth(ReentrantLock one, ReentrantLock two, CountDownLatch latch) {
        one.lock();
        try {
            latch.countDown();
            try { latch.await(); } catch (InterruptedException e) { return; }
            two.lock();
        } finally {
            one.unlock();
        }
    }

    /** One thread holds a monitor and sleeps; `waiters` threads queue to enter it. */
    static void contention(int waiters) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        new Thread(() -> {
            synchronized (ledgerA) {
                held.countDown();
                try { Thread.sleep(120_000); } catch (InterruptedException e) { }
            }
        }, "audit-writer").start();
        held.await();
        for (int i = 1; i <= waiters; i++) {
            new Thread(() -> { synchronized (ledgerA) { System.out.println("in"); } }, "request-" + i).start();
        }
        Thread.sleep(500);
    }

    /** A monitor deadlock, and `waiters` request threads queued for a monitor one member holds. */
    static void deadlockWithQueue(int waiters) throws InterruptedException {
        monitorDeadlock();
        for (int i = 1; i <= waiters; i++) {
            new Thread(() -> { synchronized (ledgerA) { System.out.println("never"); } }, "posting-" + i).start();
        }
        Thread.sleep(500);
    }

    /**
     * A healthy server: `acceptors` threads share one ServerSocket, as servers' acceptor pools
     * do; one waits in accept() holding its lock, the others queue for the lock. Idle, not contended.
     */
    static void idleAcceptors(int acceptors) throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0);
        for (int i = 1; i <= acceptors; i++) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try { server.accept().close(); } catch (java.io.IOException e) { return; }
                }
            }, "http-acceptor-" + i);
            acceptor.setDaemon(true);
            acceptor.start();
        }
        Thread.sleep(500);
    }

    /**
     * An HTTP server whose handlers deadlock (two transfers take the ledgers in opposite orders)
     * and queue behind it; CALLERS more clients send a request, wait 300 ms and give up. Their
     * connections sit in CLOSE_WAIT on the server's port: the symptom, not a leak.
     */
    static void hungServer(int callers) throws Exception {
        java.util.concurrent.atomic.AtomicInteger handlers = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4,
                task -> { Thread t = new Thread(task, "http-handler-" + handlers.incrementAndGet()); t.setDaemon(true); return t; }));
        server.createContext("/transfer", exchange -> {
            boolean fromA = "from=a".equals(exchange.getRequestURI().getQuery());
            Object first = fromA ? ledgerA : ledgerB, second = fromA ? ledgerB : ledgerA;
            synchronized (first) {
                pause(200);
                synchronized (second) { exchange.sendResponseHeaders(200, -1); exchange.close(); }
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        java.util.List<java.net.Socket> open = new java.util.ArrayList<>();
        for (String query : new String[] { "from=a", "from=b", "from=a", "from=b" }) open.add(request(port, query));
        pause(400);
        for (int i = 0; i < callers; i++) {
            java.net.Socket caller = request(port, "from=a");
            pause(20);
            caller.close();   // gave up
        }
        System.out.println("PORT " + port);
        pause(300);
    }

    static java.net.Socket request(int port, String query) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(("GET /transfer?" + query + " HTTP/1.1\r\nHost: ledger\r\n\r\n").getBytes());
        socket.getOutputStream().flush();
        return socket;
    }

    /**
     * A client that never closes its sockets, against a server that closes every connection
     * it accepts: each client socket stays in CLOSE_WAIT, holding its descriptor, until the
     * open-files limit (run it under `prlimit --nofile`) makes connect fail with EMFILE.
     */
    /**
     * Tomcat's acceptor failing as catalina.out shows it: java.util.logging's SimpleFormatter (or,
     * with `java6`, that formatter's Java 6 layout, the locale's date and time), in whatever
     * locale the JVM runs (-Duser.language, -Duser.country, -Djava.locale.providers).
     */
    static void julAcceptor(boolean java6) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.apache.tomcat.util.net.JIoEndpoint");
        logger.setUseParentHandlers(false);
        java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
        if (java6) {
            formatter = new java.util.logging.Formatter() {
                @Override public String format(java.util.logging.LogRecord record) {
                    String when = new java.text.MessageFormat("{0,date} {0,time}")
                        .format(new Object[] {new java.util.Date(record.getMillis())});
                    StringBuilder text = new StringBuilder(when).append(' ').append(record.getSourceClassName())
                        .append(' ').append(record.getSourceMethodName()).append('\n')
                        .append(record.getLevel().getLocalizedName()).append(": ").append(formatMessage(record)).append('\n');
                    if (record.getThrown() != null) {
                        java.io.StringWriter trace = new java.io.StringWriter();
                        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                        text.append(trace);
                    }
                    return text.toString();
                }
            };
        }
        java.util.logging.StreamHandler handler = new java.util.logging.StreamHandler(System.out, formatter);
        logger.addHandler(handler);
        logger.info("Starting ProtocolHandler [\"http-bio-8080\"]");
        for (int attempt = 0; attempt < 5; attempt++) {
            logger.log(java.util.logging.Level.SEVERE, "Socket accept failed", new java.net.SocketException("Too many open files"));
        }
        logger.warning("Maximum number of threads (200) created for connector with address null and port 8080");
        handler.flush();
    }

    static void fdLeak() throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (true) {
                try { server.accept().close(); } catch (java.io.IOException e) { pause(10); }
            }
        }, "status-server");
        acceptor.setDaemon(true);
        acceptor.start();
        java.util.List<java.net.Socket> leaked = new java.util.ArrayList<>();
        java.text.SimpleDateFormat format = new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS");
        for (int failures = 0; failures < 3; ) {
            try {
                leaked.add(new java.net.Socket(server.getInetAddress(), server.getLocalPort()));   // never closed
            } catch (java.io.IOException e) {
                failures++;
                System.out.println(format.format(new java.util.Date()) + " ERROR [status-poller] com.acme.StatusClient - poll failed");
                e.printStackTrace(System.out);
                pause(100);
            }
        }
        pause(300);
    }

    /**
     * A deadlock with a waiter the JVM lists in its report: "early-waiter" is the oldest of the
     * three, so HotSpot's search starts at it and prints the chain from it into the cycle.
     */
    static void deadlockChain() throws Exception {
        Thread waiter = new Thread(() -> { pause(300); synchronized (ledgerA) { } }, "early-waiter");
        waiter.setDaemon(true);
        waiter.start();
        Thread first = new Thread(() -> { synchronized (ledgerA) { pause(100); synchronized (ledgerB) { } } }, "settle-a");
        Thread second = new Thread(() -> { synchronized (ledgerB) { pause(100); synchronized (ledgerA) { } } }, "settle-b");
        first.setDaemon(true);
        second.setDaemon(true);
        first.start();
        second.start();
        Thread.sleep(700);
    }

    static void pause(long millis) {
        try { Thread.sleep(millis); } catch (InterruptedException e) { }
    }

    /**
     * READERS threads block reading from an HTTP backend that accepts and never answers; IDLE more
     * connections go to a second backend nobody reads from. Prints the two ports. A read timeout
     * (milliseconds, 0 for none) may be given.
     */
    static void silentBackend(int readers, int idle, int readTimeoutMillis) throws Exception {
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        java.net.ServerSocket other = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        for (java.net.ServerSocket server : new java.net.ServerSocket[] { silent, other }) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        java.net.Socket accepted = server.accept();
                        synchronized (held) { held.add(accepted); }
                    } catch (java.io.IOException e) { return; }
                }
            }, "backend-acceptor-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }
        for (int i = 1; i <= readers; i++) {
            new Thread(() -> {
                try {
                    // HttpURLConnection without timeouts: the request is sent, the answer never comes.
                    java.net.URL url = new java.net.URL("http://127.0.0.1:" + silent.getLocalPort() + "/reports/monthly");
                    java.net.URLConnection connection = url.openConnection();
                    connection.setReadTimeout(readTimeoutMillis);   // 0: none
                    connection.getInputStream().read();
                } catch (java.io.IOException e) { }
            }, "report-worker-" + i).start();
        }
        for (int i = 1; i <= idle; i++) {
            synchronized (held) { held.add(new java.net.Socket(other.getInetAddress(), other.getLocalPort())); }
        }
        System.out.println("PORTS " + silent.getLocalPort() + " " + other.getLocalPort());
        Thread.sleep(500);
    }

    /** A pool of `size` permits, all taken by busy holders; `waiters` more threads park in acquire(). */
    static void semaphorePool(int size, int waiters) throws InterruptedException {
        Semaphore pool = new Semaphore(size);
        for (int i = 1; i <= size + waiters; i++) {
            new Thread(() -> {
                try {
                    pool.acquire();
                    Thread.sleep(120_000);
                } catch (InterruptedException e) { }
            }, "borrower-" + i).start();
        }
        Thread.sleep(500);
    }
}
