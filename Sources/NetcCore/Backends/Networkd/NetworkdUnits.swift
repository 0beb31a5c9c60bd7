/// The networkd artifact: typed INI sections, one struct per section, the
/// fields in the order templates/networkd.*.mustache print them. Absent
/// optionals and empty lists print nothing.
public struct NetworkdUnits: Sendable {
    /// Sorted by (order, name): NICs, bonds, VLANs, bridges.
    public var links: [NetworkdLink]
}

/// One link netc configures: its `.netdev` (when netc creates the device)
/// and its `.network`.
public struct NetworkdLink: Sendable {
    public var name: String
    /// File-name prefix: dependencies sort first (10 NICs, 20 bonds, 30
    /// VLANs, 40 bridges).
    public var order: Int
    public var netdev: NetdevFile?
    public var network: NetworkFile

    public func path(_ kind: OutputLayout.UnitKind) -> String { OutputLayout.networkdUnit(order: order, link: name, kind) }
}

/// `yes`/`no` as networkd writes booleans.
public enum INIBool: String, Sendable {
    case yes, no
    init(_ b: Bool) { self = b ? .yes : .no }
}

public struct NetdevFile: Sendable {
    public struct NetDev: Sendable {
        public var name: String
        public var kind: String
        /// A MAC, or `none`: the bridge keeps its first port's MAC.
        public var macAddress: String?
    }
    public struct BondSection: Sendable {
        public var mode: String
        public var transmitHashPolicy: String?
        public var lacpTransmitRate: String?
        public var minLinks: Int?
        public var miiMonitorSec: String
    }
    public struct VLANSection: Sendable {
        public var id: Int
    }
    public struct BridgeSection: Sendable {
        public var stp: INIBool
        public var forwardDelaySec: Int?
    }
    /// A fleet overlay's VXLAN link: unicast only (head-end replication by
    /// the FDB entries of its .network), not bound to a link (`Independent`:
    /// the kernel routes its packets by `Local`).
    public struct VXLANSection: Sendable {
        public var vni: Int
        public var local: IPAddress
        public var destinationPort: Int
    }

    public var header: [String]
    public var netDev: NetDev
    public var bond: BondSection?
    public var vlan: VLANSection?
    public var bridge: BridgeSection?
    public var vxlan: VXLANSection?
}

public struct NetworkFile: Sendable {
    public struct Match: Sendable {
        public var name: String
        public var permanentMACAddress: MACAddress?
    }
    public struct Link: Sendable {
        public var mtuBytes: Int
    }
    public struct NetworkSection: Sendable {
        public var bond: String?
        /// The primary member of an active-backup bond.
        public var primarySlave = false
        public var bridge: String?
        public var vlans: [String] = []
        public var dhcp: String?
        public var addresses: [CIDR] = []
        public var gateways: [IPAddress] = []
        public var dns: [IPAddress] = []
        /// DNS search domains.
        public var domains: [String] = []
        public var linkLocalAddressing: String?
        public var ipv6AcceptRA: INIBool?
        public var configureWithoutCarrier = false
        public var dhcpServer = false
        public var ipv6SendRA = false
    }
    public struct DHCPServer: Sendable {
        public var poolOffset: Int
        public var poolSize: Int
        public var defaultLeaseTimeSec: Int
        public var maxLeaseTimeSec: Int
        public var emitRouter: INIBool?
        public var emitDNS: INIBool
        public var dns: [IPAddress]
        /// `SendOption=` values, `CODE:TYPE:VALUE`.
        public var sendOptions: [String]
        /// PXE: `BootServerAddress=` and `BootFilename=`.
        public var bootServerAddress: IPAddress? = nil
        public var bootFilename: String? = nil
    }
    /// `[BridgeFDB]` of a VXLAN link: an all-zero MAC to `destination`
    /// floods broadcast and unknown frames to that VTEP.
    public struct BridgeFDB: Sendable {
        public var macAddress: MACAddress
        public var destination: IPAddress
    }
    public struct StaticLease: Sendable {
        public var macAddress: MACAddress
        public var address: IPAddress
    }
    public struct IPv6SendRA: Sendable {
        public var routerLifetimeSec: Int?
        public var emitDNS: INIBool
        public var dns: [IPAddress]
        public var domains: [String]
    }
    public struct IPv6Prefix: Sendable {
        public var prefix: CIDR
    }
    /// A `[Route]` section: nil destination is the default route.
    public struct RouteSection: Sendable {
        public var destination: CIDR?
        public var gateway: IPAddress?
        public var metric: Int?
        public var table: Int?
    }

    public var header: [String]
    public var match: Match
    public var link: Link?
    public var network: NetworkSection
    public var routes: [RouteSection] = []
    public var bridgeFDB: [BridgeFDB] = []
    public var dhcpServer: DHCPServer?
    public var staticLeases: [StaticLease] = []
    public var ipv6SendRA: IPv6SendRA?
    public var ipv6Prefix: IPv6Prefix?
}
