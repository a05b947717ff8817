import Foundation
import TriageKit

/// Writes a realistic Java application log of a given size, deterministically: several record
/// layouts (log4j, Spring Boot, Tomcat JULI, logback time-only), about 4 % of records with a
/// stack trace and `Caused by` chains, a few incident storms, and now and then a thread dump.
struct LogGenerator {
    var random = SplitMix64(seed: 20_241_221)
    private var milliseconds: Int64 = 0
    private var out: [UInt8] = []

    /// Generates `bytes` bytes into `path`, in 4 MB writes.
    mutating func write(bytes target: Int, to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write \(path)") }
        defer { try? handle.close() }
        var written = 0
        var layout = 0
        var recordsInLayout = 0
        out.reserveCapacity(5 << 20)
        while written < target {
            if recordsInLayout == 0 {
                layout = random.below(100) < 55 ? 0 : [1, 1, 2, 3][random.below(4)]
                recordsInLayout = 2_000 + random.below(20_000)
            }
            recordsInLayout -= 1
            record(layout: layout)
            if out.count >= 4 << 20 {
                handle.write(Data(out))
                written += out.count
                out.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(out))
    }

    private mutating func emit(_ text: String) {
        out.append(contentsOf: text.utf8)
        out.append(0x0A)
    }

    private static let threads = ["main", "http-nio-8080-exec-12", "http-nio-8080-exec-7", "http-nio-8080-exec-31",
                                  "scheduling-1", "pool-3-thread-2", "kafka-consumer-orders-0", "HikariPool-1 housekeeper"]
    private static let loggers = ["c.e.order.web.OrderController", "c.e.order.OrderService", "c.e.order.InventoryClient",
                                  "o.s.web.servlet.DispatcherServlet", "c.e.billing.InvoiceService", "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                  "c.e.search.EngineClient", "org.apache.kafka.clients.consumer.internals.Fetcher"]

    private mutating func header(_ layout: Int, level: String) -> String {
        milliseconds += Int64(1 + random.below(40))
        let total = milliseconds
        let ms = Int(total % 1000), s = Int(total / 1000 % 60), m = Int(total / 60_000 % 60), h = Int(total / 3_600_000 % 24)
        let day = 1 + Int(total / 86_400_000 % 28)
        let thread = LogGenerator.threads[random.below(LogGenerator.threads.count)]
        let logger = LogGenerator.loggers[random.below(LogGenerator.loggers.count)]
        func p(_ v: Int, _ w: Int = 2) -> String { let t = String(v); return String(repeating: "0", count: max(0, w - t.count)) + t }
        switch layout {
        case 0: return "2024-12-\(p(day)) \(p(h)):\(p(m)):\(p(s)),\(p(ms, 3)) \(level.padding(toLength: 5, withPad: " ", startingAt: 0)) [\(thread)] \(logger) - "
        case 1: return "2024-12-\(p(day)) \(p(h)):\(p(m)):\(p(s)).\(p(ms, 3)) \(level.padding(toLength: 5, withPad: " ", startingAt: 0)) 4242 --- [\(thread.suffix(15))] \(logger.padding(toLength: 40, withPad: " ", startingAt: 0)) : "
        case 2: return "\(p(day))-Dec-2024 \(p(h)):\(p(m)):\(p(s)).\(p(ms, 3)) \(level == "ERROR" ? "SEVERE" : level == "WARN" ? "WARNING" : level) [\(thread)] \(logger).handle "
        default: return "\(p(h)):\(p(m)):\(p(s)).\(p(ms, 3)) [\(thread)] \(level.padding(toLength: 5, withPad: " ", startingAt: 0)) \(logger) - "
        }
    }

    private mutating func record(layout: Int) {
        let roll = random.below(10_000)
        if roll < 400 {
            trace(layout)
        } else if roll < 402 {
            threadDump()
        } else if roll < 1_400 {
            emit(header(layout, level: "WARN") + "slow response from http://inventory.internal:8080/api/v1/stock/\(random.below(90_000)) took \(900 + random.below(4_000)) ms (attempt \(1 + random.below(3)))")
        } else if roll < 2_400 {
            emit(header(layout, level: "DEBUG") + "cache lookup key=order:\(random.below(1_000_000)) hit=\(random.below(2) == 0) size=\(random.below(5_000))")
        } else {
            let n = random.below(6)
            let text: String
            switch n {
            case 0: text = "order \(100_000 + random.below(900_000)) accepted for customer \(random.below(50_000)), \(1 + random.below(9)) items, total \(random.below(99_999)).\(random.below(100)) EUR"
            case 1: text = "GET /api/v1/orders/\(random.below(1_000_000)) 200 \(random.below(300)) ms user=u\(random.below(80_000)) ua=\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\""
            case 2: text = "published event OrderPlaced id=\(String(random.next(), radix: 16)) partition=\(random.below(12)) offset=\(random.below(9_999_999))"
            case 3: text = "invoice \(random.below(900_000)) submitted to tax gateway in \(random.below(400)) ms"
            case 4: text = "HikariPool-1 - Pool stats (total=20, active=\(random.below(20)), idle=\(random.below(20)), waiting=0)"
            default: text = "query \(random.below(900_000)) answered in \(random.below(180)) ms (\(random.below(90)) hits) from shard \(random.below(16))"
            }
            emit(header(layout, level: "INFO") + text)
        }
    }

    private static let webFrames = [
        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1006)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1040)",
        "javax.servlet.http.HttpServlet.service(HttpServlet.java:665)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:231)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
        "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:199)",
        "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:96)",
        "org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:139)",
        "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:343)",
        "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:373)",
        "org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:65)",
        "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1589)",
        "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1149)",
        "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:624)",
        "java.lang.Thread.run(Thread.java:748)",
    ]

