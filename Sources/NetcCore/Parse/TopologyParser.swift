/// Parse stage: YAML text -> `TopologySyntax`, reporting syntax, shape and
/// type errors (E001-E008, E201, E306, E307, E501). Every scalar is read by
/// netc's own typed readers from its source text.
public enum TopologyParser {
    public static func parse(_ text: String) -> (TopologySyntax?, [Diagnostic]) {
        read(text, twoCores: TwoCores.worth(bytes: text.utf8.count)) { r, root in r.topology(root) }
    }

    /// The YAML of a topology or a fleet file read with `read` from its
    /// root: tabs in indentation (E011) are each named, then read as one
    /// space (same offsets, same columns), so the rest of the file is
    /// checked; YAML errors end the reading; an empty file is E005.
    static func read<T>(_ text: String, twoCores: Bool = false, _ read: (inout Reader, YNode) -> T?) -> (T?, [Diagnostic]) {
        let (tabs, readable) = tabsInIndentation(text)
        let (document, yamlDiagnostics) = YAMLTreeReader.read(readable)
        if !yamlDiagnostics.isEmpty { return (nil, tabs + yamlDiagnostics) }
        var r = Reader(twoCores: twoCores)
        r.bag.append(contentsOf: tabs)
        guard let document else {
            r.bag.add(.emptyFile, at: SourceRange(line: 1, column: 1))
            return (nil, r.bag.diagnostics)
        }
        // The nodes point into the document's arena: it lives until the
        // syntax is read.
        let syntax = withExtendedLifetime(document) { read(&r, document.root) }
        return (syntax, r.bag.diagnostics)
    }
}

extension TopologyParser {
    /// Each tab before a line's first character (E011, one per line, at the
    /// first such tab), and the text with those tabs as spaces. A file
    /// without a tab is returned as it is.
    static func tabsInIndentation(_ text: String) -> ([Diagnostic], String) {
        guard text.utf8.contains(UInt8(ascii: "\t")) else { return ([], text) }
        var found: [Diagnostic] = []
        var bytes = Array(text.utf8)
        var line = 1, column = 1, indenting = true, reported = false
        for i in bytes.indices {
            switch bytes[i] {
            case UInt8(ascii: "\n"):
                line += 1; column = 1; indenting = true; reported = false
                continue
            case UInt8(ascii: "\t") where indenting:
                if !reported {
                    // Only a tab before content: a line of blanks is blank.
                    let rest = bytes[i...].prefix { $0 != UInt8(ascii: "\n") }
                    if rest.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }) {
                        found.append(Diagnostic(.tabInIndentation, at: SourceRange(line: line, column: column)))
                        reported = true
                    }
                }
                bytes[i] = UInt8(ascii: " ")
            case UInt8(ascii: " "):
                break
            default:
                indenting = false
            }
            // Columns count characters: a UTF-8 continuation byte is no column.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
        }
        return (found, String(decoding: bytes, as: UTF8.self))
    }
}

/// One key/value pair of a mapping, with the key's text.
struct Entry {
    var key: String
    var keyNode: YNode
    var value: YNode
}

struct Reader {
    var bag = DiagnosticBag()
    /// The entries of each mapping a merge key has spliced in, by node:
    /// a mapping merged again (through an alias) is not walked again, so
    /// merges of merges cost their size, not the product of their widths.
    var mergedEntries: [Int32: [Entry]] = [:]
    /// Read long lists in two halves (`TwoCores`).
    var twoCores = false

    // MARK: Shape

    mutating func checkTag(_ node: YNode) -> Bool {
        if let tag = node.explicitTag {
            bag.add(.yamlTag(tag), at: node.range)
            return false
        }
        return true
    }

