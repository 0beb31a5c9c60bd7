/// Peers (E601) and port forwards (E205, E501-E505, W703).
extension Checks {
    // MARK: Peers (E601)

    mutating func checkPeers(_ n: NetworkSyntax, mode: NetworkMode) {
        guard ModeRules.of(mode).peers else { return }
        for p in n.peers {
            guard let peer = networks[p.value] else {
                bag.add(.unknownPeer(p.value, Suggest.didYouMean(p.value, in: networks.keys)), at: p.range)
                continue
            }
            if p.value == n.name.value {
                bag.add(.peersWithItself(p.value), at: p.range)
                continue
            }
            // A peer is routed to: it needs guest addressing.
            let routed = peer.mode.map { ModeRules.of($0.value).addressing == .guest } ?? false
            let hasSubnet = [peer.ipv4, peer.ipv6].contains { if case .guest(let g)? = $0 { g.subnet != nil } else { false } }
            if !routed || !hasSubnet {
                bag.add(.peerNotRouted(p.value, peer.mode?.value.rawValue ?? "?", hasSubnet ? "" : " without guest addressing"), at: p.range,
                        notes: [DiagnosticNote("network '\(p.value)' declared here", at: peer.name.range)])
            }
        }
    }

    // MARK: Forwards (E205, E501-E505, W703)

    mutating func checkForwards(_ n: NetworkSyntax) {
        guard let mode = n.mode?.value, ModeRules.of(mode).forwards else { return }
        func guest(_ a: NetworkAddressingSyntax?) -> (GuestAddressingSyntax, CIDR)? {
            if case .guest(let g)? = a, let s = g.subnet?.value { (g, s) } else { nil }
        }
        let v4 = guest(n.ipv4), v6 = guest(n.ipv6)
        var toldNoIPv4 = false
        for f in n.forwards {
            if let p = f.port, let tp = f.toPort, p.value.count != tp.value.count {
                bag.add(.portRangeLengths(tp.value.low, tp.value.high, tp.value.count, p.value.count), at: tp.range)
            }
            for c in f.from {
                if c.value.hasHostBits {
                    bag.add(.sourceHasHostBits(c.value, c.value.subnet), at: c.range)
                }
            }
            guard let to = f.to else { continue }
            // An IPv6 target: the guest's own routed address, not translated.
            if let a = IPAddress(to.value), a.family == .ipv6 {
                checkIPv6Forward(f, to: Located(a, to.range), n, v6)
                continue
            }
            for c in f.from where c.value.address.family != .ipv4 {
                bag.add(.sourceOfOtherFamily(c.value, "IPv6", "IPv4"), at: c.range)
            }
            guard let (g, subnet) = v4 else {
                if !toldNoIPv4 { bag.add(.forwardsNeedIPv4(n.name.value), at: f.keys.mapping) }
                toldNoIPv4 = true
                continue
            }
            let gw = g.effectiveGateway
            if g.reservations.contains(where: { $0.name.value == to.value }) { continue }
            if let a = IPAddress(to.value) {
                if !subnet.contains(a) {
                    bag.add(.forwardTargetOutsideSubnet(a, subnet, n.name.value), at: to.range,
                            notes: [DiagnosticNote("subnet declared here", at: g.subnet!.range)])
                } else if subnet.isNetworkOrBroadcast(a) || a == gw {
                    let what = a == gw ? "the gateway (the host itself)" : a == subnet.network ? "the network address" : "the broadcast address"
                    bag.add(.forwardTargetReserved(a, what, n.name.value), at: to.range)
                } else {
                    bag.add(.bareForwardTarget(a), at: to.range)
                }
            } else {
                let names = g.reservations.map(\.name.value)
                bag.add(.unknownForwardTarget(to.value, n.name.value, Suggest.didYouMean(to.value, in: names)), at: to.range)
            }
        }
    }

    /// A forward to an IPv6 address (E205, E502, E505): a guest of the
    /// network's routed IPv6, reached at its own address and port.
    mutating func checkIPv6Forward(_ f: ForwardSyntax, to a: Located<IPAddress>, _ n: NetworkSyntax, _ v6: (GuestAddressingSyntax, CIDR)?) {
        for c in f.from where c.value.address.family != .ipv6 {
            bag.add(.sourceOfOtherFamily(c.value, "IPv4", "IPv6"), at: c.range)
        }
        guard let (g, subnet) = v6 else {
            bag.add(.forwardNeedsIPv6Subnet(a.value, n.name.value), at: a.range)
            return
        }
        if !subnet.contains(a.value) {
            bag.add(.forwardTargetOutsideSubnet(a.value, subnet, n.name.value), at: a.range,
                    notes: [DiagnosticNote("subnet declared here", at: g.subnet!.range)])
        } else if a.value == subnet.network || a.value == g.effectiveGateway {
            let what = a.value == subnet.network ? "the subnet-router anycast address" : "the gateway (the host itself)"
            bag.add(.forwardTargetReserved(a.value, what, n.name.value), at: a.range)
        }
        if g.nat?.value == true {
            bag.add(.ipv6ForwardIsTranslated(n.name.value), at: a.range,
                    notes: [DiagnosticNote("'nat: true' here", at: g.nat!.range)])
        }
        if let p = f.port, let tp = f.toPort, p.value != tp.value {
            bag.add(.ipv6ForwardChangesPort(tp.value, p.value), at: tp.range)
        }
    }

    mutating func checkForwardPorts() {
        struct Claim { var proto: Proto; var ports: PortRange; var range: SourceRange }
        var claims: [Claim] = []
        for n in t.networks where n.mode.map({ ModeRules.of($0.value).forwards }) ?? false {
            // A host port is claimed by an IPv4 forward only: an IPv6 one
            // goes to the guest's own address.
            for f in n.forwards where f.to.flatMap({ IPAddress($0.value) })?.family != .ipv6 {
                if let p = f.proto?.value, let port = f.port { claims.append(Claim(proto: p, ports: port.value, range: port.range)) }
            }
        }
        for proto in Proto.allCases {
            let sorted = claims.filter { $0.proto == proto }.sorted { ($0.ports.low, $0.range) < ($1.ports.low, $1.range) }
            var widest: Claim?
            for c in sorted {
                if let w = widest, c.ports.low <= w.ports.high {
                    let (here, other) = w.range < c.range ? (c, w) : (w, c)
                    bag.add(.portForwardedTwice(proto.rawValue, here.ports.low == here.ports.high ? "\(here.ports.low)" : "range \(here.ports.low)-\(here.ports.high)"), at: here.range,
                            notes: [DiagnosticNote("other forward of \(proto.rawValue) \(other.ports.low == other.ports.high ? "\(other.ports.low)" : "\(other.ports.low)-\(other.ports.high)") here", at: other.range)])
                    if c.ports.high > w.ports.high { widest = c }
                } else {
                    widest = c
                }
            }
        }
    }
}
