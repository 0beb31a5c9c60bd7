/// The last step of the check stage: a syntax model that passed every check
/// becomes the validated `Topology`. Defaults of the format are applied and
/// references resolved here, once; a missing value at this point is a bug
/// in the checks (an `InternalError`), never a user error.
struct ModelBuilder {
    let t: TopologySyntax
    /// The names the checks resolved (declaration order).
    let names: NameIndex
    /// The networks sorted by name, as the model keeps them, and each
    /// declared network's place among them.
    let networks: [NetworkSyntax]
    let sortedPosition: [Int]

    init(_ t: TopologySyntax, names: NameIndex) {
        self.t = t
        self.names = names
        // Sort positions, not the syntax.
        let order = t.networks.indices.sorted { t.networks[$0].name.value < t.networks[$1].name.value }
        networks = order.map { t.networks[$0] }
        var position = Array(repeating: 0, count: order.count)
        for (sorted, declared) in order.enumerated() { position[declared] = sorted }
        sortedPosition = position
    }

    /// A network's index in the model (sorted by name).
    func network(_ name: String) -> Int? { names.networks.position(of: name).map { sortedPosition[$0] } }

    /// The bridge-mode network whose bridge this is, in the model.
    func lanBridge(_ name: String) -> Int? { names.lanBridges.position(of: name).map { sortedPosition[$0] } }

    func need<T>(_ v: T?, _ what: @autoclosure () -> String) throws -> T {
        guard let v else { throw InternalError("the check stage let through \(what())") }
        return v
    }

    func interface(_ name: String) throws -> InterfaceRef {
        InterfaceRef(index: try need(names.interfaces.position(of: name), "an undeclared interface '\(name)'"))
    }

    func build() throws -> Topology {
        var interfaces: [Interface] = []
        for i in t.interfaces {
            let kind: Interface.Kind
            switch i.effectiveKind {
            case .ethernet:
                kind = .ethernet(mac: i.mac?.value)
            case .bond:
                kind = .bond(Bond(members: try i.members.map { try interface($0.value) },
                                  mode: i.bondMode?.value ?? Defaults.bondMode,
                                  transmitHashPolicy: i.transmitHashPolicy?.value, lacpRate: i.lacpRate?.value,
                                  minLinks: i.minLinks?.value, primary: try i.primary.map { try interface($0.value) }))
            case .vlan:
                kind = .vlan(VLAN(parent: try interface(try need(i.parent, "a vlan without parent").value),
                                  id: try need(i.id, "a vlan without id").value))
            }
            interfaces.append(Interface(name: i.name.value, kind: kind, mtu: i.mtu?.value,
                                        addressing: try hostAddressing(ipv4: i.ipv4, ipv6: i.ipv6, routes: i.routes), master: nil, vlans: [],
                                        forwarding: i.forwarding?.value ?? Defaults.hostForwarding))
        }
        // Masters and VLANs, resolved once.
        for (i, x) in interfaces.enumerated() {
            switch x.kind {
            case .bond(let b): for m in b.members { interfaces[m.index].master = .bond(InterfaceRef(index: i)) }
            case .vlan(let v): interfaces[v.parent.index].vlans.append(InterfaceRef(index: i))
            case .ethernet: break
            }
        }
        let names = interfaces.map(\.name)
        for i in interfaces.indices {
            interfaces[i].vlans.sort { names[$0.index] < names[$1.index] }
        }

        // Peering is symmetric: either side naming the other is enough.
        var peers: [Set<Int>] = Array(repeating: [], count: networks.count)
        for (i, n) in networks.enumerated() {
            for p in n.peers {
                let j = try need(network(p.value), "an unknown peer '\(p.value)'")
                peers[i].insert(j)
                peers[j].insert(i)
            }
        }

        var out: [Network] = []
        for (i, n) in networks.enumerated() {
            let mode = try need(n.mode?.value, "a network without mode")
            let name = n.name.value
            let kind: Network.Kind
            switch mode {
            case .macvtap:
                kind = .macvtap(MacvtapNetwork(
                    uplink: try interface(try need(n.uplink, "a macvtap network without uplink").value),
                    mode: n.macvtapMode?.value ?? Defaults.macvtapMode))
            case .bridge:
                let uplink = try interface(try need(n.uplink, "a bridge network without uplink").value)
                kind = .lan(LANNetwork(bridge: try bridge(n, forGuests: false), uplink: uplink,
                                       addressing: try hostAddressing(ipv4: n.ipv4?.host, ipv6: n.ipv6?.host, routes: n.routes)))
                interfaces[uplink.index].master = .bridge(NetworkRef(index: i))
            case .nat:
                kind = .guest(try guest(n, peers: peers[i], interfaces: interfaces) { egress, ipv4 in
                    .nat(egress: egress, forwards: try forwards(n, ipv4: ipv4))
                })
            case .route:
                kind = .guest(try guest(n, peers: peers[i], interfaces: interfaces) { egress, _ in
                    .route(egress: egress, inbound: try n.inbound.map { flows in
                        try flows.map { f in
                            InboundFlow(proto: try need(f.proto, "an inbound flow without proto").value,
                                        port: try need(f.port, "an inbound flow without port").value, from: f.from.map { $0.value.subnet })
                        }
                    })
                })
            case .isolated:
                kind = .guest(try guest(n, peers: peers[i], interfaces: interfaces) { _, _ in .isolated })
            }
            out.append(Network(name: name, kind: kind))
        }
        return Topology(host: t.host?.value, interfaces: interfaces, networks: out)
    }

