/// One libvirt `<network>` at a time -> `ImportedTopology`. Every element
/// and attribute of the XML is either turned into topology, or reported:
/// E802-E805 when the network cannot be imported, W801 when a part of it is
/// left out, W802 for a host link whose addressing the XML cannot tell.
struct Importer {
    typealias T = ImportedTopology

    let sources: [LibvirtImport.Source]
    let uplinks: [String: String]
    var findings: [LibvirtImport.Finding] = []
    /// Errors among `findings`.
    private(set) var errors = 0
    var locations = Locations()
    var networks: [T.Network] = []
    /// Host links the networks name, by name: the comment of the first
    /// network that named it.
    var interfaces: [String: [String]] = [:]
    private(set) var usedUplinks: Set<String> = []
    /// The source being read.
    var source = 0

    init(sources: [LibvirtImport.Source], uplinks: [String: String]) {
        self.sources = sources
        self.uplinks = uplinks
    }

    // MARK: Reporting

    mutating func report(_ message: Message, at range: SourceRange, notes: [DiagnosticNote] = []) {
        findings.append(.init(source: source, diagnostic: Diagnostic(message, at: range, notes: notes)))
        if message.code.severity == .error { errors += 1 }
    }

    /// W801: `what` has no equivalent in a topology; `why` says what it did.
    mutating func leftOut(_ what: String, _ why: String, at range: SourceRange) {
        report(.leftOut(what, why), at: range)
    }

    /// What libvirt's elements do, for W801 messages.
    static let meaning: [String: String] = [
        "portgroup": "netc has no port groups (per-guest VLAN, bandwidth and virtual port settings)",
        "bandwidth": "netc sets no bandwidth limits",
        "route": "netc adds no static routes to subnets behind a guest",
        "vlan": "netc does not tag guest ports with VLANs (declare a VLAN interface and a bridge-mode network on it)",
        "port": "netc isolates guest ports (security.isolate_guests) and sets nothing else on them",
        "tftp": "netc's networks serve no TFTP",
        "forwarder": "the gateway forwards to the host's own resolvers (its /etc/resolv.conf); netc names no other forwarders",
        "host": "a DNS host record needs an ip and at least one <hostname>",
        "txt": "netc's networks serve no TXT records",
        "lease": "a netc network's ranges share the first range's lease",
        "srv": "netc's networks serve no SRV records",
        "address": "netc masquerades to the outgoing interface's address",
        "driver": "netc has no host device pools",
    ]

    /// Reports every attribute and child of `e` the import does not read.
    /// `connections` (how many guests are attached) and namespace
    /// declarations are the running network's state and XML plumbing, not
    /// configuration: they are passed over.
    mutating func only(_ e: XMLTree.Element, attributes: Set<String> = [], children: Set<String> = []) {
        for a in e.attributes where !attributes.contains(a.name) && a.name != "connections" && !a.name.hasPrefix("xmlns") {
            leftOut("the attribute \(a.name)='\(a.value)' of <\(e.name)>", "netc has no equivalent", at: a.range)
        }
        for c in e.children where !children.contains(c.name) {
            leftOut("<\(c.name)> in <\(e.name)>", Self.meaning[c.name] ?? "netc has no equivalent", at: c.range)
        }
    }