    private mutating func frames(_ own: [String]) {
        for frame in own { emit("\tat " + frame) }
        let depth = 4 + random.below(LogGenerator.webFrames.count - 4)
        for frame in LogGenerator.webFrames.suffix(depth) { emit("\tat " + frame) }
    }

    private mutating func trace(_ layout: Int) {
        let kind = random.below(100)
        if kind < 30 {
            emit(header(layout, level: "ERROR") + "request failed for order \(random.below(1_000_000))")
            emit("java.lang.NullPointerException: Cannot invoke \"com.example.order.Address.getZip()\" because \"address\" is null")
            frames(["com.example.order.ShippingCalculator.cost(ShippingCalculator.java:\(40 + random.below(5)))",
                    "com.example.order.OrderService.quote(OrderService.java:112)",
                    "com.example.order.web.OrderController.quote(OrderController.java:58)",
                    "sun.reflect.GeneratedMethodAccessor\(100 + random.below(3)).invoke(Unknown Source)",
                    "sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
                    "java.lang.reflect.Method.invoke(Method.java:498)"])
        } else if kind < 55 {
            emit(header(layout, level: "ERROR") + "could not load invoices for customer \(random.below(50_000))")
            emit("org.springframework.dao.DataAccessResourceFailureException: could not extract ResultSet; nested exception is org.hibernate.exception.JDBCConnectionException: could not extract ResultSet")
            frames(["org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:255)",
                    "org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:233)",
                    "com.example.billing.InvoiceRepository$$EnhancerBySpringCGLIB$$\(String(random.next() & 0xffffff, radix: 16)).findByCustomer(<generated>)",
                    "com.example.billing.InvoiceService.list(InvoiceService.java:77)"])
            emit("Caused by: org.hibernate.exception.JDBCConnectionException: could not extract ResultSet")
            emit("\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:115)")
            emit("\tat org.hibernate.engine.jdbc.spi.SqlExceptionHelper.convert(SqlExceptionHelper.java:113)")
            emit("\t... 42 common frames omitted")
            emit("Caused by: org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.")
            emit("\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:335)")
            emit("\tat org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:441)")
            emit("\t... 57 common frames omitted")
            emit("Caused by: java.net.SocketTimeoutException: Read timed out")
            emit("\tat java.net.SocketInputStream.socketRead0(Native Method)")
            emit("\tat java.net.SocketInputStream.read(SocketInputStream.java:171)")
            emit("\tat org.postgresql.core.VisibleBufferedInputStream.readMore(VisibleBufferedInputStream.java:161)")
            emit("\t... 63 common frames omitted")
        } else if kind < 75 {
            emit(header(layout, level: "WARN") + "validation failed")
            emit("javax.validation.ConstraintViolationException: place.arg0.quantity: must be greater than 0")
            frames(["org.springframework.validation.beanvalidation.MethodValidationInterceptor.invoke(MethodValidationInterceptor.java:116)",
                    "com.example.order.web.OrderController$$FastClassBySpringCGLIB$$\(String(random.next() & 0xffffff, radix: 16)).invoke(<generated>)"])
        } else if kind < 85 {
            emit(header(layout, level: "ERROR") + "stock reservation failed: POST http://inventory.internal:8080/api/v1/reservations")
            emit("org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool")
            frames(["org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:313)",
                    "org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:191)",
                    "org.apache.http.impl.client.CloseableHttpClient.execute(CloseableHttpClient.java:83)",
                    "com.example.order.InventoryClient.reserve(InventoryClient.java:57)"])
        } else if kind < 95 {
            emit(header(layout, level: "ERROR") + "stock reservation failed: POST http://inventory.internal:8080/api/v1/reservations")
            emit("org.apache.http.conn.HttpHostConnectException: Connect to inventory.internal:8080 [inventory.internal/10.20.1.15] failed: Cannot assign requested address (connect failed)")
            frames(["org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:159)",
                    "org.apache.http.impl.execchain.MainClientExec.establishRoute(MainClientExec.java:394)",
                    "com.example.order.InventoryClient.reserve(InventoryClient.java:57)"])
            emit("Caused by: java.net.ConnectException: Cannot assign requested address (connect failed)")
            emit("\tat java.net.PlainSocketImpl.socketConnect(Native Method)")
            emit("\tat java.net.Socket.connect(Socket.java:589)")
            emit("\t... 31 common frames omitted")
        } else {
            emit(header(layout, level: "ERROR") + "risk check failed")
            emit("java.net.SocketTimeoutException: Read timed out")
            frames(["java.net.SocketInputStream.socketRead0(Native Method)", "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                    "org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)",
                    "com.example.pay.RiskClient.check(RiskClient.java:88)"])
        }
    }

    /// A `kill -3` dump landing in the log, as it does in catalina.out.
    private mutating func threadDump() {
        emit("Full thread dump OpenJDK 64-Bit Server VM (25.202-b08 mixed mode):")
        emit("")
        for index in 0..<(20 + random.below(60)) {
            emit("\"http-nio-8080-exec-\(index)\" #\(30 + index) daemon prio=5 os_prio=0 tid=0x00007f3c8c\(String(index, radix: 16))000 nid=0x\(String(6100 + index, radix: 16)) waiting on condition [0x00007f3c5d000000]")
            emit("   java.lang.Thread.State: WAITING (parking)")
            emit("\tat sun.misc.Unsafe.park(Native Method)")
            emit("\t- parking to wait for  <0x00000000c2a4e818> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)")
            emit("\tat java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)")
            emit("\tat java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:442)")
            emit("\tat org.apache.tomcat.util.threads.TaskQueue.take(TaskQueue.java:103)")
            emit("\tat java.util.concurrent.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1074)")
            emit("")
        }
        emit("JNI global references: 1234")
        emit("")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The generated log as logstash-logback-encoder would have written it: a JSON object per
/// record, its trace in `stack_trace`; thread dumps (printed to stdout by the JVM) stay plain.
enum JSONLogWriter {
    static func convert(_ source: String, to path: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw BenchError("cannot read \(source)") }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let output = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write \(path)") }
        defer { try? output.close(); try? input.close() }
        var out: [UInt8] = []
        var header: [UInt8] = []
        var parsed: LogHeader?
        var trace: [UInt8] = []
        var inDump = false

        func string(_ bytes: some Collection<UInt8>) {
            out.append(0x22)
            for byte in bytes {
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0..<0x20: out.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
                default: out.append(byte)
                }
            }
            out.append(0x22)
        }
        func flush() {
            guard let record = parsed else { return }
            out.append(contentsOf: Array("{\"@timestamp\":\"".utf8))
            out.append(contentsOf: Array((record.timestamp?.text ?? "").utf8))
            out.append(contentsOf: Array("\",\"@version\":\"1\",\"level\":\"\(record.level?.name ?? "INFO")\",\"message\":".utf8))
            string(header[record.messageStart...])
            if !trace.isEmpty {
                out.append(contentsOf: Array(",\"stack_trace\":".utf8))
                string(trace)
            }
            out.append(contentsOf: [0x7D, 0x0A])
            parsed = nil
            trace.removeAll(keepingCapacity: true)
        }
        func line(_ bytes: UnsafeRawBufferPointer) {
            if let found = LogHeaderParser.parse(bytes) {
                flush()
                inDump = false
                parsed = found
                header = Array(bytes)
            } else if inDump || bytes.starts(with: "Full thread dump".utf8) {
                flush()
                inDump = true
                out.append(contentsOf: bytes)
                out.append(0x0A)
            } else if parsed != nil {
                trace.append(contentsOf: bytes)
                trace.append(0x0A)
            } else {
                out.append(contentsOf: bytes)
                out.append(0x0A)
            }
        }
        var pending: [UInt8] = []
        while true {
            let chunk = input.readData(ofLength: 4 << 20)
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = 0
            pending.withUnsafeBytes { all in
                while let end = all[start...].firstIndex(of: 0x0A) {
                    line(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                    start = end + 1
                }
            }
            pending.removeFirst(start)
            if out.count > 4 << 20 { output.write(Data(out)); out.removeAll(keepingCapacity: true) }
        }
        flush()
        output.write(Data(out))
    }
}
