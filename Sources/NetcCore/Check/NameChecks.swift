/// Names of interfaces, bridges, networks and the host (E101-E103).
extension Checks {
    mutating func checkNames() {
        if let h = t.host, let p = NameRules.hostNameProblem(h.value) {
            bag.add(.badHostName(h.value, p), at: h.range)
        }
        for i in t.interfaces {
            if let p = NameRules.interfaceNameProblem(i.name.value) {
                bag.add(.badInterfaceName(i.name.value, p), at: i.name.range)
            }
        }
        var bridges: [String: Located<String>] = [:]
        bridges.reserveCapacity(t.networks.count)
        for n in t.networks {
            if let p = NameRules.networkNameProblem(n.name.value) {
                bag.add(.badNetworkName(n.name.value, p), at: n.name.range)
            }
            guard let b = n.bridge else { continue }
            if let p = NameRules.interfaceNameProblem(b.value) {
                bag.add(.badBridgeName(b.value, p), at: b.range)
                continue
            }
            if let first = bridges[b.value] {
                bag.add(.bridgeTaken(b.value), at: b.range,
                        notes: [DiagnosticNote("'\(b.value)' first used here", at: first.range)])
            } else if let i = interfaces[b.value] {
                bag.add(.bridgeNamesInterface(b.value), at: b.range,
                        notes: [DiagnosticNote("interface '\(b.value)' declared here", at: i.name.range)])
            } else {
                bridges[b.value] = b
            }
        }
    }
}