    /// One comment line: control characters escaped, white space runs
    /// collapsed.
    static func comment(_ s: String) -> String {
        Escape.controls(s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " "))
    }

    // MARK: Reading values

    /// The attribute's value, or E802 at the element when it is missing.
    mutating func required(_ e: XMLTree.Element, _ name: String, _ what: String) -> XMLTree.Element.Attribute? {
        if let a = e.attribute(name) { return a }
        report(.missingAttribute(e.name, name, what), at: e.range)
        return nil
    }

    mutating func address(_ a: XMLTree.Element.Attribute, _ family: IPFamily? = nil) -> IPAddress? {
        guard let ip = IPAddress(a.value) else {
            report(.badImportedAddress(a.name, a.value), at: a.valueRange)
            return nil
        }
        if let family, ip.family != family {
            report(.addressOfOtherFamily(a.name, a.value, ip.family.rawValue, family.rawValue), at: a.valueRange)
            return nil
        }
        return ip
    }

    mutating func integer(_ a: XMLTree.Element.Attribute, _ range: ClosedRange<Int>) -> Int? {
        guard let n = Int(a.value), range.contains(n) else {
            report(.notAnIntegerInRange(a.name, a.value, range.lowerBound, range.upperBound), at: a.valueRange)
            return nil
        }
        return n
    }

    mutating func interfaceName(_ a: XMLTree.Element.Attribute) -> String? {
        if let p = NameRules.interfaceNameProblem(a.value) {
            report(.badImportedInterfaceName(a.value, p), at: a.valueRange)
            return nil
        }
        return a.value
    }

    mutating func yesNo(_ a: XMLTree.Element.Attribute, yes: String = "yes", no: String = "no") -> Bool? {
        if a.value == yes { return true }
        if a.value == no { return false }
        report(.notYesOrNo(a.name, a.value, yes, no), at: a.valueRange)
        return nil
    }

    // MARK: Modes

    enum Mode {
        /// A network whose guests have the host as gateway.
        case guest(GuestMode)
        case hostBridge
        case macvtap(String)
    }

    enum GuestMode {
        case nat, route, open, isolated

        var isNAT: Bool {
            switch self {
            case .nat: true
            case .route, .open, .isolated: false
            }
        }
    }

    /// libvirt's forward mode -> netc's mode: the import's mode knowledge.
    mutating func mode(of root: XMLTree.Element) -> Mode? {
        guard let forward = root.child("forward") else { return .guest(.isolated) }
        if let pf = forward.child("pf") {
            report(.sriovPool, at: pf.range)
            return nil
        }
        let modeAttribute = forward.attribute("mode")
        switch modeAttribute?.value ?? "nat" {  // libvirt: <forward/> is nat
        case "nat": return .guest(.nat)
        case "route": return .guest(.route)
        case "open": return .guest(.open)
        case "bridge":
            if root.child("bridge")?.attribute("name") != nil { return .hostBridge }
            if forward.attribute("dev") != nil || forward.child("interface") != nil { return .macvtap("bridge") }
            report(.bridgeForwardWithoutTarget, at: forward.range)
            return nil
        case "private", "vepa", "passthrough":
            return .macvtap(modeAttribute!.value)
        case "hostdev":
            report(.hostdevPool,
                   at: modeAttribute!.valueRange)
            return nil
        default:
            report(.unknownForwardMode(modeAttribute!.value),
                   at: modeAttribute!.valueRange)
            return nil
        }
    }

    // MARK: One network

    mutating func network(_ root: XMLTree.Element, source: Int) {
        self.source = source
        let errorsBefore = errors
        guard root.name == "network" else {
            report(.notANetwork(root.name),
                   at: root.range)
            return
        }
        guard let nameElement = root.child("name") else {
            report(.networkWithoutName, at: root.range)
            return
        }
        let name = nameElement.text.trimmingSpaces
        if let p = NameRules.networkNameProblem(name) {
            report(.badImportedNetworkName(name, p), at: nameElement.textRange ?? nameElement.range)
            return
        }
        let path = ["networks", name]
        locations.set(path, source, root.range)
        if let virtualport = root.child("virtualport") {
            let type = virtualport.attribute("type")?.value ?? "?"
            report(.virtualPortNetwork(type),
                   at: virtualport.range)
            return
        }
        guard let mode = mode(of: root) else { return }
        let file = sources[source].name
        var n = T.Network(name: name, mode: T.Item(value: ""))
        n.comments.append(Self.comment("From \(file)."))
        for key in ["title", "description"] {
            if let e = root.child(key), !e.text.trimmingSpaces.isEmpty {
                n.comments.append(Self.comment("\(key == "title" ? "Title" : "Description"): \(e.text)"))
            }
        }
        let forward = root.child("forward")
        if let forward { locations.set(path + ["mode"], source, forward.range) }

        var networkChildren: Set<String> = ["name", "uuid", "title", "description", "forward", "mtu", "metadata", "dnsmasq:options"]
        var networkAttributes: Set<String> = []
        switch mode {
        case .guest(let mode):
            networkChildren.formUnion(["bridge", "mac", "domain", "dns", "ip", "port"])
            guest(root, mode, &n, path)
        case .hostBridge:
            networkChildren.insert("bridge")
            hostBridge(root, &n, path)
        case .macvtap(let m):
            networkChildren.insert("bridge")  // reported by macvtap(_:)
            macvtap(root, m, &n, path)
        }
        if let ipv6 = root.attribute("ipv6") {
            networkAttributes.insert("ipv6")
            if ipv6.value == "yes" {
                leftOut("ipv6='yes' (IPv6 between guests without an IPv6 subnet)", "netc's networks carry IPv6 when they declare an ipv6 subnet", at: ipv6.range)
            }
        }
        if let mtu = root.child("mtu") {
            if case .macvtap = mode {
                leftOut("<mtu>", "a macvtap network's MTU is its uplink's: set mtu on the interface", at: mtu.range)
            } else if let size = required(mtu, "size", "the MTU") {
                only(mtu, attributes: ["size"])
                if let v = integer(size, 68...65535) {
                    n.mtu = T.Item(value: String(v))
                    locations.set(path + ["mtu"], source, size.valueRange)
                }
            }
        }
        if let metadata = root.child("metadata") {
            // netc's own mark says nothing about the network.
            for c in metadata.children where c.name != "netc:network" {
                leftOut("<\(c.name)> in <metadata>", "a topology keeps no application metadata", at: c.range)
            }
        }
        if let options = root.child("dnsmasq:options") {
            for o in options.children {
                let value = o.attribute("value")?.value ?? o.text.trimmingSpaces
                leftOut("the dnsmasq option '\(value)'", "a topology passes no options to dnsmasq", at: o.range)
            }
        }
        only(root, attributes: networkAttributes, children: networkChildren)
        if errors == errorsBefore {
            networks.append(n)
        }
    }

    // MARK: nat, route, open, isolated

    mutating func guest(_ root: XMLTree.Element, _ mode: GuestMode, _ n: inout T.Network, _ path: [String]) {
        let forward = root.child("forward")
        var masqueradeIPv6 = false
        switch mode {
        case .nat:
            n.mode = T.Item(value: "nat")
        case .route:
            n.mode = T.Item(value: "route")
        case .open:
            n.mode = T.Item(value: "route", comments: [
                "libvirt's open mode (forwarding, no firewall rules of libvirt's own): netc's nearest is route,",
                "whose ruleset forwards the subnet both ways and nothing else.",
            ])
        case .isolated:
            n.mode = T.Item(value: "isolated")
        }
        if let forward {
            only(forward, attributes: ["mode", "dev"], children: mode.isNAT ? ["nat", "interface"] : ["interface"])
            uplink(of: forward, n.name, &n, path, what: "leave by")
            if n.uplink == nil, case .nat = mode {
                n.mode.comments.append("No dev= in <forward>: guests leave by any interface but the guest bridges, as with libvirt.")
            }
            if let nat = forward.child("nat"), mode.isNAT { masqueradeIPv6 = natOptions(nat) }
        }
        // The bridge libvirt created: netc's libvirt network creates it again.
        guard let bridge = root.child("bridge") else {
            report(.networkWithoutBridge(n.name),
                   at: root.range)
            return
        }
        only(bridge, attributes: ["name", "stp", "delay", "macTableManager", "zone"])
        guard let name = required(bridge, "name", "the bridge's name"), let bridgeName = interfaceName(name) else { return }
        n.bridge = T.Item(value: bridgeName)
        locations.set(path + ["bridge"], source, name.valueRange)
        // libvirt's default is stp='on'; netc's is off.
        var stp = true
        if let a = bridge.attribute("stp"), let on = yesNo(a, yes: "on", no: "off") { stp = on }
        if stp {
            n.stp = T.Item(value: "true")
            locations.set(path + ["stp"], source, bridge.attribute("stp")?.valueRange ?? bridge.range)
        }
        if let a = bridge.attribute("delay"), let delay = integer(a, 0...Int(Int32.max)), delay != 0 {
            n.forwardDelay = T.Item(value: "\(delay)s")
            locations.set(path + ["forward_delay"], source, a.valueRange)
        }
        if let a = bridge.attribute("macTableManager"), a.value != "kernel" {
            leftOut("macTableManager='\(a.value)'", "netc's bridges learn MAC addresses as the kernel does", at: a.range)
        }
        if let a = bridge.attribute("zone") {
            leftOut("zone='\(a.value)'", "netc puts no interface in a firewalld zone; docs/install.md shows the zone netc's guests need", at: a.range)
        }
        if let domain = root.child("domain") { self.domain(domain, &n, path) }
        if let dns = root.child("dns") { self.dns(dns, &n, path) }
        if let port = root.child("port") { only(port, attributes: ["isolated"]) }
        if let port = root.child("port"), let a = port.attribute("isolated"), a.value == "yes" {
            n.isolateGuests = T.Item(value: "true")
            locations.set(path + ["security", "isolate_guests"], source, a.valueRange)
        }
        for ip in root.children("ip") { self.ip(ip, mode, masqueradeIPv6: masqueradeIPv6, &n, path) }
    }

    /// `<nat>`: whether IPv6 is masqueraded too (`ipv6='yes'`).
    mutating func natOptions(_ nat: XMLTree.Element) -> Bool {
        only(nat, attributes: ["ipv6"], children: ["address", "port"])
        var ipv6 = false
        if let a = nat.attribute("ipv6"), let yes = yesNo(a) { ipv6 = yes }
        if let address = nat.child("address") {
            leftOut("<address> in <nat> (a fixed range of source addresses)", "netc masquerades to the outgoing interface's address", at: address.range)
        }
        if let port = nat.child("port") {
            only(port, attributes: ["start", "end"])
            if port.attribute("start")?.value != "1024" || port.attribute("end")?.value != "65535" {
                leftOut("<port> in <nat> other than 1024-65535", "netc masquerades TCP and UDP to source ports 1024-65535, libvirt's default", at: port.range)
            }
        }
        return ipv6
    }

    /// `dev=` of `<forward>` (or its one `<interface>`): the uplink, a host
    /// link the XML does not describe, declared with a comment (W802).
    mutating func uplink(of forward: XMLTree.Element, _ network: String, _ n: inout T.Network, _ path: [String], what: String) {
        let interfaces = forward.children("interface")
        for i in interfaces { only(i, attributes: ["dev"]) }
        guard let dev = forward.attribute("dev") ?? interfaces.first?.attribute("dev"), let name = interfaceName(dev) else { return }
        for i in interfaces {
            if let other = i.attribute("dev"), other.value != name {
                leftOut("<interface dev='\(other.value)'>", "netc's networks \(what) one uplink, here \(name)", at: i.range)
            }
        }
        n.uplink = T.Item(value: name)
        locations.set(path + ["uplink"], source, dev.valueRange)
        declare(name, at: dev.valueRange, comments: [
            "Named by dev='\(name)' of network \(network) (\(sources[source].name)); its own addressing is not in libvirt's XML.",
            "netc will manage this link and give it only what is declared here: add its ipv4/ipv6 before netc apply.",
        ], warn: .hostLinkAddressingUnknown(name))
    }

    mutating func declare(_ name: String, at range: SourceRange, comments: [String], warn: Message?) {
        guard interfaces[name] == nil else { return }
        interfaces[name] = comments.map(Self.comment)
        locations.set(["interfaces", name], source, range)
        if let warn { report(warn, at: range) }
    }

    mutating func domain(_ domain: XMLTree.Element, _ n: inout T.Network, _ path: [String]) {
        only(domain, attributes: ["name", "localOnly", "register"])
        guard let a = required(domain, "name", "the guests' DNS domain") else { return }
        if let p = NameRules.domainNameProblem(a.value) {
            report(.badImportedDomain(a.value, p), at: a.valueRange)
            return
        }
        var item = T.Item(value: a.value)
        if domain.attribute("localOnly")?.value != "yes" {
            item.comments.append("libvirt forwarded names of \(a.value) it did not know to the host's resolvers; netc answers them at the gateway only.")
        }
        if let register = domain.attribute("register"), register.value == "yes" {
            leftOut("register='yes'", "netc registers no domain with the host's resolver", at: register.range)
        }
        n.domain = item
        locations.set(path + ["domain"], source, a.valueRange)
    }

    mutating func dns(_ dns: XMLTree.Element, _ n: inout T.Network, _ path: [String]) {
        only(dns, attributes: ["enable", "forwardPlainNames"], children: ["host"])
        // <host ip><hostname>..: dns_hosts, by name.
        var names: [(name: String, addresses: [String])] = []
        for host in dns.children("host") {
            only(host, attributes: ["ip"], children: ["hostname"])
            let hostnames = host.children("hostname")
            guard let a = host.attribute("ip"), let ip = IPAddress(a.value), !hostnames.isEmpty else {
                leftOut("<host> in <dns>", Self.meaning["host"]!, at: host.range)
                continue
            }
            for h in hostnames {
                let name = h.text.trimmingXMLSpace()
                if let p = NameRules.domainNameProblem(name) {
                    leftOut("the DNS host name '\(name)'", p, at: h.range)
                    continue
                }
                if let i = names.firstIndex(where: { $0.name == name }) { names[i].addresses.append(ip.description) }
                else { names.append((name, [ip.description])) }
                locations.set(path + ["dns_hosts", name], source, h.range)
            }
        }
        n.dnsHosts = names.sorted { $0.name < $1.name }.map { h in
            T.DNSHost(name: h.name, addresses: h.addresses.count == 1 ? h.addresses[0] : "[" + h.addresses.joined(separator: ", ") + "]")
        }
        if let a = dns.attribute("enable"), a.value == "no" {
            leftOut("enable='no'", "a network libvirt serves always has DNS at its gateway (served_by: networkd has none)", at: a.range)
        }
        if let a = dns.attribute("forwardPlainNames"), a.value == "no" {
            leftOut("forwardPlainNames='no'", "the gateway forwards names without a dot like any other", at: a.range)
        }
    }

    mutating func ip(_ ip: XMLTree.Element, _ mode: GuestMode, masqueradeIPv6 masquerade: Bool, _ n: inout T.Network, _ path: [String]) {
        only(ip, attributes: ["address", "prefix", "netmask", "family", "localPtr"], children: ["dhcp"])
        guard let addressAttribute = required(ip, "address", "the host's address on the bridge") else { return }
        var family: IPFamily = addressAttribute.value.contains(":") ? .ipv6 : .ipv4
        if let f = ip.attribute("family") {
            switch f.value {
            case "ipv4": family = .ipv4
            case "ipv6": family = .ipv6
            default:
                report(.badFamily(f.value), at: f.valueRange)
                return
            }
        }
        guard let gateway = address(addressAttribute, family) else { return }
        var prefix: Int?
        if let p = ip.attribute("prefix") {
            prefix = integer(p, 0...family.bits)
        } else if let m = ip.attribute("netmask") {
            prefix = netmask(m)
        } else {
            report(.ipWithoutPrefix, at: ip.range)
        }
        guard let prefix else { return }
        let key = family == .ipv4 ? "ipv4" : "ipv6"
        if (family == .ipv4 ? n.ipv4 : n.ipv6) != nil {
            leftOut("a second \(key) <ip>", "a netc network has one subnet per family", at: ip.range)
            return
        }
        if let a = ip.attribute("localPtr") {
            leftOut("localPtr='\(a.value)'", "the gateway forwards reverse lookups of the subnet like any other", at: a.range)
        }
        let cidr = CIDR(address: gateway, prefix: prefix)
        var f = T.Family(subnet: cidr.subnet.description, gateway: gateway.description)
        let fpath = path + [key]
        locations.set(fpath, source, ip.range)
        locations.set(fpath + ["subnet"], source, ip.attribute("prefix")?.valueRange ?? ip.attribute("netmask")?.valueRange ?? ip.range)
        locations.set(fpath + ["gateway"], source, addressAttribute.valueRange)
        if family == .ipv6 {
            if let dhcp = ip.child("dhcp") { self.dhcp(dhcp, .ipv6, &f, fpath) }
            if mode.isNAT {
                f.nat = T.Item(value: masquerade ? "true" : "false",
                               comments: masquerade ? [] : ["Routed, not masqueraded: libvirt's nat mode masquerades IPv6 only with <nat ipv6='yes'/>."])
            }
            n.ipv6 = f
            return
        }
        if let dhcp = ip.child("dhcp") { self.dhcp(dhcp, .ipv4, &f, fpath) }
        n.ipv4 = f
    }

    /// A dotted IPv4 netmask as a prefix length; E803 when its ones are not
    /// contiguous.
    mutating func netmask(_ a: XMLTree.Element.Attribute) -> Int? {
        guard let m = IPAddress(a.value), m.family == .ipv4 else {
            report(.badNetmask(a.value), at: a.valueRange)
            return nil
        }
        let v = UInt32(truncatingIfNeeded: m.value)
        let ones = v.leadingZeroBitCount == 0 ? (~v).leadingZeroBitCount : 0
        guard v == (ones == 0 ? 0 : UInt32.max << UInt32(32 - ones)) else {
            report(.netmaskNotContiguous(a.value), at: a.valueRange)
            return nil
        }
        return ones
    }

    mutating func dhcp(_ dhcp: XMLTree.Element, _ family: IPFamily, _ f: inout T.Family, _ path: [String]) {
        only(dhcp, children: family == .ipv4 ? ["range", "host", "bootp"] : ["range", "host"])
        for host in dhcp.children("host") where family == .ipv6 {
            leftOut("<host> of an IPv6 <dhcp>", "netc reserves IPv4 addresses only", at: host.range)
        }
        for range in dhcp.children("range") {
            only(range, attributes: ["start", "end"], children: ["lease"])
            guard let s = required(range, "start", "the range's first address"), let e = required(range, "end", "the range's last address"),
                  let start = address(s, family), let end = address(e, family)
            else { continue }
            if let first = f.dhcp {
                // A netc network's ranges share the first one's lease.
                let lease = range.child("lease").flatMap { self.lease($0, path) }
                if lease != first.lease {
                    leftOut("the lease of range \(start)-\(end) (\(lease ?? "1h"))", Self.meaning["lease"]!, at: range.child("lease")?.range ?? range.range)
                }
                f.dhcp?.more.append(T.Range(start: start.description, end: end.description))
                continue
            }
            var d = T.DHCP(start: start.description, end: end.description)
            locations.set(path + ["dhcp"], source, range.range)
            locations.set(path + ["dhcp", "start"], source, s.valueRange)
            locations.set(path + ["dhcp", "end"], source, e.valueRange)
            if let lease = range.child("lease") { d.lease = self.lease(lease, path) }
            f.dhcp = d
        }
        for host in dhcp.children("host") { reservation(host, &f, path) }
        // PXE: the boot file and its server (netc's default: the gateway).
        if let bootp = dhcp.child("bootp") {
            only(bootp, attributes: ["file", "server"])
            if f.dhcp == nil {
                leftOut("<bootp> without a dynamic range", "netc offers a boot file with a range's leases", at: bootp.range)
            } else if let file = required(bootp, "file", "the boot file") {
                f.dhcp?.bootFile = file.value
                locations.set(path + ["dhcp", "boot", "file"], source, file.valueRange)
                if let s = bootp.attribute("server"), let a = address(s, .ipv4) {
                    f.dhcp?.bootServer = a.description
                    locations.set(path + ["dhcp", "boot", "server"], source, s.valueRange)
                }
            }
        }
    }

    /// `<lease expiry='N' unit='...'/>` as a topology duration; nil for
    /// dnsmasq's and netc's default (1h) or when left out.
    mutating func lease(_ lease: XMLTree.Element, _ path: [String]) -> String? {
        only(lease, attributes: ["expiry", "unit"])
        guard let e = required(lease, "expiry", "the lease time"), let expiry = integer(e, 0...Int(Int32.max)) else { return nil }
        let unit = lease.attribute("unit")?.value ?? "minutes"
        let seconds: Int
        switch unit {
        case "seconds": seconds = expiry
        case "minutes": seconds = expiry * 60
        case "hours": seconds = expiry * 3600
        default:
            report(.badLeaseUnit(unit), at: lease.attribute("unit")!.valueRange)
            return nil
        }
        if expiry == 0 {
            leftOut("expiry='0' (leases that never expire)", "netc's leases expire; the default, 1h, is used", at: e.range)
            return nil
        }
        locations.set(path + ["dhcp", "lease"], source, e.valueRange)
        if seconds == 3600 { return nil }
        if seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    mutating func reservation(_ host: XMLTree.Element, _ f: inout T.Family, _ path: [String]) {
        only(host, attributes: ["mac", "name", "ip", "id"])
        if let id = host.attribute("id") {
            leftOut("id='\(id.value)' (a client identifier)", "netc's reservations match by MAC", at: id.range)
        }
        guard let m = host.attribute("mac") else {
            leftOut("a <host> without mac=", "netc's reservations match by MAC", at: host.range)
            return
        }
        guard let mac = MACAddress(m.value) else {
            report(.badImportedMAC(m.value), at: m.valueRange)
            return
        }
        guard let i = required(host, "ip", "the reserved address"), let ip = address(i, .ipv4) else { return }
        var r = T.Reservation(name: "", mac: mac.description, ip: ip.description)
        if let name = host.attribute("name") {
            if let p = NameRules.networkNameProblem(name.value) {
                report(.badImportedHostName(name.value, p), at: name.valueRange)
                return
            }
            r.name = name.value
            if !LibvirtPlanner.isDNSLabel(name.value) {
                leftOut("the DNS name \(name.value)", "netc serves a reservation's name only when it is one DNS label; \(name.value) pins the address only",
                        at: name.range)
            }
        } else {
            // '_' makes it no DNS label: it pins the address and names nothing.
            r.name = "guest_" + mac.description.replacingOccurrences(of: ":", with: "-")
            r.comments = ["No name in libvirt's <host>: a name with '_' pins the address and serves no DNS name, as before."]
        }
        locations.set(path + ["reservations", r.name], source, host.range)
        f.reservations.append(r)
    }

    // MARK: bridge mode

    mutating func hostBridge(_ root: XMLTree.Element, _ n: inout T.Network, _ path: [String]) {
        let forward = root.child("forward")!
        only(forward, attributes: ["mode"])
        let bridge = root.child("bridge")!
        only(bridge, attributes: ["name"])
        let nameAttribute = bridge.attribute("name")!
        guard let name = interfaceName(nameAttribute) else { return }
        n.mode = T.Item(value: "bridge")
        n.bridge = T.Item(value: name)
        locations.set(path + ["bridge"], source, nameAttribute.valueRange)
        guard let nic = uplinks[name] else {
            report(.bridgeUplinkUnknown(name),
                   at: nameAttribute.valueRange,
                   notes: [DiagnosticNote("`ip -br link show master \(name)` lists its ports", at: nil)])
            return
        }
        usedUplinks.insert(name)
        if let p = NameRules.interfaceNameProblem(nic) {
            report(.badUplinkNIC(name, nic, p), at: nameAttribute.valueRange)
            return
        }
        n.uplink = T.Item(value: nic, comments: ["From --uplink \(name)=\(nic): libvirt's XML does not name the bridge's ports."])
        locations.set(path + ["uplink"], source, nameAttribute.valueRange)
        n.comments.append(contentsOf: [
            "\(name) was the host's own bridge; netc now creates it with systemd-networkd and enslaves \(nic).",
            "The host's address on it, and its spanning tree and forward delay, are not in libvirt's XML:",
            "add ipv4/ipv6 (and stp, forward_delay) here before netc apply.",
        ])
        report(.hostAddressingUnknown(name),
               at: nameAttribute.valueRange)
        declare(nic, at: nameAttribute.valueRange, comments: [
            "The port of \(name) (network \(n.name)), from --uplink: it carries no address of its own.",
        ], warn: nil)
    }

    // MARK: macvtap

    mutating func macvtap(_ root: XMLTree.Element, _ mode: String, _ n: inout T.Network, _ path: [String]) {
        let forward = root.child("forward")!
        only(forward, attributes: ["mode", "dev"], children: ["interface"])
        n.mode = T.Item(value: "macvtap")
        n.macvtapMode = T.Item(value: mode)
        uplink(of: forward, n.name, &n, path, what: "attach guests to")
        if let bridge = root.child("bridge") { leftOut("<bridge>", "a macvtap network has no bridge", at: bridge.range) }
    }

    // MARK: The topology

    func topology() -> ImportedTopology {
        let files = sources.map(\.name).joined(separator: ", ")
        return ImportedTopology(
            header: [
                Self.comment("Imported by netc import libvirt from \(files)."),
                "Comments mark each choice the import made: read them, then run netc check.",
                "netc apply replaces a network it did not define only with --adopt NAME (netc's docs/import.md).",
            ],
            interfaces: interfaces.keys.sorted().map { T.Interface(name: $0, comments: interfaces[$0]!) },
            networks: networks.sorted { $0.name < $1.name }.map { n in
                var n = n
                n.comments = n.comments.map(Self.comment)
                return n
            })
    }
}

extension String {
    /// Without leading and trailing XML white space.
    var trimmingSpaces: String {
        let space: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(drop(while: space).reversed().drop(while: space).reversed())
    }
}
