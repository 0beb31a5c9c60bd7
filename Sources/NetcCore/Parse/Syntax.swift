/// The syntax model: the topology as written, every value typed and located.
/// A value that failed to parse is absent (its diagnostic is already
/// reported); semantic checks happen in the validate stage.

public struct Located<T> {
    public var value: T
    public var range: SourceRange

    public init(_ value: T, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Equatable where T: Equatable {}
extension Located: Sendable where T: Sendable {}

/// Where the keys of a mapping were written, for "key not allowed here" and
/// "first defined here" diagnostics.
public struct KeyRanges: Sendable {
    public var keys = SmallMap<SourceRange>()
    /// The position of the mapping itself (for "missing key" diagnostics).
    public var mapping: SourceRange
    /// Allowed keys that an unknown key was reported as a misspelling of:
    /// their absence is not reported again as a missing key.
    public var misspelled: Set<String> = []

    public subscript(_ key: String) -> SourceRange? { keys[key] }
}

public enum InterfaceKind: String, CaseIterable, Sendable { case ethernet, bond, vlan }

public enum BondMode: String, CaseIterable, Sendable {
    case balanceRR = "balance-rr", activeBackup = "active-backup", balanceXOR = "balance-xor"
    case broadcast, ieee8023ad = "802.3ad", balanceTLB = "balance-tlb", balanceALB = "balance-alb"
}

/// How a bond that hashes spreads flows over its members.
public enum TransmitHashPolicy: String, CaseIterable, Sendable {
    case layer2, layer34 = "layer3+4", layer23 = "layer2+3", encap23 = "encap2+3", encap34 = "encap3+4"
}

/// How often an 802.3ad bond asks its partner for LACP frames.
public enum LACPRate: String, CaseIterable, Sendable { case slow, fast }

public enum NetworkMode: String, CaseIterable, Sendable { case nat, route, isolated, bridge, macvtap }

public enum MacvtapMode: String, CaseIterable, Sendable { case bridge, vepa, `private`, passthrough }

public enum Proto: String, CaseIterable, Sendable { case tcp, udp }

/// Who creates a guest network's bridge and serves its DHCP, DNS and router
/// advertisements (`served_by`).
public enum GuestServer: String, CaseIterable, Sendable { case libvirt, networkd }

/// `address:` of host addressing: a static interface address or `dhcp`.
public enum HostAddress: Sendable, Equatable {
    case dhcp
    case cidr(CIDR)
}

public struct HostAddressingSyntax: Sendable {
    /// `ipv6: false`: no IPv6 on this link at all (where it was written).
    public var disabled: SourceRange?
    /// The address, or the first (primary) of an `address` list.
    public var address: Located<HostAddress>?
    /// The addresses after the first of an `address` list.
    public var moreAddresses: [Located<CIDR>] = []
    public var gateway: Located<IPAddress>?
    public var dns: [Located<IPAddress>] = []
    /// DNS search domains.
    public var search: [Located<String>] = []
    public var keys: KeyRanges

    /// Every static address, the primary first.
    public var staticAddresses: [Located<CIDR>] {
        var out: [Located<CIDR>] = []
        if let a = address, case .cidr(let c) = a.value { out.append(Located(c, a.range)) }
        return out + moreAddresses
    }
}

/// One name of `dns_hosts` and its addresses.
public struct DNSHostSyntax: Sendable {
    public var name: Located<String>
    public var addresses: [Located<IPAddress>]
}

/// `to:` of a static route.
public enum RouteDestination: Sendable, Equatable, Hashable {
    case defaultRoute
    case cidr(CIDR)
}

/// One of a link's `routes`.
public struct RouteSyntax: Sendable {
    public var to: Located<RouteDestination>?
    public var via: Located<IPAddress>?
    public var metric: Located<Int>?
    public var table: Located<Int>?
    public var keys: KeyRanges
}

/// A class: the checks pass interfaces and networks around by the
/// thousand, and a copy of a struct this size costs a retain per field.
/// Only the parser writes it (its setters are internal), before the syntax
/// is handed on: after that it is read only, so sharing it is safe.
public final class InterfaceSyntax: @unchecked Sendable {
    public internal(set) var name: Located<String>
    public internal(set) var kind: Located<InterfaceKind>?
    public internal(set) var mac: Located<MACAddress>?
    public internal(set) var members: [Located<String>] = []
    public internal(set) var bondMode: Located<BondMode>?
    public internal(set) var transmitHashPolicy: Located<TransmitHashPolicy>?
    public internal(set) var lacpRate: Located<LACPRate>?
    public internal(set) var primary: Located<String>?
    public internal(set) var minLinks: Located<Int>?
    public internal(set) var parent: Located<String>?
    public internal(set) var id: Located<Int>?
    public internal(set) var mtu: Located<Int>?
    public internal(set) var forwarding: Located<Bool>?
    @Boxed public internal(set) var ipv4: HostAddressingSyntax? = nil
    @Boxed public internal(set) var ipv6: HostAddressingSyntax? = nil
    public internal(set) var routes: [RouteSyntax] = []
    public internal(set) var keys: KeyRanges

    init(name: Located<String>, keys: KeyRanges) {
        self.name = name
        self.keys = keys
    }

    public var effectiveKind: InterfaceKind { kind?.value ?? .ethernet }
    /// `kind` was written but is not one of the words (reported as E007).
    var kindUnknown: Bool { kind == nil && keys["kind"] != nil }
}

public struct DHCPSyntax: Sendable {
    public var start: Located<IPAddress>?
    public var end: Located<IPAddress>?
    /// Lease time in seconds.
    public var lease: Located<Int>?
    /// PXE: `boot: {file, server}` (on the first range).
    public var boot: BootSyntax?
    public var keys: KeyRanges
}

public struct BootSyntax: Sendable {
    public var file: Located<String>?
    public var server: Located<IPAddress>?
    public var keys: KeyRanges
}

public struct ReservationSyntax: Sendable {
    public var name: Located<String>
    public var mac: Located<MACAddress>?
    public var ip: Located<IPAddress>?
}

public struct GuestAddressingSyntax: Sendable {
    /// The gateway the guests use: the given one, or by the format's default
    /// the first address after the network address.
    public var effectiveGateway: IPAddress? {
        gateway?.value ?? subnet.map { $0.value.network.adding(1) }
    }

    public var subnet: Located<CIDR>?
    public var gateway: Located<IPAddress>?
    /// The (first) DHCP range; the rest of a `dhcp` list in `moreDHCP`.
    @Boxed public var dhcp: DHCPSyntax? = nil
    public var moreDHCP: [DHCPSyntax] = []
    public var dns: [Located<IPAddress>] = []
    public var reservations: [ReservationSyntax] = []
    public var ra: Located<Bool>?
    public var nat: Located<Bool>?
    public var keys: KeyRanges
}

/// A port or an inclusive port range.
public struct PortRange: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var low: Int
    public var high: Int
    public var count: Int { high - low + 1 }
    /// `80`, or `8000-8010`.
    public var description: String { low == high ? "\(low)" : "\(low)-\(high)" }
}

/// One entry of `host_services`: a port of the host's own the guests may reach.
public struct InboundSyntax: Sendable {
    public var proto: Located<Proto>?
    public var port: Located<PortRange>?
    public var from: [Located<CIDR>] = []
    public var keys: KeyRanges
}

public struct HostServiceSyntax: Sendable {
    public var proto: Located<Proto>?
    public var port: Located<PortRange>?
    public var keys: KeyRanges
}

/// `security:` of a guest network.
public struct SecuritySyntax: Sendable {
    public var isolateGuests: Located<Bool>?
    public var lockReservations: Located<Bool>?
    public var keys: KeyRanges
}

public struct ForwardSyntax: Sendable {
    public var proto: Located<Proto>?
    public var port: Located<PortRange>?
    public var to: Located<String>?
    public var toPort: Located<PortRange>?
    public var from: [Located<CIDR>] = []
    public var keys: KeyRanges
}

/// A network's `ipv4`/`ipv6`: guest addressing, or host addressing in
/// `bridge` mode. Which one is decided by the mode while parsing.
public enum NetworkAddressingSyntax: Sendable {
    case guest(GuestAddressingSyntax)
    case host(HostAddressingSyntax)
    /// Present, but the mode is unknown or takes no addressing.
    case unread(SourceRange)

