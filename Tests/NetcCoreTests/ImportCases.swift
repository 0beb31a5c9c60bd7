@testable import NetcCore
@testable import NetcTestSupport

/// One diagnostic case of `netc import libvirt`: libvirt XML with a mistake,
/// the code it must yield at the position marked `‸`, and a fixed XML that
/// imports without errors and without that code.
struct ImportCase {
    var code: DiagnosticCode
    var name: String
    var bad: String
    var fixed: String
    /// `--uplink`s of the bad and of the fixed import.
    var uplinks: [String: String] = [:]
    var fixedUplinks: [String: String] = [:]

    init(_ code: DiagnosticCode, _ name: String, bad: String, fixed: String, uplinks: [String: String] = [:],
         fixedUplinks: [String: String]? = nil) {
        self.code = code
        self.name = name
        self.bad = bad
        self.fixed = fixed
        self.uplinks = uplinks
        self.fixedUplinks = fixedUplinks ?? uplinks
    }

    /// The XML without the marker, and the marker's line and column.
    var source: (text: String, line: Int, column: Int) {
        let c = DiagnosticCase(code, name, bad: bad, fixed: fixed)
        return c.source
    }

    func run(_ text: String, fixed: Bool = false) throws -> LibvirtImport.Result {
        try LibvirtImport.run([.init(name: "t.xml", bytes: Array(text.utf8))], uplinks: fixed ? fixedUplinks : uplinks)
    }
}

private let lab = "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n"

