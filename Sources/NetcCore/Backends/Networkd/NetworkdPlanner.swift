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
            switch n.kind {
            case .lan(let lan): links.append(lanBridge(lan, in: t, header: header))
            case .guest(let g):
                // libvirt creates and serves the bridges of the networks it serves.
                switch g.server {
                case .networkd:
                    links.append(guestBridge(g, header: header))
                    if let o = g.overlay { links.append(overlayLink(o, bridge: g.bridge, header: header)) }
                case .libvirt: break
                }
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
                                bond: .init(mode: b.mode.rawValue, transmitHashPolicy: b.transmitHashPolicy?.rawValue,
                                            lacpTransmitRate: b.lacpRate?.rawValue, minLinks: b.minLinks,
                                            miiMonitorSec: miiMonitor))
        case .vlan(let v):
            order = 30
            netdev = NetdevFile(header: header, netDev: .init(name: i.name, kind: "vlan"), vlan: .init(id: v.id))
        }
        var permanentMAC: MACAddress?
        if case .ethernet(let mac) = i.kind { permanentMAC = mac }
        var network = NetworkFile.NetworkSection()
        switch i.master {
        case .bond(let b)?:
            network.bond = t[b].name
            if case .bond(let bond) = t[b].kind, let p = bond.primary { network.primarySlave = t[p].name == i.name }
        case .bridge(let n)?: network.bridge = t[n].bridge?.name
        case nil: hostAddressing(i.addressing, into: &network)
        }
        network.vlans = i.vlans.map { t[$0].name }
        // A link netc creates keeps its configuration while it has no
        // carrier yet (a bond still negotiating, a VLAN under it), as
        // netplan writes for every virtual link.
        network.configureWithoutCarrier = netdev != nil
        let mtu = linkMTU(declared: i.mtu, effective: effectiveMTU(i, in: t))
        var file = NetworkFile(header: header, match: .init(name: i.name, permanentMACAddress: permanentMAC),
                               link: mtu.map { .init(mtuBytes: $0) }, network: network)
        if i.master == nil { file.routes = routes(i.addressing) }
        return NetworkdLink(name: i.name, order: order, netdev: netdev, network: file)
    }

    /// A link's static routes, in the order written.
    static func routes(_ h: HostAddressing) -> [NetworkFile.RouteSection] {
        h.routes.map { .init(destination: $0.destination, gateway: $0.gateway, metric: $0.metric, table: $0.table) }
    }

    /// The MTU a link will really have: its own, or for a VLAN its parent's
    /// (the kernel gives a new VLAN its parent's MTU), else 1500.
    static func effectiveMTU(_ i: Interface, in t: Topology) -> Int {
        if let m = i.mtu { return m }
        if case .vlan(let v) = i.kind { return effectiveMTU(t[v.parent], in: t) }
        return Defaults.mtu
    }

    /// `MTUBytes=` when declared, or when the link inherits an MTU other
    /// than 1500 (a VLAN under a jumbo bond): what the review shows is what
    /// the host has.
    static func linkMTU(declared: Int?, effective: Int) -> Int? {
        declared ?? (effective != Defaults.mtu ? effective : nil)
    }

    /// A link the host itself lives on (a NIC, bond, VLAN or bridge-mode
    /// bridge): its declared addressing. IPv6 keeps networkd's defaults
    /// (link-local, router advertisements) unless declared or `ipv6: false`.
    static func hostAddressing(_ h: HostAddressing, into n: inout NetworkFile.NetworkSection) {
        var dhcp4 = false, dhcp6 = false
        for (family, isIPv4) in [(h.ipv4, true), (h.ipv6, false)] {
            guard let f = family else { continue }
            switch f.address {
            case .dhcp?: if isIPv4 { dhcp4 = true } else { dhcp6 = true }
            case .cidr(let c)?: n.addresses.append(c)
            case nil: break
            }
            n.addresses += f.moreAddresses
            if let g = f.gateway { n.gateways.append(g) }
            n.dns += f.dns
            for d in f.search where !n.domains.contains(d) { n.domains.append(d) }
        }
        n.dhcp = dhcp4 && dhcp6 ? "yes" : dhcp4 ? "ipv4" : dhcp6 ? "ipv6" : nil
        let staticIPv6 = n.addresses.contains { $0.family == .ipv6 }
        if h.ipv6Disabled {
            // `ipv6: false`: none at all, not even link-local.
            n.linkLocalAddressing = "no"
            n.ipv6AcceptRA = .no
        } else if staticIPv6 && !dhcp6 {
            // Static IPv6: exactly the declared addresses, no SLAAC.
            n.ipv6AcceptRA = .no
        } else {
            // Router advertisements, said explicitly: networkd's default is
            // off on bridges and whenever IPv6 forwarding is on
            // (sysctl/60-netc.conf), which would cut the host off IPv6.
            n.ipv6AcceptRA = .yes
        }
    }

    static func lanBridge(_ lan: LANNetwork, in t: Topology, header: [String]) -> NetworkdLink {
        // The bridge keeps its uplink's MAC, so upstream DHCP reservations and
        // switch port security keep seeing the same machine: the declared
        // one, or (`none`) the first port's, the uplink's, instead of one
        // networkd would make up from the bridge's name and the machine id.
        var mac = "none"
        if case .ethernet(let m?) = t[lan.uplink].kind { mac = m.description }
        var network = NetworkFile.NetworkSection()
        if lan.addressing.ipv4 == nil, lan.addressing.ipv6 == nil, !lan.addressing.ipv6Disabled {
            // A bridge for guests only (the host has no address there,
            // typically a guest VLAN): no address of the host's at all, not
            // even one from the guests' router advertisements (SLAAC).
            network.linkLocalAddressing = "no"
            network.ipv6AcceptRA = .no
        } else {
            hostAddressing(lan.addressing, into: &network)
        }
        network.configureWithoutCarrier = true
        let mtu = linkMTU(declared: lan.bridge.mtu, effective: lan.bridge.mtu ?? effectiveMTU(t[lan.uplink], in: t))
        var link = bridgeLink(lan.bridge, mac: mac, mtu: mtu, network: network, header: header)
        link.network.routes = routes(lan.addressing)
        return link
    }

    static func bridgeLink(_ b: Bridge, mac: String?, mtu: Int?, network: NetworkFile.NetworkSection, header: [String],
                           dhcpServer: NetworkFile.DHCPServer? = nil, staticLeases: [NetworkFile.StaticLease] = [],
                           ra: NetworkFile.IPv6SendRA? = nil, prefix: NetworkFile.IPv6Prefix? = nil) -> NetworkdLink {
        let netdev = NetdevFile(header: header, netDev: .init(name: b.name, kind: "bridge", macAddress: mac),
                                bridge: .init(stp: INIBool(b.stp), forwardDelaySec: b.forwardDelay))
        let file = NetworkFile(header: header, match: .init(name: b.name), link: mtu.map { .init(mtuBytes: $0) },
                               network: network, dhcpServer: dhcpServer, staticLeases: staticLeases,
                               ipv6SendRA: ra, ipv6Prefix: prefix)
        return NetworkdLink(name: b.name, order: 40, netdev: netdev, network: file)
    }

    /// The bridge of a nat, route or isolated network that networkd serves
    /// (`served_by: networkd`): the host is the guests' gateway and serves
    /// DHCP and router advertisements. An isolated network's guests get no
    /// router (unless they need it to reach peers: `advertisesRouter`) and
    /// no resolver unless `dns` names one. Forwarding is sysctl's.
    static func guestBridge(_ g: GuestNetwork, header: [String]) -> NetworkdLink {
        let routerless = !g.advertisesRouter
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
            if let boot = d.boot {
                // The boot server: the given one, or the gateway (as libvirt's dnsmasq).
                dhcpServer?.bootServerAddress = boot.server ?? v4.gateway
                dhcpServer?.bootFilename = boot.file
            }
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
        // An overlay's bridge holds the anycast gateway: the same MAC on
        // every member.
        return bridgeLink(g.bridge, mac: g.overlay?.anycastMAC.description, mtu: g.bridge.mtu, network: network, header: header,
                          dhcpServer: dhcpServer, staticLeases: leases, ra: ra, prefix: prefix)
    }

    /// A fleet overlay's VXLAN link on this member, a port of the overlay's
    /// bridge, with one all-zero FDB entry per other member (head-end
    /// replication: no multicast underlay needed).
    static func overlayLink(_ o: OverlayLink, bridge: Bridge, header: [String]) -> NetworkdLink {
        let netdev = NetdevFile(header: header, netDev: .init(name: o.device, kind: "vxlan"),
                                vxlan: .init(vni: o.vni, local: o.local, destinationPort: OverlayLink.port))
        var network = NetworkFile.NetworkSection()
        network.bridge = bridge.name
        network.linkLocalAddressing = "no"
        network.ipv6AcceptRA = .no
        network.configureWithoutCarrier = true
        var file = NetworkFile(header: header, match: .init(name: o.device), link: bridge.mtu.map { .init(mtuBytes: $0) }, network: network)
        let flood = MACAddress("00:00:00:00:00:00")!
        file.bridgeFDB = o.remotes.map { .init(macAddress: flood, destination: $0) }
        return NetworkdLink(name: o.device, order: 45, netdev: netdev, network: file)
    }
}
