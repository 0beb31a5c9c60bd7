/// The libvirt artifact: one typed `<network>` element per network, laid
/// out by templates/libvirt-network.xml.mustache.
public struct LibvirtNetworkFile: Sendable {
    /// `<forward mode='bridge'/>` and `<bridge name='B'/>`: guests attach to
    /// a bridge that networkd manages (bridge mode, and guest networks
    /// networkd serves).
    public struct Bridged: Sendable {
        public var bridge: String
    }
    /// `<forward mode='M'><interface dev='D'/></forward>`: macvtap.
    public struct Direct: Sendable {
        public var mode: String
        public var device: String
    }
    /// `<forward mode='open'/>`: libvirt creates the bridge and serves DHCP,
    /// DNS and router advertisements with its dnsmasq, and adds no firewall
    /// rule (filtering and NAT are nftables').
    public struct Served: Sendable {
        public var bridge: String
        /// `on` or `off`.
        public var stp: String
        public var delay: Int
        public var mtu: Int?
        public var domain: String?
        /// `<dns>`'s host records, one per address (sorted), each with
        /// its names.
        public var dnsHosts: [DNSHost] = []
        public var ips: [IP]
        public var hasDNSHosts: Bool { !dnsHosts.isEmpty }
    }
    public struct DNSHost: Sendable {
        public var ip: IPAddress
        public var hostnames: [String]
    }
    public struct IP: Sendable {
        public var ipv6: Bool
        public var address: IPAddress
        public var prefix: Int
        public var dhcp: DHCP?
    }
    /// `<dhcp>`: a dynamic range, or none when only reservations are
    /// served (dnsmasq's static mode).
    public struct DHCP: Sendable {
        public var range: Range?
        /// The ranges after the first, with the same lease.
        public var more: [Range] = []
        public var hosts: [Host]
        public var bootp: Bootp?
    }
    /// `<bootp file server>`: PXE.
    public struct Bootp: Sendable {
        public var file: String
        public var server: IPAddress?
    }
    public struct Range: Sendable {
        public var start: IPAddress
        public var end: IPAddress
        public var expiry: Int
        /// `seconds`, `minutes` or `hours`.
        public var unit: String
    }
    public struct Host: Sendable {
        public var mac: MACAddress
        /// Absent when the reservation's name is not a DNS label.
        public var name: String?
        public var ip: IPAddress
    }

    /// XML-comment-safe header lines.
    public var header: [String]
    public var name: String
    public var bridged: Bridged?
    public var direct: Direct?
    public var served: Served?
    /// Lines of dnsmasq configuration libvirt has no element for, passed
    /// through `<dnsmasq:options>` (and the namespace on `<network>`).
    public var dnsmasqOptions: [String] = []
    /// `<port isolated='yes'/>`: libvirt makes each guest's port on the
    /// bridge isolated (`security.isolate_guests`).
    public var isolatesPorts = false

    public var usesDnsmasqNamespace: Bool { !dnsmasqOptions.isEmpty }
    public var path: String { OutputLayout.libvirtNetwork(name) }
    /// The namespace of netc's `<metadata>` element: the network is netc's.
    public var metadataURN: String { OutputLayout.metadataURN }
}

/// libvirt planner: `Topology` -> one network element per network. The
/// libvirt policy lives here: which networks libvirt serves, and what its
/// dnsmasq hands to guests.
enum LibvirtPlanner {
    static func plan(_ t: Topology, header: [String]) -> [LibvirtNetworkFile] {
        // "--" may not appear inside an XML comment (a host name may hold it).
        let header = header.map { line in
            var l = line
            while l.contains("--") { l = l.replacingOccurrences(of: "--", with: "- -") }
            return l
        }
        return t.networks.map { n in
            var file = LibvirtNetworkFile(header: header, name: n.name)
            switch n.kind {
            case .macvtap(let m):
                file.direct = .init(mode: m.mode.rawValue, device: t[m.uplink].name)
            case .lan(let lan):
                file.bridged = .init(bridge: lan.bridge.name)
            case .guest(let g):
                file.isolatesPorts = g.security.isolateGuests
                switch g.server {
                case .libvirt: served(g, into: &file)
                case .networkd: file.bridged = .init(bridge: g.bridge.name)
                }
            }
            return file
        }
    }