    /// A nat, route or isolated network; `routing` is given where its
    /// traffic leaves (its uplink, or any interface) and its IPv4.
    func guest(_ n: NetworkSyntax, peers: Set<Int>, interfaces: [Interface],
               routing: (Egress, GuestFamily?) throws -> GuestNetwork.Routing) throws -> GuestNetwork {
        let egress: Egress = try n.uplink.map { u in
            if let j = lanBridge(u.value) { return .lanBridge(NetworkRef(index: j)) }
            return .interface(try interface(u.value))
        } ?? .anyButGuestBridges
        let server = n.servedBy?.value ?? Defaults.servedBy(hasAddressing: n.ipv4 != nil || n.ipv6 != nil)
        // libvirt's dnsmasq answers DNS at the gateway; networkd has no
        // resolver of its own and hands out the uplink's.
        let uplinkDNS = server == .networkd ? uplinkResolvers(n, interfaces: interfaces) : [:]
        let ipv4 = try guestFamily(n.ipv4, .ipv4, uplinkDNS: uplinkDNS)
        var network = GuestNetwork(routing: try routing(egress, ipv4), bridge: try bridge(n, forGuests: true), server: server,
                            domain: n.domain?.value, ipv4: ipv4, ipv6: try guestFamily(n.ipv6, .ipv6, uplinkDNS: uplinkDNS),
                            peers: peers.sorted().map { NetworkRef(index: $0) },
                            hostServices: try n.hostServices.map { services in
                                try services.map { s in
                                    HostService(proto: try need(s.proto, "a host service without proto").value,
                                                port: try need(s.port, "a host service without port").value)
                                }.sorted { ($0.proto.rawValue, $0.port.low) < ($1.proto.rawValue, $1.port.low) }
                            },
                            security: Security(isolateGuests: n.security?.isolateGuests?.value ?? Defaults.isolateGuests,
                                               lockReservations: n.security?.lockReservations?.value ?? Defaults.lockReservations))
        network.dnsHosts = n.dnsHosts.map { DNSHost(name: $0.name.value, addresses: $0.addresses.map(\.value)) }.sorted { $0.name < $1.name }
        return network
    }

    /// A bridge made for guests forwards at once (delay 0, as libvirt's);
    /// a bridge-mode bridge keeps the kernel's delay unless one is given.
    func bridge(_ n: NetworkSyntax, forGuests: Bool) throws -> Bridge {
        Bridge(name: try need(n.bridge, "a network without bridge").value, stp: n.stp?.value ?? Defaults.stp,
               forwardDelay: n.forwardDelay?.value ?? Defaults.forwardDelay(guestBridge: forGuests), mtu: n.mtu?.value)
    }

