/// Lower stage: a validated `TopologySyntax` -> `HostPlan`. Resolves every
/// default (gateways, lease times, resolvers) and decides each link's role.
/// Runs only on topologies without errors.
public enum Lowering {
    public static func lower(_ t: TopologySyntax, sourceName: String) -> HostPlan {
        var links: [String: LinkPlan] = [:]
        let networks = t.networks.sorted { $0.name.value < $1.name.value }

        // Masters: bond members and bridge uplinks.
        var masters: [String: Master] = [:]
        for i in t.interfaces where i.effectiveKind == .bond {
            for m in i.members { masters[m.value] = .bond(i.name.value) }
        }
        for n in networks where n.mode?.value == .bridge {
            if let u = n.uplink?.value, let b = n.bridge?.value { masters[u] = .bridge(b) }
        }
        let byName = Dictionary(t.interfaces.map { ($0.name.value, $0) }, uniquingKeysWith: { a, _ in a })
        var vlansOf: [String: [String]] = [:]
        for i in t.interfaces where i.effectiveKind == .vlan {
            if let p = i.parent?.value { vlansOf[p, default: []].append(i.name.value) }
        }

        for i in t.interfaces {
            let name = i.name.value
            let kind: LinkKind = switch i.effectiveKind {
            case .ethernet: .ethernet
            case .bond: .bond(i.bondMode?.value ?? .activeBackup)
            case .vlan: .vlan(id: i.id?.value ?? 0, parent: i.parent?.value ?? "")
            }
            let role: LinkRole = masters[name].map { .port($0) }
                ?? .host(hostAddressing(ipv4: i.ipv4, ipv6: i.ipv6))
            let vlans = (vlansOf[name] ?? []).sorted()
            links[name] = LinkPlan(name: name, kind: kind, permanentMAC: i.mac?.value, macAddress: nil,
                                   mtu: i.mtu?.value, vlans: vlans, role: role, network: nil)
        }

        var libvirt: [LibvirtNetworkPlan] = []
        var firewalls: [NetworkFirewall] = []
        let guestBridges = networks.filter { [.nat, .route, .isolated].contains($0.mode?.value) }
            .compactMap { $0.bridge?.value }.sorted()
        let bridgeOf = Dictionary(networks.compactMap { n in n.bridge.map { (n.name.value, $0.value) } }, uniquingKeysWith: { a, _ in a })
        // Peering is symmetric: either side naming the other is enough.
        var peerBridges: [String: Set<String>] = [:]
        for n in networks {
            for p in n.peers {
                guard let a = bridgeOf[n.name.value], let b = bridgeOf[p.value] else { continue }
                peerBridges[n.name.value, default: []].insert(b)
                peerBridges[p.value, default: []].insert(a)
            }
        }

        for n in networks {
            guard let mode = n.mode?.value else { continue }
            let name = n.name.value
            if mode == .macvtap {
                libvirt.append(LibvirtNetworkPlan(name: name, forward: .macvtap(mode: n.macvtapMode?.value ?? .bridge,
                                                                                device: n.uplink?.value ?? "")))
                continue
            }
            guard let bridge = n.bridge?.value else { continue }
            libvirt.append(LibvirtNetworkPlan(name: name, forward: .bridge(bridge)))
            let role: LinkRole
            var bridgeMAC: MACAddress?
            if mode == .bridge {
                var hostIPv4: HostAddressingSyntax?, hostIPv6: HostAddressingSyntax?
                if case .host(let h)? = n.ipv4 { hostIPv4 = h }
                if case .host(let h)? = n.ipv6 { hostIPv6 = h }
                role = .host(hostAddressing(ipv4: hostIPv4, ipv6: hostIPv6))
                if let u = n.uplink?.value { bridgeMAC = byName[u]?.mac?.value }
            } else {
                role = .guestBridge(guestBridge(n, mode: mode, uplinkDNS: uplinkDNS(n, byName: byName)))
            }
            links[bridge] = LinkPlan(name: bridge, kind: .bridge(stp: n.stp?.value ?? false), permanentMAC: nil,
                                     macAddress: bridgeMAC, mtu: n.mtu?.value, vlans: [], role: role, network: name)
            firewalls.append(firewall(n, mode: mode, bridge: bridge, guestBridges: guestBridges,
                                      peers: (peerBridges[name] ?? []).sorted()))
        }

        let sortedLinks = links.values.sorted { ($0.kind.order, $0.name) < ($1.kind.order, $1.name) }
        return HostPlan(sourceName: sourceName, host: t.host?.value, links: sortedLinks,
                        firewall: FirewallPlan(networks: firewalls, guestBridges: guestBridges),
                        libvirtNetworks: libvirt)
    }

