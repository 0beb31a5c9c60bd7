import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Backends/Nftables/NftPlanner.swift, rule by rule: a policy is one rule
/// over a named set, and a network adds elements to the sets.
final class NftPlannerSnippetTests: XCTestCase {
    static let nat = Snippet.topology(networks: """
          default:
            mode: nat
            bridge: virbr0
            uplink: eth0
            ipv4: {subnet: 192.168.122.0/24}

        """)

    /// Invalid packets go nowhere; guests reach their own bridge; a guest
    /// bridge's packets come from its subnet and a guest subnet from its
    /// bridge only; guests reach the uplink from their own subnet; replies
    /// come back from the uplink only; everything else in or out is
    /// rejected.
    func testTheForwardChainOfANATNetwork() throws {
        try Snippet.assertBlock("chain forward", of: Self.nat, is: """
        \tchain forward {
        \t\ttype filter hook forward priority filter; policy accept;
        \t\t# packets conntrack cannot place, into or out of a guest network
        \t\tiifname @guest_bridges ct state invalid drop
        \t\toifname @guest_bridges ct state invalid drop
        \t\tiifname . oifname @bridge_pairs accept
        \t\t# between two of the host's own links: the host is no router there
        \t\tiifname @host_links oifname @host_links drop
        \t\t# sources: a guest network's own subnets, and only from its bridge
        \t\tiifname @guest_bridges iifname . ip saddr != @source_subnets_ipv4 drop
        \t\tiifname != @guest_bridges ip saddr @guest_subnets_ipv4 drop
        \t\tiifname @guest_bridges meta nfproto ipv6 drop
        \t\tiifname . ip saddr . oifname @egress_ipv4 accept
        \t\tiifname . oifname . ip daddr @replies_ipv4 ct state established,related accept
        \t\t# everything else into or out of a guest network
        \t\tiifname @guest_bridges reject with icmpx type admin-prohibited
        \t\toifname @guest_bridges reject with icmpx type admin-prohibited
        \t}

        """)
        try Snippet.assertBlock("set egress_ipv4", of: Self.nat, is: """
        \tset egress_ipv4 {
        \t\ttype ifname . ipv4_addr . ifname
        \t\tflags interval
        \t\telements = {
        \t\t\t"virbr0" . 192.168.122.0/24 . "eth0" comment "network default",
        \t\t}
        \t}

        """)
        try Snippet.assertBlock("set bridge_pairs", of: Self.nat, is: """
        \tset bridge_pairs {
        \t\ttype ifname . ifname
        \t\telements = {
        \t\t\t"virbr0" . "virbr0" comment "network default",
        \t\t}
        \t}

        """)
        try Snippet.assertBlock("set replies_ipv4", of: Self.nat, is: """
        \tset replies_ipv4 {
        \t\ttype ifname . ifname . ipv4_addr
        \t\tflags interval
        \t\telements = {
        \t\t\t"eth0" . "virbr0" . 192.168.122.0/24 comment "network default",
        \t\t}
        \t}

        """)
        try Snippet.assertBlock("set source_subnets_ipv4", of: Self.nat, is: """
        \tset source_subnets_ipv4 {
        \t\ttype ifname . ipv4_addr
        \t\tflags interval
        \t\telements = {
        \t\t\t"virbr0" . 192.168.122.0/24 comment "network default",
        \t\t}
        \t}

        """)
    }

