import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Backends/Sysctl/SysctlPlanner.swift.
final class SysctlPlannerSnippetTests: XCTestCase {
    func testANATNetworkForwardsItsFamilies() throws {
        let t = Snippet.topology(networks: "  n: {mode: nat, bridge: v1, ipv4: {subnet: 10.0.0.0/24}, ipv6: {subnet: 2001:db8:1::/64}}\n")
        XCTAssertEqual(try Snippet.file("sysctl/60-netc.conf", of: t), """
        # IP forwarding for the networks netc routes (nat, route, peered).
        net.ipv4.ip_forward = 1
        net.ipv6.conf.all.forwarding = 1

        """)
    }

    func testOnlyTheFamiliesThatAreRouted() throws {
        let t = Snippet.topology(networks: """
          r: {mode: route, bridge: v1, ipv4: {subnet: 198.51.100.0/24}}
          lab: {mode: isolated, bridge: v2, ipv6: {subnet: fd00:2::/64}}

        """)
        let conf = try Snippet.file("sysctl/60-netc.conf", of: t)
        XCTAssert(conf.contains("net.ipv4.ip_forward = 1\n"), conf)
        XCTAssertFalse(conf.contains("ipv6"), conf)
    }

    func testNoFileWhenNothingIsForwarded() throws {
        let t = Snippet.topology(networks: """
          lab: {mode: isolated, bridge: v2, ipv4: {subnet: 10.2.0.0/24}}
          lan: {mode: bridge, bridge: br0, uplink: eno1}

        """, interfaces: "  eno1: {}\n")
        XCTAssertFalse(try Snippet.compile(t).contains { $0.path.hasPrefix("sysctl/") })
    }

    /// Peered isolated networks route between their bridges.
    func testPeeredIsolatedNetworksAreForwarded() throws {
        let t = Snippet.topology(networks: """
          a: {mode: isolated, bridge: v1, ipv4: {subnet: 10.1.0.0/24}, peers: [b]}
          b: {mode: isolated, bridge: v2, ipv4: {subnet: 10.2.0.0/24}}

        """)
        XCTAssert(try Snippet.file("sysctl/60-netc.conf", of: t).contains("net.ipv4.ip_forward = 1\n"))
    }
}
