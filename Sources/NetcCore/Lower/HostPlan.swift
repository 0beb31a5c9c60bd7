/// The host plan: what the host must look like, typed, with every default
/// resolved. The render stage only formats it.
public struct HostPlan: Sendable {
    /// Base name of the topology file, for the generated-file header.
    public var sourceName: String
    public var host: String?
    /// Sorted by (order, name).
    public var links: [LinkPlan]
    public var firewall: FirewallPlan
    /// Sorted by name.
    public var libvirtNetworks: [LibvirtNetworkPlan]
}

public enum LinkKind: Sendable, Equatable {
    case ethernet
    case bond(BondMode)
    case vlan(id: Int, parent: String)
    case bridge(stp: Bool)

    /// File-name prefix: dependencies sort first (NICs, bonds, VLANs, bridges).
    public var order: Int {
        switch self {
        case .ethernet: 10
        case .bond: 20
        case .vlan: 30
        case .bridge: 40
        }
    }

    /// Whether netc creates the device (and so writes a .netdev).
    public var isVirtual: Bool { self != .ethernet }
}

public enum Master: Sendable, Equatable {
    case bond(String)
    case bridge(String)
}

/// `DHCP=` of a host link: which families the host takes by DHCP.
public enum DHCPClient: String, Sendable {
    case ipv4, ipv6, yes
}

/// Addressing of a link the host itself lives on.
public struct HostAddressPlan: Sendable {
    public var addresses: [CIDR] = []
    public var gateways: [IPAddress] = []
    public var dns: [IPAddress] = []
    public var dhcp: DHCPClient?
}

public struct DHCPServerPlan: Sendable {
    public var poolOffset: Int
    public var poolSize: Int
    public var leaseSeconds: Int
    /// Empty: networkd hands out the uplink's resolvers.
    public var dns: [IPAddress]
    /// Sorted by MAC.
    public var staticLeases: [(mac: MACAddress, address: IPAddress)]
}

public struct RouterAdvertisementPlan: Sendable {
    public var prefix: CIDR
    public var dns: [IPAddress]
}

/// `IPForward=` values.
public enum ForwardingPlan: String, Sendable {
    case ipv4, ipv6, yes
}

/// A guest bridge: the host is the guests' gateway.
public struct GuestBridgePlan: Sendable {
    public var network: String
    public var mode: NetworkMode
    /// Gateway address with the subnet's prefix, IPv4 first.
    public var addresses: [CIDR]
    public var forwarding: ForwardingPlan?
    public var dhcpServer: DHCPServerPlan?
    public var routerAdvertisement: RouterAdvertisementPlan?
    public var hasIPv6: Bool
}

public enum LinkRole: Sendable {
    /// Enslaved to a bond or bridge: no addressing.
    case port(Master)
    /// A link of the host's own (NIC, bond, VLAN, or a bridge-mode bridge).
    case host(HostAddressPlan)
    case guestBridge(GuestBridgePlan)
}

public struct LinkPlan: Sendable {
    public var name: String
    public var kind: LinkKind
    public var permanentMAC: MACAddress?
    /// For a bridge-mode bridge: take the uplink NIC's MAC, so upstream
    /// DHCP and switch port security keep seeing the same address.
    public var macAddress: MACAddress?
    public var mtu: Int?
    /// VLANs stacked on this link, sorted.
    public var vlans: [String]
    public var role: LinkRole
    /// The network this link is the bridge of, for the file comment.
    public var network: String?
}

public enum LibvirtForward: Sendable, Equatable {
    case bridge(String)
    case macvtap(mode: MacvtapMode, device: String)
}

public struct LibvirtNetworkPlan: Sendable {
    public var name: String
    public var forward: LibvirtForward
}

/// Where a network's routed traffic may leave (or enter) the host.
public enum Egress: Sendable, Equatable {
    case interface(String)
    /// Any interface but the guest bridges.
    case anyButGuestBridges
}

public struct FamilyFirewall: Sendable {
    public var family: IPFamily
    public var subnet: CIDR
    public var masquerade: Bool
    /// Accept new connections from the egress into the subnet (route mode).
    public var inboundNew: Bool
}

public struct PortForwardPlan: Sendable {
    public var proto: Proto
    public var port: PortRange
    public var target: IPAddress
    public var targetPort: PortRange
    /// Sorted; empty means any source.
    public var from: [CIDR]
    /// The forward's target reservation, for the comment.
    public var targetName: String?
}

public struct NetworkFirewall: Sendable {
    public var name: String
    public var mode: NetworkMode
    public var bridge: String
    public var egress: Egress
    public var families: [FamilyFirewall]
    /// Bridges of peered networks, sorted.
    public var peerBridges: [String]
    /// Sorted by (proto, port).
    public var forwards: [PortForwardPlan]
    /// Guest bridges whose traffic the forwards must not DNAT: every guest
    /// bridge but this network's own and its peers' (sorted).
    public var forwardsClosedTo: [String]
}

public struct FirewallPlan: Sendable {
    /// Sorted by network name: nat, route, isolated and bridge networks.
    public var networks: [NetworkFirewall]
    /// Bridges of nat, route and isolated networks, sorted.
    public var guestBridges: [String]
}
