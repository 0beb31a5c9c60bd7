/// nftables planner: `Topology` -> `NftRuleset`. The firewall policy lives
/// here: what each mode lets through, masquerade exceptions and ports, port
/// forwards and hairpin, peering.
///
/// The packet path does not grow with the number of networks: the forward
/// chain dispatches by interface through two verdict maps to the chains of
/// the one network a packet enters from (`from_NET`) or goes to (`to_NET`),
/// and postrouting dispatches by source subnet to the network's masquerade
/// chain (`masquerade_NET`).
enum NftPlanner {
    /// Masqueraded TCP and UDP get unprivileged source ports only, so a guest
    /// never appears upstream as a privileged port of the host (which NFS
    /// `secure` exports and the like trust as the host's root).
    static let masqueradePorts = 1024...65535
    /// Never masqueraded, as libvirt does: local multicast and broadcast.
    static let masqueradeExceptions: [IPFamily: [CIDR]] = [
        .ipv4: [CIDR("224.0.0.0/24")!, CIDR("255.255.255.255/32")!],
        .ipv6: [CIDR("ff02::/16")!],
    ]

    static let guestBridges = "guest_bridges"
    static let fromBridge = "from_bridge"
    static let toBridge = "to_bridge"
    static func masqueradeMap(_ f: IPFamily) -> String { f == .ipv4 ? "masquerade_ipv4" : "masquerade_ipv6" }

    static func fromChain(_ n: Network) -> String { "from_" + n.name }
    static func toChain(_ n: Network) -> String { "to_" + n.name }
    static func masqueradeChain(_ n: Network) -> String { "masquerade_" + n.name }

    static func plan(_ t: Topology, header: [String]) -> NftRuleset {
        let guestBridges = t.guestBridges
        var from: [NftMap.Element] = [], to: [NftMap.Element] = []
        var masq: [IPFamily: [NftMap.Element]] = [:]
        var chains: [NftChain] = []
        var prerouting: [NftEntry] = [], output: [NftEntry] = []

        for n in t.networks {
            switch n.mode {
            case .macvtap:
                continue
            case .bridge(let lan):
                // A bridge-mode bridge is the host's LAN: only say that its
                // own traffic passes (bridged frames cross this chain where
                // br_netfilter is loaded).
                from.append(.init(key: .ifname(lan.bridge.name), chain: fromChain(n)))
                chains.append(NftChain(comment: "network \(n.name): bridge on \(lan.bridge.name)", name: fromChain(n),
                                       entries: [.rule(NftRule([.oifname(.eq, .names([lan.bridge.name]))], .accept))]))
            case .nat, .route, .isolated:
                let g = n.guest!
                from.append(.init(key: .ifname(g.bridge.name), chain: fromChain(n)))
                to.append(.init(key: .ifname(g.bridge.name), chain: toChain(n)))
                chains += guestChains(n, g, in: t, closed: guestBridges, prerouting: &prerouting, output: &output)
                if case .nat = n.mode {
                    for f in g.families where f.family == .ipv4 || f.nat {
                        masq[f.family, default: []].append(.init(key: .prefix(f.subnet), chain: masqueradeChain(n)))
                    }
                }
            }
        }

        var sets: [NftSet] = []
        if !guestBridges.isEmpty {
            sets.append(NftSet(comment: "The bridges of nat, route and isolated networks.", name: Self.guestBridges,
                               elements: guestBridges))
        }
        var maps: [NftMap] = []
        var forward: [NftEntry] = [], postrouting: [NftEntry] = []
        if !from.isEmpty {
            maps.append(NftMap(comment: "Traffic from a network's bridge: that network's from_ chain.", name: fromBridge,
                               type: .ifname, elements: sortedByKey(from)))
            forward.append(.rule(NftRule([], .vmap(.iifname, map: fromBridge))))
        }
        if !to.isEmpty {
            maps.append(NftMap(comment: "Traffic into a guest network's bridge: that network's to_ chain.", name: toBridge,
                               type: .ifname, elements: sortedByKey(to)))
            forward.append(.rule(NftRule([], .vmap(.oifname, map: toBridge))))
        }
        for f in [IPFamily.ipv4, .ipv6] {
            guard let elements = masq[f] else { continue }
            maps.append(NftMap(comment: "Masqueraded \(f == .ipv4 ? "IPv4" : "IPv6") subnets: their network's masquerade_ chain.",
                               name: masqueradeMap(f), type: f == .ipv4 ? .ipv4 : .ipv6,
                               elements: sortedByKey(elements)))
            postrouting.append(.rule(NftRule([], .vmap(f == .ipv4 ? .ipSaddr : .ip6Saddr, map: masqueradeMap(f)))))
        }

        let base = [
            NftChain(name: "forward", hook: .init(type: "filter", hook: "forward", priority: "filter"), entries: forward),
            NftChain(name: "prerouting", hook: .init(type: "nat", hook: "prerouting", priority: "dstnat"), entries: prerouting),
            NftChain(name: "output", hook: .init(type: "nat", hook: "output", priority: "-100"), entries: output),
            NftChain(name: "postrouting", hook: .init(type: "nat", hook: "postrouting", priority: "srcnat"), entries: postrouting),
        ]
        return NftRuleset(header: header, sets: sets, maps: maps, chains: base + chains)
    }

    /// Map elements in key order: names as strings, prefixes by address.
    static func sortedByKey(_ elements: [NftMap.Element]) -> [NftMap.Element] {
        elements.sorted { a, b in
            switch (a.key, b.key) {
            case (.ifname(let x), .ifname(let y)): x < y
            case (.prefix(let x), .prefix(let y)): x < y
            case (.ifname, .prefix): true
            case (.prefix, .ifname): false
            }
        }
    }