    /// The host's own addressing (bridge mode), or nil.
    public var host: HostAddressingSyntax? { if case .host(let h) = self { h } else { nil } }
    /// Whether this is guest addressing (nat, route, isolated).
    public var isGuest: Bool { if case .guest = self { true } else { false } }
}

/// A class, as `InterfaceSyntax`.
public final class NetworkSyntax: @unchecked Sendable {
    public internal(set) var name: Located<String>
    public internal(set) var mode: Located<NetworkMode>?
    public internal(set) var bridge: Located<String>?
    public internal(set) var uplink: Located<String>?
    public internal(set) var stp: Located<Bool>?
    /// Seconds.
    public internal(set) var forwardDelay: Located<Int>?
    public internal(set) var mtu: Located<Int>?
    @Boxed public internal(set) var ipv4: NetworkAddressingSyntax? = nil
    @Boxed public internal(set) var ipv6: NetworkAddressingSyntax? = nil
    public internal(set) var forwards: [ForwardSyntax] = []
    public internal(set) var peers: [Located<String>] = []
    public internal(set) var macvtapMode: Located<MacvtapMode>?
    public internal(set) var servedBy: Located<GuestServer>?
    public internal(set) var domain: Located<String>?
    /// Absent: the guests reach every service of the host.
    public internal(set) var hostServices: [HostServiceSyntax]?
    public internal(set) var security: SecuritySyntax?
    /// Static routes on a bridge-mode network's bridge.
    public internal(set) var routes: [RouteSyntax] = []
    /// `inbound`: a route network's allowed new connections (nil: absent).
    public internal(set) var inbound: [InboundSyntax]?
    /// `dns_hosts`: extra DNS host records, name -> addresses.
    public internal(set) var dnsHosts: [DNSHostSyntax] = []
    public internal(set) var keys: KeyRanges

    init(name: Located<String>, keys: KeyRanges) {
        self.name = name
        self.keys = keys
    }
}

public struct TopologySyntax: Sendable {
    public var version: Located<Int>?
    public var host: Located<String>?
    /// In declaration order.
    public var interfaces: [InterfaceSyntax] = []
    /// In declaration order.
    public var networks: [NetworkSyntax] = []
    public var keys: KeyRanges
}