    func hostAddressing(ipv4: HostAddressingSyntax?, ipv6: HostAddressingSyntax?, routes: [RouteSyntax]) throws -> HostAddressing {
        func family(_ h: HostAddressingSyntax?) throws -> HostFamily? {
            guard let h else { return nil }
            return HostFamily(address: h.address?.value, moreAddresses: h.moreAddresses.map(\.value),
                              gateway: h.gateway?.value, dns: h.dns.map(\.value), search: h.search.map(\.value))
        }
        let routes = try routes.map { r -> Route in
            var destination: CIDR?
            if case .cidr(let c) = try need(r.to, "a route without 'to'").value { destination = c.subnet }
            return Route(destination: destination, gateway: r.via?.value, metric: r.metric?.value, table: r.table?.value)
        }
        return HostAddressing(ipv4: try family(ipv4), ipv6: ipv6?.disabled == nil ? try family(ipv6) : nil,
                              ipv6Disabled: ipv6?.disabled != nil, routes: routes)
    }

    /// The resolvers of a network's uplink interface, by family: the
    /// format's default for the resolvers handed to guests.
    func uplinkResolvers(_ n: NetworkSyntax, interfaces: [Interface]) -> [IPFamily: [IPAddress]] {
        guard let u = n.uplink?.value, let i = names.interfaces.position(of: u) else { return [:] }
        var out: [IPFamily: [IPAddress]] = [:]
        for f in interfaces[i].addressing.families {
            for d in f.dns { out[d.family, default: []].append(d) }
        }
        return out
    }

    func guestFamily(_ a: NetworkAddressingSyntax?, _ family: IPFamily, uplinkDNS: [IPFamily: [IPAddress]]) throws -> GuestFamily? {
        guard case .guest(let g)? = a else { return nil }
        let subnet = try need(g.subnet, "guest addressing without subnet").value
        let dhcp = try g.dhcp.map { d in
            DHCPPool(start: try need(d.start, "a DHCP range without start").value,
                     end: try need(d.end, "a DHCP range without end").value,
                     leaseSeconds: d.lease?.value ?? Defaults.leaseSeconds,
                     more: try g.moreDHCP.map { m in
                         DHCPRange(start: try need(m.start, "a DHCP range without start").value, end: try need(m.end, "a DHCP range without end").value)
                     },
                     boot: try d.boot.map { b in PXEBoot(file: try need(b.file, "boot without file").value, server: b.server?.value) })
        }
        let reservations = try g.reservations.map { r in
            Reservation(name: r.name.value, mac: try need(r.mac, "a reservation without mac").value,
                        ip: try need(r.ip, "a reservation without ip").value)
        }.sorted { $0.mac < $1.mac }
        return GuestFamily(family: family, subnet: subnet, gateway: try need(g.effectiveGateway, "a subnet without gateway"),
                           dhcp: dhcp, dns: g.dns.isEmpty ? (uplinkDNS[family] ?? []) : g.dns.map(\.value),
                           reservations: reservations, ra: g.ra?.value ?? Defaults.ra, nat: g.nat?.value ?? Defaults.ipv6NAT)
    }

    func forwards(_ n: NetworkSyntax, ipv4: GuestFamily?) throws -> [PortForward] {
        var out: [PortForward] = []
        for f in n.forwards {
            let to = try need(f.to, "a forward without target").value
            let reservation = ipv4?.reservations.first { $0.name == to }
            let port = try need(f.port, "a forward without port").value
            out.append(PortForward(proto: try need(f.proto, "a forward without proto").value, port: port,
                                   target: try need(reservation?.ip ?? IPAddress(to), "a forward to '\(to)'"),
                                   reservation: reservation?.name, targetPort: f.toPort?.value ?? port,
                                   from: f.from.map(\.value).sorted()))
        }
        return out.sorted { ($0.proto.rawValue, $0.port.low, $0.target) < ($1.proto.rawValue, $1.port.low, $1.target) }
    }
}

/// A bug in netc (a check that let something through, a template that does
/// not fit its values): reported with its own exit code, never as a
/// topology error.
public struct InternalError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = "internal error: " + d }
}
