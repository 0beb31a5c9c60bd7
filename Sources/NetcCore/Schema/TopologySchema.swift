/// The topology format as a JSON Schema (draft 2020-12), for editors
/// (`netc schema`, docs/topology.schema.json). Its structure is the
/// parser's own: the keys of each mapping come from `Keys`, the words from
/// the enums the parser reads them as; this file adds only each key's type,
/// default and description, and `spec(_:_:)` stops on a key without one,
/// so the schema cannot lose a key the parser knows.
public enum TopologySchema {
    indirect enum Node: Sendable {
        case object(keys: [String], specs: [String: Spec], required: [String], nullable: Bool = false)
        case map(keyPattern: String, value: Node)
        case array(Node)
        case string(pattern: String?)
        case words([String])
        case integer(ClosedRange<Int>)
        case boolean
        case constant(Int)
        case falseLiteral
        case anyOf([Node])
    }

    struct Spec: Sendable {
        var node: Node
        var description: String
        /// From `Defaults`, the one table of the format's defaults.
        var defaultValue: Defaults.Documented? = nil
    }

    // Patterns: the same rules as NameRules and netc's scalar readers, for
    // editors (netc's own messages stay the authority).
    static let interfaceName = "^(?![.-])[A-Za-z0-9_.-]{1,15}$"
    static let networkName = "^(?!\\.{1,2}$)[A-Za-z0-9_.-]{1,64}$"
    static let hostName = "^(?![.-])[A-Za-z0-9.-]{1,253}$"
    static let domainName = "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
    static let mac = "^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$"
    static let address = "^[0-9A-Fa-f:.]+$"
    static let cidr = "^[0-9A-Fa-f:.]+/[0-9]{1,3}$"
    static let duration = "^[0-9]{1,7}[smhd]$"

    static let port = Node.anyOf([.integer(1...65535), .string(pattern: "^[0-9]{1,5}(-[0-9]{1,5})?$")])
    static let addresses = Node.array(.string(pattern: address))

    static func spec(_ specs: [String: Spec], _ key: String) -> Spec {
        guard let s = specs[key] else { preconditionFailure("TopologySchema has no spec for the key '\(key)'") }
        return s
    }

    static let hostAddressing = Node.object(keys: Keys.hostAddressing, specs: [
        "address": Spec(node: .anyOf([.string(pattern: cidr), .words(["dhcp"]), .array(.string(pattern: cidr))]),
                        description: "The host's address on the link with its prefix (203.0.113.10/24), dhcp, or a list of addresses (the first is the primary)."),
        "gateway": Spec(node: .string(pattern: address), description: "Default router, inside the subnet of one of the addresses; not with dhcp."),
        "dns": Spec(node: addresses, description: "Resolvers for the host."),
        "search": Spec(node: .array(.string(pattern: domainName)), description: "DNS search domains for the host's resolver on this link."),
    ], required: [])

    static let boot = Node.object(keys: Keys.boot, specs: [
        "file": Spec(node: .string(pattern: "^[^\\s'\"\\\\]{1,128}$"), description: "The boot file name (pxelinux.0, or an iPXE script's URL)."),
        "server": Spec(node: .string(pattern: address), description: "The TFTP server's address.", defaultValue: Defaults.documentedBootServer),
    ], required: Keys.bootRequired)

    static let dhcpRange = Node.object(keys: Keys.dhcpRange, specs: [
        "start": Spec(node: .string(pattern: address), description: "First address of the range."),
        "end": Spec(node: .string(pattern: address), description: "Last address of the range."),
    ], required: Keys.dhcpRequired)

    static let dhcp = Node.object(keys: Keys.dhcp, specs: [
        "start": Spec(node: .string(pattern: address), description: "First address of the dynamic range."),
        "end": Spec(node: .string(pattern: address), description: "Last address of the dynamic range."),
        "lease": Spec(node: .string(pattern: duration), description: "Lease time: 30s, 10m, 1h, 2d; at least 2m.", defaultValue: Defaults.documentedLease),
        "boot": Spec(node: boot, description: "PXE: the boot file and its TFTP server."),
    ], required: Keys.dhcpRequired)

