/// Every default of the topology format, in one table. The checks and the
/// model builder read the values; `netc schema` and docs/topology.md state
/// them as `Documented` (a typed JSON value, and in words where the default
/// depends on the context). `DefaultsTests` builds a topology that relies
/// on each default the schema states, and requires the same output as one
/// that spells the default out.
public enum Defaults {
    public static let interfaceKind = InterfaceKind.ethernet
    public static let bondMode = BondMode.activeBackup
    /// A link's MTU when neither it nor (for a VLAN) its parent declares one.
    public static let mtu = 1500
    public static let stp = false
    public static let macvtapMode = MacvtapMode.bridge
    /// A dynamic DHCP lease: 1h.
    public static let leaseSeconds = 3600
    public static let ra = true
    /// Masquerade a nat network's IPv6 too.
    public static let ipv6NAT = false
    /// `interfaces.*.forwarding`: the host routes between its own links only
    /// where a link allows it.
    public static let hostForwarding = false
    /// `security.isolate_guests`: guests on one bridge reach each other.
    public static let isolateGuests = false
    /// `security.lock_reservations`: a reserved address is bound to its MAC.
    public static let lockReservations = true

    /// Seconds; nil is the kernel's own (15 s). A bridge made for guests
    /// forwards at once, as libvirt's do; a bridge-mode bridge carries the
    /// host's LAN and keeps the kernel's delay.
    public static func forwardDelay(guestBridge: Bool) -> Int? {
        guestBridge ? 0 : nil
    }

    /// Who serves a nat, route or isolated network: libvirt, except for an
    /// isolated network without addressing, which libvirt cannot serve
    /// (its open forwarding mode refuses a network without an address):
    /// networkd creates its bridge.
    public static func servedBy(hasAddressing: Bool) -> GuestServer {
        hasAddressing ? .libvirt : .networkd
    }

    /// A default as the schema and the docs state it: a JSON value, and the
    /// rule in words where the value depends on the context (or there is no
    /// single value).
    public struct Documented: Sendable, Equatable {
        public enum Value: Sendable, Equatable {
            case bool(Bool)
            case int(Int)
            case string(String)
            case emptyList
        }

        public var value: Value?
        /// When the value is not `value`, or what it is when there is none.
        public var rule: String?

        /// The value as JSON text.
        public var json: String? {
            switch value {
            case .bool(let b)?: b ? "true" : "false"
            case .int(let i)?: String(i)
            case .string(let s)?: "\"\(s)\""
            case .emptyList?: "[]"
            case nil: nil
            }
        }
    }

    public static let documentedKind = Documented(value: .string(interfaceKind.rawValue))
    public static let documentedBondMode = Documented(value: .string(bondMode.rawValue))
    public static let documentedMTU = Documented(value: .int(mtu), rule: "a VLAN's is its parent's")
    public static let documentedHostIPv6 = Documented(rule: "networkd's own: link-local addressing and router advertisements")
    public static let documentedSTP = Documented(value: .bool(stp))
    public static let documentedForwardDelay = Documented(
        value: .int(forwardDelay(guestBridge: true)!), rule: "a bridge-mode bridge keeps the kernel's (15 s)")
    public static let documentedMacvtapMode = Documented(value: .string(macvtapMode.rawValue))
    public static let documentedServedBy = Documented(
        value: .string(servedBy(hasAddressing: true).rawValue),
        rule: "an isolated network without ipv4 or ipv6 is served by \(servedBy(hasAddressing: false).rawValue)")
    public static let documentedGateway = Documented(rule: "the first address of the subnet")
    public static let documentedBootServer = Documented(rule: "the gateway")
    public static let documentedLease = Documented(value: .string(Duration.text(seconds: leaseSeconds)))
    public static let documentedRA = Documented(value: .bool(ra))
    public static let documentedIPv6NAT = Documented(value: .bool(ipv6NAT))
    public static let documentedHostForwarding = Documented(value: .bool(hostForwarding))
    public static let documentedIsolateGuests = Documented(value: .bool(isolateGuests))
    public static let documentedLockReservations = Documented(value: .bool(lockReservations))
    public static let documentedToPort = Documented(rule: "the same as port")
    public static let documentedFrom = Documented(value: .emptyList, rule: "empty: any source")
    public static let documentedHostServices = Documented(
        rule: "absent, the guests reach every service of the host; given, only DHCP, DNS, router and neighbour discovery, ping and these")

    /// Durations as the format writes them (`30s`, `10m`, `1h`, `2d`).
    public enum Duration {
        /// The largest unit that states `seconds` exactly.
        public static func text(seconds: Int) -> String {
            for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds % size == 0 && seconds > 0 {
                return "\(seconds / size)\(unit)"
            }
            return "\(seconds)s"
        }
    }
}
