/// The validated topology: what the check stage returns when a file has no
/// errors. Every value is present and typed, every default of the format is
/// applied (gateways, lease times, `ra`, bond and macvtap modes, the guests'
/// resolvers), and every reference (uplinks, bond members, VLAN parents,
/// peers, forward targets) is resolved once. The planners read only this.
public struct Topology: Sendable {
    public var host: String?
    /// In declaration order.
    public var interfaces: [Interface]
    /// Sorted by name; on a member host of a fleet, its overlays follow,
    /// sorted by name too.
    public var networks: [Network]

    public subscript(_ r: InterfaceRef) -> Interface { interfaces[r.index] }
    public subscript(_ r: NetworkRef) -> Network { networks[r.index] }

    /// The bridges of nat, route and isolated networks, sorted.
    public var guestBridges: [String] {
        networks.compactMap { $0.guest?.bridge.name }.sorted()
    }

    /// The name of the link an egress leaves by, or nil for "any interface
    /// but the guest bridges".
    public func name(of e: Egress) -> String? {
        switch e {
        case .interface(let r): self[r].name
        case .lanBridge(let r): self[r].bridge?.name
        case .anyButGuestBridges: nil
        }
    }
}

/// An index into `Topology.interfaces`.
public struct InterfaceRef: Hashable, Sendable { public let index: Int }

/// An index into `Topology.networks`.
public struct NetworkRef: Hashable, Sendable { public let index: Int }

// MARK: Host links

public struct Interface: Sendable {
    public enum Kind: Sendable {
        /// `mac`: match the NIC by its permanent MAC too.
        case ethernet(mac: MACAddress?)
        case bond(Bond)
        case vlan(VLAN)
    }

    public var name: String
    public var kind: Kind
    public var mtu: Int?
    public var addressing: HostAddressing
    /// The bond or bridge this link is a port of; it then has no addressing.
    public var master: Master?
    /// VLANs whose parent this link is, sorted by name.
    public var vlans: [InterfaceRef]
    /// The host may route between this link (or the bridge it is the
    /// uplink of) and its other links (`forwarding:`); otherwise netc's
    /// table drops what the host would route between two of its links.
    public var forwarding = Defaults.hostForwarding
}

public struct Bond: Sendable {
    public var members: [InterfaceRef]
    public var mode: BondMode
    /// Modes that hash only (balance-xor, 802.3ad, balance-tlb).
    public var transmitHashPolicy: TransmitHashPolicy?
    /// 802.3ad only.
    public var lacpRate: LACPRate?
    /// 802.3ad only.
    public var minLinks: Int?
    /// active-backup only: one of `members`.
    public var primary: InterfaceRef?
}

public struct VLAN: Sendable {
    public var parent: InterfaceRef
    public var id: Int
}

public enum Master: Sendable, Equatable {
    case bond(InterfaceRef)
    /// The bridge of a bridge-mode network.
    case bridge(NetworkRef)
}

/// The host's own addressing on a link (an interface or a bridge-mode
/// bridge), per family.
public struct HostAddressing: Sendable {
    public var ipv4: HostFamily?
    public var ipv6: HostFamily?
    /// `ipv6: false`: no IPv6 at all, not even link-local. Otherwise a link
    /// without declared IPv6 keeps networkd's defaults (link-local, SLAAC).
    public var ipv6Disabled = false
    /// Static routes on this link, in the order written.
    public var routes: [Route] = []

    public var families: [HostFamily] { [ipv4, ipv6].compactMap { $0 } }
}

public struct HostFamily: Sendable {
    /// Absent when the topology gives only a gateway or resolvers. With an
    /// `address` list, its first (the primary).
    public var address: HostAddress?
    /// The rest of an `address` list.
    public var moreAddresses: [CIDR] = []
    public var gateway: IPAddress?
    public var dns: [IPAddress]
    /// DNS search domains.
    public var search: [String] = []
}

/// A DNS host record of a guest network (`dns_hosts`).
public struct DNSHost: Sendable {
    public var name: String
    public var addresses: [IPAddress]
}

/// A static route on a link.
public struct Route: Sendable {
    /// nil: the default route of `gateway`'s family.
    public var destination: CIDR?
    public var gateway: IPAddress?
    public var metric: Int?
    public var table: Int?
}

// MARK: Networks

public struct Network: Sendable {
    /// What the network is, with what that kind needs and nothing else. A
    /// switch over it has no `default:`: a new kind fails to compile at
    /// every place that must decide what to do with it.
    public enum Kind: Sendable {
        /// nat, route or isolated: the host is the guests' gateway.
        case guest(GuestNetwork)
        /// bridge mode: guests on the host's LAN.
        case lan(LANNetwork)
        case macvtap(MacvtapNetwork)
    }

