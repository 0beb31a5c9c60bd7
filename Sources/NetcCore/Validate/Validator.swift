/// Validate stage: semantic checks on the syntax model. Returns diagnostics
/// only; a topology without errors is safe to lower.
public enum Validator {
    public static func validate(_ t: TopologySyntax) -> [Diagnostic] {
        var v = Checks(t: t)
        v.run()
        return v.bag.diagnostics
    }
}

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

struct Checks {
    let t: TopologySyntax
    var bag = DiagnosticBag()

    var interfaces: [String: InterfaceSyntax] = [:]
    var networks: [String: NetworkSyntax] = [:]
    /// Bridges of `bridge`-mode networks, usable as nat/route uplinks.
    var lanBridges: [String: NetworkSyntax] = [:]

    init(t: TopologySyntax) { self.t = t }

    mutating func run() {
        for i in t.interfaces { interfaces[i.name.value] = i }
        for n in t.networks { networks[n.name.value] = n }
        for n in t.networks where n.mode?.value == .bridge {
            if let b = n.bridge { lanBridges[b.value] = n }
        }
        checkNames()
        for i in t.interfaces { checkInterface(i) }
        checkClaims()
        for n in t.networks { checkNetwork(n) }
        checkOverlaps()
        checkForwardPorts()
    }

    // MARK: Names (E101-E103)

    mutating func checkNames() {
        if let h = t.host, let p = NameRules.hostNameProblem(h.value) {
            bag.add(.E101, "host name '\(h.value)' \(p)", at: h.range)
        }
        for i in t.interfaces {
            if let p = NameRules.interfaceNameProblem(i.name.value) {
                bag.add(.E101, "interface name '\(i.name.value)' \(p)", at: i.name.range)
            }
        }
        var bridges: [String: Located<String>] = [:]
        for n in t.networks {
            if let p = NameRules.networkNameProblem(n.name.value) {
                bag.add(.E102, "network name '\(n.name.value)' \(p)", at: n.name.range)
            }
            guard let b = n.bridge else { continue }
            if let p = NameRules.interfaceNameProblem(b.value) {
                bag.add(.E101, "bridge name '\(b.value)' \(p)", at: b.range)
                continue
            }
            if let first = bridges[b.value] {
                bag.add(.E103, "bridge '\(b.value)' is already the bridge of another network", at: b.range,
                        notes: [DiagnosticNote("'\(b.value)' first used here", at: first.range)])
            } else if let i = interfaces[b.value] {
                bag.add(.E103, "bridge '\(b.value)' has the name of a declared interface", at: b.range,
                        notes: [DiagnosticNote("interface '\(b.value)' declared here", at: i.name.range)])
            } else {
                bridges[b.value] = b
            }
        }
    }

    // MARK: Interfaces

    mutating func notAllowed(_ keys: KeyRanges, _ key: String, _ why: String) {
        if let r = keys[key] { bag.add(.E401, "'\(key)' is not allowed \(why)", at: r) }
    }

    mutating func required(_ keys: KeyRanges, _ key: String, _ why: String) {
        if keys[key] == nil, !keys.misspelled.contains(key) { bag.add(.E402, "'\(key)' is required \(why)", at: keys.mapping) }
    }