    static let dhcpv6 = Node.object(keys: Keys.dhcpv6, specs: [
        "start": Spec(node: .string(pattern: address), description: "First address of the dynamic range."),
        "end": Spec(node: .string(pattern: address), description: "Last address of the dynamic range."),
        "lease": Spec(node: .string(pattern: duration), description: "Lease time: 30s, 10m, 1h, 2d; at least 2m.", defaultValue: Defaults.documentedLease),
    ], required: Keys.dhcpRequired)

    static let reservation = Node.object(keys: Keys.reservation, specs: [
        "mac": Spec(node: .string(pattern: mac), description: "The guest's MAC."),
        "ip": Spec(node: .string(pattern: address), description: "The address reserved for it, inside the subnet, not the gateway."),
    ], required: Keys.reservation)

    static func guestSpecs(_ family: IPFamily) -> [String: Spec] {
        let dhcp = family == .ipv4 ? dhcp : dhcpv6
        return [
            "subnet": Spec(node: .string(pattern: cidr), description: "The guests' subnet, with a zero host part (192.168.122.0/24)."),
            "gateway": Spec(node: .string(pattern: address), description: "The host's address on the bridge, the guests' router.", defaultValue: Defaults.documentedGateway),
            "dhcp": Spec(node: .anyOf([dhcp, .array(.anyOf([dhcp, dhcpRange]))]),
                         description: "The dynamic range of the DHCP server, or a list of ranges (lease and, IPv4 only, boot on the first; several need libvirt). IPv6: stateful DHCPv6, served by libvirt."),
            "dns": Spec(node: addresses, description: "Resolvers handed to guests instead of the default (the gateway when libvirt serves the network)."),
            "reservations": Spec(node: .map(keyPattern: networkName, value: reservation), description: "IPv4: fixed leases by guest name."),
            "ra": Spec(node: .boolean, description: "IPv6: send router advertisements (SLAAC; needs a /64).", defaultValue: Defaults.documentedRA),
            "nat": Spec(node: .boolean, description: "IPv6 of a nat network: masquerade it too.", defaultValue: Defaults.documentedIPv6NAT),
        ]
    }

    static let guestIPv4 = Node.object(keys: Keys.guestIPv4, specs: guestSpecs(.ipv4), required: Keys.guestRequired)
    static let guestIPv6 = Node.object(keys: Keys.guestIPv6, specs: guestSpecs(.ipv6), required: Keys.guestRequired)

    static let forward = Node.object(keys: Keys.forward, specs: [
        "proto": Spec(node: .words(Proto.allCases.map(\.rawValue)), description: "tcp or udp."),
        "port": Spec(node: port, description: "The port on the host, or a range such as 8000-8010."),
        "to": Spec(node: .string(pattern: nil), description: "A reservation name of the network, or a guest address."),
        "to_port": Spec(node: port, description: "The port on the guest (a range of the same length).", defaultValue: Defaults.documentedToPort),
        "from": Spec(node: .array(.string(pattern: cidr)), description: "Sources outside the host allowed to use the forward.", defaultValue: Defaults.documentedFrom),
    ], required: Keys.forwardRequired)

