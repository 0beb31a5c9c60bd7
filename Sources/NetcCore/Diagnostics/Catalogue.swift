/// The single catalogue of diagnostic codes. Every diagnostic netc reports
/// names one of these; codes are stable, and each carries the documentation
/// that `netc explain CODE` prints and docs/diagnostics.md lists.
public enum DiagnosticCode: String, CaseIterable, Sendable, Hashable {
    case E001, E002, E003, E004, E005, E006, E007, E008, E009, E010, E011
    case E101, E102, E103, E104, E105, E106, E107
    case E201, E202, E203, E204, E205, E206, E207, E208, E209, E210
    case E301, E302, E303, E304, E305, E306, E307, E308
    case E401, E402, E403, E404, E405, E406
    case E501, E502, E503, E504, E505
    case E601
    case E801, E802, E803, E804, E805
    case E901, E902, E903, E904, E905, E906, E907, E908
    case W701, W702, W703, W704, W705, W706
    case W801, W802

    public var severity: Severity { rawValue.hasPrefix("W") ? .warning : .error }

    public var entry: CatalogueEntry { Catalogue.entries[self]! }
}

/// Documentation of one code: a one-line title, an explanation, and a bad and
/// a fixed fragment: of a topology, or for the codes of `netc import`, of
/// libvirt XML (and the topology that fixes it).
public struct CatalogueEntry: Sendable {
    public var title: String
    public var explanation: String
    public var bad: String
    public var fixed: String
    /// The languages of `bad` and `fixed`, for Markdown code blocks.
    public var badLanguage = "yaml"
    public var fixedLanguage = "yaml"
}

public enum Catalogue {
    static func e(_ title: String, _ explanation: String, bad: String, fixed: String) -> CatalogueEntry {
        CatalogueEntry(title: title, explanation: explanation, bad: bad, fixed: fixed)
    }

    /// An entry of `netc import`: the bad fragment is libvirt XML.
    static func x(_ title: String, _ explanation: String, bad: String, fixed: String, fixedIn language: String = "xml") -> CatalogueEntry {
        CatalogueEntry(title: title, explanation: explanation, bad: bad, fixed: fixed, badLanguage: "xml", fixedLanguage: language)
    }

