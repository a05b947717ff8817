/// How to recognise, from frames, a thread waiting to lease a pooled resource and a thread
/// using one. Idle worker threads parked in `ThreadPoolExecutor.getTask` are neither.
struct PoolSignature: Sendable {
    /// `HttpClient 4`, `HikariCP`…
    var name: String
    /// A frame (class.method prefix) present near the top of a waiting thread.
    var waitFrames: [String]
    /// Frames of the library doing work on a leased resource.
    var useFrames: [String]

    static let all: [PoolSignature] = [
        PoolSignature(name: "HttpClient 4",
                      waitFrames: ["org.apache.http.pool.AbstractConnPool.getPoolEntryBlocking", "org.apache.http.pool.PoolEntryFuture.await",
                                   "org.apache.http.impl.conn.tsccm.ConnPoolByRoute.getEntryBlocking", "org.apache.http.impl.conn.tsccm.WaitingThread.await"],
                      useFrames: ["org.apache.http.impl.execchain.MainClientExec.execute", "org.apache.http.impl.client.DefaultRequestDirector.execute",
                                  "org.apache.http.protocol.HttpRequestExecutor", "org.apache.http.impl.io.", "org.apache.http.impl.conn.LoggingInputStream"]),
        PoolSignature(name: "HttpClient 5",
                      waitFrames: ["org.apache.hc.core5.pool.StrictConnPool.lease", "org.apache.hc.core5.pool.LaxConnPool.lease",
                                   "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager$1.get",
                                   "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager$2.get"],
                      useFrames: ["org.apache.hc.client5.http.impl.classic.MainClientExec.execute", "org.apache.hc.core5.http.impl.io."]),
        PoolSignature(name: "commons-httpclient 3",
                      waitFrames: ["org.apache.commons.httpclient.MultiThreadedHttpConnectionManager.doGetConnection"],
                      useFrames: ["org.apache.commons.httpclient.HttpMethodBase.readResponse", "org.apache.commons.httpclient.HttpMethodBase.writeRequest",
                                  "org.apache.commons.httpclient.HttpConnection.readLine", "org.apache.commons.httpclient.HttpParser"]),
        PoolSignature(name: "HikariCP",
                      waitFrames: ["com.zaxxer.hikari.util.ConcurrentBag.borrow"],
                      useFrames: ["com.zaxxer.hikari.pool.ProxyStatement", "com.zaxxer.hikari.pool.ProxyPreparedStatement", "com.zaxxer.hikari.pool.HikariProxy"]),
        PoolSignature(name: "DBCP",
                      waitFrames: ["org.apache.commons.pool2.impl.GenericObjectPool.borrowObject", "org.apache.commons.pool.impl.GenericObjectPool.borrowObject"],
                      useFrames: ["org.apache.commons.dbcp2.Delegating", "org.apache.commons.dbcp.Delegating"]),
        PoolSignature(name: "c3p0",
                      waitFrames: ["com.mchange.v2.resourcepool.BasicResourcePool.awaitAvailable"],
                      useFrames: ["com.mchange.v2.c3p0.impl.NewProxy"]),
        PoolSignature(name: "Tomcat JDBC",
                      waitFrames: ["org.apache.tomcat.jdbc.pool.ConnectionPool.borrowConnection"],
                      useFrames: ["org.apache.tomcat.jdbc.pool.StatementFacade", "org.apache.tomcat.jdbc.pool.interceptor.StatementDecoratorInterceptor"]),
    ]

    /// How deep in a stack a pool frame may be for the thread to count as waiting on it.
    static let waitDepth = 16

    /// Frames of a thread blocked in socket I/O.
    static let socketReadFrames = [
        "java.net.SocketInputStream.socketRead0", "java.net.SocketInputStream.read", "sun.nio.ch.NioSocketImpl.read",
        "sun.nio.ch.NioSocketImpl.timedRead", "sun.nio.ch.NioSocketImpl.park", "sun.nio.ch.SocketDispatcher.read",
        "sun.nio.ch.FileDispatcherImpl.read", "sun.security.ssl.SSLSocketImpl$AppInputStream.read", "java.net.PlainSocketImpl.socketRead",
    ]

    /// Where a thread waits for another thread's result: a future, a latch, a join. Holding a
    /// lock there makes everyone who needs the lock wait for that result too.
    static let resultWaitFrames = [
        "java.util.concurrent.FutureTask.get", "java.util.concurrent.FutureTask.awaitDone", "java.util.concurrent.CompletableFuture.get",
        "java.util.concurrent.CompletableFuture.join", "java.util.concurrent.CompletableFuture.waitingGet",
        "java.util.concurrent.CompletableFuture.timedGet", "java.util.concurrent.CountDownLatch.await", "java.lang.Thread.join",
        "java.util.concurrent.CyclicBarrier.await", "java.util.concurrent.ForkJoinTask.join", "java.util.concurrent.ForkJoinTask.get",
    ]

    /// Where a server thread waits for work holding its acceptor's or selector's lock: idle, not
    /// stuck, so the threads queued behind it are no contention (Tomcat's acceptors, NIO selectors).
    static let idleWaitFrames = [
        "sun.nio.ch.ServerSocketChannelImpl.accept", "sun.nio.ch.Net.accept", "sun.nio.ch.NioSocketImpl.accept",
        "java.net.PlainSocketImpl.socketAccept", "java.net.DualStackPlainSocketImpl.accept0", "java.net.ServerSocket.implAccept",
        "sun.nio.ch.EPoll.wait", "sun.nio.ch.EPollArrayWrapper.epollWait", "sun.nio.ch.KQueue.poll",
        "sun.nio.ch.KQueueArrayWrapper.kevent0", "sun.nio.ch.WindowsSelectorImpl$SubSelector.poll0", "sun.nio.ch.WEPoll.wait",
        "sun.nio.ch.Net.poll", "sun.nio.ch.SelectorImpl.lockAndDoSelect", "io.netty.channel.epoll.Native.epollWait",
    ]

    /// Client libraries whose socket reads are calls to a backend (not a server waiting for a request).
    static let clientFrames = [
        "org.apache.http.", "org.apache.hc.", "org.apache.commons.httpclient.", "sun.net.www.protocol.http.", "sun.net.www.http.",
        "org.apache.axis.",
        "oracle.jdbc.", "com.mysql.", "org.postgresql.", "com.microsoft.sqlserver.", "net.sourceforge.jtds.", "org.mariadb.",
        "redis.clients.", "io.lettuce.", "org.springframework.web.client.", "okhttp3.", "java.net.http.",
    ]
}
