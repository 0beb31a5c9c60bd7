/// Overlapping subnets and host addresses (E207).
extension Checks {
    // MARK: Overlaps (E207): sort by start, sweep keeping the furthest end.

    mutating func checkOverlaps() {
        struct Item {
            var cidr: CIDR
            /// As written: a subnet, or a host address with its prefix.
            var shown: CIDR
            var isSubnet: Bool
            var ofNetwork: Bool
            var owner: String
            var range: SourceRange

            /// Formatted only for a diagnostic.
            var what: String {
                isSubnet ? "subnet \(shown) of network '\(owner)'"
                    : "address \(shown) of \(ofNetwork ? "network" : "interface") '\(owner)'"
            }
        }
        var items: [Item] = []
        items.reserveCapacity(t.interfaces.count + t.networks.count)
        // Each family by hand: an array literal of the two would be
        // allocated (and its values copied) once per interface or network.
        func host(_ h: HostAddressingSyntax?, ofNetwork: Bool, owner: String) {
            if let a = h?.address, case .cidr(let c) = a.value {
                items.append(Item(cidr: c.subnet, shown: c, isSubnet: false, ofNetwork: ofNetwork, owner: owner, range: a.range))
            }
        }
        func network(_ a: NetworkAddressingSyntax?, of n: NetworkSyntax) {
            switch a {
            case .guest(let g)?:
                if let s = g.subnet, !s.value.hasHostBits {
                    items.append(Item(cidr: s.value, shown: s.value, isSubnet: true, ofNetwork: true, owner: n.name.value, range: s.range))
                }
            case .host(let h)?: host(h, ofNetwork: true, owner: n.name.value)
            case .unread?, nil: break
            }
        }
        for i in t.interfaces {
            host(i.ipv4, ofNetwork: false, owner: i.name.value)
            host(i.ipv6, ofNetwork: false, owner: i.name.value)
        }
        for n in t.networks {
            network(n.ipv4, of: n)
            network(n.ipv6, of: n)
        }
        // Sorted by index, on keys computed once: the items are large.
        let keys = items.map { ($0.cidr.family, $0.cidr.network.value, $0.range) }
        let order = items.indices.sorted { keys[$0] < keys[$1] }
        var widest: Item?
        for item in order.lazy.map({ items[$0] }) {
            if let w = widest, w.cidr.family == item.cidr.family, item.cidr.network.value <= w.cidr.last.value {
                // Report at the later declaration of the two, pointing at the other.
                let (here, other) = w.range < item.range ? (item, w) : (w, item)
                bag.add(.overlaps(here.what, other.what), at: here.range,
                        notes: [DiagnosticNote("\(other.what) declared here", at: other.range)])
                if item.cidr.last.value > w.cidr.last.value { widest = item }
            } else {
                widest = item
            }
        }
    }
}