    public var name: String
    public var kind: Kind

    /// The word the topology uses for it.
    public var mode: NetworkMode {
        switch kind {
        case .guest(let g): g.mode
        case .lan: .bridge
        case .macvtap: .macvtap
        }
    }

    /// The guest side of nat, route and isolated networks.
    public var guest: GuestNetwork? {
        switch kind {
        case .guest(let g): g
        case .lan, .macvtap: nil
        }
    }

    /// The bridge of every kind but macvtap.
    public var bridge: Bridge? {
        switch kind {
        case .guest(let g): g.bridge
        case .lan(let l): l.bridge
        case .macvtap: nil
        }
    }
}

public struct Bridge: Sendable {
    public var name: String
    public var stp: Bool
    /// Seconds; nil is the kernel's default (15 s). Bridges made for guests
    /// default to 0, as libvirt's do.
    public var forwardDelay: Int?
    public var mtu: Int?
}

/// A network whose guests have the host as their gateway (nat, route,
/// isolated). What lies beyond the host is `routing`; the policy every
/// backend shares (what is masqueraded, forwarded, let in, routed) is
/// decided here, once.
public struct GuestNetwork: Sendable {
    public enum Routing: Sendable {
        /// Out by `egress`, masqueraded; in only as replies, and through
        /// the port forwards (sorted by proto, first port).
        case nat(egress: Egress, forwards: [PortForward])
        /// Out and in by `egress`, with the guests' own addresses. `inbound`:
        /// the only new connections let in (plus replies); nil: every one.
        case route(egress: Egress, inbound: [InboundFlow]?)
        /// Nothing beyond the host (and the peers).
        case isolated
    }

    /// What traffic from beyond the host may enter the network.
    public enum Inbound: Sendable, Equatable {
        /// Replies to the guests' own connections only (nat).
        case replies
        /// New connections too (route).
        case connections
        /// Replies, and only these new connections (route with `inbound`).
        case listed([InboundFlow])
    }

    public var routing: Routing
    public var bridge: Bridge
    /// Who creates the bridge and serves DHCP, DNS and router
    /// advertisements (`Defaults.servedBy`).
    public var server: GuestServer
    /// The guests' DNS domain.
    public var domain: String?
    /// Extra DNS host records answered at the gateway, sorted by name.
    public var dnsHosts: [DNSHost] = []
    @Boxed public var ipv4: GuestFamily? = nil
    @Boxed public var ipv6: GuestFamily? = nil
    /// Peered networks, both ways (either side naming the other is enough),
    /// sorted by name.
    public var peers: [NetworkRef]
    /// The host's own services the guests may reach beyond what serving
    /// them needs (DHCP, DNS, router and neighbour discovery, ping); nil:
    /// every one. Sorted by (proto, first port).
    public var hostServices: [HostService]?
    /// What a guest may do on its bridge (`security:`).
    public var security: Security = Security()
    /// A fleet overlay's VXLAN segment on this member host (docs/fleet.md);
    /// nil for a host's own networks.
    public var overlay: OverlayLink? = nil

    public var families: [GuestFamily] { [ipv4, ipv6].compactMap { $0 } }

    public var mode: NetworkMode {
        switch routing {
        case .nat: .nat
        case .route: .route
        case .isolated: .isolated
        }
    }

    /// Where new connections from the guests leave the host; nil when
    /// nothing lies beyond it.
    public var egress: Egress? {
        switch routing {
        case .nat(let egress, _), .route(let egress, _): egress
        case .isolated: nil
        }
    }

    public var forwards: [PortForward] {
        switch routing {
        case .nat(_, let forwards): forwards
        case .route, .isolated: []
        }
    }

    /// What may come in from beyond the host; nil for isolated networks.
    public var inbound: Inbound? {
        switch routing {
        case .nat: .replies
        case .route(_, nil): .connections
        case .route(_, let flows?): .listed(flows)
        case .isolated: nil
        }
    }

    /// Whether a family's traffic is masqueraded as it leaves: a nat
    /// network's IPv4, and its IPv6 with `nat: true`.
    public func masquerades(_ f: GuestFamily) -> Bool {
        switch routing {
        case .nat: f.family == .ipv4 || f.nat
        case .route, .isolated: false
        }
    }

    /// Whether the host routes this network's packets (forwarding on for
    /// its families): out of the host, or to its peers.
    public var isRouted: Bool {
        switch routing {
        case .nat, .route: true
        case .isolated: !peers.isEmpty
        }
    }

