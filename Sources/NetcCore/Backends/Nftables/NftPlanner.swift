/// nftables planner: `Topology` -> `NftRuleset`. The firewall policy lives
/// here: what each mode lets through, masquerade exceptions and ports, port
/// forwards and hairpin, peering.
///
/// Neither the packet path nor the ruleset grows in rules with the number of
/// networks: each policy is one rule that looks a packet up in a named set
/// (concatenated keys such as bridge . source subnet . egress), and a network
/// adds elements to those sets. A lookup costs the same for the first and the
/// last network, and nft loads elements far faster than rules (each rule
/// costs nft a parse and a kernel object; make bench loads a 10,000-network
/// ruleset and holds the packet path flat, bench/rtt.sh).
/// Only port forwards are rules of their own (DNAT needs its target).
enum NftPlanner {
    /// Masqueraded TCP, UDP, SCTP and DCCP get unprivileged source ports
    /// only, hairpin included, so a guest never appears upstream as a
    /// privileged port of the host (which NFS `secure` exports and the like
    /// trust as the host's root).
    static let masqueradePorts = 1024...65535
    /// Never masqueraded, as libvirt does: local multicast and broadcast.
    static func masqueradeExceptions(_ f: IPFamily) -> [CIDR] {
        switch f {
        case .ipv4: [CIDR("224.0.0.0/24")!, CIDR("255.255.255.255/32")!]
        case .ipv6: [CIDR("ff02::/16")!]
        }
    }

    static let guestBridges = "guest_bridges"
    static let loopback = CIDR("127.0.0.0/8")!

    /// The sets, in the order the file lists them, and what they say.
    enum Sets {
        static let bridgePairs = "bridge_pairs"
        static let hostLinks = "host_links"
        static let peerPairs = "peer_pairs"
        static let hostRestricted = "host_restricted"
        static func hostServices(_ p: Proto) -> String { "host_services_\(p.rawValue)" }
        static func sourceSubnets(_ f: IPFamily) -> String { "source_subnets_\(f.rawValue)" }
        static func guestSubnets(_ f: IPFamily) -> String { "guest_subnets_\(f.rawValue)" }
        static func repliesAny(_ f: IPFamily) -> String { "replies_any_\(f.rawValue)" }
        static func egress(_ f: IPFamily) -> String { "egress_\(f.rawValue)" }
        static func egressAny(_ f: IPFamily) -> String { "egress_any_\(f.rawValue)" }
        static func replies(_ f: IPFamily) -> String { "replies_\(f.rawValue)" }
        static func inbound(_ f: IPFamily) -> String { "inbound_\(f.rawValue)" }
        static func inboundAny(_ f: IPFamily) -> String { "inbound_any_\(f.rawValue)" }
        static func inboundListed(_ p: Proto, _ f: IPFamily) -> String { "inbound_\(p.rawValue)_\(f.rawValue)" }
        static func inboundListedAny(_ p: Proto, _ f: IPFamily) -> String { "inbound_any_\(p.rawValue)_\(f.rawValue)" }
        // One set per protocol: a concatenation with an inet_proto part and
        // port ranges missed UDP elements on nft 1.0.6 (checked in the
        // forwards scenario), so the protocol is the rule's, not the key's.
        static func forwarded(_ p: Proto) -> String { "forwarded_\(p.rawValue)" }
        static func hairpin(_ p: Proto) -> String { "hairpin_\(p.rawValue)" }
        static func ownSubnet(_ f: IPFamily) -> String { "own_subnet_\(f.rawValue)" }
        static func masquerade(_ f: IPFamily) -> String { "masquerade_\(f.rawValue)" }
        static func masqueradeAny(_ f: IPFamily) -> String { "masquerade_any_\(f.rawValue)" }
        // table bridge netc
        static func gateways(_ f: IPFamily) -> String { "gateways_\(f.rawValue)" }
        static let overlayLinks = "overlay_links"
        static let anycastMACs = "anycast_macs"
        static let overlayGateways = "overlay_gateways_ipv4"
        static let overlayGatewayGroups = "overlay_gateway_groups"
        static let reserved = "reserved_ipv4"
        static let reservations = "reservations_ipv4"
    }

