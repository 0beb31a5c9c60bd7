// Networks by mode, uplinks, and addressing (E2xx, E3xx, E40x, W701, W702).

/// Special-purpose ranges that cannot be subnets (E208).
let specialRanges: [(CIDR, String)] = [
    (CIDR("0.0.0.0/8")!, "0.0.0.0/8 (this network)"),
    (CIDR("127.0.0.0/8")!, "127.0.0.0/8 (loopback)"),
    (CIDR("169.254.0.0/16")!, "169.254.0.0/16 (link-local)"),
    (CIDR("224.0.0.0/4")!, "224.0.0.0/4 (multicast)"),
    (CIDR("240.0.0.0/4")!, "240.0.0.0/4 (reserved)"),
    (CIDR("::/128")!, "::/128 (unspecified)"),
    (CIDR("::1/128")!, "::1/128 (loopback)"),
    (CIDR("fe80::/10")!, "fe80::/10 (link-local)"),
    (CIDR("ff00::/8")!, "ff00::/8 (multicast)"),
]

/// IPv6 unique-local addresses (W702).
let uniqueLocal = CIDR("fc00::/7")!

/// IPv6 link-local addresses: a route's gateway there is on every link.
let linkLocal = CIDR("fe80::/10")!

extension Checks {
    mutating func checkNetwork(_ n: NetworkSyntax) {
        guard let mode = n.mode?.value else { return checkNetworkOfUnknownMode(n) }
        let name = n.name.value
        let inMode = { "in \(mode.rawValue) mode (network '\(name)')" }
        let rules = ModeRules.of(mode)
        for (key, presence) in rules.keys {
            switch presence {
            case .required: required(n.keys, key, inMode())
            case .forbidden: notAllowed(n.keys, key, inMode())
            case .optional: break
            }
        }
        if !rules.forwards, let r = n.keys["forwards"] {
            bag.add(.forwardsOnNATOnly(name, mode.rawValue), at: r)
        }
        if rules.needsAddressing, n.keys["ipv4"] == nil, n.keys["ipv6"] == nil {
            bag.add(.networkNeedsGuestAddressing(mode.rawValue, name), at: n.keys.mapping)
        }
        if let u = n.uplink { checkUplink(u, of: n, mode: mode) }
        checkAddressingAndMTU(n, mode: mode)
        if mode == .bridge, let b = n.bridge {
            checkRoutes(n.routes, link: b.value, ipv4: n.ipv4?.host, ipv6: n.ipv6?.host)
        }
        if rules.served { checkServing(n) }
        checkPeers(n, mode: mode)
        checkForwards(n)
    }

    /// A network whose `mode` is not one of the words (said once, E007):
    /// what holds in every mode is still checked (the uplink is a link of
    /// the topology, addressing, MTU, forwards); nothing that depends on
    /// the mode, so that a guess adds no error of its own.
    mutating func checkNetworkOfUnknownMode(_ n: NetworkSyntax) {
        if let u = n.uplink { _ = checkUplinkIsDeclared(u, mode: nil) }
        checkAddressingAndMTU(n, mode: nil)
        checkForwards(n)
    }

    /// What holds in every mode: each family's addressing, and an MTU IPv6
    /// can use. `mode` nil: unknown (what depends on it is left unchecked).
    mutating func checkAddressingAndMTU(_ n: NetworkSyntax, mode: NetworkMode?) {
        let name = n.name.value
        for (a, family) in [(n.ipv4, IPFamily.ipv4), (n.ipv6, .ipv6)] {
            switch a {
            case .guest(let g)?: checkGuestAddressing(g, family: family, network: n, mode: mode)
            case .host(let h)?: checkHostAddressing(h, family: family, owner: "network '\(name)'")
            case .unread?, nil: break
            }
        }
        if let mtu = n.mtu, mtu.value < 1280, n.ipv6 != nil {
            bag.add(.networkMTUBelowIPv6Minimum(mtu.value, name), at: mtu.range)
        }
    }