    mutating func checkInterface(_ i: InterfaceSyntax) {
        let name = i.name.value
        let kind = i.effectiveKind
        if kind != .ethernet { notAllowed(i.keys, "mac", "on a \(kind.rawValue) (only on ethernet)") }
        if kind != .bond {
            notAllowed(i.keys, "members", "on a \(kind.rawValue) (only on a bond)")
            notAllowed(i.keys, "bond_mode", "on a \(kind.rawValue) (only on a bond)")
        }
        if kind != .vlan {
            notAllowed(i.keys, "parent", "on a \(kind.rawValue) (only on a vlan)")
            notAllowed(i.keys, "id", "on a \(kind.rawValue) (only on a vlan)")
        }
        switch kind {
        case .bond:
            required(i.keys, "members", "on bond '\(name)'")
            if i.keys["members"] != nil, i.members.isEmpty {
                bag.add(.E402, "bond '\(name)' needs at least one member", at: i.keys["members"]!)
            }
            var seen: [String: SourceRange] = [:]
            for m in i.members {
                if let first = seen[m.value] {
                    bag.add(.E105, "'\(m.value)' is listed twice as a member of '\(name)'", at: m.range,
                            notes: [DiagnosticNote("first listed here", at: first)])
                    continue
                }
                seen[m.value] = m.range
                guard let member = resolveInterface(m, what: "bond member") else { continue }
                if member.effectiveKind != .ethernet {
                    bag.add(.E106, "bond member '\(m.value)' is a \(member.effectiveKind.rawValue); members must be ethernet interfaces", at: m.range,
                            notes: [DiagnosticNote("'\(m.value)' declared here", at: member.name.range)])
                }
            }
        case .vlan:
            required(i.keys, "parent", "on vlan '\(name)'")
            required(i.keys, "id", "on vlan '\(name)'")
            if let p = i.parent, let parent = resolveInterface(p, what: "VLAN parent") {
                if parent.effectiveKind == .vlan {
                    bag.add(.E106, "VLAN parent '\(p.value)' is itself a vlan; a parent must be an ethernet or a bond", at: p.range,
                            notes: [DiagnosticNote("'\(p.value)' declared here", at: parent.name.range)])
                }
                if let mtu = i.mtu, mtu.value > (parent.mtu?.value ?? 1500) {
                    let pm = parent.mtu.map { "\($0.value)" } ?? "the default 1500"
                    bag.add(.E405, "MTU \(mtu.value) of vlan '\(name)' exceeds its parent's MTU (\(pm))", at: mtu.range,
                            notes: parent.mtu.map { [DiagnosticNote("MTU of '\(p.value)' set here", at: $0.range)] } ?? [])
                }
            }
        case .ethernet:
            break
        }
        if let a = i.ipv4 { checkHostAddressing(a, family: .ipv4, owner: "interface '\(name)'") }
        if let a = i.ipv6 {
            checkHostAddressing(a, family: .ipv6, owner: "interface '\(name)'")
            if let mtu = i.mtu, mtu.value < 1280 {
                bag.add(.E405, "MTU \(mtu.value) of '\(name)' is below 1280, the minimum for IPv6", at: mtu.range)
            }
        }
    }

    mutating func resolveInterface(_ ref: Located<String>, what: String) -> InterfaceSyntax? {
        if let i = interfaces[ref.value] { return i }
        bag.add(.E104, "\(what) '\(ref.value)' is not a declared interface\(Suggest.didYouMean(ref.value, in: interfaces.keys))", at: ref.range)
        return nil
    }

    // MARK: Claims (E105, E107, E403)

    /// Who enslaves each interface: a bond (as member) or a bridge (as uplink).
    var enslavedBy: [String: (by: String, range: SourceRange)] = [:]

