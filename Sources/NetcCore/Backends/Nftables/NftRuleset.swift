/// The nftables artifact: `table inet netc` as typed sets, verdict maps,
/// chains and rules. `NftPrinter` turns a rule into nft syntax;
/// templates/netc.nft.mustache lays out the table.
public struct NftRuleset: Sendable {
    public var header: [String]
    public var sets: [NftSet]
    public var maps: [NftMap]
    /// Base chains first (forward, prerouting, output, postrouting), then
    /// each network's chains, by network name.
    public var chains: [NftChain]
}

/// A named set of interface names.
public struct NftSet: Sendable {
    public var comment: String
    public var name: String
    public var elements: [String]

    public var quotedElements: [String] { elements.map { NftPrinter.quoted($0) } }
}

/// A verdict map: a key to `jump CHAIN`.
public struct NftMap: Sendable {
    public enum KeyType: String, Sendable {
        case ifname
        case ipv4 = "ipv4_addr"
        case ipv6 = "ipv6_addr"
    }
    public enum Key: Sendable {
        case ifname(String)
        case prefix(CIDR)
    }
    public struct Element: Sendable {
        public var key: Key
        public var chain: String

        /// `"virbr0" : jump from_default`
        public var text: String {
            let k: String = switch key {
            case .ifname(let i): NftPrinter.quoted(i)
            case .prefix(let c): c.description
            }
            return "\(k) : jump \(chain)"
        }
    }

    public var comment: String
    public var name: String
    public var type: KeyType
    public var elements: [Element]

    public var typeText: String { "\(type.rawValue) : verdict" }
    /// Address keys are prefixes: an interval map.
    public var isInterval: Bool { type != .ifname }
}

public struct NftChain: Sendable {
    public struct Hook: Sendable {
        public var type: String
        public var hook: String
        public var priority: String

        public var text: String { "type \(type) hook \(hook) priority \(priority); policy accept;" }
    }

    public var comment: String?
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
    case daddrAddress(IPFamily, IPAddress)
    case ctStateEstablishedRelated
    case ctStatusDNAT
    /// `fib daddr type local`: any address of the host.
    case fibDaddrLocal
    case l4proto([Proto])
    case dport(Proto, PortRange)
}

public enum NftStatement: Sendable {
    case accept
    /// `reject with icmpx type admin-prohibited`
    case reject
    case `return`
    /// `masquerade`, or `masquerade to :LOW-HIGH`.
    case masquerade(ports: ClosedRange<Int>?)
    /// DNAT to an IPv4 address, a port, or port-for-port through a map.
    case dnat(NftDNAT)
    /// `KEY vmap @MAP`
    case vmap(NftVmapKey, map: String)
}

public enum NftVmapKey: String, Sendable {
    case iifname, oifname
    case ipSaddr = "ip saddr"
    case ip6Saddr = "ip6 saddr"
}

public struct NftDNAT: Sendable {
    public var proto: Proto
    public var port: PortRange
    public var target: IPAddress
    public var targetPort: PortRange
}