    static let interface = Node.object(keys: Keys.interface, specs: [
        "kind": Spec(node: .words(InterfaceKind.allCases.map(\.rawValue)), description: "What the link is.", defaultValue: Defaults.documentedKind),
        "mac": Spec(node: .string(pattern: mac), description: "Ethernet: match the NIC by its permanent MAC too."),
        "members": Spec(node: .array(.string(pattern: interfaceName)), description: "Bond: its ethernet members."),
        "bond_mode": Spec(node: .words(BondMode.allCases.map(\.rawValue)), description: "Bond mode.", defaultValue: Defaults.documentedBondMode),
        "transmit_hash_policy": Spec(node: .words(TransmitHashPolicy.allCases.map(\.rawValue)), description: "Bonds that hash (balance-xor, 802.3ad, balance-tlb)."),
        "lacp_rate": Spec(node: .words(LACPRate.allCases.map(\.rawValue)), description: "802.3ad bonds: how often LACP frames are sent."),
        "primary": Spec(node: .string(pattern: interfaceName), description: "Active-backup bonds: the member used whenever it is up."),
        "min_links": Spec(node: .integer(0...1024), description: "802.3ad bonds: members that must be up."),
        "parent": Spec(node: .string(pattern: interfaceName), description: "VLAN: its ethernet or bond."),
        "id": Spec(node: .integer(1...4094), description: "VLAN id, unique per parent."),
        "mtu": Spec(node: .integer(68...65535), description: "MTU; a VLAN's may not exceed its parent's.", defaultValue: Defaults.documentedMTU),
        "forwarding": Spec(node: .boolean, description: "The host may route between this link (or the bridge it is the uplink of) and its other links; otherwise netc drops it.",
                           defaultValue: Defaults.documentedHostForwarding),
        "ipv4": Spec(node: hostAddressing, description: "The host's own IPv4 on this link."),
        "ipv6": Spec(node: .anyOf([hostAddressing, .falseLiteral]), description: "The host's own IPv6 on this link; false: none at all.", defaultValue: Defaults.documentedHostIPv6),
        "routes": Spec(node: .array(route), description: "Static routes on this link."),
    ], required: [], nullable: true)

    static let route = Node.object(keys: Keys.route, specs: [
        "to": Spec(node: .anyOf([.string(pattern: cidr), .words(["default"])]), description: "The destination: a subnet (198.51.100.0/24), or default."),
        "via": Spec(node: .string(pattern: address), description: "The gateway, on this link (inside the subnet of one of its addresses, or IPv6 link-local)."),
        "metric": Spec(node: .integer(0...4_294_967_295), description: "The route's metric (lower wins)."),
        "table": Spec(node: .integer(1...4_294_967_295), description: "The routing table (254: main)."),
    ], required: Keys.routeRequired)

    static let hostService = Node.object(keys: Keys.hostService, specs: [
        "proto": Spec(node: .words(Proto.allCases.map(\.rawValue)), description: "tcp or udp."),
        "port": Spec(node: port, description: "The port on the host, or a range such as 8000-8010."),
    ], required: Keys.hostService)

    static let security = Node.object(keys: Keys.security, specs: [
        "isolate_guests": Spec(node: .boolean, description: "Guests on this network reach the host but not each other (each guest's bridge port isolated).",
                               defaultValue: Defaults.documentedIsolateGuests),
        "lock_reservations": Spec(node: .boolean, description: "A reserved address is its guest's alone: ARP and IPv4 packets claiming it on the bridge must come from the reserved MAC.",
                                  defaultValue: Defaults.documentedLockReservations),
    ], required: [])