    /// A nat or route uplink names a declared interface or bridge-mode
    /// bridge; false (said) when it does not. A guest bridge named as
    /// uplink is said only for a known mode.
    mutating func checkUplinkIsDeclared(_ u: Located<String>, mode: NetworkMode?) -> Bool {
        guard interfaces[u.value] == nil, lanBridges[u.value] == nil else { return true }
        if networks.values.contains(where: { $0.bridge?.value == u.value }) {
            if let mode { bag.add(.uplinkIsGuestBridge(u.value, mode.rawValue), at: u.range) }
        } else {
            let names = Array(interfaces.keys) + Array(lanBridges.keys)
            bag.add(.undeclaredUplink(u.value, Suggest.didYouMean(u.value, in: names)), at: u.range)
        }
        return false
    }

    /// `served_by` and `domain`: what the chosen server can do.
    mutating func checkServing(_ n: NetworkSyntax) {
        let name = n.name.value
        if let d = n.domain, let p = NameRules.domainNameProblem(d.value) {
            bag.add(.badDomain(d.value, name, p), at: d.range)
        }
        let hasAddressing = n.keys["ipv4"] != nil || n.keys["ipv6"] != nil
        if let s = n.servedBy, s.value == .libvirt, !hasAddressing {
            bag.add(.libvirtNeedsAddressing(name), at: s.range)
        }
        let server = n.servedBy?.value ?? Defaults.servedBy(hasAddressing: hasAddressing)
        if server == .networkd, let r = n.keys["dns_hosts"], !n.dnsHosts.isEmpty {
            bag.add(.dnsHostsNeedLibvirt(name), at: r)
        }
        for h in n.dnsHosts {
            if let p = NameRules.domainNameProblem(h.name.value) { bag.add(.badDNSHostName(h.name.value, name, p), at: h.name.range) }
        }
        if server == .libvirt, case .guest(let g)? = n.ipv6, let ra = g.ra, !ra.value {
            bag.add(.raFalseNeedsNetworkd(name), at: ra.range)
        }
        if server == .networkd, case .guest(let g)? = n.ipv6, let r = g.keys["dhcp"] {
            bag.add(.dhcpv6NeedsLibvirt(name), at: r)
        }
        if server == .networkd, case .guest(let g)? = n.ipv4 {
            if let second = g.moreDHCP.first {
                bag.add(.severalRangesNeedLibvirt(name), at: second.keys.mapping)
            }
            if g.dhcp == nil, let r = g.keys["reservations"], !g.reservations.isEmpty {
                bag.add(.reservationsWithoutDHCPNeedLibvirt(name), at: r)
            }
            for r in g.reservations {
                bag.add(.networkdReservation(r.name.value), at: r.name.range)
            }
        }
    }

    mutating func checkUplink(_ u: Located<String>, of n: NetworkSyntax, mode: NetworkMode) {
        switch mode {
        case .bridge, .macvtap:
            guard let i = resolveInterface(u, what: "uplink") else { return }
            if mode == .macvtap, let claim = enslavedBy[u.value] {
                bag.add(.macvtapUplinkEnslaved(u.value, n.name.value, claim.by), at: u.range,
                        notes: [DiagnosticNote("enslaved here", at: claim.range), DiagnosticNote("'\(u.value)' declared here", at: i.name.range)])
            }
            // The host's own NIC or bond taken over by a bridge without a
            // host address (a guest-only bridge is on a VLAN).
            if mode == .bridge, n.ipv4 == nil, n.ipv6 == nil, !i.kindUnknown, i.effectiveKind != .vlan, let b = n.bridge {
                bag.add(.bridgeWithoutHostAddress(n.name.value, b.value, u.value), at: u.range)
            }
        case .nat, .route:
            guard checkUplinkIsDeclared(u, mode: mode) else { return }
            if let claim = enslavedBy[u.value] {
                let use = claim.by.isBond ? "the bond" : "the bridge"
                bag.add(.uplinkIsPort(u.value, claim.by, use), at: u.range,
                        notes: [DiagnosticNote("enslaved here", at: claim.range)])
                return
            }
            checkEgressFamilies(u, of: n, mode: mode)
        case .isolated:
            break
        }
    }

