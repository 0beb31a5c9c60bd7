import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Backends/Libvirt/LibvirtNetworks.swift.
final class LibvirtPlannerSnippetTests: XCTestCase {
    /// By default libvirt serves a guest network whole, in open mode (no
    /// firewall rule of its own).
    func testLibvirtServesANATNetworkInOpenMode() throws {
        let t = Snippet.topology(networks: """
          default:
            mode: nat
            bridge: virbr0
            uplink: eth0
            stp: true
            mtu: 1400
            domain: example.internal
            ipv4:
              subnet: 192.168.122.0/24
              dhcp: {start: 192.168.122.100, end: 192.168.122.254, lease: 90m}
              reservations: {web1: {mac: 52:54:00:00:00:10, ip: 192.168.122.10}}
            ipv6: {subnet: 2001:db8:122::/64}

        """)
        XCTAssertEqual(try Snippet.file("libvirt/default.xml", of: t), """
          <name>default</name>
          <metadata>
            <netc:network xmlns:netc='urn:x-netc:network:1'/>
          </metadata>
          <forward mode='open'/>
          <bridge name='virbr0' stp='on' delay='0'/>
          <mtu size='1400'/>
          <domain name='example.internal' localOnly='yes'/>
          <ip address='192.168.122.1' prefix='24'>
            <dhcp>
              <range start='192.168.122.100' end='192.168.122.254'>
                <lease expiry='90' unit='minutes'/>
              </range>
              <host mac='52:54:00:00:00:10' name='web1' ip='192.168.122.10'/>
            </dhcp>
          </ip>
          <ip family='ipv6' address='2001:db8:122::1' prefix='64'/>
        </network>

        """)
    }

    /// An isolated network: what libvirt writes for its own isolated mode,
    /// through dnsmasq options (no router in either family, local names only).
    func testAnIsolatedNetworkGetsNoRouterAndLocalDNSOnly() throws {
        let t = Snippet.topology(networks: "  lab: {mode: isolated, bridge: virbr1, ipv4: {subnet: 10.10.0.0/24}, ipv6: {subnet: fd00:10::/64}}\n")
        let xml = try XCTUnwrap(try Snippet.compile(t).first { $0.path == "libvirt/lab.xml" }).contents
        XCTAssert(xml.contains("\n<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>\n"), xml)
        XCTAssert(xml.hasSuffix("""
          <ip address='10.10.0.1' prefix='24'/>
          <ip family='ipv6' address='fd00:10::1' prefix='64'/>
          <dnsmasq:options>
            <dnsmasq:option value='dhcp-option=3'/>
            <dnsmasq:option value='no-resolv'/>
            <dnsmasq:option value='ra-param=*,0,0'/>
          </dnsmasq:options>
        </network>

        """), xml)
    }

    func testAnIsolatedNetworkWithPeersKeepsItsRouter() throws {
        let t = Snippet.topology(networks: """
          a: {mode: isolated, bridge: v1, ipv4: {subnet: 10.1.0.0/24}, peers: [b]}
          b: {mode: isolated, bridge: v2, ipv4: {subnet: 10.2.0.0/24}}

        """)
        let xml = try Snippet.file("libvirt/a.xml", of: t)
        XCTAssertFalse(xml.contains("dhcp-option=3"), xml)
        XCTAssert(xml.contains("<dnsmasq:option value='no-resolv'/>"), xml)
    }

    /// Declared resolvers replace the gateway's own, in DHCP and in RAs.
    func testDeclaredResolversAreHandedOut() throws {
        let t = Snippet.topology(networks: """
          n: {mode: route, bridge: v1, ipv4: {subnet: 198.51.100.0/24, dns: [192.0.2.53, 192.0.2.54]}, ipv6: {subnet: 2001:db8:1::/64, dns: [2001:db8::53]}}

        """)
        let xml = try Snippet.file("libvirt/n.xml", of: t)
        XCTAssert(xml.hasSuffix("""
          <dnsmasq:options>
            <dnsmasq:option value='dhcp-option=option:dns-server,192.0.2.53,192.0.2.54'/>
            <dnsmasq:option value='dhcp-option=option6:dns-server,[2001:db8::53]'/>
          </dnsmasq:options>
        </network>

        """), xml)
    }