    static let network = Node.object(keys: Keys.network, specs: [
        "mode": Spec(node: .words(NetworkMode.allCases.map(\.rawValue)), description: "nat, route, isolated, bridge or macvtap."),
        "bridge": Spec(node: .string(pattern: interfaceName), description: "The bridge's name (every mode but macvtap)."),
        "uplink": Spec(node: .string(pattern: interfaceName), description: "The interface (or bridge-mode bridge) traffic leaves by; required in bridge and macvtap modes."),
        "stp": Spec(node: .boolean, description: "Spanning tree on the bridge.", defaultValue: Defaults.documentedSTP),
        "forward_delay": Spec(node: .anyOf([.integer(0...30), .string(pattern: "^[0-9]{1,2}s$")]), description: "Bridge forward delay in seconds (0-30).", defaultValue: Defaults.documentedForwardDelay),
        "mtu": Spec(node: .integer(68...65535), description: "MTU of the bridge."),
        "ipv4": Spec(node: .anyOf([guestIPv4, hostAddressing]), description: "Guest addressing (nat, route, isolated) or the host's address (bridge mode)."),
        "ipv6": Spec(node: .anyOf([guestIPv6, hostAddressing, .falseLiteral]), description: "Guest addressing (nat, route, isolated) or the host's address (bridge mode; false: no IPv6)."),
        "forwards": Spec(node: .array(forward), description: "Nat: port forwards from the host to guests."),
        "peers": Spec(node: .array(.string(pattern: networkName)), description: "Networks routed both ways with this one."),
        "macvtap_mode": Spec(node: .words(MacvtapMode.allCases.map(\.rawValue)), description: "Macvtap mode.", defaultValue: Defaults.documentedMacvtapMode),
        "served_by": Spec(node: .words(GuestServer.allCases.map(\.rawValue)), description: "Who creates the bridge and serves DHCP, DNS and router advertisements.", defaultValue: Defaults.documentedServedBy),
        "domain": Spec(node: .string(pattern: domainName), description: "The guests' DNS domain."),
        "host_services": Spec(node: .array(hostService), description: "Nat, route, isolated: the host's own services the guests may reach.",
                              defaultValue: Defaults.documentedHostServices),
        "security": Spec(node: security, description: "Nat, route, isolated: what a guest may do on the bridge (no guest may claim the gateway's addresses, whatever this says)."),
        "routes": Spec(node: .array(route), description: "Bridge mode: static routes on the bridge."),
        "inbound": Spec(node: .array(.object(keys: Keys.inbound, specs: [
            "proto": Spec(node: .words(Proto.allCases.map(\.rawValue)), description: "tcp or udp."),
            "port": Spec(node: port, description: "The guests' port, or a range such as 8000-8010."),
            "from": Spec(node: .array(.string(pattern: cidr)), description: "Sources allowed.", defaultValue: Defaults.documentedFrom),
        ], required: Keys.hostService)), description: "Route: the only new connections let in to the guests (replies always are); absent: every one."),
        "dns_hosts": Spec(node: .map(keyPattern: domainName, value: .anyOf([.string(pattern: address), addresses])),
                          description: "Nat, route, isolated (served by libvirt): extra DNS host records answered at the gateway, name -> address or list of addresses."),
    ], required: Keys.networkRequired)

    static let topology = Node.object(keys: Keys.topology, specs: [
        "version": Spec(node: .constant(1), description: "Format version: 1."),
        "host": Spec(node: .string(pattern: hostName), description: "The host's name, in generated files' headers."),
        "interfaces": Spec(node: .map(keyPattern: interfaceName, value: interface), description: "Host links by kernel name."),
        "networks": Spec(node: .map(keyPattern: networkName, value: network), description: "Guest networks by libvirt name."),
    ], required: Keys.topologyRequired)

    /// A fleet's overlay: a nat or isolated network's keys (served by
    /// networkd), its VNI and members.
    static let overlay = Node.object(keys: Keys.overlay, specs: [
        "vni": Spec(node: .integer(1...16_777_215), description: "The VXLAN network identifier, unique in the fleet."),
        "members": Spec(node: .array(.string(pattern: hostName)), description: "The hosts the overlay spans; default: every host of the fleet."),
        "mode": Spec(node: .words([NetworkMode.nat.rawValue, NetworkMode.isolated.rawValue]), description: "nat or isolated."),
        "bridge": Spec(node: .string(pattern: interfaceName), description: "The overlay's bridge on every member."),
        "uplink": Spec(node: .string(pattern: interfaceName), description: "Nat: the interface each member's guests leave by (an interface of every member); default any but the guest bridges."),
        "mtu": Spec(node: .integer(68...65535), description: "The guests' MTU; default and most: the smallest member VTEP MTU minus 50 (IPv4 underlay) or 70 (IPv6)."),
        "ipv4": Spec(node: guestIPv4, description: "Guest addressing; the DHCP range is cut into one slice per member."),
        "ipv6": Spec(node: guestIPv6, description: "Guest addressing (router advertisements from every member)."),
        "domain": Spec(node: .string(pattern: domainName), description: "The guests' DNS domain, handed out by DHCP."),
        "served_by": Spec(node: .words([GuestServer.networkd.rawValue]), description: "networkd (an overlay's bridge is networkd's)."),
    ], required: Keys.overlayRequired)

