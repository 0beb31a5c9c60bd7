/// `netc graph`: the topology as a picture a reviewer reads at a glance.
/// The planner turns `Topology` into a typed graph (links and networks as
/// nodes, ports, VLANs, uplinks and peers as edges); two small printers
/// spell it as Graphviz DOT or Mermaid. Deterministic: everything sorted.
public struct TopologyGraph: Sendable, Equatable {
    public enum Shape: String, Sendable { case nic, bond, vlan, bridge, network, outside }

    public struct Node: Sendable, Equatable {
        public var id: String
        /// Lines of the label; the first is the title.
        public var lines: [String]
        public var shape: Shape
        /// A fleet's host the node belongs to (drawn in a box of its own).
        public var cluster: String? = nil
    }

    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var label: String
        /// Peers: both ways, dashed.
        public var dashed = false
        /// Egress: drawn from the uplink down to the network, the arrow
        /// pointing at the uplink (traffic leaves by it).
        public var towardsFrom = false
    }

    public var title: String
    public var nodes: [Node]
    public var edges: [Edge]

    public static func plan(_ t: Topology) -> TopologyGraph {
        var nodes: [Node] = [], edges: [Edge] = []
        func linkID(_ name: String) -> String { "link_" + name }
        func netID(_ name: String) -> String { "net_" + name }
        func addressLines(_ h: HostAddressing) -> [String] {
            h.families.compactMap { f in
                switch f.address {
                case .cidr(let c)?: "\(c)" + (f.gateway.map { " via \($0)" } ?? "")
                case .dhcp?: "address by DHCP"
                case nil: nil
                }
            }
        }
        for i in t.interfaces {
            var lines = [i.name]
            let shape: Shape
            switch i.kind {
            case .ethernet(let mac): shape = .nic; lines.append("NIC" + (mac.map { " \($0)" } ?? ""))
            case .bond(let b):
                shape = .bond
                lines.append("bond \(b.mode.rawValue)")
                for m in b.members { edges.append(Edge(from: linkID(t[m].name), to: linkID(i.name), label: "member")) }
            case .vlan(let v):
                shape = .vlan
                lines.append("VLAN \(v.id)")
                edges.append(Edge(from: linkID(t[v.parent].name), to: linkID(i.name), label: "vlan \(v.id)"))
            }
            if let m = i.mtu { lines.append("MTU \(m)") }
            if i.master == nil { lines += addressLines(i.addressing) }
            nodes.append(Node(id: linkID(i.name), lines: lines, shape: shape))
        }
        for n in t.networks {
            switch n.kind {
            case .lan(let lan):
                var lines = ["\(n.name): bridge", "bridge \(lan.bridge.name): guests on the LAN"]
                lines += addressLines(lan.addressing)
                nodes.append(Node(id: netID(n.name), lines: lines, shape: .bridge))
                edges.append(Edge(from: linkID(t[lan.uplink].name), to: netID(n.name), label: "port"))
            case .macvtap(let m):
                nodes.append(Node(id: netID(n.name), lines: ["\(n.name): macvtap", "mode \(m.mode.rawValue), no bridge"], shape: .network))
                edges.append(Edge(from: linkID(t[m.uplink].name), to: netID(n.name), label: "macvtap"))
            case .guest(let g):
                var lines = ["\(n.name): \(g.mode.rawValue)", "bridge \(g.bridge.name), served by \(g.server.rawValue)"]
                if let o = g.overlay { lines.append("overlay: VXLAN \(o.vni) from \(o.vtep) \(o.local)") }
                for f in g.families {
                    lines.append("\(f.subnet) gw \(f.gateway)" + (f.dhcp.map { " dhcp \($0.start)-\($0.end)" } ?? ""))
                }
                for f in g.forwards {
                    let to = f.reservation ?? (f.target.family == .ipv6 ? "[\(f.target)]" : "\(f.target)")
                    let from = f.from.isEmpty ? "" : " from " + f.from.map(\.description).joined(separator: ", ")
                    lines.append("\(f.proto.rawValue) \(NftPrinter.ports(f.port)) -> \(to):\(NftPrinter.ports(f.targetPort))\(from)")
                }
                nodes.append(Node(id: netID(n.name), lines: lines, shape: .network))
                if let e = g.egress {
                    let (from, suffix) = switch e {
                    case .interface(let r): (linkID(t[r].name), "")
                    case .lanBridge(let r): (netID(t[r].name), "")
                    case .anyButGuestBridges: ("outside", " (any uplink)")
                    }
                    edges.append(Edge(from: from, to: netID(n.name), label: egressLabel(g) + suffix, towardsFrom: true))
                }
                for p in g.peers where t[p].name > n.name {
                    edges.append(Edge(from: netID(n.name), to: netID(t[p].name), label: "peer", dashed: true))
                }
            }
        }
        if edges.contains(where: { $0.from == "outside" }) {
            nodes.append(Node(id: "outside", lines: ["any uplink"], shape: .outside))
        }
        return TopologyGraph(title: t.host.map { "host \($0)" } ?? "host", nodes: nodes, edges: edges)
    }

    /// A fleet: each host's graph in a box of its own (node ids prefixed
    /// with the host's name), and each overlay's networks on its members
    /// joined host to host, in name order, by their VXLAN segment.
    public static func fleet(_ hosts: [(name: String, topology: Topology)], title: String) -> TopologyGraph {
        var nodes: [Node] = [], edges: [Edge] = []
        var segments: [Int: [String]] = [:]
        for (name, t) in hosts.sorted(by: { $0.name < $1.name }) {
            let g = plan(t)
            let id = { (s: String) in name + "/" + s }
            nodes += g.nodes.map { n in Node(id: id(n.id), lines: n.lines, shape: n.shape, cluster: name) }
            edges += g.edges.map { e in Edge(from: id(e.from), to: id(e.to), label: e.label, dashed: e.dashed, towardsFrom: e.towardsFrom) }
            for n in t.networks { if let o = n.guest?.overlay { segments[o.vni, default: []].append(id("net_" + n.name)) } }
        }
        for vni in segments.keys.sorted() {
            let members = segments[vni]!
            for (a, b) in zip(members, members.dropFirst()) { edges.append(Edge(from: a, to: b, label: "VXLAN \(vni)", dashed: true)) }
        }
        return TopologyGraph(title: title, nodes: nodes, edges: edges)
    }

    /// How a guest network's traffic leaves: masqueraded or routed, by
    /// family where they differ.
    static func egressLabel(_ g: GuestNetwork) -> String {
        let masqueraded = g.families.map { g.masquerades($0) }
        if masqueraded.allSatisfy({ $0 }) { return "masquerade" }
        if masqueraded.allSatisfy({ !$0 }) { return g.ipv4 == nil && g.mode == .nat ? "routed (IPv6)" : "routed" }
        return "masquerade, IPv6 routed"
    }

    // MARK: Printers

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Graphviz DOT: links on top, networks below, left to right by name.
    public func dot() -> String {
        var out = "digraph netc {\n"
        out += "\tgraph [label=\(Self.quoted(title)), labelloc=t, fontname=\"Helvetica\", rankdir=TB, nodesep=0.4, ranksep=0.6];\n"
        out += "\tnode [fontname=\"Helvetica\", fontsize=10];\n\tedge [fontname=\"Helvetica\", fontsize=9];\n"
        func node(_ n: Node) -> String {
            let style: String = switch n.shape {
            case .nic: "shape=box, style=\"rounded\""
            case .bond: "shape=box, style=\"rounded,bold\""
            case .vlan: "shape=box, style=\"rounded,dashed\""
            case .bridge: "shape=box, style=\"filled\", fillcolor=\"#e8f0fe\""
            case .network: "shape=box, style=\"filled\", fillcolor=\"#e6f4ea\""
            case .outside: "shape=plaintext"
            }
            let label = n.lines.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
                .joined(separator: "\\n")
            return "\(Self.quoted(n.id)) [label=\"\(label)\", \(style)];\n"
        }
        // A fleet's hosts each in a box (DOT's clusters), in name order.
        var clusters: [String] = []
        for n in nodes where n.cluster != nil && !clusters.contains(n.cluster!) { clusters.append(n.cluster!) }
        for n in nodes where n.cluster == nil { out += "\t" + node(n) }
        for c in clusters {
            out += "\tsubgraph \(Self.quoted("cluster_" + c)) {\n\t\tlabel=\(Self.quoted("host " + c));\n"
            for n in nodes where n.cluster == c { out += "\t\t" + node(n) }
            out += "\t}\n"
        }
        for e in edges {
            let style = e.dashed ? ", style=dashed, dir=both, constraint=false" : e.towardsFrom ? ", dir=back" : ""
            out += "\t\(Self.quoted(e.from)) -> \(Self.quoted(e.to)) [label=\(Self.quoted(e.label))\(style)];\n"
        }
        // Guest networks on the bottom row.
        // (Not a fleet's: a rank across hosts would pull them out of their boxes.)
        let guests = nodes.filter { $0.shape == .network && $0.cluster == nil }.map { Self.quoted($0.id) }
        if !guests.isEmpty { out += "\t{ rank=max; \(guests.joined(separator: "; ")); }\n" }
        return out + "}\n"
    }

    /// Mermaid flowchart, for Markdown that renders it (GitHub, GitLab).
    public func mermaid() -> String {
        func id(_ s: String) -> String { s.unicodeScalars.map { NameRules.isNameScalar($0) && $0 != "." && $0 != "-" ? String($0) : "_" }.joined() }
        func text(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "#quot;") }
        var out = "flowchart TB\n"
        func node(_ n: Node) -> String {
            let label = n.lines.map(text).joined(separator: "<br/>")
            let (open, close) = n.shape == .network || n.shape == .bridge ? ("[\"", "\"]") : ("(\"", "\")")
            return "\(id(n.id))\(open)\(label)\(close)\n"
        }
        var clusters: [String] = []
        for n in nodes where n.cluster != nil && !clusters.contains(n.cluster!) { clusters.append(n.cluster!) }
        for n in nodes where n.cluster == nil { out += "  " + node(n) }
        for c in clusters {
            out += "  subgraph \(id("host_" + c))[\"host \(text(c))\"]\n"
            for n in nodes where n.cluster == c { out += "    " + node(n) }
            out += "  end\n"
        }
        for e in edges {
            let arrow = e.dashed ? "<-. \(text(e.label)) .->" : e.towardsFrom ? "<-- \(text(e.label)) ---" : "-- \(text(e.label)) -->"
            out += "  \(id(e.from)) \(arrow) \(id(e.to))\n"
        }
        return out
    }
}
