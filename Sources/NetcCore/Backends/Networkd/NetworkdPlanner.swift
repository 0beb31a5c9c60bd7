/// networkd planner: `Topology` -> `NetworkdUnits`. The networkd policy
/// lives here: which links get which role, IPv6 link-local and router
/// advertisement choices, bond defaults, the DHCP server of the guest
/// networks it serves.
enum NetworkdPlanner {
    /// Bond link monitoring: networkd's default is off, which leaves a dead
    /// member in the bond.
    static let miiMonitor = "100ms"

    static func plan(_ t: Topology, header: [String]) -> NetworkdUnits {
        var links: [NetworkdLink] = []
        for i in t.interfaces { links.append(link(i, in: t, header: header)) }
        for n in t.networks {
            switch n.mode {
            case .bridge(let lan): links.append(lanBridge(lan, in: t, header: header))
            case .nat, .route, .isolated:
                // libvirt creates and serves the bridges of the networks it serves.
                if let g = n.guest, g.server == .networkd { links.append(guestBridge(n, g, header: header)) }
            case .macvtap: break
            }
        }
        links.sort { ($0.order, $0.name) < ($1.order, $1.name) }
        return NetworkdUnits(links: links)
    }

    static func link(_ i: Interface, in t: Topology, header: [String]) -> NetworkdLink {
        var netdev: NetdevFile?
        let order: Int
        switch i.kind {
        case .ethernet:
            order = 10
        case .bond(let b):
            order = 20
            netdev = NetdevFile(header: header, netDev: .init(name: i.name, kind: "bond"),
                                bond: .init(mode: b.mode.rawValue, miiMonitorSec: miiMonitor))
        case .vlan(let v):
            order = 30
            netdev = NetdevFile(header: header, netDev: .init(name: i.name, kind: "vlan"), vlan: .init(id: v.id))
        }
        var permanentMAC: MACAddress?
        if case .ethernet(let mac) = i.kind { permanentMAC = mac }
        var network = NetworkFile.NetworkSection()
        switch i.master {
        case .bond(let b)?: network.bond = t[b].name
        case .bridge(let n)?: network.bridge = t[n].bridge?.name
        case nil: hostAddressing(i.addressing, into: &network)
        }
        network.vlans = i.vlans.map { t[$0].name }
        let file = NetworkFile(header: header, match: .init(name: i.name, permanentMACAddress: permanentMAC),
                               link: i.mtu.map { .init(mtuBytes: $0) }, network: network)
        return NetworkdLink(name: i.name, order: order, netdev: netdev, network: file)
    }

    /// A link the host itself lives on (a NIC, bond, VLAN or bridge-mode
    /// bridge): its declared addressing, and IPv6 only where declared.
    static func hostAddressing(_ h: HostAddressing, into n: inout NetworkFile.NetworkSection) {
        var dhcp4 = false, dhcp6 = false
        for (family, isIPv4) in [(h.ipv4, true), (h.ipv6, false)] {
            guard let f = family else { continue }
            switch f.address {
            case .dhcp?: if isIPv4 { dhcp4 = true } else { dhcp6 = true }
            case .cidr(let c)?: n.addresses.append(c)
            case nil: break
            }
            if let g = f.gateway { n.gateways.append(g) }
            n.dns += f.dns
        }
        n.dhcp = dhcp4 && dhcp6 ? "yes" : dhcp4 ? "ipv4" : dhcp6 ? "ipv6" : nil
        let hasIPv6 = dhcp6 || n.addresses.contains { $0.family == .ipv6 }
        if !hasIPv6 {
            // No IPv6 declared: the link gets none, not even link-local.
            n.linkLocalAddressing = "no"
            n.ipv6AcceptRA = .no
        } else if dhcp6 {
            // With IPv6 forwarding on (sysctl/60-netc.conf) networkd no
            // longer accepts router advertisements by default: say so.
            n.ipv6AcceptRA = .yes
        } else {
            // Static IPv6: exactly the declared addresses, no SLAAC.
            n.ipv6AcceptRA = .no
        }
    }

