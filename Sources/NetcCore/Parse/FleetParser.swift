/// Parse stage of a fleet file (docs/fleet.md): YAML text -> `FleetSyntax`.
/// An overlay is read as a network (`TopologyParser`'s reader, the keys an
/// overlay may have), with its `vni` and `members`.
public enum FleetParser {
    /// Whether a text is a fleet file: a mapping whose top level has
    /// `hosts`. Anything else is a single host's topology.
    public static func isFleet(_ text: String) -> Bool {
        // A block mapping's top-level key starts a line: a scan, not a
        // second parse of a large topology. A document in flow style (its
        // first content `{`) is parsed.
        var flow = false, seenContent = false
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            if !seenContent, first != UInt8(ascii: " "), first != UInt8(ascii: "\t"), first != UInt8(ascii: "-") || !line.starts(with: "---".utf8) {
                seenContent = true
                flow = first == UInt8(ascii: "{")
                if flow { break }
            }
            for key in ["hosts", "\"hosts\"", "'hosts'"] where line.starts(with: key.utf8) {
                if line.dropFirst(key.utf8.count).first(where: { $0 != UInt8(ascii: " ") }) == UInt8(ascii: ":") { return true }
            }
        }
        guard flow else { return false }
        let (_, read) = TopologyParser.tabsInIndentation(text)
        let (document, diagnostics) = YAMLTreeReader.read(read)
        guard diagnostics.isEmpty, let document else { return false }
        return withExtendedLifetime(document) {
            guard case .mapping(let pairs) = document.root.kind else { return false }
            return pairs.contains { $0.key.scalarText == "hosts" }
        }
    }

    public static func parse(_ text: String) -> (FleetSyntax?, [Diagnostic]) {
        TopologyParser.read(text) { r, root in r.fleet(root) }
    }
}

public struct FleetSyntax: Sendable {
    public var version: Located<Int>?
    /// In declaration order.
    public var hosts: [FleetHostSyntax] = []
    /// In declaration order.
    public var overlays: [OverlaySyntax] = []
    public var keys: KeyRanges
}

public struct FleetHostSyntax: Sendable {
    public var name: Located<String>
    /// The host's topology file, relative to the fleet file.
    public var topology: Located<String>?
    /// The interface of that topology whose address is the host's VXLAN
    /// endpoint.
    public var vtep: Located<String>?
    public var keys: KeyRanges
}

public struct OverlaySyntax: @unchecked Sendable {
    public var vni: Located<Int>?
    /// nil: every host of the fleet.
    public var members: [Located<String>]?
    /// The overlay's network keys (name, mode, bridge, uplink, mtu, ipv4,
    /// ipv6, domain, served_by), as on a host's network.
    public var network: NetworkSyntax
    public var name: Located<String> { network.name }
}

extension Reader {
    mutating func fleet(_ root: YNode) -> FleetSyntax? {
        guard let (v, keys) = fields(root, what: "the fleet", allowed: Keys.fleet, required: Keys.fleetRequired) else { return nil }
        var f = FleetSyntax(keys: keys)
        if let n = v["version"], let s = scalar(n, what: "'version'") {
            if !n.isQuoted && s.value == "1" { f.version = Located(1, n.range) } else { bag.add(.unsupportedVersion(s.value), at: n.range) }
        }
        if let n = v["hosts"], let es = entries(n, what: "'hosts'") {
            for e in es {
                guard let (h, hkeys) = fields(e.value, what: "host '\(e.key)'", allowed: Keys.fleetHost, required: Keys.fleetHostRequired)
                else { continue }
                var host = FleetHostSyntax(name: Located(e.key, e.keyNode.range), keys: hkeys)
                if let t = h["topology"] { host.topology = scalar(t, what: "'topology'") }
                if let t = h["vtep"] { host.vtep = scalar(t, what: "'vtep'") }
                f.hosts.append(host)
            }
        }
        if let n = v["overlays"], let es = entries(n, what: "'overlays'") {
            for e in es {
                guard let network = network(e, overlay: true) else { continue }
                var o = OverlaySyntax(network: network)
                if case .mapping(let pairs) = e.value.kind {
                    for (k, value) in pairs {
                        switch k.scalarText {
                        case "vni": o.vni = integer(value, what: "'vni'", range: 1...16_777_215)
                        case "members": o.members = (list(value, what: "'members'") ?? []).compactMap { scalar($0, what: "a member") }
                        default: break
                        }
                    }
                }
                f.overlays.append(o)
            }
        }
        return f
    }
}