    /// A nat or route network's families leave by its uplink. A family the
    /// uplink has turned off (`ipv6: false`) is E406. An uplink without an
    /// address of a family the network masquerades (nat), or without a
    /// static one of a family it routes (route: upstream routes the guests'
    /// subnet to it), is W705: the address may come from elsewhere (an
    /// imported topology not yet completed, W802).
    mutating func checkEgressFamilies(_ u: Located<String>, of n: NetworkSyntax, mode: NetworkMode) {
        // The uplink's host addressing: an interface's, or a bridge-mode network's.
        let v4: HostAddressingSyntax?, v6: HostAddressingSyntax?, declared: SourceRange
        if let i = interfaces[u.value] {
            (v4, v6, declared) = (i.ipv4, i.ipv6, i.name.range)
        } else if let lan = lanBridges[u.value] {
            (v4, v6, declared) = (lan.ipv4?.host, lan.ipv6?.host, lan.name.range)
        } else {
            return
        }
        let note = [DiagnosticNote("'\(u.value)' declared here", at: declared)]
        let verb = mode == .nat ? "masquerades" : "routes"
        let guest4 = n.ipv4?.isGuest ?? false
        var guest6 = n.ipv6?.isGuest ?? false
        if guest6, let off = v6?.disabled {
            bag.add(.egressWithoutFamily(n.name.value, verb, "IPv6", u.value), at: u.range,
                    notes: [DiagnosticNote("IPv6 turned off here", at: off)])
            guest6 = false
        }
        func isStatic(_ h: HostAddressingSyntax?) -> Bool { if case .cidr? = h?.address?.value { true } else { false } }
        let missing: String?
        switch mode {
        case .nat:
            missing = guest4 && v4?.address == nil ? "IPv4" : nil
        case .route:
            missing = guest4 && !isStatic(v4) ? "IPv4" : guest6 && !isStatic(v6) ? "IPv6" : nil
        case .isolated, .bridge, .macvtap:
            missing = nil
        }
        if let family = missing {
            bag.add(.egressWithoutAddress(n.name.value, verb, family, u.value, mode == .route ? "static " : ""), at: u.range, notes: note)
        }
    }

    // MARK: Addressing

    mutating func checkFamily(_ a: Located<IPAddress>, _ family: IPFamily, what: String) -> Bool {
        guard a.value.family == family else {
            bag.add(.wrongFamily(what, a.value, a.value.family == .ipv4 ? "IPv4" : "IPv6", family.rawValue), at: a.range)
            return false
        }
        return true
    }

    mutating func checkSpecial(_ c: Located<CIDR>, what: String) -> Bool {
        for (range, label) in specialRanges where range.overlaps(c.value) {
            bag.add(.specialPurposeRange(what, c.value, label), at: c.range)
            return false
        }
        return true
    }

    /// A link's own addressing: each static address (the primary and the
    /// rest of an `address` list), the gateway inside the subnet of one of
    /// them, the search domains.
    mutating func checkHostAddressing(_ h: HostAddressingSyntax, family: IPFamily, owner: @autoclosure () -> String) {
        var valid: [Located<CIDR>] = []
        for a in h.staticAddresses {
            let c = a.value
            guard checkFamily(Located(c.address, a.range), family, what: "address"), checkSpecial(a, what: "address") else { continue }
            if c.isNetworkOrBroadcast(c.address) {
                bag.add(.addressIsNetworkOrBroadcast(c, owner(), c.address == c.network ? "network" : "broadcast"), at: a.range)
            } else {
                valid.append(a)
            }
        }
        if let g = h.gateway {
            if case .dhcp? = h.address?.value {
                bag.add(.gatewayWithDHCP, at: h.keys["gateway"]!)
            } else if checkFamily(g, family, what: "gateway"), let primary = valid.first {
                if let c = valid.first(where: { $0.value.contains(g.value) })?.value {
                    if c.isNetworkOrBroadcast(g.value) || valid.contains(where: { $0.value.address == g.value }) {
                        let what = valid.contains(where: { $0.value.address == g.value }) ? "the host's own address"
                            : g.value == c.network ? "the network address" : "the broadcast address"
                        bag.add(.gatewayIsReserved(g.value, what, c.subnet), at: g.range)
                    }
                } else {
                    bag.add(.gatewayOutsideAddressSubnet(g.value, primary.value.subnet, primary.value), at: g.range,
                            notes: [DiagnosticNote("address of \(owner()) declared here", at: primary.range)])
                }
            }
        }
        for d in h.search {
            if let p = NameRules.domainNameProblem(d.value) { bag.add(.badSearchDomain(d.value, owner(), p), at: d.range) }
        }
    }