    mutating func checkClaims() {
        var vlanIDs: [String: [Int: Located<String>]] = [:]
        for i in t.interfaces where i.effectiveKind == .vlan {
            guard let p = i.parent?.value, let id = i.id else { continue }
            if let first = vlanIDs[p]?[id.value] {
                bag.add(.E105, "VLAN id \(id.value) on '\(p)' is already used by '\(first.value)'", at: id.range,
                        notes: [DiagnosticNote("'\(first.value)' declared here", at: first.range)])
            } else {
                vlanIDs[p, default: [:]][id.value] = i.name
            }
        }
        for i in t.interfaces where i.effectiveKind == .bond {
            for m in i.members where interfaces[m.value] != nil {
                if let first = enslavedBy[m.value], first.by != "bond '\(i.name.value)'" {
                    bag.add(.E105, "'\(m.value)' is already claimed by \(first.by)", at: m.range,
                            notes: [DiagnosticNote("first claimed here", at: first.range)])
                } else {
                    enslavedBy[m.value] = ("bond '\(i.name.value)'", m.range)
                }
            }
        }
        for n in t.networks where n.mode?.value == .bridge {
            guard let u = n.uplink, interfaces[u.value] != nil else { continue }
            if let first = enslavedBy[u.value] {
                bag.add(.E105, "uplink '\(u.value)' of network '\(n.name.value)' is already claimed by \(first.by)", at: u.range,
                        notes: [DiagnosticNote("first claimed here", at: first.range)])
            } else {
                enslavedBy[u.value] = ("the bridge of network '\(n.name.value)'", u.range)
            }
        }
        for i in t.interfaces {
            guard let claim = enslavedBy[i.name.value] else { continue }
            for a in [i.ipv4?.keys, i.ipv6?.keys].compactMap({ $0 }) {
                bag.add(.E107, "'\(i.name.value)' is enslaved to \(claim.by) and cannot carry addressing; put it on the \(claim.by.hasPrefix("bond") ? "bond" : "bridge")",
                        at: a.mapping, notes: [DiagnosticNote("enslaved here", at: claim.range)])
            }
        }
    }

    // MARK: Networks

    mutating func checkNetwork(_ n: NetworkSyntax) {
        guard let mode = n.mode?.value else { return }
        let name = n.name.value
        let inMode = "in \(mode.rawValue) mode (network '\(name)')"
        if mode == .macvtap {
            notAllowed(n.keys, "bridge", inMode)
            notAllowed(n.keys, "stp", inMode)
            notAllowed(n.keys, "mtu", inMode)
            notAllowed(n.keys, "ipv4", inMode)
            notAllowed(n.keys, "ipv6", inMode)
        } else {
            required(n.keys, "bridge", inMode)
            notAllowed(n.keys, "macvtap_mode", inMode)
        }
        if mode == .bridge || mode == .macvtap { required(n.keys, "uplink", inMode) }
        if mode == .isolated { notAllowed(n.keys, "uplink", inMode) }
        if mode == .bridge || mode == .macvtap { notAllowed(n.keys, "peers", inMode) }
        if mode != .nat, let r = n.keys["forwards"] {
            bag.add(.E504, "'forwards' is only allowed on nat networks; '\(name)' is in \(mode.rawValue) mode", at: r)
        }
        if mode == .nat || mode == .route, n.keys["ipv4"] == nil, n.keys["ipv6"] == nil {
            bag.add(.E402, "a \(mode.rawValue) network needs guest addressing: 'ipv4' or 'ipv6' (network '\(name)')", at: n.keys.mapping)
        }
        if let u = n.uplink { checkUplink(u, of: n, mode: mode) }
        for (a, family) in [(n.ipv4, IPFamily.ipv4), (n.ipv6, .ipv6)] {
            switch a {
            case .guest(let g)?: checkGuestAddressing(g, family: family, network: n, mode: mode)
            case .host(let h)?: checkHostAddressing(h, family: family, owner: "network '\(name)'")
            default: break
            }
        }
        if let mtu = n.mtu, mtu.value < 1280, n.ipv6 != nil {
            bag.add(.E405, "MTU \(mtu.value) of network '\(name)' is below 1280, the minimum for IPv6", at: mtu.range)
        }
        checkPeers(n, mode: mode)
        checkForwards(n)
    }