    static func hostAddressing(ipv4: HostAddressingSyntax?, ipv6: HostAddressingSyntax?) -> HostAddressPlan {
        var p = HostAddressPlan()
        var dhcp4 = false, dhcp6 = false
        for (h, family) in [(ipv4, IPFamily.ipv4), (ipv6, .ipv6)] {
            guard let h else { continue }
            switch h.address?.value {
            case .dhcp?: if family == .ipv4 { dhcp4 = true } else { dhcp6 = true }
            case .cidr(let c)?: p.addresses.append(c)
            case nil: break
            }
            if let g = h.gateway?.value { p.gateways.append(g) }
            p.dns += h.dns.map(\.value)
        }
        p.dhcp = dhcp4 && dhcp6 ? .yes : dhcp4 ? .ipv4 : dhcp6 ? .ipv6 : nil
        return p
    }

    /// The resolvers of the network's uplink, as declared in the topology:
    /// the default DNS handed to guests.
    static func uplinkDNS(_ n: NetworkSyntax, byName: [String: InterfaceSyntax]) -> [IPFamily: [IPAddress]] {
        guard let u = n.uplink?.value, let i = byName[u] else { return [:] }
        var out: [IPFamily: [IPAddress]] = [:]
        for a in [i.ipv4, i.ipv6].compactMap({ $0 }) {
            for d in a.dns { out[d.value.family, default: []].append(d.value) }
        }
        return out
    }

    static func guestAddressing(_ a: NetworkAddressingSyntax?) -> GuestAddressingSyntax? {
        if case .guest(let g)? = a { return g }
        return nil
    }

    static func guestBridge(_ n: NetworkSyntax, mode: NetworkMode, uplinkDNS: [IPFamily: [IPAddress]]) -> GuestBridgePlan {
        let v4 = guestAddressing(n.ipv4), v6 = guestAddressing(n.ipv6)
        var addresses: [CIDR] = []
        var dhcpServer: DHCPServerPlan?
        var ra: RouterAdvertisementPlan?
        if let g = v4, let subnet = g.subnet?.value {
            let gw = g.effectiveGateway!
            addresses.append(CIDR(address: gw, prefix: subnet.prefix))
            if let d = g.dhcp, let start = d.start?.value, let end = d.end?.value {
                let dns = g.dns.isEmpty ? (uplinkDNS[.ipv4] ?? []) : g.dns.map(\.value)
                let leases = g.reservations.compactMap { r in r.mac.flatMap { m in r.ip.map { (mac: m.value, address: $0.value) } } }
                    .sorted { $0.mac < $1.mac }
                dhcpServer = DHCPServerPlan(poolOffset: Int(start.value - subnet.network.value),
                                            poolSize: Int(end.value - start.value + 1),
                                            leaseSeconds: d.lease?.value ?? 3600, dns: dns, staticLeases: leases)
            }
        }
        if let g = v6, let subnet = g.subnet?.value {
            let gw = g.effectiveGateway!
            addresses.append(CIDR(address: gw, prefix: subnet.prefix))
            if g.ra?.value ?? true {
                ra = RouterAdvertisementPlan(prefix: subnet, dns: g.dns.isEmpty ? (uplinkDNS[.ipv6] ?? []) : g.dns.map(\.value))
            }
        }
        var forwarding: ForwardingPlan?
        if mode == .nat || mode == .route {
            forwarding = v4 != nil && v6 != nil ? .yes : v4 != nil ? .ipv4 : .ipv6
        }
        return GuestBridgePlan(network: n.name.value, mode: mode, addresses: addresses, forwarding: forwarding,
                               dhcpServer: dhcpServer, routerAdvertisement: ra, hasIPv6: v6 != nil)
    }

    static func firewall(_ n: NetworkSyntax, mode: NetworkMode, bridge: String, guestBridges: [String],
                         peers: [String]) -> NetworkFirewall {
        var families: [FamilyFirewall] = []
        for (a, family) in [(n.ipv4, IPFamily.ipv4), (n.ipv6, .ipv6)] {
            guard let g = guestAddressing(a), let subnet = g.subnet?.value else { continue }
            let masquerade = mode == .nat && (family == .ipv4 || g.nat?.value == true)
            families.append(FamilyFirewall(family: family, subnet: subnet, masquerade: masquerade, inboundNew: mode == .route))
        }
        let egress: Egress = n.uplink.map { .interface($0.value) } ?? .anyButGuestBridges
        var forwards: [PortForwardPlan] = []
        if let g = guestAddressing(n.ipv4) {
            for f in n.forwards {
                guard let proto = f.proto?.value, let port = f.port?.value, let to = f.to?.value else { continue }
                let reservation = g.reservations.first { $0.name.value == to }
                guard let target = reservation?.ip?.value ?? IPAddress(to) else { continue }
                forwards.append(PortForwardPlan(proto: proto, port: port, target: target, targetPort: f.toPort?.value ?? port,
                                                from: f.from.map(\.value).sorted(), targetName: reservation?.name.value))
            }
        }
        forwards.sort { ($0.proto.rawValue, $0.port.low) < ($1.proto.rawValue, $1.port.low) }
        let closed = guestBridges.filter { $0 != bridge && !peers.contains($0) }
        return NetworkFirewall(name: n.name.value, mode: mode, bridge: bridge, egress: egress, families: families,
                               peerBridges: peers, forwards: forwards, forwardsClosedTo: forwards.isEmpty ? [] : closed)
    }
}
