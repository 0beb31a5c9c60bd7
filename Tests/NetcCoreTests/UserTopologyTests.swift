import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// The three topologies of issue 29, written as a new user would from the
/// docs alone (Tests/users/): a home lab and a bonded server build what
/// their author meant without a word from netc; the one with eight
/// deliberate mistakes reports each of them, at its line, in one run, and
/// nothing else.
final class UserTopologyTests: XCTestCase {
    static let dir = repoRoot.appendingPathComponent("Tests/users")

    func compile(_ name: String) throws -> CompileResult {
        try Compiler.compile(try readText(Self.dir.appendingPathComponent(name)), source: name)
    }

    func file(_ r: CompileResult, _ path: String) throws -> String {
        let f = try XCTUnwrap(r.files.first { $0.path == path }, "\(path) not built: \(r.files.map(\.path))")
        return String(decoding: f.bytes, as: UTF8.self)
    }

    func assertContains(_ text: String, _ parts: [String], _ what: String, line: UInt = #line) {
        for p in parts { XCTAssert(text.contains(p), "\(what) lacks \(p):\n\(text)", line: line) }
    }

    func testTheHomeLabBuildsAsMeant() throws {
        let r = try compile("homelab.yaml")
        XCTAssertEqual(r.diagnostics.map { "\($0.code) \($0.message)" }, [])
        assertContains(try file(r, "networkd/10-netc-enp3s0.network"), ["Address=192.168.1.20/24", "Gateway=192.168.1.1", "DHCP=ipv6",
                                                                       "Domains=home.example"], "the host's link")
        assertContains(try file(r, "libvirt/default.xml"), [
            "<range start='192.168.122.100' end='192.168.122.199'>", "<range start='192.168.122.220' end='192.168.122.239'>",
            "<lease expiry='12' unit='hours'/>", "<bootp file='pxelinux.0'/>",
            "<host mac='52:54:00:00:00:10' name='nas' ip='192.168.122.10'/>", "<hostname>storage</hostname>",
            "<domain name='lab.home.example' localOnly='yes'/>",
        ], "the NAT network")
        assertContains(try file(r, "libvirt/lab.xml"), ["<port isolated='yes'/>", "<range start='fd00:10::100' end='fd00:10::1ff'>"], "the lab")
        assertContains(try file(r, OutputLayout.ruleset), [
            "tcp dport 2222 dnat ip to 192.168.122.10:22", "ip saddr 192.168.1.0/24 fib daddr type local tcp dport 8096 dnat ip to 192.168.122.11",
        ], "the ruleset")
    }

    func testTheBondedServerBuildsAsMeant() throws {
        let r = try compile("bonded.yaml")
        XCTAssertEqual(r.diagnostics.map { "\($0.code) \($0.message)" }, [])
        assertContains(try file(r, "networkd/20-netc-bond0.netdev"), ["Kind=bond", "Mode=802.3ad", "TransmitHashPolicy=layer3+4"], "the bond")
        assertContains(try file(r, "networkd/10-netc-eno1.network"), ["Bond=bond0"], "a member")
        assertContains(try file(r, "networkd/30-netc-bond0.20.network"), [
            "Address=203.0.113.10/24\nAddress=203.0.113.11/24", "Address=2001:db8::10/64",
            "[Route]\nDestination=198.51.100.0/24\nGateway=203.0.113.254\nMetric=100",
        ], "VLAN 20")
        assertContains(try file(r, "networkd/20-netc-bond0.network"), ["Bridge=br0", "VLAN=bond0.20"], "the bond's own link")
        assertContains(try file(r, "networkd/40-netc-br0.network"), ["Address=10.0.0.5/24"], "the LAN bridge")
        assertContains(try file(r, "libvirt/direct.xml"), ["<forward mode='bridge'>", "<interface dev='eno3'/>"], "the macvtap network")
        assertContains(try file(r, OutputLayout.ruleset), [
            "\"bond0.20\" . ::/0 . 2001:db8:50::/64 . 443", "\"bond0.20\" . 2001:db8:ad::/48 . 2001:db8:50::/64 . 22",
        ], "the routed network's inbound list")
        assertContains(try file(r, OutputLayout.sysctl), ["net.ipv6.conf.all.forwarding = 1"], "the sysctl file")
    }

    /// Each line marked `# mistake CODE` holds one; netc reports exactly
    /// those, each on its line, and writes nothing.
    func testEveryMistakeIsReportedInOneRunWithNoKnockOn() throws {
        let text = try readText(Self.dir.appendingPathComponent("mistakes.yaml"))
        var marked: [String] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let m = line.range(of: "# mistake ") else { continue }
            marked.append("\(i + 1) \(line[m.upperBound...].trimmingCharacters(in: .whitespaces))")
        }
        XCTAssertEqual(marked.count, 8, "the file marks eight mistakes")
        let r = try compile("mistakes.yaml")
        XCTAssertEqual(r.diagnostics.map { "\($0.range.start.line) \($0.code)" }, marked,
                       r.diagnostics.map { "\($0.range.start): \($0.code) \($0.message)" }.joined(separator: "\n"))
        XCTAssert(r.files.isEmpty)
    }
}
