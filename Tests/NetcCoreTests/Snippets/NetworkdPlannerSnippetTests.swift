import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Backends/Networkd/NetworkdPlanner.swift, unit by unit.
final class NetworkdPlannerSnippetTests: XCTestCase {
    func testABondMemberIsAPortWithoutAddressing() throws {
        let t = Snippet.topology(networks: "", interfaces: """
          eno1: {mac: 52:54:00:aa:00:01}
          eno2: {}
          bond0: {kind: bond, members: [eno1, eno2], bond_mode: 802.3ad, ipv4: {address: 192.0.2.5/24}}

        """)
        XCTAssertEqual(try Snippet.file("networkd/10-netc-eno1.network", of: t), """
        [Match]
        Name=eno1
        PermanentMACAddress=52:54:00:aa:00:01

        [Network]
        Bond=bond0

        """)
        XCTAssertEqual(try Snippet.file("networkd/20-netc-bond0.netdev", of: t), """
        [NetDev]
        Name=bond0
        Kind=bond

        [Bond]
        Mode=802.3ad
        MIIMonitorSec=100ms

        """)
    }

    func testAVLANParentListsItsVLANsSortedAndTheVLANHasItsId() throws {
        let t = Snippet.topology(networks: "", interfaces: """
          eno1: {}
          eno1.20: {kind: vlan, parent: eno1, id: 20, ipv4: {address: 192.0.2.5/24}}
          eno1.10: {kind: vlan, parent: eno1, id: 10, ipv4: {address: 198.51.100.5/24}}

        """)
        XCTAssertEqual(try Snippet.file("networkd/10-netc-eno1.network", of: t), """
        [Match]
        Name=eno1

        [Network]
        VLAN=eno1.10
        VLAN=eno1.20
        IPv6AcceptRA=yes

        """)
        XCTAssertEqual(try Snippet.file("networkd/30-netc-eno1.10.netdev", of: t), """
        [NetDev]
        Name=eno1.10
        Kind=vlan

        [VLAN]
        Id=10

        """)
    }

    /// The bridge takes the uplink NIC's MAC; the NIC becomes a port.
    func testABridgeModeBridgeKeepsItsUplinksMACAndTheHostAddress() throws {
        let t = Snippet.topology(networks: """
          lan: {mode: bridge, bridge: br0, uplink: eno1, ipv4: {address: 192.0.2.5/24, gateway: 192.0.2.1}}

        """, interfaces: "  eno1: {mac: 52:54:00:aa:00:01}\n")
        XCTAssertEqual(try Snippet.file("networkd/40-netc-br0.netdev", of: t), """
        [NetDev]
        Name=br0
        Kind=bridge
        MACAddress=52:54:00:aa:00:01

        [Bridge]
        STP=no

        """)
        XCTAssertEqual(try Snippet.file("networkd/40-netc-br0.network", of: t), """
        [Match]
        Name=br0

        [Network]
        Address=192.0.2.5/24
        Gateway=192.0.2.1
        IPv6AcceptRA=yes
        ConfigureWithoutCarrier=yes

        """)
        XCTAssert(try Snippet.file("networkd/10-netc-eno1.network", of: t).contains("[Network]\nBridge=br0\n"))
    }

    /// Without a declared MAC the bridge keeps its first port's (`none`),
    /// not one networkd would make up; the kernel's forward delay stays
    /// unless one is given, while guest bridges forward at once.
    func testABridgeModeBridgeKeepsAnUndeclaredMACAndTheKernelsDelay() throws {
        let t = Snippet.topology(networks: """
          lan: {mode: bridge, bridge: br0, uplink: eno1}
          lan2: {mode: bridge, bridge: br1, uplink: eno2, stp: true, forward_delay: 4s}
          guests: {mode: isolated, served_by: networkd, bridge: v1, stp: true}

        """, interfaces: "  eno1: {}\n  eno2: {}\n")
        XCTAssertEqual(try Snippet.file("networkd/40-netc-br0.netdev", of: t), """
        [NetDev]
        Name=br0
        Kind=bridge
        MACAddress=none

        [Bridge]
        STP=no

        """)
        XCTAssert(try Snippet.file("networkd/40-netc-br1.netdev", of: t).hasSuffix("[Bridge]\nSTP=yes\nForwardDelaySec=4\n"))
        XCTAssert(try Snippet.file("networkd/40-netc-v1.netdev", of: t).hasSuffix("[Bridge]\nSTP=yes\nForwardDelaySec=0\n"))
    }

