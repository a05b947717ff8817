import Foundation
import TriageKit

/// Writes a large HotSpot thread dump deterministically: thousands of threads in pools, deep
/// Tomcat/Spring/HttpClient stacks, locks, waiters for a pool and for a monitor.
struct DumpGenerator {
    var random = SplitMix64(seed: 42_000)

    static let appFrames = [
        "com.example.orders.web.OrderController.place(OrderController.java:58)",
        "com.example.orders.OrderService.place(OrderService.java:112)",
        "com.example.orders.InventoryClient.reserve(InventoryClient.java:57)",
        "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:102)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:895)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:800)",
        "org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle(AbstractHandlerMethodAdapter.java:87)",
        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1006)",
        "org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:909)",
        "javax.servlet.http.HttpServlet.service(HttpServlet.java:681)",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:162)",
        "org.apache.tomcat.websocket.server.WsFilter.doFilter(WsFilter.java:53)",
        "org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:336)",
        "org.springframework.security.web.access.intercept.FilterSecurityInterceptor.invoke(FilterSecurityInterceptor.java:126)",
        "org.springframework.security.web.access.intercept.FilterSecurityInterceptor.doFilter(FilterSecurityInterceptor.java:90)",
        "org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:336)",
        "org.springframework.security.web.access.ExceptionTranslationFilter.doFilter(ExceptionTranslationFilter.java:118)",
        "org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:336)",
        "org.springframework.security.web.session.SessionManagementFilter.doFilter(SessionManagementFilter.java:137)",
        "org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:336)",
        "org.springframework.security.web.authentication.AnonymousAuthenticationFilter.doFilter(AnonymousAuthenticationFilter.java:111)",
        "org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:336)",
        "org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter.doFilter(SecurityContextHolderAwareRequestFilter.java:158)",
        "org.springframework.security.web.FilterChainProxy$VirtualFilterChain.doFilter(FilterChainProxy.java:336)",
        "org.springframework.security.web.context.SecurityContextPersistenceFilter.doFilter(SecurityContextPersistenceFilter.java:105)",
        "org.springframework.security.web.FilterChainProxy.doFilterInternal(FilterChainProxy.java:215)",
        "org.springframework.security.web.FilterChainProxy.doFilter(FilterChainProxy.java:178)",
        "org.springframework.web.filter.DelegatingFilterProxy.invokeDelegate(DelegatingFilterProxy.java:358)",
        "org.springframework.web.filter.DelegatingFilterProxy.doFilter(DelegatingFilterProxy.java:271)",
        "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:119)",
        "org.springframework.web.filter.CharacterEncodingFilter.doFilterInternal(CharacterEncodingFilter.java:201)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1040)",
        "javax.servlet.http.HttpServlet.service(HttpServlet.java:665)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:231)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
        "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:199)",
        "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:96)",
        "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:343)",
        "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:373)",
        "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1589)",
        "java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1149)",
        "java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:624)",
        "java.lang.Thread.run(Thread.java:748)",
    ]

    /// The text of one dump with `threads` threads (about 5 KB each, as deep as real Spring stacks).
    mutating func dump(threads: Int, time: String) -> String {
        var out = "\(time)\nFull thread dump Java HotSpot(TM) 64-Bit Server VM (25.202-b08 mixed mode):\n\n"
        for index in 0..<threads {
            let kind = random.below(100)
            let name = "http-nio-8080-exec-\(index + 1)"
            let nid = String(0x1000 + index, radix: 16)
            var lines: [String] = []
            var top: [String] = []
            switch kind {
            case 0..<40:
                lines.append("\"\(name)\" #\(index + 20) daemon prio=5 os_prio=0 tid=0x00007f6b\(nid)000 nid=0x\(nid) waiting on condition  [0x00007f6a\(nid)000]")
                lines.append("   java.lang.Thread.State: WAITING (parking)")
                top = ["sun.misc.Unsafe.park(Native Method)", "- parking to wait for  <0x00000000c2a4e818> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                       "java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)",
                       "java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:442)",
                       "org.apache.tomcat.util.threads.TaskQueue.take(TaskQueue.java:103)",
                       "java.util.concurrent.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1074)"]
            case 40..<60:
                lines.append("\"\(name)\" #\(index + 20) daemon prio=5 os_prio=0 tid=0x00007f6b\(nid)000 nid=0x\(nid) waiting on condition  [0x00007f6a\(nid)000]")
                lines.append("   java.lang.Thread.State: TIMED_WAITING (parking)")
                top = ["sun.misc.Unsafe.park(Native Method)", "- parking to wait for  <0x00000000e2a61c88> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                       "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.awaitUntil(AbstractQueuedSynchronizer.java:2120)",
                       "org.apache.http.pool.AbstractConnPool.getPoolEntryBlocking(AbstractConnPool.java:377)",
                       "org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:282)",
                       "org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:191)"]
            case 60..<75:
                lines.append("\"\(name)\" #\(index + 20) daemon prio=5 os_prio=0 tid=0x00007f6b\(nid)000 nid=0x\(nid) runnable  [0x00007f6a\(nid)000]")
                lines.append("   java.lang.Thread.State: RUNNABLE")
                top = ["java.net.SocketInputStream.socketRead0(Native Method)", "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                       "org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)",
                       "org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:272)"]
            case 75..<85:
                lines.append("\"\(name)\" #\(index + 20) daemon prio=5 os_prio=0 tid=0x00007f6b\(nid)000 nid=0x\(nid) waiting for monitor entry  [0x00007f6a\(nid)000]")
                lines.append("   java.lang.Thread.State: BLOCKED (on object monitor)")
                top = ["com.example.orders.AuditLog.write(AuditLog.java:30)", "- waiting to lock <0x000000071b6a2e10> (a com.example.orders.AuditLog)"]
            default:
                lines.append("\"\(name)\" #\(index + 20) daemon prio=5 os_prio=0 tid=0x00007f6b\(nid)000 nid=0x\(nid) runnable  [0x00007f6a\(nid)000]")
                lines.append("   java.lang.Thread.State: RUNNABLE")
                top = ["com.example.orders.PriceCalculator.total(PriceCalculator.java:\(40 + random.below(30)))",
                       "- locked <0x00000007\(String(0x10000 + index, radix: 16))0> (a com.example.orders.Cart)"]
            }
            for frame in top { lines.append(frame.hasPrefix("- ") ? "\t" + frame : "\tat " + frame) }
            let depth = 30 + random.below(DumpGenerator.appFrames.count - 30)
            for frame in DumpGenerator.appFrames.suffix(depth) { lines.append("\tat " + frame) }
            lines.append("")
            lines.append("   Locked ownable synchronizers:")
            lines.append("\t- <0x00000000e\(String(0x10000 + index, radix: 16))0> (a java.util.concurrent.ThreadPoolExecutor$Worker)")
            lines.append("")
            out += lines.joined(separator: "\n") + "\n"
        }
        out += "\"AuditLog-flusher\" #5 daemon prio=5 os_prio=0 tid=0x00007f6b0005000 nid=0x0fff runnable  [0x00007f6a00000000]\n"
        out += "   java.lang.Thread.State: RUNNABLE\n\tat java.io.FileOutputStream.writeBytes(Native Method)\n"
        out += "\tat com.example.orders.AuditLog.flush(AuditLog.java:61)\n\t- locked <0x000000071b6a2e10> (a com.example.orders.AuditLog)\n\n"
        out += "JNI global references: 1873\n\n"
        return out
    }
}