    static func lanBridge(_ lan: LANNetwork, in t: Topology, header: [String]) -> NetworkdLink {
        // The bridge takes its uplink NIC's MAC, so upstream DHCP and switch
        // port security keep seeing the same address.
        var mac: MACAddress?
        if case .ethernet(let m) = t[lan.uplink].kind { mac = m }
        var network = NetworkFile.NetworkSection()
        hostAddressing(lan.addressing, into: &network)
        return bridgeLink(lan.bridge, mac: mac, network: network, header: header)
    }

    static func bridgeLink(_ b: Bridge, mac: MACAddress?, network: NetworkFile.NetworkSection, header: [String],
                           dhcpServer: NetworkFile.DHCPServer? = nil, staticLeases: [NetworkFile.StaticLease] = [],
                           ra: NetworkFile.IPv6SendRA? = nil, prefix: NetworkFile.IPv6Prefix? = nil) -> NetworkdLink {
        let netdev = NetdevFile(header: header, netDev: .init(name: b.name, kind: "bridge", macAddress: mac),
                                bridge: .init(stp: INIBool(b.stp)))
        let file = NetworkFile(header: header, match: .init(name: b.name), link: b.mtu.map { .init(mtuBytes: $0) },
                               network: network, dhcpServer: dhcpServer, staticLeases: staticLeases,
                               ipv6SendRA: ra, ipv6Prefix: prefix)
        return NetworkdLink(name: b.name, order: 40, netdev: netdev, network: file)
    }

    /// The bridge of a nat, route or isolated network that networkd serves
    /// (`served_by: networkd`): the host is the guests' gateway and serves
    /// DHCP and router advertisements. An isolated network's guests get no
    /// router (unless they need it to reach peers: `isRouterless`) and no
    /// resolver unless `dns` names one. Forwarding is sysctl's.
    static func guestBridge(_ n: Network, _ g: GuestNetwork, header: [String]) -> NetworkdLink {
        let routerless = n.kind == .isolated && g.isRouterless
        var network = NetworkFile.NetworkSection()
        network.addresses = g.families.map { CIDR(address: $0.gateway, prefix: $0.subnet.prefix) }
        network.linkLocalAddressing = g.ipv6 != nil ? "ipv6" : "no"
        network.ipv6AcceptRA = .no
        network.configureWithoutCarrier = true
        var dhcpServer: NetworkFile.DHCPServer?
        var leases: [NetworkFile.StaticLease] = []
        if let v4 = g.ipv4, let d = v4.dhcp {
            // Options networkd has no key for: the MTU (26) and the domain (15).
            var options: [String] = []
            if let mtu = g.bridge.mtu { options.append("26:uint16:\(mtu)") }
            if let domain = g.domain { options.append("15:string:\(domain)") }
            // MaxLeaseTimeSec= defaults to 12 h and would cut a longer lease.
            dhcpServer = .init(poolOffset: Int(d.start.value - v4.subnet.network.value),
                               poolSize: Int(d.end.value - d.start.value + 1), defaultLeaseTimeSec: d.leaseSeconds,
                               maxLeaseTimeSec: d.leaseSeconds, emitRouter: routerless ? .no : nil,
                               emitDNS: INIBool(!v4.dns.isEmpty), dns: v4.dns, sendOptions: options)
            leases = v4.reservations.map { .init(macAddress: $0.mac, address: $0.ip) }
            network.dhcpServer = true
        }
        var ra: NetworkFile.IPv6SendRA?, prefix: NetworkFile.IPv6Prefix?
        if let v6 = g.ipv6, v6.ra {
            ra = .init(routerLifetimeSec: routerless ? 0 : nil, emitDNS: INIBool(!v6.dns.isEmpty), dns: v6.dns,
                       domains: g.domain.map { [$0] } ?? [])
            prefix = .init(prefix: v6.subnet)
            network.ipv6SendRA = true
        }
        return bridgeLink(g.bridge, mac: nil, network: network, header: header, dhcpServer: dhcpServer,
                          staticLeases: leases, ra: ra, prefix: prefix)
    }
}