    mutating func checkUplink(_ u: Located<String>, of n: NetworkSyntax, mode: NetworkMode) {
        switch mode {
        case .bridge, .macvtap:
            guard let i = resolveInterface(u, what: "uplink") else { return }
            if mode == .macvtap, let claim = enslavedBy[u.value] {
                bag.add(.E105, "uplink '\(u.value)' of macvtap network '\(n.name.value)' is enslaved to \(claim.by)", at: u.range,
                        notes: [DiagnosticNote("enslaved here", at: claim.range), DiagnosticNote("'\(u.value)' declared here", at: i.name.range)])
            }
        case .nat, .route:
            if interfaces[u.value] == nil, lanBridges[u.value] == nil {
                if networks.values.contains(where: { $0.bridge?.value == u.value }) {
                    bag.add(.E106, "uplink '\(u.value)' is the bridge of a guest network; a \(mode.rawValue) network leaves through a host interface or a bridge-mode bridge", at: u.range)
                } else {
                    let names = Array(interfaces.keys) + Array(lanBridges.keys)
                    bag.add(.E104, "uplink '\(u.value)' is not a declared interface or bridge-mode bridge\(Suggest.didYouMean(u.value, in: names))", at: u.range)
                }
                return
            }
            if let claim = enslavedBy[u.value] {
                let use = claim.by.hasPrefix("bond") ? "the bond" : "the bridge"
                bag.add(.E403, "uplink '\(u.value)' is enslaved to \(claim.by): traffic leaves through \(use), so name \(use) as uplink", at: u.range,
                        notes: [DiagnosticNote("enslaved here", at: claim.range)])
            }
        case .isolated:
            break
        }
    }

    // MARK: Addressing

    mutating func checkFamily(_ a: Located<IPAddress>, _ family: IPFamily, what: String) -> Bool {
        guard a.value.family == family else {
            bag.add(.E205, "\(what) \(a.value) is an \(a.value.family == .ipv4 ? "IPv4" : "IPv6") address, under '\(family.rawValue)'", at: a.range)
            return false
        }
        return true
    }

    mutating func checkSpecial(_ c: Located<CIDR>, what: String) -> Bool {
        for (range, label) in specialRanges where range.overlaps(c.value) {
            bag.add(.E208, "\(what) \(c.value) lies in the special-purpose range \(label)", at: c.range)
            return false
        }
        return true
    }

    mutating func checkHostAddressing(_ h: HostAddressingSyntax, family: IPFamily, owner: String) {
        var cidr: CIDR?
        if let a = h.address, case .cidr(let c) = a.value {
            if checkFamily(Located(c.address, a.range), family, what: "address"),
               checkSpecial(Located(c, a.range), what: "address") {
                if c.isNetworkOrBroadcast(c.address) {
                    bag.add(.E204, "address \(c) of \(owner) is the \(c.address == c.network ? "network" : "broadcast") address of its subnet", at: a.range)
                } else {
                    cidr = c
                }
            }
        }
        if let g = h.gateway {
            if case .dhcp? = h.address?.value {
                bag.add(.E401, "'gateway' is not allowed with 'address: dhcp' (DHCP supplies the router)", at: h.keys["gateway"]!)
            } else if checkFamily(g, family, what: "gateway"), let c = cidr {
                if !c.contains(g.value) {
                    bag.add(.E203, "gateway \(g.value) is outside \(c.subnet), the subnet of address \(c)", at: g.range,
                            notes: [DiagnosticNote("address of \(owner) declared here", at: h.address!.range)])
                } else if c.isNetworkOrBroadcast(g.value) || g.value == c.address {
                    let what = g.value == c.address ? "the host's own address" : g.value == c.network ? "the network address" : "the broadcast address"
                    bag.add(.E204, "gateway \(g.value) is \(what) of \(c.subnet)", at: g.range)
                }
            }
        }
    }