    /// The entries of a mapping node (null counts as an empty mapping).
    mutating func entries(_ node: YNode, what: @autoclosure () -> String) -> [Entry]? {
        guard checkTag(node) else { return nil }
        if node.isNull { return [] }
        guard case .mapping(let pairs) = node.kind else {
            bag.add(.notAMapping(what(), node.kindDescription), at: node.range)
            return nil
        }
        var out: [Entry] = []
        var merged: [Entry] = []
        for (k, v) in pairs {
            guard checkTag(k) else { continue }
            // YAML merge key: `<<: *anchor` splices the anchored mapping's
            // entries in; keys written here win over merged ones.
            if k.isPlain("<<") {
                let sources: [YNode]
                if case .sequence(let items) = v.kind { sources = Array(items) } else { sources = [v] }
                for source in sources {
                    guard source.isMapping else {
                        bag.add(.mergeKeyNotMapping(source.kindDescription), at: source.range)
                        continue
                    }
                    if let known = mergedEntries[source.index] {
                        merged += known
                    } else {
                        let read = entries(source, what: what()) ?? []
                        mergedEntries[source.index] = read
                        merged += read
                    }
                }
                continue
            }
            guard let text = k.scalarText else {
                bag.add(.keyNotScalar(k.kindDescription), at: k.range)
                continue
            }
            out.append(Entry(key: text, keyNode: k, value: v))
        }
        if !merged.isEmpty {
            let written = Set(out.map(\.key))
            var seen = Set<String>()
            for e in merged where !written.contains(e.key) && seen.insert(e.key).inserted { out.append(e) }
        }
        return out
    }