    public static let entries: [DiagnosticCode: CatalogueEntry] = [
        .E001: e(
            "YAML syntax error",
            "The file is not valid YAML. The message and position are libyaml's. Nothing else is checked until the syntax is fixed.",
            bad: "networks:\n  default: {mode: nat\n",
            fixed: "networks:\n  default: {mode: nat}\n"),
        .E002: e(
            "duplicate key in a mapping",
            "A mapping names the same key twice. YAML loaders disagree on which value wins, so netc refuses the file. The note points at the first occurrence.",
            bad: "networks:\n  lab: {mode: isolated, bridge: virbr1}\n  lab: {mode: isolated, bridge: virbr2}\n",
            fixed: "networks:\n  lab: {mode: isolated, bridge: virbr1}\n  lab2: {mode: isolated, bridge: virbr2}\n"),
        .E003: e(
            "unknown key",
            "The key is not part of the topology format at this place. A close match is suggested when there is one.",
            bad: "networks:\n  lab: {mode: isolated, brige: virbr1}\n",
            fixed: "networks:\n  lab: {mode: isolated, bridge: virbr1}\n"),
        .E004: e(
            "wrong type",
            "A mapping, a list or a single value was expected and something else was found. Numbers and booleans must be written unquoted; booleans are `true` and `false` only.",
            bad: "networks:\n  lab: {mode: isolated, bridge: virbr1, stp: yes}\n",
            fixed: "networks:\n  lab: {mode: isolated, bridge: virbr1, stp: true}\n"),
        .E005: e(
            "required key missing",
            "A mapping lacks a key that it must have. The position is the mapping's.",
            bad: "version: 1\n",
            fixed: "version: 1\nnetworks: {}\n"),
        .E006: e(
            "unsupported version",
            "`version` must be 1, the only version of the format this netc reads.",
            bad: "version: 2\nnetworks: {}\n",
            fixed: "version: 1\nnetworks: {}\n"),
        .E007: e(
            "value not one of the allowed words",
            "The key takes one of a fixed set of words; the message lists them.",
            bad: "networks:\n  lab: {mode: hostonly, bridge: virbr1}\n",
            fixed: "networks:\n  lab: {mode: isolated, bridge: virbr1}\n"),
        .E008: e(
            "number out of range or malformed",
            "An integer (MTU, VLAN id, version, forward delay, min_links) is malformed or outside its range: MTU 68-65535, VLAN id 1-4094, `forward_delay` 0-30 seconds, a bond's `min_links` at most its number of members.",
            bad: "interfaces:\n  eth0.5000: {kind: vlan, parent: eth0, id: 5000}\n",
            fixed: "interfaces:\n  eth0.500: {kind: vlan, parent: eth0, id: 500}\n"),
        .E009: e(
            "YAML aliases expand too far",
            "Aliases (`*name`) and merge keys (`<<: *name`) may stand for at most 2,000,000 nodes in all. Aliases of aliases multiply: nine levels of ten references stand for a billion nodes, which would take minutes and gigabytes to read. The position is the alias that crosses the limit. A topology needs at most a few shared blocks.",
            bad: "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... seven more levels\n",
            fixed: "defaults: &defaults {mode: isolated}\nnetworks:\n  a: {<<: *defaults, bridge: v1}\n"),
        .E010: e(
            "not UTF-8 text",
            "A topology is UTF-8 text. The position is the first byte that is not: a NUL, or a sequence that is not well-formed UTF-8 (a file saved as Latin-1, say). netc never guesses an encoding or replaces bytes.",
            bad: "host: k\\xE9vm01    # the byte E9 (é in Latin-1)\n",
            fixed: "host: kvm01\n"),
        .E011: e(
            "tab in indentation",
            "YAML indents with spaces only; a tab before a line's first character is an error (libyaml's \"found character that cannot start any token\"). netc names each such tab (excerpts show it as →) and goes on reading the file as if each were one space, so that the rest of the file is still checked: when tabs and spaces are mixed, a knock-on indentation error may follow, which goes away with the tabs.",
            bad: "interfaces:\n\teth0: {}\n",
            fixed: "interfaces:\n  eth0: {}\n"),
        .E101: e(
            "invalid interface, bridge, host or domain name",
            "Kernel interface names are 1-15 bytes of A-Z a-z 0-9 _ . - and may not start with `-` or `.`. The `host` name is a DNS host name (A-Z a-z 0-9 . -). A network's `domain` is a DNS name: labels of 1-63 characters of A-Z a-z 0-9 - (not starting or ending with `-`) joined by single dots. netc refuses anything else before it can reach a generated file, so no name can inject text into a configuration file or the ruleset.",
            bad: "networks:\n  lab: {mode: isolated, bridge: virbr-laboratory}\n",
            fixed: "networks:\n  lab: {mode: isolated, bridge: virbr-lab}\n"),
        .E102: e(
            "invalid network or reservation name",
            "A network name is what guests reference in libvirt: 1-64 characters of A-Z a-z 0-9 _ . -. Reservation names (which appear in the ruleset's comments) follow the same rule.",
            bad: "networks:\n  \"my lab\": {mode: isolated, bridge: virbr1}\n",
            fixed: "networks:\n  my-lab: {mode: isolated, bridge: virbr1}\n"),
        .E103: e(
            "name used twice on the host",
            "Two bridges share a name, or a bridge has the name of a declared interface. Each link name exists once on a host.",
            bad: "networks:\n  a: {mode: isolated, bridge: virbr1}\n  b: {mode: isolated, bridge: virbr1}\n",
            fixed: "networks:\n  a: {mode: isolated, bridge: virbr1}\n  b: {mode: isolated, bridge: virbr2}\n"),
        .E104: e(
            "reference to an undeclared name",
            "An uplink, bond member, VLAN parent, forward target or peer names something the topology does not declare. A close match is suggested.",
            bad: "interfaces:\n  eth0: {}\nnetworks:\n  lan: {mode: bridge, bridge: br0, uplink: eht0}\n",
            fixed: "interfaces:\n  eth0: {}\nnetworks:\n  lan: {mode: bridge, bridge: br0, uplink: eth0}\n"),
        .E105: e(
            "link claimed twice",
            "A link can be enslaved once: one NIC in two bonds, a bond member used as a bridge uplink, or two bridges on one uplink are refused, and so is a VLAN on a bond member (put it on the bond). The note points at the first claim.",
            bad: "networks:\n  a: {mode: bridge, bridge: br0, uplink: eth0}\n  b: {mode: bridge, bridge: br1, uplink: eth0}\n",
            fixed: "networks:\n  a: {mode: bridge, bridge: br0, uplink: eth0}\n  b: {mode: bridge, bridge: br1, uplink: eth1}\n"),
        .E106: e(
            "reference cycle or wrong kind",
            "A VLAN's parent must be an ethernet or a bond, a bond's members must be ethernet interfaces.",
            bad: "interfaces:\n  eth0: {}\n  v1: {kind: vlan, parent: eth0, id: 1}\n  v2: {kind: vlan, parent: v1, id: 2}\n",
            fixed: "interfaces:\n  eth0: {}\n  v1: {kind: vlan, parent: eth0, id: 1}\n  v2: {kind: vlan, parent: eth0, id: 2}\n"),
        .E107: e(
            "addressing on an enslaved link",
            "A bond member or a bridge uplink carries no address of its own: put the address on the bond, or on the bridge (the network's `ipv4`/`ipv6` in bridge mode).",
            bad: "interfaces:\n  eth0: {ipv4: {address: 192.0.2.10/24}}\nnetworks:\n  lan: {mode: bridge, bridge: br0, uplink: eth0}\n",
            fixed: "interfaces:\n  eth0: {}\nnetworks:\n  lan: {mode: bridge, bridge: br0, uplink: eth0, ipv4: {address: 192.0.2.10/24}}\n"),
        .E201: e(
            "malformed address or CIDR",
            "The value is not an IP address, or not a CIDR `address/prefix` where one is needed.",
            bad: "    ipv4: {subnet: 192.168.300.0/24}\n",
            fixed: "    ipv4: {subnet: 192.168.30.0/24}\n"),
        .E202: e(
            "subnet with host bits set",
            "A subnet is written with its network address; the message suggests it.",
            bad: "    ipv4: {subnet: 192.168.122.1/24}\n",
            fixed: "    ipv4: {subnet: 192.168.122.0/24}\n"),
        .E203: e(
            "gateway outside its subnet",
            "A gateway must lie inside the subnet (or, for host addressing, inside the address's subnet).",
            bad: "    ipv4: {subnet: 192.168.122.0/24, gateway: 192.168.123.1}\n",
            fixed: "    ipv4: {subnet: 192.168.122.0/24, gateway: 192.168.122.1}\n"),
        .E204: e(
            "network or broadcast address used as a host address",
            "A gateway or host address may not be the subnet's network address nor its IPv4 broadcast address.",
            bad: "    ipv4: {subnet: 192.168.122.0/24, gateway: 192.168.122.255}\n",
            fixed: "    ipv4: {subnet: 192.168.122.0/24, gateway: 192.168.122.1}\n"),
        .E205: e(
            "address of the wrong family",
            "An IPv6 address under `ipv4`, or an IPv4 address under `ipv6`, a reservation of the other family, or a forward's `from` source of another family than its target.",
            bad: "    ipv4: {subnet: fd00:1::/64}\n",
            fixed: "    ipv6: {subnet: fd00:1::/64}\n"),
        .E206: e(
            "subnet too small",
            "A guest subnet must hold the gateway and at least one guest: IPv4 /30 or larger, IPv6 /126 or larger.",
            bad: "    ipv4: {subnet: 10.0.0.0/31}\n",
            fixed: "    ipv4: {subnet: 10.0.0.0/29}\n"),
        .E207: e(
            "subnets overlap",
            "Two guest subnets, or a guest subnet and a host address, overlap: routing on the host would be ambiguous. The note names the other one.",
            bad: "  a: {mode: isolated, bridge: v1, ipv4: {subnet: 10.0.0.0/16}}\n  b: {mode: isolated, bridge: v2, ipv4: {subnet: 10.0.5.0/24}}\n",
            fixed: "  a: {mode: isolated, bridge: v1, ipv4: {subnet: 10.0.0.0/24}}\n  b: {mode: isolated, bridge: v2, ipv4: {subnet: 10.0.5.0/24}}\n"),
        .E208: e(
            "special-purpose range used as a subnet",
            "Loopback, link-local, multicast, 0.0.0.0/8 and 240.0.0.0/4 (and their IPv6 counterparts) cannot be guest or host subnets.",
            bad: "    ipv4: {subnet: 169.254.10.0/24}\n",
            fixed: "    ipv4: {subnet: 10.254.10.0/24}\n"),
        .E209: e(
            "a route's gateway is not on its link",
            "A static route's `via` must be reachable on the link the route is on: inside the subnet of one of that link's static addresses of its family (or an IPv6 link-local address, fe80::/10). A default route (`to: default`) needs a `via`, of the family it is the default of.",
            bad: "  eth0:\n    ipv4: {address: 203.0.113.10/24}\n    routes:\n      - {to: 198.51.100.0/24, via: 192.0.2.1}\n",
            fixed: "  eth0:\n    ipv4: {address: 203.0.113.10/24}\n    routes:\n      - {to: 198.51.100.0/24, via: 203.0.113.254}\n"),
        .E210: e(
            "two routes to the same destination",
            "A link's routes to one destination need different tables or metrics: the same destination, table and metric twice is one route written twice (or two gateways where one was meant). The note points at the first.",
            bad: "    routes:\n      - {to: 198.51.100.0/24, via: 203.0.113.254}\n      - {to: 198.51.100.0/24, via: 203.0.113.253}\n",
            fixed: "    routes:\n      - {to: 198.51.100.0/24, via: 203.0.113.254}\n      - {to: 198.51.100.0/24, via: 203.0.113.253, metric: 200}\n"),
        .E301: e(
            "DHCP range not inside the subnet",
            "`dhcp.start` and `dhcp.end` must both lie inside the subnet.",
            bad: "    ipv4: {subnet: 10.0.0.0/24, dhcp: {start: 10.0.0.100, end: 10.0.1.50}}\n",
            fixed: "    ipv4: {subnet: 10.0.0.0/24, dhcp: {start: 10.0.0.100, end: 10.0.0.250}}\n"),
        .E302: e(
            "DHCP range reversed",
            "`dhcp.start` must not be above `dhcp.end`.",
            bad: "    ipv4: {subnet: 10.0.0.0/24, dhcp: {start: 10.0.0.200, end: 10.0.0.100}}\n",
            fixed: "    ipv4: {subnet: 10.0.0.0/24, dhcp: {start: 10.0.0.100, end: 10.0.0.200}}\n"),
        .E303: e(
            "DHCP range holds the gateway, network or broadcast address",
            "The dynamic range may hand out neither the gateway nor the network or broadcast address.",
            bad: "    ipv4: {subnet: 10.0.0.0/24, dhcp: {start: 10.0.0.1, end: 10.0.0.254}}\n",
            fixed: "    ipv4: {subnet: 10.0.0.0/24, dhcp: {start: 10.0.0.2, end: 10.0.0.254}}\n"),
        .E304: e(
            "reservation address outside the subnet or equal to the gateway",
            "A reservation's `ip` must be a usable guest address of the subnet.",
            bad: "      reservations: {web: {mac: 52:54:00:00:00:01, ip: 10.0.1.5}}\n",
            fixed: "      reservations: {web: {mac: 52:54:00:00:00:01, ip: 10.0.0.5}}\n"),
        .E305: e(
            "duplicate reservation MAC or address",
            "Two reservations of one network name the same MAC or the same address. The note points at the first.",
            bad: "      reservations:\n        a: {mac: 52:54:00:00:00:01, ip: 10.0.0.5}\n        b: {mac: 52:54:00:00:00:02, ip: 10.0.0.5}\n",
            fixed: "      reservations:\n        a: {mac: 52:54:00:00:00:01, ip: 10.0.0.5}\n        b: {mac: 52:54:00:00:00:02, ip: 10.0.0.6}\n"),
        .E306: e(
            "malformed, multicast or all-zero MAC",
            "A MAC is six hex octets separated by `:` (or `-`); it must be a unicast address and not all zeros.",
            bad: "      reservations: {web: {mac: 01:00:5e:00:00:01, ip: 10.0.0.5}}\n",
            fixed: "      reservations: {web: {mac: 52:54:00:00:00:01, ip: 10.0.0.5}}\n"),
        .E307: e(
            "lease too short or malformed",
            "`dhcp.lease` is a number and a unit (s, m, h, d), at least 2 minutes.",
            bad: "      dhcp: {start: 10.0.0.100, end: 10.0.0.200, lease: 30s}\n",
            fixed: "      dhcp: {start: 10.0.0.100, end: 10.0.0.200, lease: 10m}\n"),
        .E308: e(
            "DHCP ranges overlap",
            "The ranges of a `dhcp` list are separate pools: no address may be in two of them. The note points at the first.",
            bad: "      dhcp:\n        - {start: 10.0.0.100, end: 10.0.0.150}\n        - {start: 10.0.0.140, end: 10.0.0.200}\n",
            fixed: "      dhcp:\n        - {start: 10.0.0.100, end: 10.0.0.150}\n        - {start: 10.0.0.160, end: 10.0.0.200}\n"),
        .E401: e(
            "key not allowed in this mode",
            "The key has no meaning in the network's mode or the interface's kind (for example `dhcp` in bridge mode, `uplink` in isolated mode, `served_by` in bridge mode, `members` on an ethernet), a bond option belongs to other bond modes (`transmit_hash_policy`: balance-xor, 802.3ad, balance-tlb; `lacp_rate` and `min_links`: 802.3ad; `primary`: active-backup), or the network's server cannot do it: `ra: false` needs `served_by: networkd`, since libvirt's dnsmasq always advertises an IPv6 subnet; `reservations` without `dhcp` need `served_by: libvirt`, since networkd's DHCP server always hands out a dynamic pool.",
            bad: "  lab: {mode: isolated, bridge: virbr1, uplink: eth0}\n",
            fixed: "  lab: {mode: isolated, bridge: virbr1}\n"),
        .E402: e(
            "key required by this mode missing",
            "The mode needs the key: `uplink` in bridge and macvtap modes, `bridge` in every mode but macvtap, guest addressing in nat and route modes, and in an isolated network that says `served_by: libvirt` (libvirt's open forwarding mode needs an address).",
            bad: "  lan: {mode: bridge, bridge: br0}\n",
            fixed: "  lan: {mode: bridge, bridge: br0, uplink: eth0}\n"),
        .E403: e(
            "egress through an enslaved link",
            "A nat or route network's uplink is a bond member or a bridge port: its traffic leaves through the bond or the bridge, so name that instead.",
            bad: "  lan: {mode: bridge, bridge: br0, uplink: eth0}\n  default: {mode: nat, bridge: virbr0, uplink: eth0, ipv4: {subnet: 192.168.122.0/24}}\n",
            fixed: "  lan: {mode: bridge, bridge: br0, uplink: eth0}\n  default: {mode: nat, bridge: virbr0, uplink: br0, ipv4: {subnet: 192.168.122.0/24}}\n"),
        .E404: e(
            "router advertisements on a subnet that is not a /64",
            "SLAAC needs a /64. Use a /64, or set `ra: false` (with `served_by: networkd`) and address guests otherwise.",
            bad: "    ipv6: {subnet: fd00:1::/80}\n",
            fixed: "    ipv6: {subnet: fd00:1::/64}\n"),
        .E405: e(
            "MTU conflict",
            "A VLAN's MTU may not exceed its parent's, and a link that carries IPv6 needs an MTU of at least 1280.",
            bad: "  eth0: {mtu: 1500}\n  eth0.5: {kind: vlan, parent: eth0, id: 5, mtu: 9000}\n",
            fixed: "  eth0: {mtu: 9000}\n  eth0.5: {kind: vlan, parent: eth0, id: 5, mtu: 9000}\n"),
        .E406: e(
            "egress with the network's address family off",
            "A nat network masquerades each of its families out of its uplink, and a route network routes them there: an uplink with `ipv6: false` cannot carry the guests' IPv6. Turn IPv6 on at the uplink, or leave it out of the network. (An uplink that merely declares no address of a family is W705.)",
            bad: "  eth0: {ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1}, ipv6: false}\n  ...\n  v6: {mode: route, bridge: virbr3, uplink: eth0, ipv6: {subnet: 2001:db8:3::/64}}\n",
            fixed: "  eth0: {ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1}, ipv6: {address: 2001:db8::10/64, gateway: 2001:db8::1}}\n  ...\n  v6: {mode: route, bridge: virbr3, uplink: eth0, ipv6: {subnet: 2001:db8:3::/64}}\n"),
        .E501: e(
            "port or port range malformed",
            "A port is 1-65535, a range `low-high` with low <= high; `to_port` must be a range of the same length as `port`.",
            bad: "      - {proto: tcp, port: 8000-8010, to: web, to_port: 80-81}\n",
            fixed: "      - {proto: tcp, port: 8000-8001, to: web, to_port: 80-81}\n"),
        .E502: e(
            "forward target not in the network",
            "`to` names a reservation of the network, or an IPv4 address that is a usable guest address of its subnet (not the network, broadcast or gateway address), or an IPv6 address of a guest in the network's IPv6 subnet (not the gateway or the subnet's first address). Forwards to IPv4 targets need the network's `ipv4`, IPv6 ones its `ipv6`.",
            bad: "      - {proto: tcp, port: 80, to: 192.168.122.255}\n",
            fixed: "      - {proto: tcp, port: 80, to: 192.168.122.10}\n"),
        .E503: e(
            "two forwards claim the same protocol and host port",
            "A host port (or any port of a range) can be forwarded once per protocol on the host. The note points at the other forward.",
            bad: "      - {proto: tcp, port: 8000-8010, to: web}\n      - {proto: tcp, port: 8005, to: db}\n",
            fixed: "      - {proto: tcp, port: 8000-8004, to: web}\n      - {proto: tcp, port: 8005, to: db}\n"),
        .E504: e(
            "forwards on a network that is not nat",
            "Port forwards translate host ports into a NAT network; other modes have no translation.",
            bad: "  r: {mode: route, bridge: virbr2, ipv4: {subnet: 198.51.100.0/24}, forwards: [{proto: tcp, port: 80, to: 198.51.100.5}]}\n",
            fixed: "  r: {mode: route, bridge: virbr2, ipv4: {subnet: 198.51.100.0/24}}\n"),
        .E505: e(
            "IPv6 forward that would need translation",
            "A forward whose `to` is an IPv6 address is not translated: it lets new connections from beyond the host reach that guest at its own routed address and port, through the ruleset. So the network's IPv6 must be routed (no `nat: true`), and `to_port`, if given, must equal `port`.",
            bad: "    ipv6: {subnet: 2001:db8:31::/64, nat: true}\n    forwards:\n      - {proto: tcp, port: 443, to: 2001:db8:31::10}\n",
            fixed: "    ipv6: {subnet: 2001:db8:31::/64}\n    forwards:\n      - {proto: tcp, port: 443, to: 2001:db8:31::10}\n"),
        .E601: e(
            "bad peer",
            "A peer must be another declared nat, route or isolated network with a guest subnet.",
            bad: "  app: {mode: nat, bridge: virbr0, ipv4: {subnet: 10.1.0.0/24}, peers: [app]}\n",
            fixed: "  app: {mode: nat, bridge: virbr0, ipv4: {subnet: 10.1.0.0/24}, peers: [db]}\n"),
        .E801: x(
            "libvirt XML is not well-formed",
            "`netc import` reads each file as XML and stops at its first mistake: a tag never closed, an end tag that closes another element, an unknown entity, a `<` or `&` in a value, a DOCTYPE (libvirt writes none). Export the network again with `virsh net-dumpxml NAME > NAME.xml`.",
            bad: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'>\n</network>\n",
            fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
        .E802: x(
            "not a libvirt network, or a part libvirt always writes is missing",
            "The document must be one `<network>` with a `<name>`. A nat, route, open or isolated network needs `<bridge name=...>`: libvirt names the bridge when it defines the network, so `virsh net-dumpxml` always prints it. An `<ip>` needs `address=` and `prefix=` or `netmask=`; a DHCP `<range>` needs `start=` and `end=`; a `<host>` needs `ip=`; `<mtu>` needs `size=`.",
            bad: "<network>\n  <name>lab</name>\n  <ip address='10.10.0.1' prefix='24'/>\n</network>\n",
            fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n  <ip address='10.10.0.1' prefix='24'/>\n</network>\n"),
        .E803: x(
            "a value netc cannot read",
            "An address, netmask, prefix, MAC address, number, word or name in the XML is malformed, or breaks a rule of the topology format: network and host names are 1-64 characters of A-Z a-z 0-9 _ . -, interface names 1-15 bytes of the same, a domain is DNS labels, an MTU is 68-65535, a netmask's ones are contiguous.",
            bad: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n  <ip address='10.10.0.1' netmask='255.0.255.0'/>\n</network>\n",
            fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n  <ip address='10.10.0.1' netmask='255.255.255.0'/>\n</network>\n"),
        .E804: x(
            "a network netc cannot express",
            "netc builds Linux bridges and macvtap networks. A pool of SR-IOV host devices (`<forward mode='hostdev'>`, or `<pf dev=...>`) and a network on Open vSwitch or 802.1Qbh (`<virtualport>`) have no equivalent. Leave the file out of the import: libvirt keeps managing that network, and netc never touches a network it did not define.",
            bad: "<network>\n  <name>sriov</name>\n  <forward mode='hostdev' managed='yes'>\n    <pf dev='enp5s0f0'/>\n  </forward>\n</network>\n",
            fixed: "<network>\n  <name>direct</name>\n  <forward mode='passthrough'>\n    <interface dev='enp5s0f0'/>\n  </forward>\n</network>\n"),
        .E805: x(
            "the NIC of a host bridge is unknown",
            "A `<forward mode='bridge'>` network on a host bridge names the bridge but not its ports: they were set up outside libvirt. netc's bridge mode creates the bridge and enslaves one NIC, so the import must be told which: `--uplink BRIDGE=NIC` (`ip -br link show master BRIDGE` lists the ports).",
            bad: "<network>\n  <name>lan</name>\n  <forward mode='bridge'/>\n  <bridge name='br0'/>\n</network>\n",
            fixed: "<!-- netc import libvirt --uplink br0=eno1 lan.xml -->\n<network>\n  <name>lan</name>\n  <forward mode='bridge'/>\n  <bridge name='br0'/>\n</network>\n"),
        .E901: e(
            "a fleet's host unknown, or two hosts on one topology",
            "`members` names hosts of the fleet's `hosts` (none twice), and each host has a topology file of its own: two hosts on one file would be one host twice.",
            bad: "hosts:\n  kvm1: {topology: hosts/kvm1.yaml, vtep: eth0}\noverlays:\n  tenants: {vni: 10100, members: [kvm1, kvm9], mode: isolated, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n",
            fixed: "hosts:\n  kvm1: {topology: hosts/kvm1.yaml, vtep: eth0}\n  kvm9: {topology: hosts/kvm9.yaml, vtep: eth0}\noverlays:\n  tenants: {vni: 10100, members: [kvm1, kvm9], mode: isolated, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n"),
        .E902: e(
            "a VNI used twice",
            "Each overlay is one VXLAN segment: its `vni` is its own in the fleet. Two overlays on one VNI would be one segment, whatever their subnets.",
            bad: "  a: {vni: 10100, mode: isolated, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n  b: {vni: 10100, mode: isolated, bridge: vxbr101, ipv4: {subnet: 10.101.0.0/24}}\n",
            fixed: "  a: {vni: 10100, mode: isolated, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n  b: {vni: 10101, mode: isolated, bridge: vxbr101, ipv4: {subnet: 10.101.0.0/24}}\n"),
        .E903: e(
            "a member without a usable VXLAN endpoint",
            "A host that is a member of an overlay names its `vtep`: an interface of its topology with a static address (its VXLAN packets leave from it, and the other members send theirs to it). An address from DHCP can change under the other members' forwarding entries.",
            bad: "  kvm1: {topology: hosts/kvm1.yaml}\n",
            fixed: "  kvm1: {topology: hosts/kvm1.yaml, vtep: eth0}\n"),
        .E904: e(
            "an overlay clashes with a member host",
            "On every member the overlay's name, bridge and subnets are its own: not a network, bridge or interface of the host's topology, no subnet overlapping the host's networks or addresses or another overlay of the same host. The clash is reported in the fleet file and in the host's topology.",
            bad: "  tenants: {vni: 10100, mode: isolated, bridge: virbr0, ipv4: {subnet: 10.100.0.0/24}}\n",
            fixed: "  tenants: {vni: 10100, mode: isolated, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n"),
        .E905: e(
            "an overlay netc cannot span",
            "An overlay is `nat` or `isolated`: a routed overlay needs a routing control plane (each member would have to announce the guests it holds; netc has none yet), and bridge and macvtap modes have no gateway to span. Its bridge is networkd's (a networkd VXLAN link joins only a bridge networkd made, and libvirt serves DHCP only on a bridge it made), so `served_by: libvirt` cannot be. Its `uplink`, if given, is an interface of every member.",
            bad: "  tenants: {vni: 10100, mode: route, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n",
            fixed: "  tenants: {vni: 10100, mode: nat, bridge: vxbr100, ipv4: {subnet: 10.100.0.0/24}}\n"),
        .E906: e(
            "an overlay MTU over the underlay's budget",
            "VXLAN adds 50 bytes over an IPv4 underlay (70 over IPv6) to every guest frame: the overlay's `mtu` is at most the smallest member VTEP MTU minus that. Left out, it is exactly that.",
            bad: "  tenants: {vni: 10100, mode: isolated, bridge: vxbr100, mtu: 1500, ipv4: {subnet: 10.100.0.0/24}}\n",
            fixed: "  tenants: {vni: 10100, mode: isolated, bridge: vxbr100, mtu: 1450, ipv4: {subnet: 10.100.0.0/24}}\n"),
        .E907: e(
            "an overlay's DHCP range smaller than its members",
            "Each member leases from its own slice of the range (equal consecutive slices, one per member in name order), so two hosts never lease the same address: the range needs at least one address per member.",
            bad: "    ipv4: {subnet: 10.100.0.0/24, dhcp: {start: 10.100.0.100, end: 10.100.0.100}}\n",
            fixed: "    ipv4: {subnet: 10.100.0.0/24, dhcp: {start: 10.100.0.100, end: 10.100.0.199}}\n"),
        .E908: e(
            "a host's topology file unreadable, or naming another host",
            "`topology` is a path relative to the fleet file, readable, a version-1 topology; its own `host:`, if set, is the fleet's name for it.",
            bad: "  kvm1: {topology: hosts/kvm-1.yaml, vtep: eth0}\n",
            fixed: "  kvm1: {topology: hosts/kvm1.yaml, vtep: eth0}\n"),
        .W701: e(
            "reservation inside the dynamic DHCP range",
            "The reserved address may already be leased to another guest. Move it out of `start`-`end`.",
            bad: "      dhcp: {start: 10.0.0.100, end: 10.0.0.200}\n      reservations: {web: {mac: 52:54:00:00:00:01, ip: 10.0.0.150}}\n",
            fixed: "      dhcp: {start: 10.0.0.100, end: 10.0.0.200}\n      reservations: {web: {mac: 52:54:00:00:00:01, ip: 10.0.0.10}}\n"),
        .W702: e(
            "IPv6 ULA subnet on a nat network without ipv6.nat",
            "A unique-local (fc00::/7) subnet is not routed on the internet: without `nat: true` guests have IPv6 addresses but no IPv6 internet.",
            bad: "    ipv6: {subnet: fd00:122::/64}\n",
            fixed: "    ipv6: {subnet: fd00:122::/64, nat: true}\n"),
        .W703: e(
            "forward target is a bare address",
            "The guest at that address holds it only as long as its lease; a reservation pins it.",
            bad: "      - {proto: tcp, port: 2222, to: 192.168.122.10, to_port: 22}\n",
            fixed: "      - {proto: tcp, port: 2222, to: web1, to_port: 22}\n"),
        .W704: e(
            "reservation served by networkd",
            "systemd-networkd before version 254 (Debian 12 has 252) matches a static lease only by the DHCP client identifier `01:MAC`. A guest that sends a DUID as client identifier, as systemd-networkd and netplan guests do, gets a dynamic address instead of its reservation. libvirt's dnsmasq matches by MAC whatever the client sends: leave `served_by` at its default (libvirt), or run systemd 254 or newer.",
            bad: "  lab:\n    mode: isolated\n    bridge: virbr1\n    served_by: networkd\n    ipv4:\n      subnet: 10.10.0.0/24\n      reservations: {web1: {mac: 52:54:00:00:00:10, ip: 10.10.0.10}}\n",
            fixed: "  lab:\n    mode: isolated\n    bridge: virbr1\n    ipv4:\n      subnet: 10.10.0.0/24\n      reservations: {web1: {mac: 52:54:00:00:00:10, ip: 10.10.0.10}}\n"),
        .W705: e(
            "egress without an address of the family",
            "The topology gives the uplink no address of a family the network needs there: a nat network masquerades IPv4 to the uplink's IPv4 address (static or DHCP), and upstream reaches a route network's guests through a route to their subnet via the host's static address on the uplink (an address from DHCP or router advertisements can change under that route). The address may come from elsewhere (a topology imported from libvirt, W802, says nothing of the host's links): give the uplink its `ipv4`/`ipv6` address.",
            bad: "  eth0: {ipv4: {address: dhcp}}\n  ...\n  dmz: {mode: route, bridge: virbr2, uplink: eth0, ipv4: {subnet: 198.51.100.0/24}}\n",
            fixed: "  eth0: {ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1}}\n  ...\n  dmz: {mode: route, bridge: virbr2, uplink: eth0, ipv4: {subnet: 198.51.100.0/24}}\n"),
        .W706: e(
            "bridge on the host's own link without a host address",
            "A bridge-mode network enslaves its uplink: whatever address the host had on that NIC or bond is now the bridge's to carry, and netc gives the bridge exactly the network's `ipv4`/`ipv6`. Without them the host has no address on that LAN (it stays reachable only through its other links). A bridge for guests only is usually on a VLAN, where netc does not warn; on the host's own NIC, add the host's address to the network.",
            bad: "  lan: {mode: bridge, bridge: br0, uplink: eth0}\n",
            fixed: "  lan: {mode: bridge, bridge: br0, uplink: eth0, ipv4: {address: 192.0.2.10/24, gateway: 192.0.2.1}}\n"),
        .W801: x(
            "a part of the network is left out",
            "netc has no equivalent of this element or attribute. The import writes the rest of the network and leaves it out; the message says what netc does instead. Examples: `<portgroup>`, `<bandwidth>`, `<route>`, `<vlan>`, DNS records and forwarders, DHCPv6, TFTP, a second DHCP range or a second subnet of a family, dnsmasq options. Check that the guests work without it before applying the topology.",
            bad: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n  <bandwidth>\n    <inbound average='1000'/>\n  </bandwidth>\n</network>\n",
            fixed: "<network>\n  <name>lab</name>\n  <bridge name='virbr1'/>\n</network>\n"),
        .W802: x(
            "a host link's addressing is not in libvirt's XML",
            "The network names a host link (the `dev=` a nat, route or macvtap network leaves by, or the bridge of a bridge-mode network) whose addresses libvirt's XML does not hold. The import declares it, but netc manages every declared link and gives it exactly what the topology says: applied as imported, the host would lose its address there. Add the link's `ipv4`/`ipv6` (under `interfaces`, or under the bridge-mode network) to the imported topology before `netc apply`.",
            bad: "<network>\n  <name>default</name>\n  <forward mode='nat' dev='eth0'/>\n  <bridge name='virbr0'/>\n  <ip address='192.168.122.1' prefix='24'/>\n</network>\n",
            fixed: "interfaces:\n  eth0:\n    ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1, dns: [203.0.113.53]}\n",
            fixedIn: "yaml"),
    ]

    /// The text `netc explain CODE` prints.
    public static func explain(_ code: DiagnosticCode) -> String {
        let e = code.entry
        return """
        \(code.rawValue) (\(code.severity.rawValue)): \(e.title)

        \(e.explanation)

        Bad:

        \(indent(e.bad))
        Fixed:

        \(indent(e.fixed))
        """
    }

    /// docs/diagnostics.md, generated from this catalogue (`make docs`).
    public static func markdown() -> String {
        var s = """
        # Diagnostics

        <!-- Generated by `make docs` from Sources/NetcCore/Diagnostics/Catalogue.swift. Do not edit. -->

        Every problem netc finds has a stable code. Codes starting with `E` are
        errors (nothing is written), codes starting with `W` are warnings (the
        build goes on; `--werror` makes them fail it). `netc explain CODE` prints
        the entry below.

        | code | severity | problem |
        |---|---|---|

        """
        for code in DiagnosticCode.allCases {
            s += "| [\(code.rawValue)](#\(code.rawValue.lowercased())) | \(code.severity.rawValue) | \(code.entry.title) |\n"
        }
        for code in DiagnosticCode.allCases {
            let e = code.entry
            s += "\n## \(code.rawValue)\n\n**\(e.title)** (\(code.severity.rawValue))\n\n\(e.explanation)\n\n"
            s += "Bad:\n\n```\(e.badLanguage)\n\(e.bad)```\n\nFixed:\n\n```\(e.fixedLanguage)\n\(e.fixed)```\n"
        }
        return s
    }

    private static func indent(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }
            .joined(separator: "\n")
    }
}
