/// nftables rule text for the firewall plan. Each chain is a list of
/// entries (a comment or a rule); the template lays out table and chains.
enum NftRules {
    struct Entry {
        var comment: String?
        var rule: String?

        var value: [String: TemplateValue] { ["comment": .optional(comment), "rule": .optional(rule)] }
    }

    static let reject = "reject with icmpx type admin-prohibited"

    static func quoted(_ name: String) -> String { "\"\(name)\"" }

    /// `x` or `{ x, y }`.
    static func set(_ items: [String]) -> String {
        items.count == 1 ? items[0] : "{ " + items.joined(separator: ", ") + " }"
    }

    static func ip(_ f: IPFamily) -> String { f == .ipv4 ? "ip" : "ip6" }

    /// `oifname "eth0"` or `oifname != { guest bridges }`.
    static func match(_ dir: String, _ e: Egress) -> String {
        switch e {
        case .interface(let i): "\(dir) \(quoted(i))"
        case .anyButGuestBridges: "\(dir) != @guest_bridges"
        }
    }

    static func values(_ fw: FirewallPlan, header: [String]) -> [String: TemplateValue] {
        var forward: [Entry] = []
        var prerouting: [Entry] = []
        var output: [Entry] = []
        var postrouting: [Entry] = []
        var peered = Set<[String]>()

        for n in fw.networks {
            let b = quoted(n.bridge)
            forward.append(Entry(comment: "network \(n.name): \(n.mode.rawValue) on \(n.bridge)"))
            for f in n.families {
                let ipx = ip(f.family)
                if f.inboundNew {
                    forward.append(Entry(rule: "\(match("iifname", n.egress)) oifname \(b) \(ipx) daddr \(f.subnet) accept"))
                } else if n.mode == .nat {
                    forward.append(Entry(rule: "oifname \(b) \(ipx) daddr \(f.subnet) ct state established,related accept"))
                }
            }
            forward.append(Entry(rule: "iifname \(b) oifname \(b) accept"))
            for f in n.families where n.mode == .nat || n.mode == .route {
                forward.append(Entry(rule: "iifname \(b) \(match("oifname", n.egress)) \(ip(f.family)) saddr \(f.subnet) accept"))
            }
            for p in n.peerBridges {
                let pair = [n.bridge, p].sorted()
                guard peered.insert(pair).inserted else { continue }
                forward.append(Entry(comment: "peers: \(pair[0]) <-> \(pair[1])"))
                forward.append(Entry(rule: "iifname \(quoted(pair[0])) oifname \(quoted(pair[1])) accept"))
                forward.append(Entry(rule: "iifname \(quoted(pair[1])) oifname \(quoted(pair[0])) accept"))
            }
            forwardRules(n, forward: &forward, prerouting: &prerouting, output: &output, postrouting: &postrouting)

            let masq = n.families.filter(\.masquerade)
            if !masq.isEmpty {
                postrouting.append(Entry(comment: "network \(n.name): masquerade out of \(describe(n.egress))"))
            }
            for f in masq {
                let ipx = ip(f.family)
                let src = "\(ipx) saddr \(f.subnet)"
                let exceptions = f.family == .ipv4 ? ["224.0.0.0/24", "255.255.255.255"] : ["ff02::/16"]
                for e in exceptions { postrouting.append(Entry(rule: "\(src) \(ipx) daddr \(e) return")) }
                let base = "\(match("oifname", n.egress)) \(src) \(ipx) daddr != \(f.subnet)"
                postrouting.append(Entry(rule: "\(base) meta l4proto tcp masquerade to :1024-65535"))
                postrouting.append(Entry(rule: "\(base) meta l4proto udp masquerade to :1024-65535"))
                postrouting.append(Entry(rule: "\(base) masquerade"))
            }
        }
        if !fw.guestBridges.isEmpty {
            forward.append(Entry(comment: "everything else into or out of a guest network"))
            forward.append(Entry(rule: "iifname @guest_bridges \(reject)"))
            forward.append(Entry(rule: "oifname @guest_bridges \(reject)"))
        }
        func list(_ e: [Entry]) -> TemplateValue { .objects(e.map(\.value)) }
        let elements = fw.guestBridges.enumerated().map { i, b -> [String: TemplateValue] in
            ["element": .text(quoted(b) + (i == fw.guestBridges.count - 1 ? "" : ","))]
        }
        return ["header": .texts(header),
                "guestBridges": .optionalObject(elements.isEmpty ? nil : ["elements": .objects(elements)]),
                "forward": list(forward), "prerouting": list(prerouting),
                "output": list(output), "postrouting": list(postrouting)]
    }

    static func describe(_ e: Egress) -> String {
        switch e {
        case .interface(let i): i
        case .anyButGuestBridges: "any interface but the guest bridges"
        }
    }

    static func ports(_ p: PortRange) -> String { p.low == p.high ? "\(p.low)" : "\(p.low)-\(p.high)" }

    /// Port forwards: DNAT at every local address (from outside in
    /// prerouting, from the host itself in output), accept the DNAT'ed
    /// traffic in forward, and masquerade hairpin traffic from the network
    /// itself so that replies come back through the host.
    static func forwardRules(_ n: NetworkFirewall, forward: inout [Entry], prerouting: inout [Entry],
                             output: inout [Entry], postrouting: inout [Entry]) {
        guard !n.forwards.isEmpty, let v4 = n.families.first(where: { $0.family == .ipv4 }) else { return }
        let b = quoted(n.bridge)
        for f in n.forwards {
            let proto = f.proto.rawValue
            let target = f.targetName.map { "\($0) (\(f.target))" } ?? "\(f.target)"
            let label = "\(proto) \(ports(f.port)) -> \(target):\(ports(f.targetPort))"
            let from = f.from.isEmpty ? "" : "ip saddr \(set(f.from.map(\.description))) "
            let dnat: String
            if f.port == f.targetPort {
                dnat = "dnat ip to \(f.target)"
            } else if f.port.count == 1 {
                dnat = "dnat ip to \(f.target):\(f.targetPort.low)"
            } else {
                let pairs = (0..<f.port.count).map { "\(f.port.low + $0) : \(f.target) . \(f.targetPort.low + $0)" }
                dnat = "dnat ip to \(proto) dport map { \(pairs.joined(separator: ", ")) }"
            }
            let rule = "\(from)fib daddr type local \(proto) dport \(ports(f.port)) \(dnat)"
            // Guests of other networks (not peers) are not let in through
            // the host's addresses: they are not DNAT'ed at all, so they
            // still reach the host's own services as before.
            let closed = n.forwardsClosedTo.isEmpty ? "" : "iifname != \(set(n.forwardsClosedTo.map(quoted))) "
            prerouting.append(Entry(comment: "network \(n.name): \(label)"))
            prerouting.append(Entry(rule: closed + rule))
            output.append(Entry(comment: "network \(n.name): \(label), from the host itself"))
            output.append(Entry(rule: rule))
            // From outside. The network itself (hairpin) and its peers are
            // accepted by their own rules.
            forward.append(Entry(rule: "iifname != @guest_bridges oifname \(b) ip daddr \(f.target) \(proto) dport \(ports(f.targetPort)) ct status dnat accept"))
            postrouting.append(Entry(comment: "network \(n.name): hairpin for \(label)"))
            postrouting.append(Entry(rule: "oifname \(b) ip saddr \(v4.subnet) ip daddr \(f.target) \(proto) dport \(ports(f.targetPort)) ct status dnat masquerade"))
        }
    }
}
