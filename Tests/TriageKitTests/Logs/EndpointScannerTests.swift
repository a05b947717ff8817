import Testing
@testable import TriageKit

@Suite struct EndpointScannerTests {
    @Test(arguments: [
        ("Connect to 10.20.1.15:8080 [/10.20.1.15] failed: No buffer space available", ["10.20.1.15:8080"]),
        ("Connect to inventory.internal:8080 [inventory.internal/10.20.1.15] failed", ["inventory.internal:8080"]),
        ("inventory lookup failed for http://10.20.1.15:8080/api/stock", ["10.20.1.15:8080"]),
        ("POST https://pay.example.com/v1/charge failed", ["pay.example.com:443"]),
        ("calling http://search/api twice, then http://search/api again", ["search:80"]),
        ("Connection refused: /172.16.17.90:9994", ["172.16.17.90:9994"]),
        ("version 1.2.3.4 released, 10.0.0.1 has no port", []),
        ("No buffer space available (maximum connections reached?): connect", []),
    ])
    func findsEndpoints(_ text: String, _ expected: [String]) {
        #expect(EndpointScanner.endpoints(in: text) == expected)
    }
}
