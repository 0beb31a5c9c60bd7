import XCTest
@testable import NetcCore

/// Backends/Nftables/NftPlanner.swift, rule by rule.
final class NftPlannerSnippetTests: XCTestCase {
    static let nat = Snippet.topology(networks: """
          default:
            mode: nat
            bridge: virbr0
            uplink: eth0
            ipv4: {subnet: 192.168.122.0/24}

        """)

    func testTheForwardChainDispatchesByInterfaceOnly() throws {
        try Snippet.assertBlock("chain forward", of: Self.nat, is: """
        \tchain forward {
        \t\ttype filter hook forward priority filter; policy accept;
        \t\tiifname vmap @from_bridge
        \t\toifname vmap @to_bridge
        \t}

        """)
        try Snippet.assertBlock("map from_bridge", of: Self.nat, is: """
        \tmap from_bridge {
        \t\ttype ifname : verdict
        \t\telements = {
        \t\t\t"virbr0" : jump from_default,
        \t\t}
        \t}

        """)
    }

    /// Guests reach their own bridge and the uplink from their own subnet;
    /// everything else they send is rejected.
    func testNATGuestsLeaveByTheUplinkOnly() throws {
        try Snippet.assertBlock("chain from_default", of: Self.nat, is: """
        \tchain from_default {
        \t\toifname "virbr0" accept
        \t\toifname "eth0" ip saddr 192.168.122.0/24 accept
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
        try Snippet.assertBlock("chain to_default", of: Self.nat, is: """
        \tchain to_default {
        \t\tip daddr 192.168.122.0/24 ct state established,related accept
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
    }

    /// libvirt's exceptions (the subnet itself, local multicast, broadcast),
    /// then unprivileged source ports for TCP and UDP.
    func testMasqueradeKeepsLibvirtsExceptionsAndUnprivilegedPorts() throws {
        try Snippet.assertBlock("chain masquerade_default", of: Self.nat, is: """
        \tchain masquerade_default {
        \t\tip daddr { 192.168.122.0/24, 224.0.0.0/24, 255.255.255.255 } return
        \t\toifname "eth0" meta l4proto { tcp, udp } masquerade to :1024-65535
        \t\toifname "eth0" masquerade
        \t}

        """)
        try Snippet.assertBlock("chain postrouting", of: Self.nat, is: """
        \tchain postrouting {
        \t\ttype nat hook postrouting priority srcnat; policy accept;
        \t\tip saddr vmap @masquerade_ipv4
        \t}

        """)
    }

    func testWithoutUplinkTrafficLeavesByAnyInterfaceButTheGuestBridges() throws {
        let t = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, ipv4: {subnet: 10.0.0.0/24}}\n")
        let from = try XCTUnwrap(try Snippet.block("chain from_n", of: t))
        XCTAssert(from.contains("\t\toifname != @guest_bridges ip saddr 10.0.0.0/24 accept\n"), from)
        let masq = try XCTUnwrap(try Snippet.block("chain masquerade_n", of: t))
        XCTAssert(masq.contains("\t\toifname != @guest_bridges masquerade\n"), masq)
    }

    /// IPv6 of a nat network is routed (stateful) unless `nat: true`: no
    /// masquerade chain when nothing is masqueraded.
    func testIPv6OnlyNATWithoutIPv6NATHasNoMasquerade() throws {
        let t = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, uplink: eth0, ipv6: {subnet: 2001:db8:1::/64}}\n")
        XCTAssertNil(try Snippet.block("chain masquerade_n", of: t))
        XCTAssertNil(try Snippet.block("map masquerade_ipv6", of: t))
        let nat6 = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, uplink: eth0, ipv6: {subnet: fd00:1::/64, nat: true}}\n")
        try Snippet.assertBlock("chain masquerade_n", of: nat6, is: """
        \tchain masquerade_n {
        \t\tip6 daddr { fd00:1::/64, ff02::/16 } return
        \t\toifname "eth0" meta l4proto { tcp, udp } masquerade to :1024-65535
        \t\toifname "eth0" masquerade
        \t}

        """)
    }

    /// A routed network accepts new connections from its uplink.
    func testRoutedNetworksAcceptInboundFromTheirUplink() throws {
        let t = Snippet.topology(networks: "  r: {mode: route, bridge: v0, uplink: eth0, ipv4: {subnet: 198.51.100.0/24}}\n")
        try Snippet.assertBlock("chain to_r", of: t, is: """
        \tchain to_r {
        \t\tiifname "eth0" ip daddr 198.51.100.0/24 accept
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
        XCTAssertNil(try Snippet.block("chain masquerade_r", of: t))
    }

    func testIsolatedNetworksReachOnlyThemselvesAndTheirPeers() throws {
        let t = Snippet.topology(networks: """
          a: {mode: isolated, bridge: va, ipv4: {subnet: 10.1.0.0/24}, peers: [b]}
          b: {mode: isolated, bridge: vb, ipv4: {subnet: 10.2.0.0/24}}
          c: {mode: isolated, bridge: vc}

        """)
        try Snippet.assertBlock("chain from_a", of: t, is: """
        \tchain from_a {
        \t\toifname "va" accept
        \t\t# peers: vb
        \t\toifname "vb" accept
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
        // Peering is symmetric: b names nobody but reaches a.
        let b = try XCTUnwrap(try Snippet.block("chain from_b", of: t))
        XCTAssert(b.contains("\t\toifname \"va\" accept\n"), b)
        try Snippet.assertBlock("chain from_c", of: t, is: """
        \tchain from_c {
        \t\toifname "vc" accept
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
        try Snippet.assertBlock("chain to_c", of: t, is: """
        \tchain to_c {
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
    }

    static let forwards = Snippet.topology(networks: """
          web:
            mode: nat
            bridge: v0
            uplink: eth0
            ipv4:
              subnet: 192.168.10.0/24
              reservations: {www: {mac: 52:54:00:00:00:10, ip: 192.168.10.10}}
            forwards:
              - {proto: tcp, port: 2222, to: www, to_port: 22, from: [198.51.100.0/24]}
              - {proto: udp, port: 8000-8001, to: www, to_port: 9000-9001}
          lab: {mode: isolated, bridge: v1}

        """)

    /// From outside and from the network itself; guests of other networks
    /// are not DNAT'ed (they keep the host's own services on that port).
    func testForwardsDNATFromOutsideAndTheirOwnNetworkOnly() throws {
        try Snippet.assertBlock("chain prerouting", of: Self.forwards, is: """
        \tchain prerouting {
        \t\ttype nat hook prerouting priority dstnat; policy accept;
        \t\t# network web: tcp 2222 -> www (192.168.10.10):22
        \t\tiifname != @guest_bridges ip saddr 198.51.100.0/24 fib daddr type local tcp dport 2222 dnat ip to 192.168.10.10:22
        \t\tiifname "v0" ip saddr 198.51.100.0/24 fib daddr type local tcp dport 2222 dnat ip to 192.168.10.10:22
        \t\t# network web: udp 8000-8001 -> www (192.168.10.10):9000-9001
        \t\tiifname != @guest_bridges fib daddr type local udp dport 8000-8001 dnat ip to udp dport map { 8000 : 192.168.10.10 . 9000, 8001 : 192.168.10.10 . 9001 }
        \t\tiifname "v0" fib daddr type local udp dport 8000-8001 dnat ip to udp dport map { 8000 : 192.168.10.10 . 9000, 8001 : 192.168.10.10 . 9001 }
        \t}

        """)
    }

    func testForwardedTrafficIsAcceptedAndHairpinMasqueraded() throws {
        try Snippet.assertBlock("chain to_web", of: Self.forwards, is: """
        \tchain to_web {
        \t\tip daddr 192.168.10.0/24 ct state established,related accept
        \t\tip daddr 192.168.10.10 tcp dport 22 ct status dnat accept
        \t\tip daddr 192.168.10.10 udp dport 9000-9001 ct status dnat accept
        \t\treject with icmpx type admin-prohibited
        \t}

        """)
        let masq = try XCTUnwrap(try Snippet.block("chain masquerade_web", of: Self.forwards))
        XCTAssert(masq.hasPrefix("""
        \tchain masquerade_web {
        \t\t# hairpin for tcp 2222 -> www (192.168.10.10):22
        \t\toifname "v0" ip daddr 192.168.10.10 tcp dport 22 ct status dnat masquerade

        """), masq)
    }

    /// With no other guest network there is nobody to keep out: one rule.
    func testAForwardOnTheOnlyGuestNetworkIsOneRule() throws {
        let t = Snippet.topology(networks: """
          web:
            mode: nat
            bridge: v0
            ipv4: {subnet: 192.168.10.0/24}
            forwards: [{proto: tcp, port: 80, to: 192.168.10.10}]

        """)
        let pre = try XCTUnwrap(try Snippet.block("chain prerouting", of: t))
        XCTAssert(pre.contains("\t\tfib daddr type local tcp dport 80 dnat ip to 192.168.10.10\n"), pre)
        XCTAssertFalse(pre.contains("iifname"), pre)
    }

    func testBridgeModeTrafficStaysOnItsBridge() throws {
        let t = Snippet.topology(networks: "  lan: {mode: bridge, bridge: br0, uplink: eno1}\n", interfaces: "  eno1: {}\n")
        try Snippet.assertBlock("chain from_lan", of: t, is: """
        \tchain from_lan {
        \t\toifname "br0" accept
        \t}

        """)
        XCTAssertNil(try Snippet.block("map to_bridge", of: t))
        XCTAssertNil(try Snippet.block("set guest_bridges", of: t))
    }

    /// A packet meets the same number of rules whatever the number of
    /// networks: the base chains do not grow.
    func testBaseChainsDoNotGrowWithTheNumberOfNetworks() throws {
        func topology(_ n: Int) -> String {
            Snippet.topology(networks: (0..<n).map { "  n\($0): {mode: nat, bridge: v\($0), uplink: eth0, ipv4: {subnet: 10.0.\($0).0/24}}\n" }.joined())
        }
        for chain in ["chain forward", "chain postrouting"] {
            let one = try XCTUnwrap(try Snippet.block(chain, of: topology(1)))
            let many = try XCTUnwrap(try Snippet.block(chain, of: topology(50)))
            XCTAssertEqual(one, many, chain)
        }
    }
}