    /// A mapping with a fixed set of keys: unknown keys are E003 (with a
    /// suggestion), missing required keys E005 at the mapping.
    /// `elsewhere`: keys of the format that belong to another mode or kind,
    /// with the reason; they are E401 (not allowed here) rather than E003.
    mutating func fields(_ node: YNode, what: @autoclosure () -> String, allowed: [String], required: [String] = [],
                         elsewhere: [String: String] = [:])
        -> (values: SmallMap<YNode>, keys: KeyRanges)?
    {
        var values = SmallMap<YNode>()
        var keys = KeyRanges(mapping: node.range)
        func accept(_ key: String, _ keyNode: YNode, _ value: YNode) {
            guard allowed.contains(key) else {
                if let why = elsewhere[key] {
                    bag.add(.notAllowed(key, "in \(what()): \(why)"), at: keyNode.range)
                    return
                }
                let suggestion = Suggest.closest(to: key, in: allowed)
                if let suggestion { keys.misspelled.insert(suggestion) }
                bag.add(.unknownKey(key, what(), suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: keyNode.range)
                return
            }
            values.append(key, value)
            keys.keys.append(key, keyNode.range)
        }
        // Almost every mapping has plain keys only: read its pairs in place.
        // Tags, merge keys and non-scalar keys take the general way.
        if node.explicitTag == nil, case .mapping(let pairs) = node.kind,
           pairs.allSatisfy({ $0.key.isPlainKey }) {
            values.reserveCapacity(pairs.count)
            keys.keys.reserveCapacity(pairs.count)
            for (k, v) in pairs { accept(k.scalarText!, k, v) }
        } else {
            guard let entries = entries(node, what: what()) else { return nil }
            for e in entries { accept(e.key, e.keyNode, e.value) }
        }
        for key in required where values[key] == nil && !keys.misspelled.contains(key) {
            bag.add(.missingRequiredKey(what(), key), at: node.range)
        }
        return (values, keys)
    }

    mutating func list(_ node: YNode, what: @autoclosure () -> String) -> [YNode]? {
        guard checkTag(node) else { return nil }
        guard case .sequence(let items) = node.kind else {
            bag.add(.notAList(what(), node.kindDescription), at: node.range)
            return nil
        }
        return Array(items)
    }

    // MARK: Topology

    mutating func topology(_ root: YNode) -> TopologySyntax? {
        guard let (v, keys) = fields(root, what: "the topology", allowed: Keys.topology, required: Keys.topologyRequired)
        else { return nil }
        var t = TopologySyntax(keys: keys)
        if let n = v["version"], let s = scalar(n, what: "'version'") {
            let plainNumber = !n.isQuoted && s.value.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            if plainNumber && s.value == "1" {
                t.version = Located(1, n.range)
            } else {
                bag.add(.unsupportedVersion(plainNumber ? s.value : n.kindDescription), at: n.range)
            }
        }
        if let n = v["host"] { t.host = scalar(n, what: "'host'") }
        if let n = v["interfaces"], let es = entries(n, what: "'interfaces'") {
            t.interfaces = each(es) { $0.interface($1) }
        }
        if let n = v["networks"], let es = entries(n, what: "'networks'") {
            t.networks = each(es) { $0.network($1) }
        }
        return t
    }

    /// `read` over the entries of the list of interfaces or networks of a
    /// large topology in two halves on two cores (each entry is read on its
    /// own); the result and the diagnostics are in the order of the file,
    /// as if read in turn.
    mutating func each<T>(_ es: [Entry], _ read: (inout Reader, Entry) -> T?) -> [T] {
        guard twoCores, es.count >= 2 else { return es.compactMap { read(&self, $0) } }
        let half = es.count / 2
        func part(_ slice: ArraySlice<Entry>) -> ([T], [Diagnostic]) {
            var r = Reader()
            return (slice.compactMap { read(&r, $0) }, r.bag.diagnostics)
        }
        let (first, second) = both(parallel: true, { part(es[..<half]) }, { part(es[half...]) })
        bag.append(contentsOf: first.1)
        bag.append(contentsOf: second.1)
        return first.0 + second.0
    }

    mutating func interface(_ e: Entry) -> InterfaceSyntax? {
        let what = { "interface '\(e.key)'" }
        guard let (v, keys) = fields(e.value, what: what(),
                                     allowed: Keys.interface)
        else { return nil }
        let i = InterfaceSyntax(name: Located(e.key, e.keyNode.range), keys: keys)
        if let n = v["kind"] { i.kind = word(n, what: "'kind'", as: InterfaceKind.self) }
        if let n = v["mac"] { i.mac = mac(n, what: "'mac'") }
        if let n = v["members"] {
            i.members = (list(n, what: "'members'") ?? []).compactMap { scalar($0, what: "a bond member") }
        }
        if let n = v["bond_mode"] { i.bondMode = word(n, what: "'bond_mode'", as: BondMode.self) }
        if let n = v["transmit_hash_policy"] {
            i.transmitHashPolicy = word(n, what: "'transmit_hash_policy'", as: TransmitHashPolicy.self)
        }
        if let n = v["lacp_rate"] { i.lacpRate = word(n, what: "'lacp_rate'", as: LACPRate.self) }
        if let n = v["primary"] { i.primary = scalar(n, what: "'primary'") }
        if let n = v["min_links"] { i.minLinks = integer(n, what: "'min_links'", range: 0...1024) }
        if let n = v["parent"] { i.parent = scalar(n, what: "'parent'") }
        if let n = v["id"] { i.id = integer(n, what: "VLAN id", range: 1...4094) }
        if let n = v["mtu"] { i.mtu = integer(n, what: "MTU", range: 68...65535) }
        if let n = v["forwarding"] { i.forwarding = boolean(n, what: "'forwarding'") }
        if let n = v["ipv4"] { i.ipv4 = hostAddressing(n, what: "'ipv4' of \(what())") }
        if let n = v["ipv6"] { i.ipv6 = hostAddressing(n, what: "'ipv6' of \(what())", mayBeOff: true) }
        if let n = v["routes"] { i.routes = routes(n) }
        return i
    }

    static let firstRangeOnly = Dictionary(uniqueKeysWithValues: ["lease", "boot"].map {
        ($0, "'\($0)' goes on the first range of a 'dhcp' list, and holds for every range")
    })

    static let guestOnly = Dictionary(uniqueKeysWithValues: ["subnet", "dhcp", "reservations", "ra", "nat"].map {
        ($0, "guest addressing ('\($0)') belongs to nat, route and isolated networks; here the host's own address is given with 'address'")
    })

    /// `mayBeOff`: `false` is accepted for "no IPv6 on this link".
    mutating func hostAddressing(_ node: YNode, what: @autoclosure () -> String, mayBeOff: Bool = false) -> HostAddressingSyntax? {
        if mayBeOff, node.isPlain("false") {
            return HostAddressingSyntax(disabled: node.range, keys: KeyRanges(mapping: node.range))
        }
        guard let (v, keys) = fields(node, what: what(), allowed: Keys.hostAddressing, elsewhere: Self.guestOnly)
        else { return nil }
        var h = HostAddressingSyntax(keys: keys)
        if let n = v["address"] {
            if n.scalarText == "dhcp" {
                h.address = Located(.dhcp, n.range)
            } else if case .sequence = n.kind {
                // Several static addresses: the first is the primary.
                let items = list(n, what: "'address'") ?? []
                if items.isEmpty { bag.add(.emptyAddressList, at: n.range) }
                let all = items.compactMap { cidr($0, what: "an entry of 'address'") }
                if let first = all.first {
                    h.address = Located(.cidr(first.value), first.range)
                    h.moreAddresses = Array(all.dropFirst())
                }
            } else if let c = cidr(n, what: "'address'") {
                h.address = Located(.cidr(c.value), c.range)
            }
        }
        if let n = v["gateway"] { h.gateway = address(n, what: "'gateway'") }
        if let n = v["dns"] { h.dns = addressList(n, what: "'dns'") }
        if let n = v["search"] { h.search = (list(n, what: "'search'") ?? []).compactMap { scalar($0, what: "a search domain") } }
        return h
    }

    /// `routes:` of a link: each `{to, via, metric, table}`.
    mutating func routes(_ node: YNode) -> [RouteSyntax] {
        (list(node, what: "'routes'") ?? []).compactMap { item in
            guard let (f, keys) = fields(item, what: "a route", allowed: Keys.route, required: Keys.routeRequired) else { return nil }
            var r = RouteSyntax(keys: keys)
            if let n = f["to"] {
                if n.isPlain("default") {
                    r.to = Located(.defaultRoute, n.range)
                } else if let c = cidr(n, what: "'to'") {
                    r.to = Located(.cidr(c.value), c.range)
                }
            }
            if let n = f["via"] { r.via = address(n, what: "'via'") }
            if let n = f["metric"] { r.metric = integer(n, what: "'metric'", range: 0...4_294_967_295) }
            if let n = f["table"] { r.table = integer(n, what: "'table'", range: 1...4_294_967_295) }
            return r
        }
    }

    /// A network of a topology; with `overlay`, an overlay of a fleet
    /// (its own keys, `vni` and `members`, are read by FleetParser).
    mutating func network(_ e: Entry, overlay: Bool = false) -> NetworkSyntax? {
        let what = { overlay ? "overlay '\(e.key)'" : "network '\(e.key)'" }
        guard let (v, keys) = fields(e.value, what: what(),
                                     allowed: overlay ? Keys.overlay : Keys.network, required: overlay ? Keys.overlayRequired : Keys.networkRequired,
                                     elsewhere: overlay ? Self.notOnOverlays : [:])
        else { return nil }
        let net = NetworkSyntax(name: Located(e.key, e.keyNode.range), keys: keys)
        if let n = v["mode"] { net.mode = word(n, what: "'mode'", as: NetworkMode.self) }
        if let n = v["bridge"] { net.bridge = scalar(n, what: "'bridge'") }
        if let n = v["uplink"] { net.uplink = scalar(n, what: "'uplink'") }
        if let n = v["stp"] { net.stp = boolean(n, what: "'stp'") }
        if let n = v["forward_delay"] { net.forwardDelay = seconds(n, what: "'forward_delay'", range: 0...30) }
        if let n = v["mtu"] { net.mtu = integer(n, what: "MTU", range: 68...65535) }
        if let n = v["macvtap_mode"] { net.macvtapMode = word(n, what: "'macvtap_mode'", as: MacvtapMode.self) }
        if let n = v["served_by"] { net.servedBy = word(n, what: "'served_by'", as: GuestServer.self) }
        if let n = v["domain"] { net.domain = scalar(n, what: "'domain'") }
        for (key, family) in [("ipv4", IPFamily.ipv4), ("ipv6", .ipv6)] {
            guard let n = v[key] else { continue }
            let a: NetworkAddressingSyntax?
            // A mode that is not one of the words (reported once, E007) is
            // read by the addressing's own shape, so that its checks still
            // run and nothing is reported because of a guessed mode.
            var addressing = net.mode.map { ModeRules.of($0.value).addressing }
            if addressing == nil, v["mode"] != nil, !n.isPlain("false") {
                var guest = false
                if case .mapping(let pairs) = n.kind { guest = pairs.contains { $0.key.scalarText.map { Self.guestOnly[$0] != nil } ?? false } }
                addressing = guest ? .guest : .host
            }
            switch addressing {
            case .host?:
                a = hostAddressing(n, what: "'\(key)' of \(what())", mayBeOff: family == .ipv6).map { .host($0) }
            case .guest?:
                a = guestAddressing(n, family: family, what: "'\(key)' of \(what())").map { .guest($0) }
            case .none?, nil:
                a = .unread(n.range)
            }
            if family == .ipv4 { net.ipv4 = a } else { net.ipv6 = a }
        }
        if let n = v["forwards"] {
            net.forwards = (list(n, what: "'forwards'") ?? []).compactMap { forward($0) }
        }
        if let n = v["peers"] {
            net.peers = (list(n, what: "'peers'") ?? []).compactMap { scalar($0, what: "a peer") }
        }
        if let n = v["host_services"] {
            net.hostServices = (list(n, what: "'host_services'") ?? []).compactMap { item in
                guard let (f, keys) = fields(item, what: "a host service", allowed: Keys.hostService, required: Keys.hostService)
                else { return nil }
                var service = HostServiceSyntax(keys: keys)
                if let p = f["proto"] { service.proto = word(p, what: "'proto'", as: Proto.self) }
                if let p = f["port"] { service.port = portRange(p, what: "'port'") }
                return service
            }
        }
        if let n = v["routes"] { net.routes = routes(n) }
        if let n = v["inbound"] {
            net.inbound = (list(n, what: "'inbound'") ?? []).compactMap { item in
                guard let (f, keys) = fields(item, what: "an inbound flow", allowed: Keys.inbound, required: Keys.hostService) else { return nil }
                var flow = InboundSyntax(keys: keys)
                if let p = f["proto"] { flow.proto = word(p, what: "'proto'", as: Proto.self) }
                if let p = f["port"] { flow.port = portRange(p, what: "'port'") }
                if let p = f["from"] { flow.from = (list(p, what: "'from'") ?? []).compactMap { cidr($0, what: "a 'from' source") } }
                return flow
            }
        }
        if let n = v["dns_hosts"], let es = entries(n, what: "'dns_hosts'") {
            for e in es {
                var addresses: [Located<IPAddress>] = []
                if case .sequence(let items) = e.value.kind {
                    if items.isEmpty { bag.add(.emptyDNSHost(e.key), at: e.value.range) }
                    addresses = addressList(e.value, what: "the addresses of DNS host '\(e.key)'")
                } else if let a = address(e.value, what: "the address of DNS host '\(e.key)'") {
                    addresses = [a]
                }
                net.dnsHosts.append(DNSHostSyntax(name: Located(e.key, e.keyNode.range), addresses: addresses))
            }
        }
        if let n = v["security"], let (f, keys) = fields(n, what: "'security'", allowed: Keys.security, required: []) {
            var security = SecuritySyntax(keys: keys)
            if let b = f["isolate_guests"] { security.isolateGuests = boolean(b, what: "'isolate_guests'") }
            if let b = f["lock_reservations"] { security.lockReservations = boolean(b, what: "'lock_reservations'") }
            net.security = security
        }
        return net
    }

    static let notOnOverlays = Dictionary(uniqueKeysWithValues: ["forwards", "peers", "inbound", "host_services", "dns_hosts", "security", "routes",
                                                                 "stp", "forward_delay", "macvtap_mode"].map {
        ($0, "an overlay spans hosts; '\($0)' is a key of a host's own networks")
    })

    static let hostOnly = "host addressing ('address') belongs to interfaces and bridge-mode networks; a guest network is given by its 'subnet'"
    static let notInGuestIPv4 = ["address": hostOnly, "ra": "'ra' is IPv6 only", "nat": "'nat' is IPv6 only"]
    static let notInGuestIPv6 = ["address": hostOnly, "reservations": "'reservations' is IPv4 only"]
    static let notInDHCPv6 = ["boot": "'boot' (PXE) is IPv4 only"]

    mutating func guestAddressing(_ node: YNode, family: IPFamily, what: @autoclosure () -> String) -> GuestAddressingSyntax? {
        let allowed = family == .ipv4 ? Keys.guestIPv4 : Keys.guestIPv6
        guard let (v, keys) = fields(node, what: what(), allowed: allowed, required: Keys.guestRequired,
                                     elsewhere: family == .ipv4 ? Self.notInGuestIPv4 : Self.notInGuestIPv6)
        else { return nil }
        var g = GuestAddressingSyntax(keys: keys)
        if let n = v["subnet"] { g.subnet = cidr(n, what: "'subnet'") }
        if let n = v["gateway"] { g.gateway = address(n, what: "'gateway'") }
        if let n = v["dns"] { g.dns = addressList(n, what: "'dns'") }
        if let n = v["ra"] { g.ra = boolean(n, what: "'ra'") }
        if let n = v["nat"] { g.nat = boolean(n, what: "'nat'") }
        if let n = v["dhcp"] {
            // One range (a mapping) or several (a list): `lease` and (IPv4)
            // `boot` on the first.
            var items = [n]
            if case .sequence(let list) = n.kind {
                items = Array(list)
                if items.isEmpty { bag.add(.emptyDHCPList, at: n.range) }
            }
            for (i, item) in items.enumerated() {
                let first = family == .ipv4 ? Keys.dhcp : Keys.dhcpv6
                guard let (d, dkeys) = fields(item, what: "'dhcp'", allowed: i == 0 ? first : Keys.dhcpRange, required: Keys.dhcpRequired,
                                              elsewhere: i > 0 ? Self.firstRangeOnly : family == .ipv6 ? Self.notInDHCPv6 : [:])
                else { continue }
                var dhcp = DHCPSyntax(keys: dkeys)
                if let s = d["start"] { dhcp.start = address(s, what: "'dhcp.start'") }
                if let s = d["end"] { dhcp.end = address(s, what: "'dhcp.end'") }
                if let s = d["lease"] { dhcp.lease = duration(s, what: "'dhcp.lease'") }
                if let s = d["boot"], let (b, bkeys) = fields(s, what: "'boot'", allowed: Keys.boot, required: Keys.bootRequired) {
                    var boot = BootSyntax(keys: bkeys)
                    if let f = b["file"] { boot.file = scalar(f, what: "'boot.file'") }
                    if let a = b["server"] { boot.server = address(a, what: "'boot.server'") }
                    dhcp.boot = boot
                }
                if i == 0 { g.dhcp = dhcp } else { g.moreDHCP.append(dhcp) }
            }
        }
        if let n = v["reservations"], let es = entries(n, what: "'reservations'") {
            for e in es {
                guard let (r, _) = fields(e.value, what: "reservation '\(e.key)'", allowed: Keys.reservation, required: Keys.reservation)
                else { continue }
                var res = ReservationSyntax(name: Located(e.key, e.keyNode.range))
                if let m = r["mac"] { res.mac = mac(m, what: "'mac'") }
                if let a = r["ip"] { res.ip = address(a, what: "'ip'") }
                g.reservations.append(res)
            }
        }
        return g
    }

    mutating func forward(_ node: YNode) -> ForwardSyntax? {
        guard let (v, keys) = fields(node, what: "a forward", allowed: Keys.forward, required: Keys.forwardRequired)
        else { return nil }
        var f = ForwardSyntax(keys: keys)
        if let n = v["proto"] { f.proto = word(n, what: "'proto'", as: Proto.self) }
        if let n = v["port"] { f.port = portRange(n, what: "'port'") }
        if let n = v["to"] { f.to = scalar(n, what: "'to'") }
        if let n = v["to_port"] { f.toPort = portRange(n, what: "'to_port'") }
        if let n = v["from"] { f.from = (list(n, what: "'from'") ?? []).compactMap { cidr($0, what: "a 'from' source") } }
        return f
    }
}

/// The keys of each mapping of the format, allocated once.
enum Keys {
    static let topology = ["version", "host", "interfaces", "networks"]
    static let topologyRequired = ["version", "networks"]
    static let interface = ["kind", "mac", "members", "bond_mode", "transmit_hash_policy", "lacp_rate", "primary", "min_links",
                            "parent", "id", "mtu", "forwarding", "ipv4", "ipv6", "routes"]
    static let hostAddressing = ["address", "gateway", "dns", "search"]
    static let route = ["to", "via", "metric", "table"]
    static let inbound = ["proto", "port", "from"]
    static let routeRequired = ["to"]
    static let network = ["mode", "bridge", "uplink", "stp", "forward_delay", "mtu", "ipv4", "ipv6", "forwards", "peers", "macvtap_mode",
                          "served_by", "domain", "host_services", "security", "routes", "dns_hosts", "inbound"]
    static let networkRequired = ["mode"]
    static let fleet = ["version", "hosts", "overlays"]
    static let fleetRequired = ["version", "hosts"]
    static let fleetHost = ["topology", "vtep"]
    static let fleetHostRequired = ["topology"]
    static let overlay = ["vni", "members", "mode", "bridge", "uplink", "mtu", "ipv4", "ipv6", "domain", "served_by"]
    static let overlayRequired = ["vni", "mode", "bridge"]
    static let guestIPv4 = ["subnet", "gateway", "dhcp", "dns", "reservations"]
    static let guestIPv6 = ["subnet", "gateway", "dhcp", "dns", "ra", "nat"]
    static let guestRequired = ["subnet"]
    static let dhcp = ["start", "end", "lease", "boot"]
    static let dhcpv6 = ["start", "end", "lease"]
    static let dhcpRange = ["start", "end"]
    static let boot = ["file", "server"]
    static let bootRequired = ["file"]
    static let dhcpRequired = ["start", "end"]
    static let reservation = ["mac", "ip"]
    static let forward = ["proto", "port", "to", "to_port", "from"]
    static let forwardRequired = ["proto", "port", "to"]
    static let hostService = ["proto", "port"]
    static let security = ["isolate_guests", "lock_reservations"]
}