    /// A link's static routes: `via` of the route's family and on the link
    /// (inside the subnet of one of its static addresses, or IPv6
    /// link-local), a default route with a `via`, no route twice.
    mutating func checkRoutes(_ routes: [RouteSyntax], link: String, ipv4: HostAddressingSyntax?, ipv6: HostAddressingSyntax?) {
        var seen: [String: SourceRange] = [:]
        for r in routes {
            guard let to = r.to else { continue }
            var family: IPFamily?
            if case .cidr(let c) = to.value { family = c.address.family }
            if let via = r.via {
                if let f = family {
                    guard checkFamily(via, f, what: "'via'") else { continue }
                }
                let f = via.value.family
                let addressing = f == .ipv4 ? ipv4 : ipv6
                let onLink = f == .ipv6 && linkLocal.contains(via.value)
                    || (addressing?.disabled == nil && (addressing?.staticAddresses ?? []).contains { $0.value.subnet.contains(via.value) })
                if !onLink {
                    let shown: String
                    switch to.value { case .defaultRoute: shown = "default"; case .cidr(let c): shown = c.description }
                    bag.add(.routeGatewayOffLink(via.value, shown, link), at: via.range)
                }
                family = f
            } else if to.value == .defaultRoute {
                bag.add(.defaultRouteWithoutGateway, at: to.range)
                continue
            }
            let shown: String
            switch to.value { case .defaultRoute: shown = "default (\(family?.rawValue ?? ""))"; case .cidr(let c): shown = c.subnet.description }
            let key = "\(shown) table \(r.table?.value ?? 254) metric \(r.metric?.value ?? 0)"
            if let first = seen[key] {
                bag.add(.routeTwice(shown, link), at: to.range, notes: [DiagnosticNote("first given here", at: first)])
            } else {
                seen[key] = to.range
            }
        }
    }

