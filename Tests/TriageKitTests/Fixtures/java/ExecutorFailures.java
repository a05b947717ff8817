import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded executor that rejects work, logged as an application logs it:
 *   java ExecutorFailures saturated   four threads and a queue of eight, each task waiting two
 *                                     seconds on a slow backend; twenty request threads submit
 *                                     one task each, so eight are rejected while it runs
 *   java ExecutorFailures shut-down   the executor is shut down, then a scheduler still submits
 *                                     to it three times
 */
public class ExecutorFailures {
    public static void main(String[] args) throws Exception {
        AtomicInteger named = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8),
                task -> new Thread(task, "price-check-" + named.incrementAndGet()));
        if (args[0].equals("saturated")) {
            Thread[] requests = new Thread[20];
            for (int request = 0; request < requests.length; request++) {
                requests[request] = new Thread(() -> OrderController.order(pool), "http-nio-8080-exec-" + (request + 1));
                requests[request].start();
                requests[request].join();
            }
            pool.shutdownNow();
            return;
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        Thread scheduler = new Thread(() -> {
            for (int run = 0; run < 3; run++) PriceSync.sync(pool);
        }, "scheduling-1");
        scheduler.start();
        scheduler.join();
    }

    static void log(String level, String message) {
        String time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS").format(new Date());
        System.out.println(time + " " + level + " [" + Thread.currentThread().getName() + "] com.acme.ExecutorFailures - " + message);
    }

    static class OrderController {
        static void order(ThreadPoolExecutor pool) {
            try {
                pool.execute(PriceCheck::run);
            } catch (Exception failure) {
                log("ERROR", "could not queue the price check");
                failure.printStackTrace(System.out);
            }
        }
    }

    static class PriceCheck {
        static void run() {
            try {
                Thread.sleep(2_000); // a slow backend
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static class PriceSync {
        static void sync(ThreadPoolExecutor pool) {
            try {
                CompletableFuture.runAsync(() -> { }, pool);
            } catch (Exception failure) {
                log("ERROR", "could not queue the sync");
                failure.printStackTrace(System.out);
            }
        }
    }
}