    func testLeasesUseTheLargestExactUnit() {
        XCTAssertEqual(LibvirtPlanner.lease(7200).expiry, 2)
        XCTAssertEqual(LibvirtPlanner.lease(7200).unit, "hours")
        XCTAssertEqual(LibvirtPlanner.lease(150).expiry, 150)
        XCTAssertEqual(LibvirtPlanner.lease(150).unit, "seconds")
        XCTAssertEqual(LibvirtPlanner.lease(172800).expiry, 48)
        XCTAssertEqual(LibvirtPlanner.lease(600).unit, "minutes")
    }

    /// dnsmasq refuses host names that are not DNS labels; such a
    /// reservation still pins its address, without a name. Reservations
    /// without a dynamic range are served alone (`<dhcp>` without `<range>`).
    func testAReservationNameThatIsNoDNSLabelPinsTheAddressOnly() throws {
        let t = Snippet.topology(networks: """
          n: {mode: isolated, bridge: v1, ipv4: {subnet: 10.0.0.0/24, reservations: {_x: {mac: 52:54:00:00:00:01, ip: 10.0.0.5}, web.1: {mac: 52:54:00:00:00:02, ip: 10.0.0.6}, db-1: {mac: 52:54:00:00:00:03, ip: 10.0.0.7}}}}

        """)
        let xml = try Snippet.file("libvirt/n.xml", of: t)
        XCTAssert(xml.contains("<host mac='52:54:00:00:00:01' ip='10.0.0.5'/>"), xml)
        XCTAssert(xml.contains("<host mac='52:54:00:00:00:02' ip='10.0.0.6'/>"), xml)
        XCTAssert(xml.contains("<host mac='52:54:00:00:00:03' name='db-1' ip='10.0.0.7'/>"), xml)
        XCTAssert(xml.contains("  <ip address='10.0.0.1' prefix='24'>\n    <dhcp>\n      <host "), xml)
        XCTAssertFalse(xml.contains("<range"), xml)
    }

    func testGuestsOfANetworkdServedNetworkAttachToItsBridge() throws {
        let t = Snippet.topology(networks: "  default: {mode: nat, served_by: networkd, bridge: virbr0, ipv4: {subnet: 192.168.122.0/24}}\n")
        XCTAssertEqual(try Snippet.file("libvirt/default.xml", of: t), """
          <name>default</name>
          <metadata>
            <netc:network xmlns:netc='urn:x-netc:network:1'/>
          </metadata>
          <forward mode='bridge'/>
          <bridge name='virbr0'/>
        </network>

        """)
    }

    /// Without an address there is nothing to serve, and libvirt's open
    /// mode refuses such a network: networkd creates its bridge.
    func testAnIsolatedNetworkWithoutAddressIsABridgeNetworkdCreates() throws {
        let t = Snippet.topology(networks: "  l2: {mode: isolated, bridge: v9}\n")
        XCTAssert(try Snippet.file("libvirt/l2.xml", of: t).contains("<forward mode='bridge'/>\n  <bridge name='v9'/>\n"))
        XCTAssert(try Snippet.compile(t).contains { $0.path == "networkd/40-netc-v9.netdev" })
    }

    func testMacvtapNamesItsModeAndDevice() throws {
        let t = Snippet.topology(networks: "  direct: {mode: macvtap, uplink: eno1, macvtap_mode: vepa}\n", interfaces: "  eno1: {}\n")
        XCTAssertEqual(try Snippet.file("libvirt/direct.xml", of: t), """
          <name>direct</name>
          <metadata>
            <netc:network xmlns:netc='urn:x-netc:network:1'/>
          </metadata>
          <forward mode='vepa'>
            <interface dev='eno1'/>
          </forward>
        </network>

        """)
    }
}