    /// Whether guests get the gateway as their default router (DHCP router
    /// option, RA router lifetime). An isolated network's guests do only
    /// with peers, the one way to reach them; the ruleset still rejects the
    /// rest.
    public var advertisesRouter: Bool { isRouted }

    /// Whether the network's resolver answers for local names only (no
    /// upstream DNS): nothing lies beyond the host.
    public var resolvesLocalNamesOnly: Bool {
        switch routing {
        case .nat, .route: false
        case .isolated: true
        }
    }
}

/// An overlay of a fleet on one member: the bridge is joined to a VXLAN
/// link with head-end replication to the other members, and holds the
/// anycast gateway (the same addresses and MAC on every member).
public struct OverlayLink: Sendable {
    public var vni: Int
    /// The VXLAN link's name (`vx` and the VNI).
    public var device: String
    /// The VTEP: the interface and its address (the link's local address).
    public var vtep: String
    public var local: IPAddress
    /// The other members' VTEP addresses, sorted: one all-zero FDB entry
    /// each, and the only sources of this VNI's VXLAN.
    public var remotes: [IPAddress]
    /// The bridge's MAC on every member, from the overlay's name.
    public var anycastMAC: MACAddress

    /// VXLAN's UDP port (IANA).
    public static let port = 4789
}

/// A guest network's port security (`security:`, defaults in `Defaults`).
public struct Security: Sendable, Equatable {
    /// Guests reach the host but not each other on the bridge (libvirt
    /// sets the bridge port of each guest `isolated`).
    public var isolateGuests = Defaults.isolateGuests
    /// A reservation's address is its guest's alone on the bridge: ARP
    /// and IPv4 packets claiming it must come from its reserved MAC.
    public var lockReservations = Defaults.lockReservations
}

public struct HostService: Sendable {
    public var proto: Proto
    public var port: PortRange
}

/// One entry of a route network's `inbound`: new connections to this
/// protocol and port of the guests, from these sources (empty: any).
public struct InboundFlow: Sendable, Equatable {
    public var proto: Proto
    public var port: PortRange
    public var from: [CIDR]
}

public struct LANNetwork: Sendable {
    public var bridge: Bridge
    /// The NIC (or bond, or VLAN) enslaved to the bridge.
    public var uplink: InterfaceRef
    public var addressing: HostAddressing
}

public struct MacvtapNetwork: Sendable {
    public var uplink: InterfaceRef
    public var mode: MacvtapMode
}

/// Where a nat or route network's traffic leaves the host.
public enum Egress: Sendable, Equatable {
    case interface(InterfaceRef)
    /// The bridge of a bridge-mode network.
    case lanBridge(NetworkRef)
    /// No uplink given: any interface but the guest bridges.
    case anyButGuestBridges
}

public struct GuestFamily: Sendable {
    public var family: IPFamily
    public var subnet: CIDR
    /// The host's address on the bridge, the guests' router.
    public var gateway: IPAddress
    public var dhcp: DHCPPool?
    /// Resolvers handed to guests. Served by libvirt: the declared ones;
    /// empty means the gateway itself (libvirt's dnsmasq). Served by
    /// networkd: the declared ones, or the uplink's.
    public var dns: [IPAddress]
    /// Sorted by MAC.
    public var reservations: [Reservation]
    /// IPv6: send router advertisements.
    public var ra: Bool
    /// IPv6 of a nat network: masquerade it too.
    public var nat: Bool
}

public struct DHCPPool: Sendable {
    public var start: IPAddress
    public var end: IPAddress
    public var leaseSeconds: Int
    /// The ranges after the first of a `dhcp` list (libvirt serves them).
    public var more: [DHCPRange] = []
    /// PXE: the boot file and its server (nil: the gateway).
    public var boot: PXEBoot?
}

public struct DHCPRange: Sendable {
    public var start: IPAddress
    public var end: IPAddress
}

public struct PXEBoot: Sendable {
    public var file: String
    public var server: IPAddress?
}

public struct Reservation: Sendable {
    public var name: String
    public var mac: MACAddress
    public var ip: IPAddress
}

/// A port forward of a nat network. To an IPv4 guest: the host's port is
/// translated to the guest's (DNAT). To an IPv6 guest (its routed address):
/// nothing is translated, the connections are let in.
public struct PortForward: Sendable {
    public var proto: Proto
    public var port: PortRange
    public var target: IPAddress
    /// The reservation the target names, if it names one.
    public var reservation: String?
    public var targetPort: PortRange
    /// Sorted; empty means any source.
    public var from: [CIDR]
    /// Whether the host's port is translated to the guest: an IPv4
    /// target's; an IPv6 target is reached at its own address and port.
    public var translates: Bool { target.family == .ipv4 }
}