    static func egressMatch(_ e: Egress, in t: Topology, _ dir: (NftOp, NftInterfaces) -> NftMatch) -> NftMatch {
        if let name = t.name(of: e) { return dir(.eq, .names([name])) }
        return dir(.ne, .set(guestBridges))
    }

    static func describe(_ e: Egress, in t: Topology) -> String {
        t.name(of: e) ?? "any interface but the guest bridges"
    }

    /// The chains of a nat, route or isolated network, and its forwards'
    /// DNAT rules.
    static func guestChains(_ n: Network, _ g: GuestNetwork, in t: Topology, closed allGuestBridges: [String],
                            prerouting: inout [NftEntry], output: inout [NftEntry]) -> [NftChain] {
        let bridge = g.bridge.name
        var egress: Egress?
        var forwards: [PortForward] = []
        switch n.mode {
        case .nat(let x): egress = x.egress; forwards = x.forwards
        case .route(let x): egress = x.egress
        default: break
        }
        let peers = g.peers.compactMap { t[$0].bridge?.name }.sorted()
        let out = egress.map { " out of \(describe($0, in: t))" } ?? ""

        // From the network's guests.
        var fromRules: [NftEntry] = [.rule(NftRule([.oifname(.eq, .names([bridge]))], .accept))]
        if let egress {
            for f in g.families {
                fromRules.append(.rule(NftRule([egressMatch(egress, in: t, NftMatch.oifname), .saddr(f.family, [f.subnet])], .accept)))
            }
        }
        if !peers.isEmpty {
            fromRules.append(.comment("peers: \(peers.joined(separator: ", "))"))
            fromRules.append(.rule(NftRule([.oifname(.eq, .names(peers))], .accept)))
        }
        fromRules.append(.rule(NftRule([], .reject)))

        // Into the network, from anywhere but a guest network (those are
        // decided by their own from_ chain).
        var toRules: [NftEntry] = []
        for f in g.families {
            switch n.mode {
            case .nat:
                toRules.append(.rule(NftRule([.daddr(f.family, [f.subnet]), .ctStateEstablishedRelated], .accept)))
            case .route:
                var m: [NftMatch] = []
                if let egress, let name = t.name(of: egress) { m.append(.iifname(.eq, .names([name]))) }
                toRules.append(.rule(NftRule(m + [.daddr(f.family, [f.subnet])], .accept)))
            default:
                break
            }
        }

        // Port forwards: DNAT at every local address (from outside and from
        // the network itself and its peers in prerouting, from the host in
        // output), accept the DNAT'ed traffic, masquerade hairpin traffic.
        // Guests of other networks are not DNAT'ed: they keep reaching the
        // host's own services on those ports.
        var hairpin: [NftEntry] = []
        let others = allGuestBridges.contains { $0 != bridge && !peers.contains($0) }
        for f in forwards {
            let target = f.reservation.map { "\($0) (\(f.target))" } ?? "\(f.target)"
            let label = "\(f.proto.rawValue) \(NftPrinter.ports(f.port)) -> \(target):\(NftPrinter.ports(f.targetPort))"
            let source: [NftMatch] = f.from.isEmpty ? [] : [.saddr(.ipv4, f.from)]
            let dnat = NftRule(source + [.fibDaddrLocal, .dport(f.proto, f.port)],
                               .dnat(NftDNAT(proto: f.proto, port: f.port, target: f.target, targetPort: f.targetPort)))
            prerouting.append(.comment("network \(n.name): \(label)"))
            if others {
                prerouting.append(.rule(NftRule([.iifname(.ne, .set(Self.guestBridges))] + dnat.matches, dnat.statement)))
                prerouting.append(.rule(NftRule([.iifname(.eq, .names([bridge] + peers))] + dnat.matches, dnat.statement)))
            } else {
                prerouting.append(.rule(dnat))
            }
            output.append(.comment("network \(n.name): \(label), from the host itself"))
            output.append(.rule(dnat))
            let toTarget: [NftMatch] = [.daddrAddress(.ipv4, f.target), .dport(f.proto, f.targetPort), .ctStatusDNAT]
            toRules.append(.rule(NftRule(toTarget, .accept)))
            hairpin.append(.comment("hairpin for \(label)"))
            hairpin.append(.rule(NftRule([.oifname(.eq, .names([bridge]))] + toTarget, .masquerade(ports: nil))))
        }
        toRules.append(.rule(NftRule([], .reject)))

        let mode = n.kind.rawValue
        var chains = [
            NftChain(comment: "network \(n.name): \(mode) on \(bridge)\(out); traffic from its guests",
                     name: fromChain(n), entries: fromRules),
            NftChain(comment: "network \(n.name): traffic to its guests", name: toChain(n), entries: toRules),
        ]
        let masqueraded = g.families.filter { $0.family == .ipv4 || $0.nat }
        if case .nat = n.mode, !masqueraded.isEmpty {
            var m = hairpin
            for f in masqueraded {
                m.append(.rule(NftRule([.daddr(f.family, [f.subnet] + masqueradeExceptions[f.family]!)], .return)))
            }
            let e = egressMatch(egress!, in: t, NftMatch.oifname)
            m.append(.rule(NftRule([e, .l4proto([.tcp, .udp])], .masquerade(ports: masqueradePorts))))
            m.append(.rule(NftRule([e], .masquerade(ports: nil))))
            chains.append(NftChain(comment: "network \(n.name): masquerade out of \(describe(egress!, in: t))",
                                   name: masqueradeChain(n), entries: m))
        }
        return chains
    }
}