    static func addressType(_ f: IPFamily) -> NftType { f == .ipv4 ? .ipv4 : .ipv6 }

    /// Elements by set name, collected network by network.
    struct Elements {
        var bySet: [String: [NftElement]] = [:]
        /// The network whose elements are being added.
        var network: String?
        mutating func add(_ set: String, _ e: [NftValue]) { bySet[set, default: []].append(NftElement(values: e, network: network)) }
        func of(_ set: String) -> [NftElement] { bySet[set] ?? [] }
    }

    static func plan(_ t: Topology, header: [String]) -> NftRuleset {
        var e = Elements()
        var prerouting: [NftEntry] = [], output: [NftEntry] = []
        let guestBridges = t.guestBridges
        // The host's own links: not routed between (unless they allow it).
        for i in t.interfaces where !i.forwarding { e.add(Sets.hostLinks, [.ifname(i.name)]) }
        for n in t.networks {
            e.network = n.name
            if let g = n.guest { e.add(Self.guestBridges, [.ifname(g.bridge.name)]) }
            collect(n, in: t, guestBridges: guestBridges, into: &e, prerouting: &prerouting, output: &output)
        }

        var sets: [NftSet] = []
        func set(_ name: String, _ type: [NftType], _ comment: String) {
            let elements = e.of(name)
            guard !elements.isEmpty else { return }
            sets.append(NftSet(comment: comment, name: name, type: type, elements: elements))
        }
        set(Self.guestBridges, [.ifname], "The bridges of nat, route and isolated networks.")
        set(Sets.bridgePairs, [.ifname, .ifname], "Forwarded within a bridge: the guests of one network, the host's LAN.")
        set(Sets.peerPairs, [.ifname, .ifname], "Forwarded between peered networks' bridges, each way.")
        set(Sets.hostLinks, [.ifname], "The host's own links (and bridge-mode bridges): never routed between, unless a link says forwarding: true.")
        set(Sets.hostRestricted, [.ifname], "Guest bridges whose guests reach only the host services the network lists (host_services).")
        for p in Proto.allCases {
            set(Sets.hostServices(p), [.ifname, .service], "\(p.rawValue.uppercased()) services of the host a network's guests may reach: guest bridge . port.")
        }
        for f in [IPFamily.ipv4, .ipv6] {
            let a = addressType(f)
            set(Sets.sourceSubnets(f), [.ifname, a], "What a guest bridge's packets may come from: guest bridge . its subnet.")
            set(Sets.guestSubnets(f), [a], "The guests' subnets: never a source on any other interface.")
        }
        for f in [IPFamily.ipv4, .ipv6] {
            let a = addressType(f)
            set(Sets.egress(f), [.ifname, a, .ifname], "New connections out: guest bridge . source subnet . egress interface.")
            set(Sets.egressAny(f), [.ifname, a], "New connections out of any interface but the guest bridges: guest bridge . source subnet.")
            set(Sets.replies(f), [.ifname, .ifname, a], "Replies back in to nat networks, from where their connections left: egress interface . guest bridge . subnet.")
            set(Sets.repliesAny(f), [.ifname, a], "Replies back in to nat networks from any interface but the guest bridges: guest bridge . subnet.")
            set(Sets.inbound(f), [.ifname, .ifname, a], "New connections in to routed networks: uplink . guest bridge . subnet.")
            set(Sets.inboundAny(f), [.ifname, a], "New connections in to routed networks from any interface but the guest bridges: guest bridge . subnet.")
            for p in Proto.allCases {
                let name = p.rawValue.uppercased()
                // No guest bridge in the key: two interface names and two
                // IPv6 addresses would pass the 64 bytes a concatenation
                // may hold (nft 1.0.6 aborts); the guests' addresses say
                // which bridge, and the rule that any.
                set(Sets.inboundListed(p, f), [.ifname, a, a, .service],
                    "\(name) connections let in to routed guests (inbound lists, IPv6 forwards): uplink . source . guests . port.")
                set(Sets.inboundListedAny(p, f), [.ifname, a, a, .service],
                    "\(name) connections let in to routed guests (inbound lists, IPv6 forwards), from any interface but the guest bridges: guest bridge . source . guests . port.")
            }
        }
        for p in Proto.allCases {
            let name = p.rawValue.uppercased()
            set(Sets.forwarded(p), [.ifname, .ipv4, .service], "\(name) port forwards, after DNAT: guest bridge . guest . port.")
            set(Sets.hairpin(p), [.ifname, .ipv4, .ipv4, .service],
                "\(name) port forwards reached by the network's own guests: guest bridge . subnet . guest . port.")
        }
        for f in [IPFamily.ipv4, .ipv6] {
            let a = addressType(f)
            set(Sets.ownSubnet(f), [a, a], "Never masqueraded: traffic within a network's own subnet.")
            set(Sets.masquerade(f), [a, .ifname], "Masqueraded: source subnet . egress interface.")
            set(Sets.masqueradeAny(f), [a], "Masqueraded out of any interface but the guest bridges: source subnet.")
        }
        let present = Set(sets.map(\.name))

        var forward: [NftEntry] = []
        func rule(_ set: String, _ m: [NftMatch], _ s: NftStatement, into chain: inout [NftEntry]) {
            if present.contains(set) { chain.append(.rule(NftRule(m, s))) }
        }
        let notGuest = NftMatch.iifname(.ne, .set(Self.guestBridges))
        let outNotGuest = NftMatch.oifname(.ne, .set(Self.guestBridges))
        let fromGuest = NftMatch.iifname(.eq, .set(Self.guestBridges))
        let toGuest = NftMatch.oifname(.eq, .set(Self.guestBridges))
        if !guestBridges.isEmpty {
            // Conntrack could not place these (a SYN+FIN, a stray RST, a bad
            // checksum): no NAT would apply, so they would leave with a
            // guest's own address.
            forward.append(.comment("packets conntrack cannot place, into or out of a guest network"))
            forward.append(.rule(NftRule([fromGuest, .ctStateInvalid], .drop)))
            forward.append(.rule(NftRule([toGuest, .ctStateInvalid], .drop)))
        }
        rule(Sets.bridgePairs, [.inSet([.iifname, .oifname], set: Sets.bridgePairs)], .accept, into: &forward)
        if present.contains(Sets.hostLinks) {
            // Guest networks need forwarding on for the whole host; that
            // must not make the host a router between its own LANs.
            forward.append(.comment("between two of the host's own links: the host is no router there"))
            forward.append(.rule(NftRule([.iifname(.eq, .set(Sets.hostLinks)), .oifname(.eq, .set(Sets.hostLinks))], .drop)))
        }
        if !guestBridges.isEmpty {
            // Reverse-path checks: a guest bridge's packets come from its own
            // subnets, and nothing else comes from a guest subnet.
            forward.append(.comment("sources: a guest network's own subnets, and only from its bridge"))
            for f in [IPFamily.ipv4, .ipv6] {
                if present.contains(Sets.sourceSubnets(f)) {
                    forward.append(.rule(NftRule([fromGuest, .notInSet([.iifname, .saddr(f)], set: Sets.sourceSubnets(f))], .drop)))
                } else {
                    forward.append(.rule(NftRule([fromGuest, .nfproto(f)], .drop)))
                }
                rule(Sets.guestSubnets(f), [notGuest, .inSet([.saddr(f)], set: Sets.guestSubnets(f))], .drop, into: &forward)
            }
        }
        rule(Sets.peerPairs, [.inSet([.iifname, .oifname], set: Sets.peerPairs)], .accept, into: &forward)
        for f in [IPFamily.ipv4, .ipv6] {
            rule(Sets.egress(f), [.inSet([.iifname, .saddr(f), .oifname], set: Sets.egress(f))], .accept, into: &forward)
            rule(Sets.egressAny(f), [outNotGuest, .inSet([.iifname, .saddr(f)], set: Sets.egressAny(f))], .accept, into: &forward)
            rule(Sets.replies(f), [.inSet([.iifname, .oifname, .daddr(f)], set: Sets.replies(f)), .ctStateEstablishedRelated],
                 .accept, into: &forward)
            rule(Sets.repliesAny(f), [notGuest, .inSet([.oifname, .daddr(f)], set: Sets.repliesAny(f)), .ctStateEstablishedRelated],
                 .accept, into: &forward)
            rule(Sets.inbound(f), [.inSet([.iifname, .oifname, .daddr(f)], set: Sets.inbound(f))], .accept, into: &forward)
            rule(Sets.inboundAny(f), [notGuest, .inSet([.oifname, .daddr(f)], set: Sets.inboundAny(f))], .accept, into: &forward)
            for p in Proto.allCases {
                rule(Sets.inboundListed(p, f), [toGuest, .inSet([.iifname, .saddr(f), .daddr(f), .dport(p)], set: Sets.inboundListed(p, f))],
                     .accept, into: &forward)
                rule(Sets.inboundListedAny(p, f), [notGuest, .inSet([.oifname, .saddr(f), .daddr(f), .dport(p)], set: Sets.inboundListedAny(p, f))],
                     .accept, into: &forward)
            }
        }
        for p in Proto.allCases {
            rule(Sets.forwarded(p), [notGuest, .inSet([.oifname, .ipDaddr, .dport(p)], set: Sets.forwarded(p)), .ctStatusDNAT],
                 .accept, into: &forward)
        }
        if !guestBridges.isEmpty {
            forward.append(.comment("everything else into or out of a guest network"))
            forward.append(.rule(NftRule([.iifname(.eq, .set(Self.guestBridges))], .reject)))
            forward.append(.rule(NftRule([toGuest], .reject)))
        }

        var postrouting: [NftEntry] = []
        for p in Proto.allCases {
            rule(Sets.hairpin(p), [.inSet([.oifname, .ipSaddr, .ipDaddr, .dport(p)], set: Sets.hairpin(p)), .ctStatusDNAT],
                 .masquerade(ports: masqueradePorts), into: &postrouting)
        }
        for f in [IPFamily.ipv4, .ipv6] where present.contains(Sets.masquerade(f)) || present.contains(Sets.masqueradeAny(f)) {
            postrouting.append(.rule(NftRule([.daddr(f, masqueradeExceptions(f))], .return)))
            rule(Sets.ownSubnet(f), [.inSet([.saddr(f), .daddr(f)], set: Sets.ownSubnet(f))], .return, into: &postrouting)
            // Protocols with ports to unprivileged ones, then everything else.
            func masquerade(_ m: [NftMatch]) {
                postrouting.append(.rule(NftRule(m + [.l4proto(NftL4Protocol.ported)], .masquerade(ports: masqueradePorts))))
                postrouting.append(.rule(NftRule(m, .masquerade(ports: nil))))
            }
            if present.contains(Sets.masquerade(f)) { masquerade([.inSet([.saddr(f), .oifname], set: Sets.masquerade(f))]) }
            if present.contains(Sets.masqueradeAny(f)) { masquerade([outNotGuest, .inSet([.saddr(f)], set: Sets.masqueradeAny(f))]) }
        }

        // After every table's source NAT: a packet that still carries a
        // masqueraded subnet's address where it should have been
        // translated (conntrack could not track it) does not leave.
        var untranslated: [NftEntry] = []
        for f in [IPFamily.ipv4, .ipv6] {
            rule(Sets.masquerade(f), [.inSet([.saddr(f), .oifname], set: Sets.masquerade(f))], .drop, into: &untranslated)
            rule(Sets.masqueradeAny(f), [outNotGuest, .inSet([.saddr(f)], set: Sets.masqueradeAny(f))], .drop, into: &untranslated)
        }

        // The host's own services, for the networks that list them: what
        // serving the guests needs, the listed ports, nothing else.
        var input: [NftEntry] = []
        // A fleet's overlays: each VNI's VXLAN only from its other members'
        // VTEPs, at this member's VTEP; any other VXLAN is dropped.
        let overlays = t.networks.compactMap(\.guest?.overlay).sorted { $0.vni < $1.vni }
        if !overlays.isEmpty {
            input.append(.comment("VXLAN: each overlay's VNI from its other members' VTEPs only"))
            for o in overlays where !o.remotes.isEmpty {
                let family = o.local.family
                input.append(.rule(NftRule([.iifname(.eq, .names([o.vtep])), .saddr(family, o.remotes.map { CIDR(address: $0, prefix: family.bits) }),
                                            .udpDport([OverlayLink.port]), .vxlanVNI(o.vni)], .accept)))
            }
            input.append(.rule(NftRule([.udpDport([OverlayLink.port])], .drop)))
        }
        if present.contains(Sets.hostRestricted) {
            let restricted = NftMatch.iifname(.eq, .set(Sets.hostRestricted))
            input.append(.comment("DHCP, DHCPv6, DNS, ping, router and neighbour discovery, replies"))
            input.append(.rule(NftRule([restricted, .ctStateEstablishedRelated], .accept)))
            input.append(.rule(NftRule([restricted, .udpDport([67, 547])], .accept)))
            input.append(.rule(NftRule([restricted, .anyDport([.tcp, .udp], 53)], .accept)))
            input.append(.rule(NftRule([restricted, .icmpType(.ipv4, ["echo-request"])], .accept)))
            input.append(.rule(NftRule([restricted, .icmpType(.ipv6, ["echo-request", "nd-router-solicit", "nd-neighbor-solicit",
                                                                        "nd-neighbor-advert"])], .accept)))
            for p in Proto.allCases {
                rule(Sets.hostServices(p), [.inSet([.iifname, .dport(p)], set: Sets.hostServices(p))], .accept, into: &input)
            }
            input.append(.rule(NftRule([restricted], .reject)))
        }

        var chains = [
            NftChain(name: "forward", hook: .init(type: "filter", hook: "forward", priority: "filter"), entries: forward),
            NftChain(name: "prerouting", hook: .init(type: "nat", hook: "prerouting", priority: "dstnat"), entries: prerouting),
            NftChain(name: "output", hook: .init(type: "nat", hook: "output", priority: "-100"), entries: output),
            // Ahead of other tables' source NAT at the usual priority: the
            // first NAT rule to match a connection decides its translation,
            // so a masquerade loaded later cannot take netc's over.
            NftChain(name: "postrouting", hook: .init(type: "nat", hook: "postrouting", priority: "srcnat - 1"), entries: postrouting),
        ]
        if !input.isEmpty {
            chains.append(NftChain(name: "input", hook: .init(type: "filter", hook: "input", priority: "filter"), entries: input))
        }
        if !untranslated.isEmpty {
            chains.append(NftChain(name: "untranslated", hook: .init(type: "filter", hook: "postrouting", priority: "srcnat + 1"),
                                   entries: untranslated))
        }
        var ruleset = NftRuleset(header: header, sets: sets, chains: chains)
        ruleset.bridge = bridgeTable(e)
        return ruleset
    }