    mutating func checkGuestAddressing(_ g: GuestAddressingSyntax, family: IPFamily, network n: NetworkSyntax, mode: NetworkMode) {
        guard let s = g.subnet else { return }
        let subnet = s.value
        let subnetNote = DiagnosticNote("subnet of network '\(n.name.value)' declared here", at: s.range)
        guard checkFamily(Located(subnet.address, s.range), family, what: "subnet") else { return }
        if subnet.hasHostBits {
            bag.add(.E202, "subnet \(subnet) has host bits set; did you mean \(subnet.subnet)?", at: s.range)
            return
        }
        guard checkSpecial(s, what: "subnet") else { return }
        // Room for the network address, the gateway, a guest (and the IPv4
        // broadcast address): two host bits at least.
        if family.bits - subnet.prefix < 2 {
            bag.add(.E206, "subnet \(subnet) is too small for a gateway and one guest (use /\(family.bits - 2) or larger)", at: s.range)
            return
        }
        let gw = g.effectiveGateway!
        if let gl = g.gateway, checkFamily(gl, family, what: "gateway") {
            if !subnet.contains(gl.value) {
                bag.add(.E203, "gateway \(gl.value) is outside subnet \(subnet)", at: gl.range, notes: [subnetNote])
            } else if subnet.isNetworkOrBroadcast(gl.value) {
                bag.add(.E204, "gateway \(gl.value) is the \(gl.value == subnet.network ? "network" : "broadcast") address of \(subnet)", at: gl.range, notes: [subnetNote])
            }
        }
        for d in g.dns { _ = checkFamily(d, family, what: "resolver") }
        if family == .ipv6 {
            let ra = g.ra?.value ?? true
            if ra, subnet.prefix != 64 {
                let at = g.ra?.range ?? s.range
                bag.add(.E404, "router advertisements (SLAAC) need a /64, but \(subnet) is a /\(subnet.prefix); use a /64 or set 'ra: false'", at: at,
                        notes: g.ra == nil ? [] : [subnetNote])
            }
            if mode != .nat, let r = g.keys["nat"] {
                bag.add(.E401, "'nat' is only allowed on the IPv6 of a nat network; '\(n.name.value)' is in \(mode.rawValue) mode", at: r)
            }
            if mode == .nat, g.nat?.value != true, CIDR("fc00::/7")!.overlaps(subnet) {
                bag.add(.W702, "IPv6 subnet \(subnet) is unique-local and 'nat' is not set: guests get IPv6 addresses but no IPv6 internet", at: s.range)
            }
        }
        var range: ClosedRange<UInt128>?
        if let d = g.dhcp {
            if let a = d.start, let b = d.end, checkFamily(a, family, what: "dhcp.start"), checkFamily(b, family, what: "dhcp.end") {
                var ok = true
                for x in [a, b] where !subnet.contains(x.value) {
                    bag.add(.E301, "DHCP range address \(x.value) is outside subnet \(subnet)", at: x.range, notes: [subnetNote])
                    ok = false
                }
                if ok, a.value > b.value {
                    bag.add(.E302, "DHCP range is reversed: start \(a.value) is above end \(b.value)", at: a.range)
                    ok = false
                }
                if ok {
                    let r = a.value.value...b.value.value
                    for (addr, what) in [(gw, "the gateway"), (subnet.network, "the network address"), (subnet.last, "the broadcast address")]
                    where r.contains(addr.value) && (what != "the broadcast address" || family == .ipv4) {
                        bag.add(.E303, "DHCP range \(a.value)-\(b.value) holds \(what) \(addr)", at: a.range,
                                notes: g.gateway.map { [DiagnosticNote("gateway declared here", at: $0.range)] } ?? [])
                        ok = false
                        break
                    }
                    if ok { range = r }
                }
            }
        }
        for r in g.reservations {
            if let p = NameRules.networkNameProblem(r.name.value) {
                bag.add(.E102, "reservation name '\(r.name.value)' \(p)", at: r.name.range)
            }
        }
        var macs: [MACAddress: Located<String>] = [:]
        var ips: [IPAddress: Located<String>] = [:]
        for r in g.reservations {
            if let m = r.mac {
                if let first = macs[m.value] {
                    bag.add(.E305, "MAC \(m.value) is already reserved by '\(first.value)'", at: m.range,
                            notes: [DiagnosticNote("reservation '\(first.value)' declared here", at: first.range)])
                } else {
                    macs[m.value] = r.name
                }
            }
            guard let ip = r.ip, checkFamily(ip, family, what: "reservation address") else { continue }
            if !subnet.contains(ip.value) || subnet.isNetworkOrBroadcast(ip.value) {
                bag.add(.E304, "reservation address \(ip.value) is not a guest address of subnet \(subnet)", at: ip.range, notes: [subnetNote])
            } else if ip.value == gw {
                bag.add(.E304, "reservation address \(ip.value) is the gateway of network '\(n.name.value)'", at: ip.range)
            } else if let first = ips[ip.value] {
                bag.add(.E305, "address \(ip.value) is already reserved by '\(first.value)'", at: ip.range,
                        notes: [DiagnosticNote("reservation '\(first.value)' declared here", at: first.range)])
            } else {
                ips[ip.value] = r.name
                if let range, range.contains(ip.value.value) {
                    bag.add(.W701, "reservation address \(ip.value) lies inside the dynamic DHCP range; another guest may lease it first", at: ip.range)
                }
            }
        }
    }

