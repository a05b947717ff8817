import Testing
@testable import TriageKit

@Suite struct ExceptionFingerprintTests {
    private func trace(_ frames: [String], message: String = "boom", cause: String = "java.io.IOException") -> [String] {
        ["2024-12-21 13:26:03,117 ERROR [main] c.e.App - failed", "java.lang.IllegalStateException: \(message)"]
            + frames.map { "\tat \($0)" } + ["Caused by: \(cause): x", "\tat c.e.Io.read(Io.java:1)"]
    }

    private func fingerprint(_ lines: [String]) -> ExceptionFingerprint? { chains(lines).first?.fingerprint }

    @Test func ignoresMessagesAndLineNumbers() {
        let a = fingerprint(trace(["c.e.Svc.call(Svc.java:10)"], message: "order 1"))
        let b = fingerprint(trace(["c.e.Svc.call(Svc.java:99)"], message: "order 2"))
        #expect(a != nil && a == b)
    }

    @Test func tellsDifferentFramesAndCausesApart() {
        let base = fingerprint(trace(["c.e.Svc.call(Svc.java:10)"]))
        #expect(base != fingerprint(trace(["c.e.Svc.other(Svc.java:10)"])))
        #expect(base != fingerprint(trace(["c.e.Svc.call(Svc.java:10)"], cause: "java.net.SocketException")))
    }

    @Test func ignoresReflectionPlumbing() {
        // The JVM switches from the native accessor to a generated one after some calls.
        let native = fingerprint(trace(["sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                                        "sun.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:39)",
                                        "sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:25)",
                                        "java.lang.reflect.Method.invoke(Method.java:597)", "c.e.Svc.call(Svc.java:1)"]))
        let generated = fingerprint(trace(["sun.reflect.GeneratedMethodAccessor85.invoke(Unknown Source)",
                                           "sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:25)",
                                           "java.lang.reflect.Method.invoke(Method.java:597)", "c.e.Svc.call(Svc.java:1)"]))
        #expect(native == generated)
    }

    @Test(arguments: [
        ("$Proxy183.getFileAsStream(Unknown Source)", "$Proxy27.getFileAsStream(Unknown Source)"),
        ("c.e.Svc$$Lambda$412/0x0000000800c4d840.apply(Unknown Source)", "c.e.Svc$$Lambda$97/0x0000000800a1b440.apply(Unknown Source)"),
        ("c.e.Svc$$EnhancerBySpringCGLIB$$5f2a3b1c.call(<generated>)", "c.e.Svc$$EnhancerBySpringCGLIB$$9d8e7f60.call(<generated>)"),
        ("c.e.Dao_$$_javassist_12.find(Dao_$$_javassist_12.java)", "c.e.Dao_$$_javassist_7.find(Dao_$$_javassist_7.java)"),
        ("c.e.Svc.lambda$call$3(Svc.java:5)", "c.e.Svc.lambda$call$11(Svc.java:5)"),
        ("c.e.Svc$$SpringCGLIB$$0.call(<generated>)", "c.e.Svc$$SpringCGLIB$$1.call(<generated>)"),
        ("c.e.Svc$$FastClassBySpringCGLIB$$a1b2c3.invoke(<generated>)", "c.e.Svc$$FastClassBySpringCGLIB$$d4e5f6.invoke(<generated>)"),
        ("c.e.Key$$KeyFactoryByCGLIB$$4ce19e8f.newInstance(<generated>)", "c.e.Key$$KeyFactoryByCGLIB$$7f00aa12.newInstance(<generated>)"),
        ("c.e.Dao_$$_jvst8f2_3.find(Dao_$$_jvst8f2_3.java)", "c.e.Dao_$$_jvst1a_9.find(Dao_$$_jvst1a_9.java)"),
        ("c.e.Client$ByteBuddy$abc123.call(Unknown Source)", "c.e.Client$ByteBuddy$def456.call(Unknown Source)"),
        ("c.e.Order$HibernateProxy$Xk2pQ9.getId(Unknown Source)", "c.e.Order$HibernateProxy$Lm3Zr7.getId(Unknown Source)"),
        ("c.e.Svc$MockitoMock$123456.call(Unknown Source)", "c.e.Svc$MockitoMock$654321.call(Unknown Source)"),
        ("c.e.Outer$Worker$$Lambda$5/0x01.run(Unknown Source)", "c.e.Outer$Worker$$Lambda$9/0x02.run(Unknown Source)"),
    ])
    func normalisesGeneratedNames(_ first: String, _ second: String) {
        #expect(fingerprint(trace([first])) == fingerprint(trace([second])))
        #expect(fingerprint(trace([first])) != fingerprint(trace(["c.e.Plain.call(Plain.java:1)"])))
    }

    @Test func keepsAnonymousClassesApart() {
        #expect(fingerprint(trace(["c.e.Svc$1.run(Svc.java:5)"])) != fingerprint(trace(["c.e.Svc$2.run(Svc.java:5)"])))
    }
}