    /// `table bridge netc`: frames as they enter any bridge, before the
    /// bridge forwards them to another guest or passes them up to the host,
    /// checked against addresses only netc's networks have (the host's
    /// own frames leave by the output hook and are not seen here). No guest
    /// claims a gateway's address; a locked reservation's address comes
    /// only from its MAC. Bridges are not told apart (the test machines'
    /// kernel has no `meta ibrname`): every rule is keyed on an address of
    /// a netc network, which no other bridge's frames may carry.
    static func bridgeTable(_ e: Elements) -> NftBridgeTable? {
        var sets: [NftSet] = []
        func set(_ name: String, _ type: [NftType], _ comment: String) {
            let elements = e.of(name)
            guard !elements.isEmpty else { return }
            sets.append(NftSet(comment: comment, name: name, type: type, elements: elements))
        }
        set(Sets.gateways(.ipv4), [.ipv4], "The host's addresses on guest bridges: no frame entering a bridge claims them.")
        set(Sets.gateways(.ipv6), [.ipv6], "The host's IPv6 addresses on guest bridges.")
        set(Sets.reserved, [.ipv4], "Reserved addresses of networks that lock them (security.lock_reservations).")
        set(Sets.reservations, [.ipv4, .ether], "Each locked reservation: its address . its MAC.")
        set(Sets.overlayLinks, [.ifname], "The VXLAN links of the fleet's overlays.")
        set(Sets.anycastMACs, [.ether], "The overlays' anycast gateway MACs, the same on every member.")
        set(Sets.overlayGateways, [.ipv4], "The overlays' IPv4 gateways.")
        set(Sets.overlayGatewayGroups, [.ipv6], "The solicited-node groups of the overlays' IPv6 gateways.")
        let present = Set(sets.map(\.name))
        var rules: [NftEntry] = []
        // What each member's gateway serves stays on its own bridge: its
        // frames, requests for it, DHCP and router discovery never cross a
        // VXLAN link, either way.
        var local: [NftRule] = []
        if present.contains(Sets.overlayLinks) {
            local.append(NftRule([.inSet([.etherSaddr], set: Sets.anycastMACs)], .drop))
            local.append(NftRule([.udpDport([67, 68, 546, 547])], .drop))
            local.append(NftRule([.icmpType(.ipv6, ["nd-router-solicit", "nd-router-advert"])], .drop))
            if present.contains(Sets.overlayGateways) { local.append(NftRule([.inSet([.arpDaddrIP], set: Sets.overlayGateways)], .drop)) }
            if present.contains(Sets.overlayGatewayGroups) { local.append(NftRule([.inSet([.ip6Daddr], set: Sets.overlayGatewayGroups)], .drop)) }
        }
        func through(_ m: NftMatch) -> [NftEntry] { local.map { .rule(NftRule([m] + $0.matches, $0.statement)) } }
        if !local.isEmpty {
            rules.append(.comment("from an overlay's VXLAN link: another member's gateway, DHCP, router discovery, requests for the gateway"))
            rules += through(.iifname(.eq, .set(Sets.overlayLinks)))
        }
        if present.contains(Sets.gateways(.ipv4)) {
            rules.append(.comment("a guest claiming a gateway's address: ARP poisoning of its neighbours, a rogue router"))
            rules.append(.rule(NftRule([.inSet([.arpSaddrIP], set: Sets.gateways(.ipv4))], .drop)))
            rules.append(.rule(NftRule([.inSet([.ipSaddr], set: Sets.gateways(.ipv4))], .drop)))
        }
        if present.contains(Sets.gateways(.ipv6)) {
            rules.append(.rule(NftRule([.inSet([.ip6Saddr], set: Sets.gateways(.ipv6))], .drop)))
        }
        if present.contains(Sets.reserved) {
            rules.append(.comment("a reserved address from another MAC: a guest taking over a reservation (and its forwards)"))
            rules.append(.rule(NftRule([.inSet([.arpSaddrIP], set: Sets.reserved),
                                        .notInSet([.arpSaddrIP, .arpSaddrEther], set: Sets.reservations)], .drop)))
            rules.append(.rule(NftRule([.inSet([.ipSaddr], set: Sets.reserved),
                                        .notInSet([.ipSaddr, .etherSaddr], set: Sets.reservations)], .drop)))
        }
        guard !rules.isEmpty else { return nil }
        var chains = [NftChain(name: "guard", hook: .init(type: "filter", hook: "prerouting", priority: "filter"), entries: rules)]
        if !local.isEmpty {
            chains.append(NftChain(name: "overlay_out", hook: .init(type: "filter", hook: "forward", priority: "filter"),
                                   entries: [.comment("a guest's DHCP, router discovery and requests for the gateway stay on its member")]
                                       + through(.oifname(.eq, .set(Sets.overlayLinks)))))
            chains.append(NftChain(name: "overlay_host", hook: .init(type: "filter", hook: "output", priority: "filter"),
                                   entries: [.comment("the gateway's own frames stay on its member")]
                                       + through(.oifname(.eq, .set(Sets.overlayLinks)))))
        }
        return NftBridgeTable(sets: sets, chains: chains)
    }