    static func served(_ g: GuestNetwork, into file: inout LibvirtNetworkFile) {
        let ips = g.families.map { f in
            let hosts = f.reservations.map { LibvirtNetworkFile.Host(mac: $0.mac, name: isDNSLabel($0.name) ? $0.name : nil, ip: $0.ip) }
            let range = f.dhcp.map { d in
                let (expiry, unit) = lease(d.leaseSeconds)
                return LibvirtNetworkFile.Range(start: d.start, end: d.end, expiry: expiry, unit: unit)
            }
            var dhcp = range == nil && hosts.isEmpty ? nil : LibvirtNetworkFile.DHCP(range: range, hosts: hosts)
            if let d = f.dhcp, let r = range {
                dhcp?.more = d.more.map { .init(start: $0.start, end: $0.end, expiry: r.expiry, unit: r.unit) }
                dhcp?.bootp = d.boot.map { .init(file: $0.file, server: $0.server) }
            }
            return LibvirtNetworkFile.IP(ipv6: f.family == .ipv6, address: f.gateway, prefix: f.subnet.prefix, dhcp: dhcp)
        }
        // libvirt holds DNS host records by address: the names of each.
        var byAddress: [IPAddress: [String]] = [:]
        for h in g.dnsHosts { for a in h.addresses where !(byAddress[a] ?? []).contains(h.name) { byAddress[a, default: []].append(h.name) } }
        let dnsHosts = byAddress.keys.sorted().map { LibvirtNetworkFile.DNSHost(ip: $0, hostnames: byAddress[$0]!) }
        file.served = .init(bridge: g.bridge.name, stp: g.bridge.stp ? "on" : "off", delay: g.bridge.forwardDelay ?? 0, mtu: g.bridge.mtu,
                            domain: g.domain, dnsHosts: dnsHosts, ips: ips)
        var options: [String] = []
        if g.resolvesLocalNamesOnly {
            // What libvirt itself writes for a network without <forward>
            // (its isolated mode, which also adds iptables rules): DNS for
            // local names only, and no default route in either family
            // unless the guests need the gateway to reach their peers.
            if !g.advertisesRouter, g.ipv4 != nil { options.append("dhcp-option=3") }
            options.append("no-resolv")
            if !g.advertisesRouter, g.ipv6 != nil { options.append("ra-param=*,0,0") }
        }
        // Declared resolvers are handed out instead of the gateway's own.
        if let v4 = g.ipv4, !v4.dns.isEmpty {
            options.append("dhcp-option=option:dns-server," + v4.dns.map(\.description).joined(separator: ","))
        }
        if let v6 = g.ipv6, !v6.dns.isEmpty {
            options.append("dhcp-option=option6:dns-server," + v6.dns.map { "[\($0)]" }.joined(separator: ","))
        }
        file.dnsmasqOptions = options
    }

    /// The largest of libvirt's units that states the lease exactly.
    static func lease(_ seconds: Int) -> (expiry: Int, unit: String) {
        if seconds % 3600 == 0 { return (seconds / 3600, "hours") }
        if seconds % 60 == 0 { return (seconds / 60, "minutes") }
        return (seconds, "seconds")
    }

    /// dnsmasq serves a host name only if it is a DNS label (letters,
    /// digits, inner hyphens); other reservation names pin the address only.
    static func isDNSLabel(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard !u.isEmpty, u.count <= 63, u.first != 0x2D, u.last != 0x2D else { return false }
        return u.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
    }
}
