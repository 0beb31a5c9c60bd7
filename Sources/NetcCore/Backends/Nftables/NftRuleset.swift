/// The nftables artifact: `table inet netc` (and `table bridge netc`) as
/// typed sets, chains and rules. `NftPrinter` turns a rule into nft syntax;
/// templates/netc.nft.mustache lays out the tables.
public struct NftRuleset: Sendable {
    public var header: [String]
    public var sets: [NftSet]
    /// forward, prerouting, output, postrouting.
    public var chains: [NftChain]
    /// `table bridge netc`: frames as they enter a bridge (port security);
    /// nil when no network has an address to protect.
    public var bridge: NftBridgeTable?
}

public struct NftBridgeTable: Sendable {
    public var sets: [NftSet]
    public var chains: [NftChain]
}

/// A named set: its elements are the per-network data (a network adds
/// elements, never rules). Concatenated types (`ifname . ipv4_addr . ifname`)
/// match several keys of a packet in one lookup.
public struct NftSet: Sendable {
    public var comment: String
    public var name: String
    public var type: [NftType]
    /// Sorted, one per line in the file.
    public var elements: [String]

    public init(comment: String, name: String, type: [NftType], elements: [NftElement]) {
        self.comment = comment
        self.name = name
        self.type = type
        self.elements = elements.map(\.text).sorted()
    }

    public var typeText: String { type.map(\.rawValue).joined(separator: " . ") }
    /// Prefixes and port ranges: an interval set (not with a MAC).
    public var isInterval: Bool { type.contains { $0 == .ipv4 || $0 == .ipv6 || $0 == .service } && !type.contains(.ether) }
    public var elementLines: [String] { elements.map { $0 + "," } }
}

/// One element of a set, and the network it belongs to (printed as the
/// element's comment, so a diff of the ruleset names the network it touches).
public struct NftElement: Sendable {
    public var values: [NftValue]
    public var network: String?

    public var text: String {
        values.map(\.text).joined(separator: " . ") + (network.map { " comment \"network \($0)\"" } ?? "")
    }
}

public enum NftType: String, Sendable {
    case ifname
    case ipv4 = "ipv4_addr"
    case ipv6 = "ipv6_addr"
    case service = "inet_service"
    case ether = "ether_addr"
}

public enum NftValue: Sendable {
    case ifname(String)
    case prefix(CIDR)
    case address(IPAddress)
    case ports(PortRange)
    case mac(MACAddress)

    public var text: String {
        switch self {
        case .ifname(let i): NftPrinter.quoted(i)
        case .prefix(let c): NftPrinter.prefix(c)
        case .address(let a): a.description
        case .ports(let r): NftPrinter.ports(r)
        case .mac(let m): m.description
        }
    }
}

public struct NftChain: Sendable {
    public struct Hook: Sendable {
        public var type: String
        public var hook: String
        public var priority: String

        public var text: String { "type \(type) hook \(hook) priority \(priority); policy accept;" }
    }

    public var name: String
    public var hook: Hook?
    public var entries: [NftEntry]
}

/// A comment line or a rule.
public enum NftEntry: Sendable {
    case comment(String)
    case rule(NftRule)

    public var commentText: String? {
        if case .comment(let c) = self { return c }
        return nil
    }

    public var ruleText: String? {
        if case .rule(let r) = self { return NftPrinter.print(r) }
        return nil
    }
}

public struct NftRule: Sendable {
    public var matches: [NftMatch]
    public var statement: NftStatement

    public init(_ matches: [NftMatch], _ statement: NftStatement) {
        self.matches = matches
        self.statement = statement
    }
}

public enum NftOp: Sendable { case eq, ne }

/// Interface names: literal names (one, or an anonymous set) or a named set.
public enum NftInterfaces: Sendable {
    case names([String])
    case set(String)
}

public enum NftMatch: Sendable {
    case iifname(NftOp, NftInterfaces)
    case oifname(NftOp, NftInterfaces)
    /// `ip saddr` / `ip6 saddr`, a prefix or an anonymous set of them.
    case saddr(IPFamily, [CIDR])
    case daddr(IPFamily, [CIDR])
    /// The destination is none of these.
    case daddrNot(IPFamily, [CIDR])
    case ctStateEstablishedRelated
    case ctStatusDNAT
    /// `ct state invalid`: what conntrack cannot place in a connection.
    case ctStateInvalid
    /// `meta nfproto ipv4|ipv6`: the packet's family.
    case nfproto(IPFamily)
    /// `fib daddr type local`: any address of the host.
    case fibDaddrLocal
    case l4proto([NftL4Protocol])
    case dport(Proto, PortRange)
    /// `KEY . KEY ... @SET`: one lookup of several keys.
    case inSet([NftKey], set: String)
    /// `KEY . KEY ... != @SET`: the keys are not in the set.
    case notInSet([NftKey], set: String)
    /// `udp dport P` or `udp dport { P, Q }`.
    case udpDport([Int])
    /// `meta l4proto { ... } th dport P`: a port of any of these protocols.
    case anyDport([NftL4Protocol], Int)
    /// `icmp type ...` (IPv4) or `icmpv6 type ...` (IPv6).
    case icmpType(IPFamily, [String])
    /// `@th,96,24 VNI`: a VXLAN packet's network identifier (after `udp
    /// dport`, the VXLAN header follows the 8-byte UDP header: flags,
    /// 24 reserved bits, then the VNI).
    case vxlanVNI(Int)
}

/// Layer-4 protocols by their nft names.
public enum NftL4Protocol: String, Sendable {
    case tcp, udp, sctp, dccp

    /// The protocols with ports that masquerade maps to unprivileged ones.
    public static let ported: [NftL4Protocol] = [.tcp, .udp, .sctp, .dccp]
}

public enum NftKey: String, Sendable {
    case iifname, oifname
    case ipSaddr = "ip saddr", ipDaddr = "ip daddr"
    case ip6Saddr = "ip6 saddr", ip6Daddr = "ip6 daddr"
    case tcpDport = "tcp dport", udpDport = "udp dport"
    /// In `table bridge netc`: an ARP packet's sender, a frame's source.
    case arpSaddrIP = "arp saddr ip", arpSaddrEther = "arp saddr ether", etherSaddr = "ether saddr"
    /// An ARP packet's target address (a request for the gateway).
    case arpDaddrIP = "arp daddr ip"

    static func dport(_ p: Proto) -> NftKey { p == .tcp ? .tcpDport : .udpDport }

    static func saddr(_ f: IPFamily) -> NftKey { f == .ipv4 ? .ipSaddr : .ip6Saddr }
    static func daddr(_ f: IPFamily) -> NftKey { f == .ipv4 ? .ipDaddr : .ip6Daddr }
}

public enum NftStatement: Sendable {
    case accept
    case drop
    /// `reject with icmpx type admin-prohibited`
    case reject
    case `return`
    /// `masquerade`, or `masquerade to :LOW-HIGH`.
    case masquerade(ports: ClosedRange<Int>?)
    /// DNAT to an IPv4 address, a port, or port-for-port through a map.
    case dnat(NftDNAT)
}

public struct NftDNAT: Sendable {
    public var proto: Proto
    public var port: PortRange
    public var target: IPAddress
    public var targetPort: PortRange
}