    // MARK: Overlaps (E207): sort by start, sweep keeping the furthest end.

    mutating func checkOverlaps() {
        struct Item { var cidr: CIDR; var what: String; var range: SourceRange }
        var items: [Item] = []
        for i in t.interfaces {
            for h in [i.ipv4, i.ipv6].compactMap({ $0 }) {
                if let a = h.address, case .cidr(let c) = a.value {
                    items.append(Item(cidr: c.subnet, what: "address \(c) of interface '\(i.name.value)'", range: a.range))
                }
            }
        }
        for n in t.networks {
            for a in [n.ipv4, n.ipv6] {
                switch a {
                case .guest(let g)?:
                    if let s = g.subnet, !s.value.hasHostBits {
                        items.append(Item(cidr: s.value, what: "subnet \(s.value) of network '\(n.name.value)'", range: s.range))
                    }
                case .host(let h)?:
                    if let a = h.address, case .cidr(let c) = a.value {
                        items.append(Item(cidr: c.subnet, what: "address \(c) of network '\(n.name.value)'", range: a.range))
                    }
                default: break
                }
            }
        }
        items.sort { ($0.cidr.family, $0.cidr.network.value, $0.range) < ($1.cidr.family, $1.cidr.network.value, $1.range) }
        var widest: Item?
        for item in items {
            if let w = widest, w.cidr.family == item.cidr.family, item.cidr.network.value <= w.cidr.last.value {
                // Report at the later declaration of the two, pointing at the other.
                let (here, other) = w.range < item.range ? (item, w) : (w, item)
                bag.add(.E207, "\(here.what) overlaps \(other.what)", at: here.range,
                        notes: [DiagnosticNote("\(other.what) declared here", at: other.range)])
                if item.cidr.last.value > w.cidr.last.value { widest = item }
            } else {
                widest = item
            }
        }
    }

    // MARK: Peers (E601)

    mutating func checkPeers(_ n: NetworkSyntax, mode: NetworkMode) {
        guard mode == .nat || mode == .route || mode == .isolated else { return }
        for p in n.peers {
            guard let peer = networks[p.value] else {
                bag.add(.E601, "peer '\(p.value)' is not a declared network\(Suggest.didYouMean(p.value, in: networks.keys))", at: p.range)
                continue
            }
            if p.value == n.name.value {
                bag.add(.E601, "network '\(p.value)' cannot peer with itself", at: p.range)
                continue
            }
            let routed = [NetworkMode.nat, .route, .isolated].contains(peer.mode?.value)
            let hasSubnet = [peer.ipv4, peer.ipv6].contains { if case .guest(let g)? = $0 { g.subnet != nil } else { false } }
            if !routed || !hasSubnet {
                bag.add(.E601, "peer '\(p.value)' has no routed guest subnet (it is a \(peer.mode?.value.rawValue ?? "?") network\(hasSubnet ? "" : " without guest addressing"))", at: p.range,
                        notes: [DiagnosticNote("network '\(p.value)' declared here", at: peer.name.range)])
            }
        }
    }

