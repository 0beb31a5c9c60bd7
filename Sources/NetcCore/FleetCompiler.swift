/// A fleet in memory (docs/fleet.md): the fleet file and each host's
/// topology in, each host's files out, every diagnostic located in the file
/// that holds the mistake.
///
///     fleet file -> FleetSyntax (Parse/FleetParser)
///     each host's topology -> Topology (as on its own: parse, check)
///     each overlay -> checked as a network of its own, then against each
///     member -> a guest network with an `OverlayLink` appended to each
///     member's Topology -> the single-host planners and printers
///
/// Nothing here touches the file system: `read` gives a host's topology.
public enum FleetCompiler {
    /// A host's topology file as `read` found it: the name to show in
    /// diagnostics (the path beside the fleet file), and its bytes, or why
    /// it could not be read.
    public enum Read: Sendable {
        case text(name: String, bytes: [UInt8])
        case unreadable(String)
    }

    /// - Parameters:
    ///   - text: the fleet file.
    ///   - name: its name in diagnostics.
    ///   - only: the hosts to build (`--host`); nil: every host. Every host
    ///     is checked either way.
    ///   - read: a host's topology, by its `topology` path as written.
    public static func compile(_ text: String, name: String, only: Set<String>? = nil,
                               read: (String) -> Read) throws -> FleetResult {
        let fleet = try check(text, name: name, only: only, read: read)
        return FleetResult(sources: fleet.sources, findings: fleet.findings, hosts: try fleet.hostNames.map(fleet.build))
    }

    /// The fleet checked, each host ready to build on its own (`build`):
    /// a large fleet's hosts are built on two cores and written as they
    /// come, never all in memory at once.
    public static func check(_ text: String, name: String, only: Set<String>? = nil,
                             read: (String) -> Read) throws -> CheckedFleet {
        var c = FleetCompilation(sources: [.init(name: name, text: text)])
        try c.run(text, only: only, read: read)
        return c.result
    }

    /// The anycast gateway's MAC of an overlay: locally administered,
    /// unicast, the same on every member and in every build (FNV-1a of the
    /// overlay's name).
    static func anycastMAC(_ overlay: String) -> MACAddress {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "netc overlay \(overlay)".utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let bytes = [0x02] + (0..<5).map { UInt8(truncatingIfNeeded: h >> (8 * UInt64($0))) }
        return MACAddress(bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined(separator: ":"))!
    }

    /// Slice `i` of `n` of a range of `size` addresses: equal consecutive
    /// slices, the first `size % n` one address longer.
    static func slice(_ i: Int, of n: Int, size: Int) -> (offset: Int, size: Int) {
        let base = size / n, extra = size % n
        return (i * base + min(i, extra), base + (i < extra ? 1 : 0))
    }

    /// VXLAN's overhead on the underlay: outer IPv4 or IPv6, UDP, VXLAN and
    /// the inner Ethernet header.
    static func overhead(_ f: IPFamily) -> Int { f == .ipv4 ? 50 : 70 }
}

public struct FleetResult: Sendable {
    public struct Source: Sendable {
        public var name: String
        public var text: String
    }
    public struct Finding: Sendable {
        /// Index into `sources`.
        public var source: Int
        public var diagnostic: Diagnostic
    }
    public struct Host: Sendable {
        public var name: String
        /// As a single host's build: sorted by path.
        public var files: [OutputFile]
        /// The host's topology with its overlays (for `netc graph`).
        public var topology: Topology
    }

    /// The fleet file first, then each host's topology that was read.
    public var sources: [Source]
    /// Sorted by source, then position.
    public var findings: [Finding] = []
    /// Sorted by name; empty when anything has an error.
    public var hosts: [Host] = []

    public var hasErrors: Bool { findings.contains { $0.diagnostic.severity == .error } }
}

/// A fleet checked: its diagnostics, and the hosts to build, each built by
/// `build` on its own (a pure function of the checked fleet, safe to call
/// on two threads at once).
public struct CheckedFleet: Sendable {
    /// One overlay on one member: its network as checked, and its members.
    struct Membership: Sendable {
        var overlay: OverlaySyntax
        var template: GuestNetwork
        var members: Int
    }
    /// An overlay's members' VTEP addresses, sorted, and each member's place.
    struct Span: Sendable {
        var addresses: [IPAddress]
        var index: [String: Int]
    }
    typealias VTEP = (name: String, address: IPAddress, mtu: Int)

