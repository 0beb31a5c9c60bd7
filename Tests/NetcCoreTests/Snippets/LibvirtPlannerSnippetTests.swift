import XCTest
@testable import NetcCore

/// Backends/Libvirt/LibvirtNetworks.swift.
final class LibvirtPlannerSnippetTests: XCTestCase {
    func testGuestsAttachToTheBridgeNetworkdManages() throws {
        let t = Snippet.topology(networks: "  default: {mode: nat, bridge: virbr0, ipv4: {subnet: 192.168.122.0/24}}\n")
        XCTAssertEqual(try Snippet.file("libvirt/default.xml", of: t), """
          <name>default</name>
          <forward mode='bridge'/>
          <bridge name='virbr0'/>
        </network>

        """)
    }

    func testMacvtapNamesItsModeAndDevice() throws {
        let t = Snippet.topology(networks: "  direct: {mode: macvtap, uplink: eno1, macvtap_mode: vepa}\n", interfaces: "  eno1: {}\n")
        XCTAssertEqual(try Snippet.file("libvirt/direct.xml", of: t), """
          <name>direct</name>
          <forward mode='vepa'>
            <interface dev='eno1'/>
          </forward>
        </network>

        """)
    }
}
