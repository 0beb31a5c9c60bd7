/// Interfaces by kind, references between links, and who enslaves whom
/// (E104-E107, E401/E402 for kinds, E405 for VLAN MTUs).
extension Checks {
    // MARK: Interfaces

    mutating func checkInterface(_ i: InterfaceSyntax) {
        let name = i.name.value
        let kind = i.effectiveKind
        if kind != .ethernet { notAllowed(i.keys, "mac", "on a \(kind.rawValue) (only on ethernet)") }
        if kind != .bond {
            notAllowed(i.keys, "members", "on a \(kind.rawValue) (only on a bond)")
            notAllowed(i.keys, "bond_mode", "on a \(kind.rawValue) (only on a bond)")
        }
        if kind != .vlan {
            notAllowed(i.keys, "parent", "on a \(kind.rawValue) (only on a vlan)")
            notAllowed(i.keys, "id", "on a \(kind.rawValue) (only on a vlan)")
        }
        switch kind {
        case .bond:
            required(i.keys, "members", "on bond '\(name)'")
            if i.keys["members"] != nil, i.members.isEmpty {
                bag.add(.E402, "bond '\(name)' needs at least one member", at: i.keys["members"]!)
            }
            var seen: [String: SourceRange] = [:]
            for m in i.members {
                if let first = seen[m.value] {
                    bag.add(.E105, "'\(m.value)' is listed twice as a member of '\(name)'", at: m.range,
                            notes: [DiagnosticNote("first listed here", at: first)])
                    continue
                }
                seen[m.value] = m.range
                guard let member = resolveInterface(m, what: "bond member") else { continue }
                if member.effectiveKind != .ethernet {
                    bag.add(.E106, "bond member '\(m.value)' is a \(member.effectiveKind.rawValue); members must be ethernet interfaces", at: m.range,
                            notes: [DiagnosticNote("'\(m.value)' declared here", at: member.name.range)])
                }
            }
        case .vlan:
            required(i.keys, "parent", "on vlan '\(name)'")
            required(i.keys, "id", "on vlan '\(name)'")
            if let p = i.parent, let parent = resolveInterface(p, what: "VLAN parent") {
                if parent.effectiveKind == .vlan {
                    bag.add(.E106, "VLAN parent '\(p.value)' is itself a vlan; a parent must be an ethernet or a bond", at: p.range,
                            notes: [DiagnosticNote("'\(p.value)' declared here", at: parent.name.range)])
                }
                if let mtu = i.mtu, mtu.value > (parent.mtu?.value ?? 1500) {
                    let pm = parent.mtu.map { "\($0.value)" } ?? "the default 1500"
                    bag.add(.E405, "MTU \(mtu.value) of vlan '\(name)' exceeds its parent's MTU (\(pm))", at: mtu.range,
                            notes: parent.mtu.map { [DiagnosticNote("MTU of '\(p.value)' set here", at: $0.range)] } ?? [])
                }
            }
        case .ethernet:
            break
        }
        if let a = i.ipv4 { checkHostAddressing(a, family: .ipv4, owner: "interface '\(name)'") }
        if let a = i.ipv6 {
            checkHostAddressing(a, family: .ipv6, owner: "interface '\(name)'")
            if let mtu = i.mtu, mtu.value < 1280 {
                bag.add(.E405, "MTU \(mtu.value) of '\(name)' is below 1280, the minimum for IPv6", at: mtu.range)
            }
        }
    }

    mutating func resolveInterface(_ ref: Located<String>, what: String) -> InterfaceSyntax? {
        if let i = interfaces[ref.value] { return i }
        bag.add(.E104, "\(what) '\(ref.value)' is not a declared interface\(Suggest.didYouMean(ref.value, in: interfaces.keys))", at: ref.range)
        return nil
    }

    // MARK: Claims (E105, E107, E403)


    mutating func checkClaims() {
        var vlanIDs: [String: [Int: Located<String>]] = [:]
        for i in t.interfaces where i.effectiveKind == .vlan {
            guard let p = i.parent?.value, let id = i.id else { continue }
            if let first = vlanIDs[p]?[id.value] {
                bag.add(.E105, "VLAN id \(id.value) on '\(p)' is already used by '\(first.value)'", at: id.range,
                        notes: [DiagnosticNote("'\(first.value)' declared here", at: first.range)])
            } else {
                vlanIDs[p, default: [:]][id.value] = i.name
            }
        }
        for i in t.interfaces where i.effectiveKind == .bond {
            for m in i.members where interfaces[m.value] != nil {
                if let first = enslavedBy[m.value], first.by != .bond(i.name.value) {
                    bag.add(.E105, "'\(m.value)' is already claimed by \(first.by)", at: m.range,
                            notes: [DiagnosticNote("first claimed here", at: first.range)])
                } else {
                    enslavedBy[m.value] = (.bond(i.name.value), m.range)
                }
            }
        }
        for n in t.networks where n.mode?.value == .bridge {
            guard let u = n.uplink, interfaces[u.value] != nil else { continue }
            if let first = enslavedBy[u.value] {
                bag.add(.E105, "uplink '\(u.value)' of network '\(n.name.value)' is already claimed by \(first.by)", at: u.range,
                        notes: [DiagnosticNote("first claimed here", at: first.range)])
            } else {
                enslavedBy[u.value] = (.bridgeOfNetwork(n.name.value), u.range)
            }
        }
        for i in t.interfaces {
            guard let claim = enslavedBy[i.name.value] else { continue }
            for a in [i.ipv4?.keys, i.ipv6?.keys].compactMap({ $0 }) {
                bag.add(.E107, "'\(i.name.value)' is enslaved to \(claim.by) and cannot carry addressing; put it on the \(claim.by.isBond ? "bond" : "bridge")",
                        at: a.mapping, notes: [DiagnosticNote("enslaved here", at: claim.range)])
            }
        }
    }
}
