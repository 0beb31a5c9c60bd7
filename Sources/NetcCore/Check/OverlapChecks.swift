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
        for i in t.interfaces {
            for h in [i.ipv4, i.ipv6].compactMap({ $0 }) {
                if let a = h.address, case .cidr(let c) = a.value {
                    items.append(Item(cidr: c.subnet, shown: c, isSubnet: false, ofNetwork: false, owner: i.name.value, range: a.range))
                }
            }
        }
        for n in t.networks {
            for a in [n.ipv4, n.ipv6] {
                switch a {
                case .guest(let g)?:
                    if let s = g.subnet, !s.value.hasHostBits {
                        items.append(Item(cidr: s.value, shown: s.value, isSubnet: true, ofNetwork: true, owner: n.name.value, range: s.range))
                    }
                case .host(let h)?:
                    if let a = h.address, case .cidr(let c) = a.value {
                        items.append(Item(cidr: c.subnet, shown: c, isSubnet: false, ofNetwork: true, owner: n.name.value, range: a.range))
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
}