    /// Replies to connections that left by any interface come back by any
    /// interface but a guest bridge (not from another guest network).
    func testRepliesWithoutUplinkComeFromAnyInterfaceButTheGuestBridges() throws {
        let t = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, ipv4: {subnet: 10.0.0.0/24}}\n")
        let forward = try XCTUnwrap(try Snippet.block("chain forward", of: t))
        XCTAssert(forward.contains("\t\tiifname != @guest_bridges oifname . ip daddr @replies_any_ipv4 ct state established,related accept\n"), forward)
        XCTAssertNil(try Snippet.block("set replies_ipv4", of: t))
    }

    /// libvirt's exceptions (local multicast, broadcast, the subnet itself),
    /// then unprivileged source ports for every protocol with ports, ahead of
    /// other tables' source NAT; after all of them, nothing leaves
    /// untranslated.
    func testMasqueradeKeepsLibvirtsExceptionsAndUnprivilegedPorts() throws {
        try Snippet.assertBlock("chain postrouting", of: Self.nat, is: """
        \tchain postrouting {
        \t\ttype nat hook postrouting priority srcnat - 1; policy accept;
        \t\tip daddr { 224.0.0.0/24, 255.255.255.255 } return
        \t\tip saddr . ip daddr @own_subnet_ipv4 return
        \t\tip saddr . oifname @masquerade_ipv4 meta l4proto { tcp, udp, sctp, dccp } masquerade to :1024-65535
        \t\tip saddr . oifname @masquerade_ipv4 masquerade
        \t}

        """)
        try Snippet.assertBlock("chain untranslated", of: Self.nat, is: """
        \tchain untranslated {
        \t\ttype filter hook postrouting priority srcnat + 1; policy accept;
        \t\tip saddr . oifname @masquerade_ipv4 drop
        \t}

        """)
        let masq = try XCTUnwrap(try Snippet.block("set masquerade_ipv4", of: Self.nat))
        XCTAssert(masq.contains("\t\t\t192.168.122.0/24 . \"eth0\" comment \"network default\",\n"), masq)
        let own = try XCTUnwrap(try Snippet.block("set own_subnet_ipv4", of: Self.nat))
        XCTAssert(own.contains("\t\t\t192.168.122.0/24 . 192.168.122.0/24 comment \"network default\",\n"), own)
    }

    func testWithoutUplinkTrafficLeavesByAnyInterfaceButTheGuestBridges() throws {
        let t = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, ipv4: {subnet: 10.0.0.0/24}}\n")
        let forward = try XCTUnwrap(try Snippet.block("chain forward", of: t))
        XCTAssert(forward.contains("\t\toifname != @guest_bridges iifname . ip saddr @egress_any_ipv4 accept\n"), forward)
        let post = try XCTUnwrap(try Snippet.block("chain postrouting", of: t))
        XCTAssert(post.contains("\t\toifname != @guest_bridges ip saddr @masquerade_any_ipv4 masquerade\n"), post)
        XCTAssertNil(try Snippet.block("set egress_ipv4", of: t))
    }

    /// IPv6 of a nat network is routed (stateful) unless `nat: true`.
    func testIPv6IsMasqueradedOnlyWithIPv6NAT() throws {
        let routed = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, uplink: eth0, ipv6: {subnet: 2001:db8:1::/64}}\n")
        XCTAssertNil(try Snippet.block("set masquerade_ipv6", of: routed))
        XCTAssertFalse(try XCTUnwrap(try Snippet.block("chain postrouting", of: routed)).contains("masquerade"))
        XCTAssertNotNil(try Snippet.block("set replies_ipv6", of: routed))
        let nat6 = Snippet.topology(networks: "  n: {mode: nat, bridge: v0, uplink: eth0, ipv6: {subnet: fd00:1::/64, nat: true}}\n")
        let post = try XCTUnwrap(try Snippet.block("chain postrouting", of: nat6))
        XCTAssert(post.contains("\t\tip6 daddr ff02::/16 return\n\t\tip6 saddr . ip6 daddr @own_subnet_ipv6 return\n"), post)
        XCTAssert(post.contains("\t\tip6 saddr . oifname @masquerade_ipv6 masquerade\n"), post)
    }

    /// A routed network accepts new connections from its uplink and is
    /// never masqueraded.
    func testRoutedNetworksAcceptInboundFromTheirUplink() throws {
        let t = Snippet.topology(networks: "  r: {mode: route, bridge: v0, uplink: eth0, ipv4: {subnet: 198.51.100.0/24}}\n")
        try Snippet.assertBlock("set inbound_ipv4", of: t, is: """
        \tset inbound_ipv4 {
        \t\ttype ifname . ifname . ipv4_addr
        \t\tflags interval
        \t\telements = {
        \t\t\t"eth0" . "v0" . 198.51.100.0/24 comment "network r",
        \t\t}
        \t}

        """)
        let forward = try XCTUnwrap(try Snippet.block("chain forward", of: t))
        XCTAssert(forward.contains("\t\tiifname . oifname . ip daddr @inbound_ipv4 accept\n"), forward)
        XCTAssertNil(try Snippet.block("set masquerade_ipv4", of: t))
        XCTAssertNil(try Snippet.block("set replies_ipv4", of: t))
    }

    /// Isolated networks reach themselves and their peers, both ways, and
    /// nothing else.
    func testIsolatedNetworksReachOnlyThemselvesAndTheirPeers() throws {
        let t = Snippet.topology(networks: """
          a: {mode: isolated, bridge: va, ipv4: {subnet: 10.1.0.0/24}, peers: [b]}
          b: {mode: isolated, bridge: vb, ipv4: {subnet: 10.2.0.0/24}}
          c: {mode: isolated, bridge: vc}

        """)
        try Snippet.assertBlock("set bridge_pairs", of: t, is: """
        \tset bridge_pairs {
        \t\ttype ifname . ifname
        \t\telements = {
        \t\t\t"va" . "va" comment "network a",
        \t\t\t"vb" . "vb" comment "network b",
        \t\t\t"vc" . "vc" comment "network c",
        \t\t}
        \t}

        """)
        try Snippet.assertBlock("set peer_pairs", of: t, is: """
        \tset peer_pairs {
        \t\ttype ifname . ifname
        \t\telements = {
        \t\t\t"va" . "vb" comment "network a",
        \t\t\t"vb" . "va" comment "network b",
        \t\t}
        \t}

        """)
        // Peers are accepted only after the source checks.
        let forward = try XCTUnwrap(try Snippet.block("chain forward", of: t))
        let check = try XCTUnwrap(forward.range(of: "iifname @guest_bridges iifname . ip saddr != @source_subnets_ipv4 drop"))
        let peers = try XCTUnwrap(forward.range(of: "iifname . oifname @peer_pairs accept"))
        XCTAssertLessThan(check.lowerBound, peers.lowerBound)
        for set in ["egress_ipv4", "egress_any_ipv4", "replies_ipv4", "inbound_ipv4", "masquerade_ipv4"] {
            XCTAssertNil(try Snippet.block("set \(set)", of: t), set)
        }
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

    /// The DNAT'ed traffic is accepted (one set per protocol) and hairpin
    /// traffic masqueraded before the exceptions.
    func testForwardedTrafficIsAcceptedAndHairpinMasqueraded() throws {
        let forward = try XCTUnwrap(try Snippet.block("chain forward", of: Self.forwards))
        XCTAssert(forward.contains("\t\tiifname != @guest_bridges oifname . ip daddr . tcp dport @forwarded_tcp ct status dnat accept\n"
            + "\t\tiifname != @guest_bridges oifname . ip daddr . udp dport @forwarded_udp ct status dnat accept\n"), forward)
        try Snippet.assertBlock("set forwarded_udp", of: Self.forwards, is: """
        \tset forwarded_udp {
        \t\ttype ifname . ipv4_addr . inet_service
        \t\tflags interval
        \t\telements = {
        \t\t\t"v0" . 192.168.10.10 . 9000-9001 comment "network web",
        \t\t}
        \t}

        """)
        let post = try XCTUnwrap(try Snippet.block("chain postrouting", of: Self.forwards))
        XCTAssert(post.hasPrefix("""
        \tchain postrouting {
        \t\ttype nat hook postrouting priority srcnat - 1; policy accept;
        \t\toifname . ip saddr . ip daddr . tcp dport @hairpin_tcp ct status dnat masquerade to :1024-65535
        \t\toifname . ip saddr . ip daddr . udp dport @hairpin_udp ct status dnat masquerade to :1024-65535
        \t\tip daddr { 224.0.0.0/24, 255.255.255.255 } return

        """), post)
        let hairpin = try XCTUnwrap(try Snippet.block("set hairpin_tcp", of: Self.forwards))
        XCTAssert(hairpin.contains("\t\t\t\"v0\" . 192.168.10.0/24 . 192.168.10.10 . 22 comment \"network web\",\n"), hairpin)
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
        try Snippet.assertBlock("chain forward", of: t, is: """
        \tchain forward {
        \t\ttype filter hook forward priority filter; policy accept;
        \t\tiifname . oifname @bridge_pairs accept
        \t\t# between two of the host's own links: the host is no router there
        \t\tiifname @host_links oifname @host_links drop
        \t}

        """)
        XCTAssertNil(try Snippet.block("set guest_bridges", of: t))
    }

    /// Neither a packet's path nor the ruleset's rules grow with the number
    /// of networks: only the sets' elements do.
    func testRulesDoNotGrowWithTheNumberOfNetworks() throws {
        func topology(_ n: Int) -> String {
            Snippet.topology(networks: (0..<n).map { "  n\($0): {mode: nat, bridge: v\($0), uplink: eth0, ipv4: {subnet: 10.0.\($0).0/24}}\n" }.joined())
        }
        for chain in ["chain forward", "chain prerouting", "chain output", "chain postrouting"] {
            let one = try XCTUnwrap(try Snippet.block(chain, of: topology(1)))
            let many = try XCTUnwrap(try Snippet.block(chain, of: topology(50)))
            XCTAssertEqual(one, many, chain)
        }
        let set = try XCTUnwrap(try Snippet.block("set egress_ipv4", of: topology(50)))
        XCTAssertEqual(set.components(separatedBy: " . \"eth0\" comment \"network n").count - 1, 50, set)
    }

    /// `host_services`: the guests of that network reach what serving them
    /// needs and the listed ports of the host; other networks are not
    /// touched, and without the key there is no input chain at all.
    func testHostServicesLimitWhatAGuestNetworkReachesOnTheHost() throws {
        let t = Snippet.topology(networks: """
          lab: {mode: isolated, bridge: v1, ipv4: {subnet: 10.1.0.0/24}, host_services: [{proto: tcp, port: 22}, {proto: udp, port: 5000-5001}]}
          open: {mode: isolated, bridge: v2, ipv4: {subnet: 10.2.0.0/24}}

        """)
        try Snippet.assertBlock("chain input", of: t, is: """
        \tchain input {
        \t\ttype filter hook input priority filter; policy accept;
        \t\t# DHCP, DHCPv6, DNS, ping, router and neighbour discovery, replies
        \t\tiifname @host_restricted ct state established,related accept
        \t\tiifname @host_restricted udp dport { 67, 547 } accept
        \t\tiifname @host_restricted meta l4proto { tcp, udp } th dport 53 accept
        \t\tiifname @host_restricted icmp type echo-request accept
        \t\tiifname @host_restricted icmpv6 type { echo-request, nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept
        \t\tiifname . tcp dport @host_services_tcp accept
        \t\tiifname . udp dport @host_services_udp accept
        \t\tiifname @host_restricted reject with icmpx type admin-prohibited
        \t}

        """)
        let restricted = try XCTUnwrap(try Snippet.block("set host_restricted", of: t))
        XCTAssert(restricted.contains("\"v1\" comment \"network lab\""), restricted)
        XCTAssertFalse(restricted.contains("\"v2\""), restricted)
        let udp = try XCTUnwrap(try Snippet.block("set host_services_udp", of: t))
        XCTAssert(udp.contains("\"v1\" . 5000-5001 comment \"network lab\""), udp)
        XCTAssertNil(try Snippet.block("chain input", of: Self.nat))
    }

    /// table bridge netc: no frame entering a bridge claims a gateway's
    /// address, and a locked reservation's address comes from its MAC
    /// only; `lock_reservations: false` leaves that network's out.
    func testTheBridgeTableGuardsGatewaysAndLockedReservations() throws {
        let two = Snippet.topology(networks: """
              default:
                mode: nat
                bridge: virbr0
                ipv4: {subnet: 192.168.122.0/24, reservations: {web1: {mac: 52:54:00:00:00:10, ip: 192.168.122.10}}}
              open:
                mode: isolated
                bridge: virbr1
                ipv4: {subnet: 10.1.0.0/24, reservations: {db1: {mac: 52:54:00:00:01:10, ip: 10.1.0.10}}}
                ipv6: {subnet: 2001:db8:1::/64}
                security: {lock_reservations: false}

            """)
        try Snippet.assertBlock("chain guard", of: two, is: """
        \tchain guard {
        \t\ttype filter hook prerouting priority filter; policy accept;
        \t\t# a guest claiming a gateway's address: ARP poisoning of its neighbours, a rogue router
        \t\tarp saddr ip @gateways_ipv4 drop
        \t\tip saddr @gateways_ipv4 drop
        \t\tip6 saddr @gateways_ipv6 drop
        \t\t# a reserved address from another MAC: a guest taking over a reservation (and its forwards)
        \t\tarp saddr ip @reserved_ipv4 arp saddr ip . arp saddr ether != @reservations_ipv4 drop
        \t\tip saddr @reserved_ipv4 ip saddr . ether saddr != @reservations_ipv4 drop
        \t}

        """)
        try Snippet.assertBlock("set reservations_ipv4", of: two, is: """
        \tset reservations_ipv4 {
        \t\ttype ipv4_addr . ether_addr
        \t\telements = {
        \t\t\t192.168.122.10 . 52:54:00:00:00:10 comment "network default",
        \t\t}
        \t}

        """)
        try Snippet.assertBlock("set gateways_ipv6", of: two, is: """
        \tset gateways_ipv6 {
        \t\ttype ipv6_addr
        \t\tflags interval
        \t\telements = {
        \t\t\t2001:db8:1::1 comment "network open",
        \t\t}
        \t}

        """)
    }
}
