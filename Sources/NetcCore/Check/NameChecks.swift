/// Names of interfaces, bridges, networks and the host (E101-E103).
extension Checks {
    mutating func checkNames() {
        if let h = t.host, let p = NameRules.hostNameProblem(h.value) {
            bag.add(.E101, "host name '\(h.value)' \(p)", at: h.range)
        }
        for i in t.interfaces {
            if let p = NameRules.interfaceNameProblem(i.name.value) {
                bag.add(.E101, "interface name '\(i.name.value)' \(p)", at: i.name.range)
            }
        }
        var bridges: [String: Located<String>] = [:]
        bridges.reserveCapacity(t.networks.count)
        for n in t.networks {
            if let p = NameRules.networkNameProblem(n.name.value) {
                bag.add(.E102, "network name '\(n.name.value)' \(p)", at: n.name.range)
            }
            guard let b = n.bridge else { continue }
            if let p = NameRules.interfaceNameProblem(b.value) {
                bag.add(.E101, "bridge name '\(b.value)' \(p)", at: b.range)
                continue
            }
            if let first = bridges[b.value] {
                bag.add(.E103, "bridge '\(b.value)' is already the bridge of another network", at: b.range,
                        notes: [DiagnosticNote("'\(b.value)' first used here", at: first.range)])
            } else if let i = interfaces[b.value] {
                bag.add(.E103, "bridge '\(b.value)' has the name of a declared interface", at: b.range,
                        notes: [DiagnosticNote("interface '\(b.value)' declared here", at: i.name.range)])
            } else {
                bridges[b.value] = b
            }
        }
    }
}