    /// `mode` nil: a mode that is not one of the words (what depends on it
    /// is left unchecked).
    mutating func checkGuestAddressing(_ g: GuestAddressingSyntax, family: IPFamily, network n: NetworkSyntax, mode: NetworkMode?) {
        guard let s = g.subnet else { return }
        let subnet = s.value
        let subnetNote = DiagnosticNote("subnet of network '\(n.name.value)' declared here", at: s.range)
        guard checkFamily(Located(subnet.address, s.range), family, what: "subnet") else { return }
        if subnet.hasHostBits {
            bag.add(.subnetHasHostBits(subnet, subnet.subnet), at: s.range)
            return
        }
        guard checkSpecial(s, what: "subnet") else { return }
        // Room for the network address, the gateway, a guest (and the IPv4
        // broadcast address): two host bits at least.
        if family.bits - subnet.prefix < 2 {
            bag.add(.subnetTooSmall(subnet, family.bits - 2), at: s.range)
            return
        }
        let gw = g.effectiveGateway!
        if let gl = g.gateway, checkFamily(gl, family, what: "gateway") {
            if !subnet.contains(gl.value) {
                bag.add(.gatewayOutsideSubnet(gl.value, subnet), at: gl.range, notes: [subnetNote])
            } else if subnet.isNetworkOrBroadcast(gl.value) {
                bag.add(.gatewayIsNetworkOrBroadcast(gl.value, gl.value == subnet.network ? "network" : "broadcast", subnet), at: gl.range, notes: [subnetNote])
            }
        }
        for d in g.dns { _ = checkFamily(d, family, what: "resolver") }
        if family == .ipv6 {
            let ra = g.ra?.value ?? Defaults.ra
            if ra, subnet.prefix != 64 {
                let at = g.ra?.range ?? s.range
                bag.add(.raNeedsSlash64(subnet, subnet.prefix), at: at,
                        notes: g.ra == nil ? [] : [subnetNote])
            }
            if let mode {
                let masquerades = ModeRules.of(mode).masquerades
                if !masquerades, let r = g.keys["nat"] {
                    bag.add(.natOnlyOnNATNetworks(n.name.value, mode.rawValue), at: r)
                }
                if masquerades, g.nat?.value != true, uniqueLocal.overlaps(subnet) {
                    bag.add(.uniqueLocalWithoutNAT(subnet), at: s.range)
                }
            }
        }
        // Each range of `dhcp` (one, or a list): inside the subnet, in
        // order, not holding the gateway, network or broadcast address, and
        // no two overlapping.
        var ranges: [(range: ClosedRange<UInt128>, text: String, at: SourceRange)] = []
        for d in [g.dhcp].compactMap({ $0 }) + g.moreDHCP {
            guard let a = d.start, let b = d.end, checkFamily(a, family, what: "dhcp.start"), checkFamily(b, family, what: "dhcp.end") else { continue }
            var ok = true
            for x in [a, b] where !subnet.contains(x.value) {
                bag.add(.dhcpAddressOutsideSubnet(x.value, subnet), at: x.range, notes: [subnetNote])
                ok = false
            }
            if ok, a.value > b.value {
                bag.add(.dhcpRangeReversed(a.value, b.value), at: a.range)
                ok = false
            }
            guard ok else { continue }
            let r = a.value.value...b.value.value
            for (addr, what) in [(gw, "the gateway"), (subnet.network, "the network address"), (subnet.last, "the broadcast address")]
            where r.contains(addr.value) && (what != "the broadcast address" || family == .ipv4) {
                bag.add(.dhcpRangeHolds(a.value, b.value, what, addr), at: a.range,
                        notes: g.gateway.map { [DiagnosticNote("gateway declared here", at: $0.range)] } ?? [])
                ok = false
                break
            }
            guard ok else { continue }
            let text = "\(a.value)-\(b.value)"
            if let first = ranges.first(where: { $0.range.overlaps(r) }) {
                bag.add(.dhcpRangesOverlap(text, first.text), at: a.range, notes: [DiagnosticNote("range \(first.text) declared here", at: first.at)])
                continue
            }
            ranges.append((r, text, a.range))
        }
        if let boot = g.dhcp?.boot {
            if let f = boot.file {
                let bad = f.value.isEmpty || f.value.count > 128 || f.value.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || "'\"\\".unicodeScalars.contains($0) }
                if bad { bag.add(.badBootFile(f.value, n.name.value), at: f.range) }
            }
            if let s = boot.server { _ = checkFamily(s, family, what: "boot.server") }
        }
        for r in g.reservations {
            if let p = NameRules.networkNameProblem(r.name.value) {
                bag.add(.badReservationName(r.name.value, p), at: r.name.range)
            }
        }
        var macs: [MACAddress: Located<String>] = [:]
        var ips: [IPAddress: Located<String>] = [:]
        for r in g.reservations {
            if let m = r.mac {
                if let first = macs[m.value] {
                    bag.add(.macAlreadyReserved(m.value, first.value), at: m.range,
                            notes: [DiagnosticNote("reservation '\(first.value)' declared here", at: first.range)])
                } else {
                    macs[m.value] = r.name
                }
            }
            guard let ip = r.ip, checkFamily(ip, family, what: "reservation address") else { continue }
            if !subnet.contains(ip.value) || subnet.isNetworkOrBroadcast(ip.value) {
                bag.add(.reservationNotGuestAddress(ip.value, subnet), at: ip.range, notes: [subnetNote])
            } else if ip.value == gw {
                bag.add(.reservationIsGateway(ip.value, n.name.value), at: ip.range)
            } else if let first = ips[ip.value] {
                bag.add(.addressAlreadyReserved(ip.value, first.value), at: ip.range,
                        notes: [DiagnosticNote("reservation '\(first.value)' declared here", at: first.range)])
            } else {
                ips[ip.value] = r.name
                if ranges.contains(where: { $0.range.contains(ip.value.value) }) {
                    bag.add(.reservationInDHCPRange(ip.value), at: ip.range)
                }
            }
        }
    }
}