    /// A bridge for guests only (no host addressing, on a guest VLAN) gives
    /// the host no address there, not even one from the guests' router
    /// advertisements; with an address the host keeps networkd's IPv6.
    func testAGuestOnlyBridgeTakesNoHostAddress() throws {
        let t = Snippet.topology(networks: """
          guestvlan: {mode: bridge, bridge: br30, uplink: eno1.30}
          lan: {mode: bridge, bridge: br0, uplink: eno1.10, ipv4: {address: 192.0.2.5/24}}

        """, interfaces: "  eno1: {}\n  eno1.30: {kind: vlan, parent: eno1, id: 30}\n  eno1.10: {kind: vlan, parent: eno1, id: 10}\n")
        XCTAssertEqual(try Snippet.file("networkd/40-netc-br30.network", of: t), """
        [Match]
        Name=br30

        [Network]
        LinkLocalAddressing=no
        IPv6AcceptRA=no
        ConfigureWithoutCarrier=yes

        """)
        XCTAssert(try Snippet.file("networkd/40-netc-br0.network", of: t).contains("Address=192.0.2.5/24\nIPv6AcceptRA=yes\n"))
    }

    /// A VLAN gets its parent's MTU from the kernel: the file says so when
    /// it is not 1500, and so does a bridge over it.
    func testAVLANAndItsBridgeStateTheMTUTheyInherit() throws {
        let t = Snippet.topology(networks: "  lan: {mode: bridge, bridge: br0, uplink: bond0.20}\n", interfaces: """
          eno1: {mtu: 9000}
          bond0: {kind: bond, members: [eno1], mtu: 9000}
          bond0.20: {kind: vlan, parent: bond0, id: 20}
          bond0.30: {kind: vlan, parent: bond0, id: 30, mtu: 1500}
          eno2: {}
          eno2.5: {kind: vlan, parent: eno2, id: 5}

        """)
        XCTAssert(try Snippet.file("networkd/30-netc-bond0.20.network", of: t).contains("[Link]\nMTUBytes=9000\n"))
        XCTAssert(try Snippet.file("networkd/30-netc-bond0.30.network", of: t).contains("[Link]\nMTUBytes=1500\n"))
        XCTAssertFalse(try Snippet.file("networkd/30-netc-eno2.5.network", of: t).contains("[Link]"))
        XCTAssert(try Snippet.file("networkd/40-netc-br0.network", of: t).contains("[Link]\nMTUBytes=9000\n"))
    }

    /// Bond options in the bond's `.netdev`; the primary member says so in
    /// its own `.network`; virtual links are configured without carrier.
    func testBondOptionsAndThePrimaryMember() throws {
        let t = Snippet.topology(networks: "", interfaces: """
          eno1: {}
          eno2: {}
          eno3: {}
          eno4: {}
          lacp0: {kind: bond, members: [eno1, eno2], bond_mode: 802.3ad, transmit_hash_policy: layer3+4, lacp_rate: fast, min_links: 1}
          ab0: {kind: bond, members: [eno3, eno4], primary: eno3}

        """)
        XCTAssert(try Snippet.file("networkd/20-netc-lacp0.netdev", of: t).hasSuffix("""
        [Bond]
        Mode=802.3ad
        TransmitHashPolicy=layer3+4
        LACPTransmitRate=fast
        MinLinks=1
        MIIMonitorSec=100ms

        """))
        XCTAssert(try Snippet.file("networkd/10-netc-eno3.network", of: t).hasSuffix("[Network]\nBond=ab0\nPrimarySlave=yes\n"))
        XCTAssert(try Snippet.file("networkd/10-netc-eno4.network", of: t).hasSuffix("[Network]\nBond=ab0\n"))
        XCTAssert(try Snippet.file("networkd/20-netc-ab0.network", of: t).hasSuffix("IPv6AcceptRA=yes\nConfigureWithoutCarrier=yes\n"))
    }

    /// IPv6 on host links: networkd's defaults (link-local, router
    /// advertisements, said explicitly) unless declared or `ipv6: false`.
    func testHostLinksKeepIPv6UnlessToldOtherwise() throws {
        let t = Snippet.topology(networks: "", interfaces: """
          eth1: {ipv4: {address: 192.0.2.5/24}}
          eth2: {ipv4: {address: 198.51.100.5/24}, ipv6: false}
          eth3: {ipv6: {address: 2001:db8::5/64}}

        """)
        XCTAssert(try Snippet.file("networkd/10-netc-eth1.network", of: t).hasSuffix("Address=192.0.2.5/24\nIPv6AcceptRA=yes\n"))
        XCTAssert(try Snippet.file("networkd/10-netc-eth2.network", of: t).hasSuffix("Address=198.51.100.5/24\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n"))
        XCTAssert(try Snippet.file("networkd/10-netc-eth3.network", of: t).hasSuffix("Address=2001:db8::5/64\nIPv6AcceptRA=no\n"))
    }