    /// The fleet file first, then each host's topology that was read.
    public var sources: [FleetResult.Source]
    /// Sorted by source, then position.
    public var findings: [FleetResult.Finding]
    /// The hosts to build (all, or those `only` named), sorted; empty when
    /// anything has an error.
    public var hostNames: [String]
    var topologies: [String: Topology] = [:]
    var memberships: [String: [Membership]] = [:]
    var spans: [String: Span] = [:]
    var vteps: [String: VTEP] = [:]

    public var hasErrors: Bool { findings.contains { $0.diagnostic.severity == .error } }

    /// Host `name`'s files: `topology(name)` built as a single host.
    public func build(_ name: String) throws -> FleetResult.Host {
        let t = try topology(name)
        return .init(name: name, files: try Artifacts.plan(t, source: nil).print(), topology: t)
    }

    /// Host `name`'s own topology with a guest network for each overlay it
    /// is a member of.
    public func topology(_ name: String) throws -> Topology {
        guard var t = topologies[name] else { throw InternalError("no checked host \(name) in the fleet") }
        t.host = t.host ?? name
        for m in memberships[name] ?? [] {
            guard let span = spans[m.overlay.name.value], let mine = vteps[name], let i = span.index[name] else {
                throw InternalError("the fleet's checks let through a member without a VTEP")
            }
            t.networks.append(Network(name: m.overlay.name.value, kind: .guest(
                try member(of: m.overlay, m.template, index: i, of: m.members, vtep: mine,
                           remotes: span.addresses.filter { $0 != mine.address }, in: t))))
        }
        return t
    }

    /// The overlay's guest network on one member (place `index` of `count`
    /// members): its routing out of the member's own uplink, its slice of
    /// the DHCP range, its VXLAN link to the other members' `remotes`.
    func member(of o: OverlaySyntax, _ template: GuestNetwork, index i: Int, of count: Int,
                vtep mine: VTEP, remotes: [IPAddress], in t: Topology) throws -> GuestNetwork {
        var g = template
        switch g.routing {
        case .nat:
            let egress: Egress = o.network.uplink.flatMap { u in t.interfaces.firstIndex { $0.name == u.value } }
                .map { .interface(InterfaceRef(index: $0)) } ?? .anyButGuestBridges
            g.routing = .nat(egress: egress, forwards: [])
        case .route, .isolated:
            break
        }
        if var v4 = g.ipv4, let d = v4.dhcp {
            let s = FleetCompiler.slice(i, of: count, size: Int(d.end.value - d.start.value) + 1)
            v4.dhcp?.start = IPAddress(family: .ipv4, value: d.start.value + UInt128(s.offset))
            v4.dhcp?.end = IPAddress(family: .ipv4, value: d.start.value + UInt128(s.offset + s.size - 1))
            g.ipv4 = v4
        }
        guard let vni = o.vni?.value else {
            throw InternalError("the fleet's checks let through an overlay without a VNI")
        }
        g.overlay = OverlayLink(vni: vni, device: "vx\(vni)", vtep: mine.name, local: mine.address,
                                remotes: remotes, anycastMAC: FleetCompiler.anycastMAC(o.name.value))
        return g
    }
}

/// One host of the fleet, as read and checked: shared, not copied, by the
/// checks of every overlay it is a member of.
final class FleetHost {
    let entry: FleetHostSyntax
    var source: Int?
    var syntax: TopologySyntax?
    var topology: Topology?
    var name: String { entry.name.value }

    init(entry: FleetHostSyntax) { self.entry = entry }

    /// The subnets and addresses of the host's own networks and links, what
    /// each is and whose: once per host, for every overlay's check (its
    /// wording only for a clash).
    lazy var addresses: [(Located<CIDR>, what: String, owner: String)] = {
        guard let t = syntax else { return [] }
        var all: [(Located<CIDR>, what: String, owner: String)] = []
        for n in t.networks {
            for a in [n.ipv4, n.ipv6] {
                if case .guest(let g)? = a, let s = g.subnet { all.append((s, "subnet of network", n.name.value)) }
                if case .host(let h)? = a, case .cidr(let c)? = h.address?.value, let r = h.address?.range { all.append((Located(c, r), "address of network", n.name.value)) }
            }
        }
        for i in t.interfaces {
            for h in [i.ipv4, i.ipv6].compactMap({ $0 }) {
                if case .cidr(let c)? = h.address?.value, let r = h.address?.range { all.append((Located(c, r), "address of interface", i.name.value)) }
            }
        }
        return all
    }()
}