    // MARK: Forwards (E501-E503, W703)

    mutating func checkForwards(_ n: NetworkSyntax) {
        guard n.mode?.value == .nat else { return }
        guard case .guest(let g)? = n.ipv4, let subnet = g.subnet?.value else {
            if let f = n.forwards.first {
                bag.add(.E502, "forwards need the network's IPv4 subnet; network '\(n.name.value)' has no 'ipv4'", at: f.keys.mapping)
            }
            return
        }
        let gw = g.effectiveGateway
        for f in n.forwards {
            if let p = f.port, let tp = f.toPort, p.value.count != tp.value.count {
                bag.add(.E501, "to_port \(tp.value.low)-\(tp.value.high) holds \(tp.value.count) ports but port holds \(p.value.count)", at: tp.range)
            }
            for c in f.from {
                if c.value.hasHostBits {
                    bag.add(.E202, "source \(c.value) has host bits set; did you mean \(c.value.subnet)?", at: c.range)
                }
            }
            guard let to = f.to else { continue }
            if g.reservations.contains(where: { $0.name.value == to.value }) { continue }
            if let a = IPAddress(to.value) {
                if a.family != .ipv4 {
                    bag.add(.E205, "forward target \(a) is not an IPv4 address", at: to.range)
                } else if !subnet.contains(a) {
                    bag.add(.E502, "forward target \(a) is outside subnet \(subnet) of network '\(n.name.value)'", at: to.range,
                            notes: [DiagnosticNote("subnet declared here", at: g.subnet!.range)])
                } else if subnet.isNetworkOrBroadcast(a) || a == gw {
                    let what = a == gw ? "the gateway (the host itself)" : a == subnet.network ? "the network address" : "the broadcast address"
                    bag.add(.E502, "forward target \(a) is \(what) of network '\(n.name.value)'", at: to.range)
                } else {
                    bag.add(.W703, "forward target \(a) is a bare address: a guest keeps it only while it holds the lease; use a reservation name", at: to.range)
                }
            } else {
                let names = g.reservations.map(\.name.value)
                bag.add(.E104, "forward target '\(to.value)' is neither a reservation of network '\(n.name.value)' nor an address\(Suggest.didYouMean(to.value, in: names))", at: to.range)
            }
        }
    }

    mutating func checkForwardPorts() {
        struct Claim { var proto: Proto; var ports: PortRange; var range: SourceRange }
        var claims: [Claim] = []
        for n in t.networks where n.mode?.value == .nat {
            for f in n.forwards {
                if let p = f.proto?.value, let port = f.port { claims.append(Claim(proto: p, ports: port.value, range: port.range)) }
            }
        }
        for proto in Proto.allCases {
            let sorted = claims.filter { $0.proto == proto }.sorted { ($0.ports.low, $0.range) < ($1.ports.low, $1.range) }
            var widest: Claim?
            for c in sorted {
                if let w = widest, c.ports.low <= w.ports.high {
                    let (here, other) = w.range < c.range ? (c, w) : (w, c)
                    bag.add(.E503, "\(proto.rawValue) host port \(here.ports.low == here.ports.high ? "\(here.ports.low)" : "range \(here.ports.low)-\(here.ports.high)") is already forwarded", at: here.range,
                            notes: [DiagnosticNote("other forward of \(proto.rawValue) \(other.ports.low == other.ports.high ? "\(other.ports.low)" : "\(other.ports.low)-\(other.ports.high)") here", at: other.range)])
                    if c.ports.high > w.ports.high { widest = c }
                } else {
                    widest = c
                }
            }
        }
    }
}
