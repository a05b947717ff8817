import java.nio.ByteBuffer;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Runs a JVM out of one kind of memory, logging as an application would (a timestamped ERROR
 * line, then the stack trace), so triage's tests read real OutOfMemoryErrors:
 * java -Xmx16m MemoryFailures heap | direct | array | metaspace | threads [hold].
 */
public class MemoryFailures {
    static final List<Object> retained = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        log("INFO", "main", "starting " + args[0]);
        try {
            switch (args[0]) {
                case "heap": ReportCache.fill(); break;
                case "direct": FrameBuffers.allocate(); break;
                case "array": ExportBuffer.sized(); break;
                case "metaspace": PluginLoader.loadForever(); break;
                case "threads": WorkerSpawner.spawn(); break;
                default: throw new IllegalArgumentException(args[0]);
            }
        } catch (OutOfMemoryError error) {
            retained.clear();
            log("ERROR", "main", "request failed");
            error.printStackTrace(System.out);
        }
        if (args.length > 1 && args[1].equals("hold")) {
            // Room for jstack's attach listener, then wait at the limit to be dumped.
            WorkerSpawner.release(30);
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(120_000);
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);   // spawned threads would keep the JVM up
    }

    static synchronized void log(String level, String thread, String message) {
        String time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date());
        System.out.println(time + " " + level + " [" + thread + "] com.acme.MemoryFailures - " + message);
    }

    static class ReportCache {
        static void fill() {
            while (true) retained.add(new long[64 * 1024]);
        }
    }

    static class FrameBuffers {
        static void allocate() {
            while (true) retained.add(ByteBuffer.allocateDirect(256 * 1024));
        }
    }

    static class ExportBuffer {
        static void sized() {
            retained.add(new long[Integer.MAX_VALUE]);
        }
    }

    /** Each class loader defines a fresh copy of one small class: metaspace fills. */
    static class PluginLoader extends ClassLoader {
        static final byte[] bytes = classBytes();

        static byte[] classBytes() {
            try (var in = MemoryFailures.class.getResourceAsStream("MemoryFailures$ReportCache.class")) {
                return in.readAllBytes();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static void loadForever() {
            while (true) {
                PluginLoader loader = new PluginLoader();
                retained.add(loader.defineClass("MemoryFailures$ReportCache", bytes, 0, bytes.length));
            }
        }
    }

    static class WorkerSpawner {
        static final List<Thread> workers = new ArrayList<>();

        static void spawn() {
            for (int index = 0; ; index++) {
                Thread worker = new Thread(() -> {
                    try { Thread.sleep(600_000); } catch (InterruptedException e) { }
                }, "worker-" + index);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
        }

        static void release(int count) throws InterruptedException {
            for (int index = 0; index < count && !workers.isEmpty(); index++) {
                Thread worker = workers.remove(workers.size() - 1);
                worker.interrupt();
                worker.join();
            }
        }
    }
}
