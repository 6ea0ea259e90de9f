import Foundation
import Testing

/// Out of file descriptors, `accept` fails with EMFILE while the pending connection stays
/// readable: a naive loop spins a core. This runs the benchmark server in a child process
/// with a tiny descriptor limit, so the rest of the test process keeps its own.
@Suite("Server under descriptor exhaustion")
struct AcceptBackoffTests {
    @Test("with no descriptor left, the server backs off instead of spinning, and serves again once some are freed")
    func emfileBackoff() throws {
        let server = try EchoServerProcess(descriptorLimit: 48)
        defer { server.stop() }
        let port = server.port

        var clients: [RawClient] = []
        for _ in 0..<80 { clients.append(try RawClient(port: port)) }
        Thread.sleep(forTimeInterval: 0.3)
        let before = server.cpuSeconds
        Thread.sleep(forTimeInterval: 1)
        let spent = server.cpuSeconds - before
        #expect(spent < 0.3, "the server used \(spent) s of CPU in 1 s while out of descriptors")

        clients.removeFirst(70)
        Thread.sleep(forTimeInterval: 0.3)
        let client = try RawClient(port: port)
        try client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }
}
