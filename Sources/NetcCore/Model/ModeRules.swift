/// What each network mode takes and needs: the one place that knows it.
/// The parser asks it how to read `ipv4`/`ipv6`; the check stage asks it
/// which keys are allowed and required (E401, E402, E504).
public struct ModeRules: Sendable {
    public enum Presence: Sendable { case required, optional, forbidden }

    /// How a network's `ipv4`/`ipv6` are read.
    public enum Addressing: Sendable {
        /// Guest addressing: subnet, gateway, DHCP, reservations.
        case guest
        /// The host's own address on the bridge.
        case host
        case none
    }

    public var addressing: Addressing
    /// `bridge`, and with it `stp` and `mtu`.
    public var bridge: Presence
    public var uplink: Presence
    public var peers: Bool
    public var forwards: Bool
    public var macvtapMode: Bool
    /// `served_by`, `domain` and `host_services`: a guest network whose DHCP,
    /// DNS and router advertisements the host serves.
    public var served: Bool
    /// `ipv4` or `ipv6` must be given.
    public var needsAddressing: Bool
    /// Guests' traffic is masqueraded as it leaves (and IPv6 takes `nat`).
    public var masquerades: Bool

    public static func of(_ mode: NetworkMode) -> ModeRules {
        switch mode {
        case .nat:
            ModeRules(addressing: .guest, bridge: .required, uplink: .optional, peers: true, forwards: true,
                      macvtapMode: false, served: true, needsAddressing: true, masquerades: true)
        case .route:
            ModeRules(addressing: .guest, bridge: .required, uplink: .optional, peers: true, forwards: false,
                      macvtapMode: false, served: true, needsAddressing: true, masquerades: false)
        case .isolated:
            ModeRules(addressing: .guest, bridge: .required, uplink: .forbidden, peers: true, forwards: false,
                      macvtapMode: false, served: true, needsAddressing: false, masquerades: false)
        case .bridge:
            ModeRules(addressing: .host, bridge: .required, uplink: .required, peers: false, forwards: false,
                      macvtapMode: false, served: false, needsAddressing: false, masquerades: false)
        case .macvtap:
            ModeRules(addressing: .none, bridge: .forbidden, uplink: .required, peers: false, forwards: false,
                      macvtapMode: true, served: false, needsAddressing: false, masquerades: false)
        }
    }

    /// Keys whose presence this table decides, with the rule for each.
    /// (`forwards` has its own code, E504, and is not listed.)
    public var keys: [(key: String, presence: Presence)] {
        let addressing: Presence = self.addressing == .none ? .forbidden : .optional
        return [
            ("bridge", bridge), ("stp", bridge == .forbidden ? .forbidden : .optional),
            ("forward_delay", bridge == .forbidden ? .forbidden : .optional),
            ("mtu", bridge == .forbidden ? .forbidden : .optional),
            ("uplink", uplink), ("ipv4", addressing), ("ipv6", addressing),
            ("peers", peers ? .optional : .forbidden), ("macvtap_mode", macvtapMode ? .optional : .forbidden),
            ("served_by", served ? .optional : .forbidden), ("domain", served ? .optional : .forbidden),
            ("host_services", served ? .optional : .forbidden), ("security", served ? .optional : .forbidden),
            ("routes", self.addressing == .host ? .optional : .forbidden),
            ("dns_hosts", served ? .optional : .forbidden),
            ("inbound", served && !masquerades && uplink == .optional ? .optional : .forbidden),
        ]
    }
}