    func testANATBridgeServedByNetworkdServesDHCPWithItsReservations() throws {
        let t = Snippet.topology(networks: """
          default:
            mode: nat
            served_by: networkd
            bridge: virbr0
            uplink: eth0
            mtu: 9000
            ipv4:
              subnet: 192.168.122.0/24
              dhcp: {start: 192.168.122.100, end: 192.168.122.199, lease: 2d}
              reservations: {web1: {mac: 52:54:00:00:00:10, ip: 192.168.122.10}}

        """)
        // No IPForward= (sysctl's job); the lease passes MaxLeaseTimeSec=
        // (12 h by default); the MTU reaches guests as option 26; the
        // uplink's resolver is handed out.
        XCTAssertEqual(try Snippet.file("networkd/40-netc-virbr0.network", of: t), """
        [Match]
        Name=virbr0

        [Link]
        MTUBytes=9000

        [Network]
        Address=192.168.122.1/24
        LinkLocalAddressing=no
        IPv6AcceptRA=no
        ConfigureWithoutCarrier=yes
        DHCPServer=yes

        [DHCPServer]
        PoolOffset=100
        PoolSize=100
        DefaultLeaseTimeSec=172800
        MaxLeaseTimeSec=172800
        EmitDNS=yes
        DNS=203.0.113.53
        SendOption=26:uint16:9000

        [DHCPServerStaticLease]
        MACAddress=52:54:00:00:00:10
        Address=192.168.122.10

        """)
    }

    func testAnIsolatedNetworkServedByNetworkdHandsOutNoRouterAndNoResolver() throws {
        let t = Snippet.topology(networks: """
          lab:
            mode: isolated
            served_by: networkd
            bridge: v1
            domain: lab.example
            ipv4: {subnet: 10.10.0.0/24, dhcp: {start: 10.10.0.100, end: 10.10.0.200}}
            ipv6: {subnet: fd00:10::/64}

        """)
        XCTAssertEqual(try Snippet.file("networkd/40-netc-v1.network", of: t), """
        [Match]
        Name=v1

        [Network]
        Address=10.10.0.1/24
        Address=fd00:10::1/64
        LinkLocalAddressing=ipv6
        IPv6AcceptRA=no
        ConfigureWithoutCarrier=yes
        DHCPServer=yes
        IPv6SendRA=yes

        [DHCPServer]
        PoolOffset=100
        PoolSize=101
        DefaultLeaseTimeSec=3600
        MaxLeaseTimeSec=3600
        EmitRouter=no
        EmitDNS=no
        SendOption=15:string:lab.example

        [IPv6SendRA]
        RouterLifetimeSec=0
        EmitDNS=no
        Domains=lab.example

        [IPv6Prefix]
        Prefix=fd00:10::/64

        """)
    }

    /// With peers, an isolated network's guests need the gateway as router.
    func testAnIsolatedNetworkWithPeersKeepsItsRouter() throws {
        let t = Snippet.topology(networks: """
          a: {mode: isolated, served_by: networkd, bridge: v1, ipv4: {subnet: 10.1.0.0/24, dhcp: {start: 10.1.0.100, end: 10.1.0.200}}, peers: [b]}
          b: {mode: isolated, served_by: networkd, bridge: v2, ipv4: {subnet: 10.2.0.0/24}}

        """)
        let unit = try Snippet.file("networkd/40-netc-v1.network", of: t)
        XCTAssertFalse(unit.contains("EmitRouter"), unit)
        XCTAssert(unit.contains("MaxLeaseTimeSec=3600\nEmitDNS=no\n"), unit)
    }

    /// libvirt creates and serves its networks' bridges: networkd writes
    /// nothing for them.
    func testNetworksLibvirtServesHaveNoNetworkdFile() throws {
        let t = Snippet.topology(networks: "  default: {mode: nat, bridge: virbr0, ipv4: {subnet: 192.168.122.0/24}}\n")
        let paths = try Snippet.compile(t).map(\.path)
        XCTAssertEqual(paths.filter { $0.hasPrefix("networkd/") }, ["networkd/10-netc-eth0.network"])
    }

    /// Host addressing may give resolvers without an address (found by the
    /// robustness test: the model keeps `address` optional).
    func testHostAddressingWithOnlyResolvers() throws {
        let t = "version: 1\ninterfaces:\n  eth0:\n    ipv4: {dns: [192.0.2.53]}\nnetworks: {}\n"
        XCTAssertEqual(try Snippet.file("networkd/10-netc-eth0.network", of: t), """
        [Match]
        Name=eth0

        [Network]
        DNS=192.0.2.53
        IPv6AcceptRA=yes

        """)
    }

    func testDHCPInBothFamiliesIsDHCPYes() throws {
        let t = "version: 1\ninterfaces:\n  eth0:\n    ipv4: {address: dhcp}\n    ipv6: {address: dhcp}\nnetworks: {}\n"
        let unit = try Snippet.file("networkd/10-netc-eth0.network", of: t)
        XCTAssert(unit.contains("[Network]\nDHCP=yes\n"), unit)
        // With IPv6 forwarding on, networkd accepts RAs only when told to.
        XCTAssert(unit.contains("\nIPv6AcceptRA=yes\n"), unit)
    }
}