    static let fleet = Node.object(keys: Keys.fleet, specs: [
        "version": Spec(node: .constant(1), description: "Format version: 1."),
        "hosts": Spec(node: .map(keyPattern: hostName, value: .object(keys: Keys.fleetHost, specs: [
            "topology": Spec(node: .string(pattern: nil), description: "The host's topology file, relative to the fleet file."),
            "vtep": Spec(node: .string(pattern: interfaceName), description: "The interface whose static address is the host's VXLAN endpoint (required for a member of an overlay)."),
        ], required: Keys.fleetHostRequired)), description: "The fleet's hosts by name."),
        "overlays": Spec(node: .map(keyPattern: networkName, value: overlay), description: "Guest networks that span hosts over VXLAN."),
    ], required: Keys.fleetRequired)

    /// The schema as JSON text: of a topology, or with `fleet` of a fleet
    /// file (docs/fleet.md).
    public static func json(fleet isFleet: Bool = false) -> String {
        let w = JSONWriter()
        w.object {
            w.field("$schema") { w.string("https://json-schema.org/draft/2020-12/schema") }
            if isFleet {
                w.field("$id") { w.string("https://netc.invalid/fleet.schema.json") }
                w.field("title") { w.string("netc fleet, version 1") }
                w.field("description") { w.string("Several KVM hosts and the overlays between them, for netc (docs/fleet.md). netc itself checks far more than this schema.") }
                emitBody(fleet, w)
            } else {
                w.field("$id") { w.string("https://netc.invalid/topology.schema.json") }
                w.field("title") { w.string("netc topology, version 1") }
                w.field("description") { w.string("A KVM host's networking for netc (docs/topology.md). netc itself checks far more than this schema.") }
                emitBody(topology, w)
            }
        }
        w.out += "\n"
        return w.out
    }

    static func emit(_ n: Node, _ w: JSONWriter, description: String? = nil, defaultValue: Defaults.Documented? = nil) {
        w.object {
            if var description {
                // A default that depends on the context is said in words.
                switch (defaultValue?.json, defaultValue?.rule) {
                case (let json?, let rule?): description += " Default \(json); \(rule)."
                case (nil, let rule?): description += " Default: \(rule)."
                case (_, nil): break
                }
                w.field("description") { w.string(description) }
            }
            if let json = defaultValue?.json { w.field("default") { w.out += json } }
            emitBody(n, w)
        }
    }

    static func emitBody(_ n: Node, _ w: JSONWriter) {
        switch n {
        case .object(let keys, let specs, let required, let nullable):
            w.field("type") { nullable ? w.array(["object", "null"]) { w.string($0) } : w.string("object") }
            w.field("additionalProperties") { w.out += "false" }
            w.field("properties") {
                w.object {
                    for k in keys {
                        let s = spec(specs, k)
                        w.field(k) { emit(s.node, w, description: s.description, defaultValue: s.defaultValue) }
                    }
                }
            }
            if !required.isEmpty { w.field("required") { w.array(required) { w.string($0) } } }
        case .map(let pattern, let value):
            w.field("type") { w.string("object") }
            w.field("propertyNames") { w.object { w.field("pattern") { w.string(pattern) } } }
            w.field("additionalProperties") { emit(value, w) }
        case .array(let item):
            w.field("type") { w.string("array") }
            w.field("items") { emit(item, w) }
        case .string(let pattern):
            w.field("type") { w.string("string") }
            if let pattern { w.field("pattern") { w.string(pattern) } }
        case .words(let words):
            w.field("enum") { w.array(words) { w.string($0) } }
        case .integer(let r):
            w.field("type") { w.string("integer") }
            w.field("minimum") { w.int(r.lowerBound) }
            w.field("maximum") { w.int(r.upperBound) }
        case .boolean:
            w.field("type") { w.string("boolean") }
        case .constant(let v):
            w.field("const") { w.int(v) }
        case .falseLiteral:
            w.field("const") { w.out += "false" }
        case .anyOf(let nodes):
            w.field("anyOf") { w.array(nodes) { emit($0, w) } }
        }
    }
}