    /// The solicited-node multicast group of an IPv6 address (ff02::1:ffXX:XXXX):
    /// where neighbour solicitations for it go.
    static func solicitedNode(_ a: IPAddress) -> IPAddress {
        IPAddress(family: .ipv6, value: (UInt128(0xff02) << 112) | (UInt128(0x1_ff00_0000)) | (a.value & 0xff_ffff))
    }

    /// One network's elements, and its forwards' DNAT rules.
    static func collect(_ n: Network, in t: Topology, guestBridges: [String], into e: inout Elements,
                        prerouting: inout [NftEntry], output: inout [NftEntry]) {
        switch n.kind {
        case .macvtap:
            return
        case .lan(let lan):
            // The host's LAN: only say that its own traffic passes (bridged
            // frames cross the forward hook where br_netfilter is loaded).
            e.add(Sets.bridgePairs, [.ifname(lan.bridge.name), .ifname(lan.bridge.name)])
            if !t[lan.uplink].forwarding { e.add(Sets.hostLinks, [.ifname(lan.bridge.name)]) }
        case .guest(let g):
            collect(n.name, g, in: t, guestBridges: guestBridges, into: &e, prerouting: &prerouting, output: &output)
        }
    }

    /// A guest network's elements: what its routing lets out and in
    /// (`GuestNetwork`'s policy), its peers, its forwards.
    static func collect(_ name: String, _ g: GuestNetwork, in t: Topology, guestBridges: [String], into e: inout Elements,
                        prerouting: inout [NftEntry], output: inout [NftEntry]) {
        let bridge = g.bridge.name
        e.add(Sets.bridgePairs, [.ifname(bridge), .ifname(bridge)])
        if let services = g.hostServices {
            e.add(Sets.hostRestricted, [.ifname(bridge)])
            for s in services { e.add(Sets.hostServices(s.proto), [.ifname(bridge), .ports(s.port)]) }
        }
        for f in g.families {
            e.add(Sets.sourceSubnets(f.family), [.ifname(bridge), .prefix(f.subnet)])
            e.add(Sets.guestSubnets(f.family), [.prefix(f.subnet)])
            e.add(Sets.gateways(f.family), [.address(f.gateway)])
        }
        if let o = g.overlay {
            e.add(Sets.overlayLinks, [.ifname(o.device)])
            e.add(Sets.anycastMACs, [.mac(o.anycastMAC)])
            if let v4 = g.ipv4 { e.add(Sets.overlayGateways, [.address(v4.gateway)]) }
            if let v6 = g.ipv6 { e.add(Sets.overlayGatewayGroups, [.address(solicitedNode(v6.gateway))]) }
        }
        if g.security.lockReservations, let v4 = g.ipv4 {
            for r in v4.reservations {
                e.add(Sets.reserved, [.address(r.ip)])
                e.add(Sets.reservations, [.address(r.ip), .mac(r.mac)])
            }
        }
        // Peering is symmetric in the model: each side adds its direction.
        let peers = g.peers.compactMap { t[$0].bridge?.name }.sorted()
        for p in peers { e.add(Sets.peerPairs, [.ifname(bridge), .ifname(p)]) }

        guard let egress = g.egress else { return }
        let out = t.name(of: egress)
        // New connections let in to `guests` (a subnet, or one guest):
        // from these sources of the family (none: any), to this port.
        func letIn(_ proto: Proto, _ family: IPFamily, port: PortRange, from: [CIDR], to guests: CIDR) {
            let sources = from.filter { $0.address.family == family }
            if !from.isEmpty && sources.isEmpty { return }   // only sources of the other family
            for source in sources.isEmpty ? [CIDR(address: IPAddress(family: family, value: 0), prefix: 0)] : sources {
                let key: [NftValue] = [.prefix(source), .prefix(guests), .ports(port)]
                if let out { e.add(Sets.inboundListed(proto, family), [.ifname(out)] + key) }
                else { e.add(Sets.inboundListedAny(proto, family), [.ifname(bridge)] + key) }
            }
        }
        for f in g.families {
            let b = NftValue.ifname(bridge), s = NftValue.prefix(f.subnet)
            if let out { e.add(Sets.egress(f.family), [b, s, .ifname(out)]) } else { e.add(Sets.egressAny(f.family), [b, s]) }
            switch g.inbound {
            case .replies?:
                if let out { e.add(Sets.replies(f.family), [.ifname(out), b, s]) } else { e.add(Sets.repliesAny(f.family), [b, s]) }
            case .connections?:
                if let out { e.add(Sets.inbound(f.family), [.ifname(out), b, s]) } else { e.add(Sets.inboundAny(f.family), [b, s]) }
            case .listed(let flows)?:
                // Replies to the guests' own connections, and the listed
                // new ones (from their sources, or any of the family).
                if let out { e.add(Sets.replies(f.family), [.ifname(out), b, s]) } else { e.add(Sets.repliesAny(f.family), [b, s]) }
                for flow in flows { letIn(flow.proto, f.family, port: flow.port, from: flow.from, to: f.subnet) }
            case nil:
                break
            }
            if g.masquerades(f) {
                e.add(Sets.ownSubnet(f.family), [s, s])
                if let out { e.add(Sets.masquerade(f.family), [s, .ifname(out)]) } else { e.add(Sets.masqueradeAny(f.family), [s]) }
            }
        }

        // IPv6 forwards: the listed connections let in to one guest's own
        // routed address and port, as a route network's inbound list.
        for f in g.forwards where !f.translates {
            letIn(f.proto, .ipv6, port: f.port, from: f.from, to: CIDR(address: f.target, prefix: 128))
        }

        // IPv4 port forwards: DNAT at every local address (from outside and
        // from the network itself and its peers in prerouting, from the host
        // in output), accept the DNAT'ed traffic, masquerade hairpin
        // traffic. Guests of other networks are not DNAT'ed: they keep
        // reaching the host's own services on those ports.
        guard let v4 = g.ipv4 else { return }
        let others = guestBridges.contains { $0 != bridge && !peers.contains($0) }
        for f in g.forwards where f.translates {
            let target = f.reservation.map { "\($0) (\(f.target))" } ?? "\(f.target)"
            let label = "\(f.proto.rawValue) \(NftPrinter.ports(f.port)) -> \(target):\(NftPrinter.ports(f.targetPort))"
            let source: [NftMatch] = f.from.isEmpty ? [] : [.saddr(.ipv4, f.from)]
            let dnat = NftRule(source + [.fibDaddrLocal, .dport(f.proto, f.port)],
                               .dnat(NftDNAT(proto: f.proto, port: f.port, target: f.target, targetPort: f.targetPort)))
            prerouting.append(.comment("network \(name): \(label)"))
            if others {
                prerouting.append(.rule(NftRule([.iifname(.ne, .set(Self.guestBridges))] + dnat.matches, dnat.statement)))
                prerouting.append(.rule(NftRule([.iifname(.eq, .names([bridge] + peers))] + dnat.matches, dnat.statement)))
            } else {
                prerouting.append(.rule(dnat))
            }
            // From the host itself: never loopback (a service on the host's
            // 127.0.0.1 keeps its port, and a DNAT'ed packet from 127.0.0.1
            // could not be routed anyway), and without `from`, which limits
            // sources outside the host.
            output.append(.comment("network \(name): \(label), from the host itself"))
            output.append(.rule(NftRule([.fibDaddrLocal, .daddrNot(.ipv4, [Self.loopback]), .dport(f.proto, f.port)], dnat.statement)))
            let guest: [NftValue] = [.address(f.target), .ports(f.targetPort)]
            e.add(Sets.forwarded(f.proto), [.ifname(bridge)] + guest)
            e.add(Sets.hairpin(f.proto), [.ifname(bridge), .prefix(v4.subnet)] + guest)
        }
    }
}