struct FleetCompilation {
    var sources: [FleetResult.Source]
    var findings: [FleetResult.Finding] = []
    var checked: CheckedFleet?

    var result: CheckedFleet {
        var r = checked ?? CheckedFleet(sources: [], findings: [], hostNames: [])
        r.sources = sources
        r.findings = findings.sorted { ($0.source, $0.diagnostic.range, $0.diagnostic.code.rawValue) < ($1.source, $1.diagnostic.range, $1.diagnostic.code.rawValue) }
        if r.hasErrors { r.hostNames = [] }
        return r
    }

    mutating func report(_ source: Int, _ m: Message, at range: SourceRange, notes: [DiagnosticNote] = []) {
        findings.append(.init(source: source, diagnostic: Diagnostic(m, at: range, notes: notes)))
    }

    mutating func run(_ text: String, only: Set<String>?, read: (String) -> FleetCompiler.Read) throws {
        if let bad = SourceText.check(Array(text.utf8)) {
            findings.append(.init(source: 0, diagnostic: bad))
            return
        }
        let (parsed, diagnostics) = FleetParser.parse(text)
        findings += diagnostics.map { .init(source: 0, diagnostic: $0) }
        guard let fleet = parsed else { return }

        // Each host's topology, checked as on its own: read in order, parsed
        // and checked on two cores (a large fleet's thousand files), the
        // results taken in order.
        var hosts: [String: FleetHost] = [:]
        var paths: [String: String] = [:]
        var reads: [(host: String, name: String, bytes: [UInt8])] = []
        for h in fleet.hosts {
            hosts[h.name.value] = FleetHost(entry: h)
            guard let path = h.topology else { continue }
            if let other = paths[path.value] {
                report(0, .topologySharedByHosts(path.value, other), at: path.range)
                continue
            }
            paths[path.value] = h.name.value
            switch read(path.value) {
            case .unreadable(let why):
                report(0, .topologyUnreadable(path.value, why), at: path.range)
            case .text(let name, let bytes):
                reads.append((h.name.value, name, bytes))
            }
        }
        let results = try TwoCores.map(reads.count, threads: TwoCores.worth(bytes: reads.reduce(0) { $0 + $1.bytes.count }) ? 2 : 1) { i in
            let bytes = reads[i].bytes
            if let bad = SourceText.check(bytes) { return (text: "", bad: Optional(bad), parsed: (TopologySyntax?.none, [Diagnostic]()), topology: Topology?.none, diagnostics: [Diagnostic]()) }
            let text = String(decoding: bytes, as: UTF8.self)
            let parsed = TopologyParser.parse(text)
            let (topology, ds) = try TopologyChecker.check(parsed)
            return (text, nil, parsed, topology, ds)
        }
        for (r, c) in zip(reads, results) {
            let source = sources.count
            hosts[r.host]!.source = source
            sources.append(.init(name: r.name, text: c.text))
            if let bad = c.bad {
                findings.append(.init(source: source, diagnostic: bad))
                continue
            }
            findings += c.diagnostics.map { .init(source: source, diagnostic: $0) }
            hosts[r.host]!.syntax = c.parsed.0
            hosts[r.host]!.topology = c.topology
            if let said = c.parsed.0?.host, said.value != r.host {
                report(source, .topologyNamesOtherHost(r.name, said.value, r.host), at: said.range)
            }
        }

        // Each overlay: as a network of its own, then on each member.
        var vnis: [Int: String] = [:]
        var planned: [String: [(OverlaySyntax, GuestNetwork, [String])]] = [:]
        var overlayMembers: [String: [String]] = [:]
        let hostNames = fleet.hosts.map(\.name.value)
        var claimed: [String: [(overlay: String, bridge: Located<String>?, subnets: [Located<CIDR>])]] = [:]
        for o in fleet.overlays {
            if let vni = o.vni {
                if let other = vnis[vni.value] { report(0, .vniTwice(vni.value, other), at: vni.range) } else { vnis[vni.value] = o.name.value }
            }
            var members: [String] = [], seen: Set<String> = []
            for m in o.members ?? fleet.hosts.map(\.name) {
                if hosts[m.value] == nil {
                    report(0, .unknownMember(m.value, Suggest.didYouMean(m.value, in: hostNames)), at: m.range)
                } else if !seen.insert(m.value).inserted {
                    report(0, .memberTwice(m.value), at: m.range)
                } else {
                    members.append(m.value)
                }
            }
            members.sort()
            guard let template = try overlayNetwork(o) else { continue }
            var budget: Int?
            for m in members {
                guard let host = hosts[m], let t = host.topology, let source = host.source else { continue }
                guard let vtep = vtepAddress(host, overlay: o.name.value) else { continue }
                budget = min(budget ?? .max, vtep.mtu - FleetCompiler.overhead(vtep.address.family))
                if let u = o.network.uplink, !t.interfaces.contains(where: { $0.name == u.value }) {
                    report(0, .overlayUplinkMissing(u.value, m), at: u.range)
                }
                checkClashes(o, with: host, source: source)
                // Another overlay on the same member.
                let subnets = [o.network.ipv4, o.network.ipv6].compactMap { a -> Located<CIDR>? in
                    if case .guest(let g)? = a { return g.subnet } else { return nil }
                }
                for other in claimed[m] ?? [] {
                    if let b = o.network.bridge, let ob = other.bridge, b.value == ob.value {
                        report(0, .overlayClashes("bridge \(b.value)", o.name.value, "overlay '\(other.overlay)' on member '\(m)'"), at: b.range,
                               notes: [DiagnosticNote("bridge of overlay '\(other.overlay)'", at: ob.range)])
                    }
                    for s in subnets {
                        if let os = other.subnets.first(where: { $0.value.overlaps(s.value) }) {
                            report(0, .overlayClashes("subnet \(s.value)", o.name.value, "subnet \(os.value) of overlay '\(other.overlay)' on member '\(m)'"),
                                   at: s.range, notes: [DiagnosticNote("subnet of overlay '\(other.overlay)'", at: os.range)])
                        }
                    }
                }
                claimed[m, default: []].append((o.name.value, o.network.bridge, subnets))
            }
            if let mtu = o.network.mtu, let budget, mtu.value > budget {
                let tight = members.first { m in
                    guard let h = hosts[m], let v = vtepAddress(h, overlay: o.name.value, quiet: true) else { return false }
                    return v.mtu - FleetCompiler.overhead(v.address.family) == budget
                } ?? ""
                report(0, .overlayMTUOverBudget(mtu.value, budget, tight), at: mtu.range)
            }
            if case .guest(let g)? = o.network.ipv4, let d = g.dhcp, let s = d.start, let e = d.end, s.value <= e.value,
               Int(e.value.value - s.value.value) + 1 < members.count {
                report(0, .rangeSmallerThanMembers(Int(e.value.value - s.value.value) + 1, members.count), at: s.range)
            }
            var g = template
            if let budget { g.bridge.mtu = o.network.mtu?.value ?? budget }
            for m in members { planned[m, default: []].append((o, g, members)) }
            overlayMembers[o.name.value] = members
        }
        guard !findings.contains(where: { $0.diagnostic.severity == .error }) else { return }

        // What each member's build needs. The VTEPs, once; each overlay's
        // addresses sorted once, not once per member.
        var c = CheckedFleet(sources: [], findings: [], hostNames: hostNames.sorted().filter {
            (only?.contains($0) ?? true) && hosts[$0]?.topology != nil
        })
        for (name, h) in hosts {
            if let t = h.topology { c.topologies[name] = t }
            if planned[name] != nil { c.vteps[name] = vtepAddress(h, overlay: "", quiet: true) }
        }
        for (name, list) in planned {
            c.memberships[name] = list.sorted { $0.0.name.value < $1.0.name.value }.map { .init(overlay: $0.0, template: $0.1, members: $0.2.count) }
        }
        for (overlay, members) in overlayMembers {
            c.spans[overlay] = .init(addresses: members.compactMap { c.vteps[$0]?.address }.sorted(),
                                     index: Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) }))
        }
        checked = c
    }

    /// The overlay checked as a network of its own (in the fleet file): its
    /// mode and server, then every check of a host's nat or isolated
    /// network (served by networkd, without an uplink: each member's is
    /// checked against its own links). The guest network every member's is
    /// made from, or nil on errors.
    mutating func overlayNetwork(_ o: OverlaySyntax) throws -> GuestNetwork? {
        let n = o.network
        guard let mode = n.mode else { return nil }
        switch mode.value {
        case .nat, .isolated: break
        case .route:
            report(0, .overlayModeCannotSpan("route", "a remote guest's return path needs a routing control plane, which netc has not"), at: mode.range)
            return nil
        case .bridge, .macvtap:
            report(0, .overlayModeCannotSpan(mode.value.rawValue, "an overlay is a guest network with a gateway on every member (nat or isolated)"), at: mode.range)
            return nil
        }
        if mode.value == .isolated, let u = n.uplink {
            report(0, .notAllowed("uplink", "on an isolated overlay: nothing leaves it"), at: u.range)
            return nil
        }
        if let s = n.servedBy, s.value == .libvirt {
            report(0, .overlayServedByLibvirt, at: s.range)
            return nil
        }
        let (uplink, servedBy) = (n.uplink, n.servedBy)
        n.uplink = nil
        n.servedBy = n.servedBy ?? Located(.networkd, n.name.range)
        defer { n.uplink = uplink; n.servedBy = servedBy }
        var syntax = TopologySyntax(keys: KeyRanges(mapping: n.name.range))
        syntax.version = Located(1, n.name.range)
        syntax.networks = [n]
        let (topology, ds) = try TopologyChecker.check((syntax, []))
        findings += ds.map { .init(source: 0, diagnostic: $0) }
        return topology?.networks.first?.guest
    }

    /// A member's VTEP: its interface's first static address (IPv4 first)
    /// and MTU; E903 when it has none.
    mutating func vtepAddress(_ host: FleetHost, overlay: String, quiet: Bool = false) -> (name: String, address: IPAddress, mtu: Int)? {
        guard let t = host.topology else { return nil }
        guard let v = host.entry.vtep else {
            if !quiet { report(0, .memberWithoutVTEP(host.name, overlay), at: host.entry.name.range) }
            return nil
        }
        let file = host.source.map { sources[$0].name } ?? "?"
        guard let i = t.interfaces.first(where: { $0.name == v.value }) else {
            if !quiet { report(0, .vtepNotAnInterface(v.value, file), at: v.range) }
            return nil
        }
        for f in [i.addressing.ipv4, i.addressing.ipv6] {
            if case .cidr(let c)? = f?.address { return (v.value, c.address, NetworkdPlanner.effectiveMTU(i, in: t)) }
        }
        if !quiet { report(0, .vtepWithoutStaticAddress(v.value, file), at: v.range) }
        return nil
    }

    /// The overlay's name, bridge and subnets against a member's own
    /// networks, links and addresses: each clash reported in both files.
    mutating func checkClashes(_ o: OverlaySyntax, with host: FleetHost, source: Int) {
        guard let t = host.syntax else { return }
        let file = sources[source].name, fleet = sources[0].name
        let name = o.name.value
        for n in t.networks where n.name.value == name {
            report(0, .overlayClashes("the name", name, "network '\(n.name.value)' of \(file)"), at: o.name.range)
            report(source, .overlayClashes("the name", name, "this network"), at: n.name.range,
                   notes: [DiagnosticNote("overlay '\(name)' (\(fleet))", at: nil)])
        }
        if let b = o.network.bridge {
            let taken = t.networks.compactMap(\.bridge).filter { $0.value == b.value } + t.interfaces.map(\.name).filter { $0.value == b.value }
            for other in taken {
                report(0, .overlayClashes("bridge \(b.value)", name, "a link of \(file)"), at: b.range)
                report(source, .overlayClashes("bridge \(b.value)", name, "this link"), at: other.range,
                       notes: [DiagnosticNote("overlay '\(name)' (\(fleet))", at: nil)])
            }
        }
        let subnets = [o.network.ipv4, o.network.ipv6].compactMap { a -> Located<CIDR>? in
            if case .guest(let g)? = a { return g.subnet } else { return nil }
        }
        for s in subnets {
            for (other, kind, owner) in host.addresses where other.value.subnet.overlaps(s.value) {
                let what = "\(kind) '\(owner)'"
                report(0, .overlayClashes("subnet \(s.value)", name, "the \(what) of \(file), \(other.value)"), at: s.range)
                report(source, .overlayClashes("subnet \(s.value)", name, "this \(what.split(separator: " ").first ?? "")"), at: other.range,
                       notes: [DiagnosticNote("overlay '\(name)' (\(fleet))", at: nil)])
            }
        }
    }
}