let importCases: [ImportCase] = [
    ImportCase(.E801, "an element never closed",
        bad: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'>\n‸</network>\n",
        fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
    ImportCase(.E801, "an unknown entity",
        bad: "<network>\n  <name>lab‸&nbsp;</name>\n  <bridge name='virbr1'/>\n</network>\n",
        fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
    ImportCase(.E801, "a DOCTYPE",
        bad: "‸<!DOCTYPE network [<!ENTITY a 'b'>]>\n<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n",
        fixed: "<?xml version='1.0'?>\n<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
    ImportCase(.E801, "an attribute twice",
        bad: "<network>\n  <name>lab</name>\n  <bridge name='virbr1' ‸name='virbr2'/>\n</network>\n",
        fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
    ImportCase(.E801, "text after the document",
        bad: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n‸x\n",
        fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n<!-- x -->\n"),
    ImportCase(.E802, "no bridge",
        bad: "<‸network>\n  <name>lab</name>\n  <ip address='10.10.0.1' prefix='24'/>\n</network>\n",
        fixed: lab + "  <ip address='10.10.0.1' prefix='24'/>\n</network>\n"),
    ImportCase(.E802, "a domain, not a network",
        bad: "<‸domain type='kvm'>\n  <name>vm1</name>\n</domain>\n",
        fixed: lab + "</network>\n"),
    ImportCase(.E802, "an ip without prefix",
        bad: lab + "  <‸ip address='10.10.0.1'/>\n</network>\n",
        fixed: lab + "  <ip address='10.10.0.1' prefix='24'/>\n</network>\n"),
    ImportCase(.E803, "a netmask with a hole",
        bad: lab + "  <ip address='10.10.0.1' netmask='‸255.0.255.0'/>\n</network>\n",
        fixed: lab + "  <ip address='10.10.0.1' netmask='255.255.255.0'/>\n</network>\n"),
    ImportCase(.E803, "a network name with a space",
        bad: "<network>\n  <name>‸my lab</name>\n  <bridge name='virbr1'/>\n</network>\n",
        fixed: "<network>\n  <name>my-lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
    ImportCase(.E803, "a bad MAC in a host",
        bad: lab + "  <ip address='10.10.0.1' prefix='24'>\n    <dhcp>\n      <host mac='‸52:54:00:00:00' ip='10.10.0.10'/>\n    </dhcp>\n  </ip>\n</network>\n",
        fixed: lab + "  <ip address='10.10.0.1' prefix='24'>\n    <dhcp>\n      <host mac='52:54:00:00:00:10' ip='10.10.0.10'/>\n    </dhcp>\n  </ip>\n</network>\n"),
    ImportCase(.E803, "an unknown forward mode",
        bad: "<network>\n  <name>lab</name>\n  <forward mode='‸natt'/>\n  <bridge name='virbr1'/>\n  <ip address='10.10.0.1' prefix='24'/>\n</network>\n",
        fixed: "<network>\n  <name>lab</name>\n  <forward mode='nat'/>\n  <bridge name='virbr1'/>\n  <ip address='10.10.0.1' prefix='24'/>\n</network>\n"),
    ImportCase(.E804, "a hostdev pool",
        bad: "<network>\n  <name>sriov</name>\n  <forward mode='‸hostdev' managed='yes'>\n    <address type='pci' domain='0' bus='5' slot='0' function='1'/>\n  </forward>\n</network>\n",
        fixed: "<network>\n  <name>direct</name>\n  <forward mode='passthrough'>\n    <interface dev='enp5s0f0'/>\n  </forward>\n</network>\n"),
    ImportCase(.E804, "Open vSwitch",
        bad: "<network>\n  <name>ovs</name>\n  <forward mode='bridge'/>\n  <bridge name='ovsbr0'/>\n  <‸virtualport type='openvswitch'/>\n</network>\n",
        fixed: "<network>\n  <name>ovs</name>\n  <forward mode='bridge'/>\n  <bridge name='ovsbr0'/>\n</network>\n",
        uplinks: ["ovsbr0": "eno1"]),
    ImportCase(.E805, "a host bridge without --uplink",
        bad: "<network>\n  <name>lan</name>\n  <forward mode='bridge'/>\n  <bridge name='‸br0'/>\n</network>\n",
        fixed: "<network>\n  <name>lan</name>\n  <forward mode='bridge'/>\n  <bridge name='br0'/>\n</network>\n",
        fixedUplinks: ["br0": "eno1"]),
    ImportCase(.W801, "bandwidth",
        bad: lab + "  <‸bandwidth>\n    <inbound average='1000'/>\n  </bandwidth>\n</network>\n",
        fixed: lab + "</network>\n"),
    ImportCase(.W801, "SNAT to an address range",
        bad: "<network>\n  <name>n</name>\n  <forward mode='nat'>\n    <nat>\n      <‸address start='203.0.113.20' end='203.0.113.29'/>\n    </nat>\n  </forward>\n  <bridge name='virbr0'/>\n  <ip address='192.168.122.1' prefix='24'/>\n</network>\n",
        fixed: "<network>\n  <name>n</name>\n  <forward mode='nat'/>\n  <bridge name='virbr0'/>\n  <ip address='192.168.122.1' prefix='24'/>\n</network>\n"),
    ImportCase(.W801, "a DHCPv6 host",
        bad: lab + "  <ip family='ipv6' address='fd00:1::1' prefix='64'>\n    <dhcp>\n      <range start='fd00:1::100' end='fd00:1::1ff'/>\n      <‸host id='0:3:0:1:52:54:0:0:0:1' ip='fd00:1::10'/>\n    </dhcp>\n  </ip>\n</network>\n",
        fixed: lab + "  <ip family='ipv6' address='fd00:1::1' prefix='64'>\n    <dhcp>\n      <range start='fd00:1::100' end='fd00:1::1ff'/>\n    </dhcp>\n  </ip>\n</network>\n"),
    ImportCase(.W801, "a second range with its own lease",
        bad: lab + "  <ip address='10.0.0.1' prefix='24'>\n    <dhcp>\n      <range start='10.0.0.100' end='10.0.0.149'/>\n      <range start='10.0.0.200' end='10.0.0.249'>\n        <‸lease expiry='2' unit='hours'/>\n      </range>\n    </dhcp>\n  </ip>\n</network>\n",
        fixed: lab + "  <ip address='10.0.0.1' prefix='24'>\n    <dhcp>\n      <range start='10.0.0.100' end='10.0.0.149'/>\n      <range start='10.0.0.200' end='10.0.0.249'/>\n    </dhcp>\n  </ip>\n</network>\n"),
    ImportCase(.W801, "a dnsmasq option",
        bad: "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n  <dnsmasq:options>\n    <‸dnsmasq:option value='log-queries'/>\n  </dnsmasq:options>\n</network>\n",
        fixed: lab + "</network>\n"),
    ImportCase(.W802, "a nat uplink",
        bad: "<network>\n  <name>default</name>\n  <forward mode='nat' dev='‸eth0'/>\n  <bridge name='virbr0'/>\n  <ip address='192.168.122.1' prefix='24'/>\n</network>\n",
        fixed: "<network>\n  <name>default</name>\n  <forward mode='nat'/>\n  <bridge name='virbr0'/>\n  <ip address='192.168.122.1' prefix='24'/>\n</network>\n"),
]
