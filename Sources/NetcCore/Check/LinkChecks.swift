/// Interfaces by kind, references between links, and who enslaves whom
/// (E104-E107, E401/E402 for kinds, E405 for VLAN MTUs).
extension Checks {
    // MARK: Interfaces

    mutating func checkInterface(_ i: InterfaceSyntax) {
        let name = i.name.value
        let kind = i.effectiveKind
        // A kind that is not one of the words (said once, E007): only what
        // holds for every kind is checked, nothing as if it were ethernet.
        if i.kindUnknown { return checkInterfaceAddressing(i) }
        if kind != .ethernet { notAllowed(i.keys, "mac", "on a \(kind.rawValue) (only on ethernet)") }
        if kind != .bond {
            notAllowed(i.keys, "members", "on a \(kind.rawValue) (only on a bond)")
            for key in ["bond_mode", "transmit_hash_policy", "lacp_rate", "primary", "min_links"] {
                notAllowed(i.keys, key, "on a \(kind.rawValue) (only on a bond)")
            }
        }
        if kind != .vlan {
            notAllowed(i.keys, "parent", "on a \(kind.rawValue) (only on a vlan)")
            notAllowed(i.keys, "id", "on a \(kind.rawValue) (only on a vlan)")
        }
        switch kind {
        case .bond:
            required(i.keys, "members", "on bond '\(name)'")
            if i.keys["members"] != nil, i.members.isEmpty {
                bag.add(.bondWithoutMembers(name), at: i.keys["members"]!)
            }
            var seen: [String: SourceRange] = [:]
            for m in i.members {
                if let first = seen[m.value] {
                    bag.add(.memberListedTwice(m.value, name), at: m.range,
                            notes: [DiagnosticNote("first listed here", at: first)])
                    continue
                }
                seen[m.value] = m.range
                guard let member = resolveInterface(m, what: "bond member") else { continue }
                if member.effectiveKind != .ethernet, !member.kindUnknown {
                    bag.add(.bondMemberNotEthernet(m.value, member.effectiveKind.rawValue), at: m.range,
                            notes: [DiagnosticNote("'\(m.value)' declared here", at: member.name.range)])
                }
            }
            checkBondOptions(i)
        case .vlan:
            required(i.keys, "parent", "on vlan '\(name)'")
            required(i.keys, "id", "on vlan '\(name)'")
            if let p = i.parent, let parent = resolveInterface(p, what: "VLAN parent") {
                if parent.effectiveKind == .vlan {
                    bag.add(.vlanParentIsVLAN(p.value), at: p.range,
                            notes: [DiagnosticNote("'\(p.value)' declared here", at: parent.name.range)])
                }
                if let mtu = i.mtu, mtu.value > (parent.mtu?.value ?? 1500) {
                    let pm = parent.mtu.map { "\($0.value)" } ?? "the default 1500"
                    bag.add(.vlanMTUAboveParent(mtu.value, name, pm), at: mtu.range,
                            notes: parent.mtu.map { [DiagnosticNote("MTU of '\(p.value)' set here", at: $0.range)] } ?? [])
                }
            }
        case .ethernet:
            break
        }
        checkInterfaceAddressing(i)
    }

    mutating func checkInterfaceAddressing(_ i: InterfaceSyntax) {
        let name = i.name.value
        checkRoutes(i.routes, link: name, ipv4: i.ipv4, ipv6: i.ipv6)
        if let a = i.ipv4 { checkHostAddressing(a, family: .ipv4, owner: "interface '\(name)'") }
        if let a = i.ipv6, a.disabled == nil {
            checkHostAddressing(a, family: .ipv6, owner: "interface '\(name)'")
            if let mtu = i.mtu, mtu.value < 1280 {
                bag.add(.mtuBelowIPv6Minimum(mtu.value, name), at: mtu.range)
            }
        }
    }

    /// Each bond option belongs to the modes it has a meaning in.
    mutating func checkBondOptions(_ i: InterfaceSyntax) {
        let name = i.name.value
        let mode = i.bondMode?.value ?? .activeBackup
        let modeText = "bond '\(name)' is \(mode.rawValue)\(i.bondMode == nil ? " (the default)" : "")"
        if !([.balanceXOR, .ieee8023ad, .balanceTLB] as [BondMode]).contains(mode) {
            notAllowed(i.keys, "transmit_hash_policy", "here: it applies to the modes that hash (balance-xor, 802.3ad, balance-tlb); \(modeText)")
        }
        if mode != .ieee8023ad {
            notAllowed(i.keys, "lacp_rate", "here: it applies to 802.3ad only; \(modeText)")
            notAllowed(i.keys, "min_links", "here: it applies to 802.3ad only; \(modeText)")
        }
        if mode != .activeBackup {
            notAllowed(i.keys, "primary", "here: it applies to active-backup only; \(modeText)")
        } else if let p = i.primary, !i.members.contains(where: { $0.value == p.value }) {
            bag.add(.primaryNotMember(p.value, name, Suggest.didYouMean(p.value, in: i.members.map(\.value))),
                    at: p.range)
        }
        if mode == .ieee8023ad, let m = i.minLinks, !i.members.isEmpty, m.value > i.members.count {
            bag.add(.minLinksAboveMembers(m.value, i.members.count, name),
                    at: m.range)
        }
    }

    mutating func resolveInterface(_ ref: Located<String>, what: String) -> InterfaceSyntax? {
        if let i = interfaces[ref.value] { return i }
        bag.add(.undeclaredInterface(what, ref.value, Suggest.didYouMean(ref.value, in: interfaces.keys)), at: ref.range)
        return nil
    }

    // MARK: Claims (E105, E107, E403)


    mutating func checkClaims() {
        var vlanIDs: [String: [Int: Located<String>]] = [:]
        // Sized once: a host may have thousands of VLANs and bridges.
        enslavedBy.reserveCapacity(t.interfaces.count)
        for i in t.interfaces where i.effectiveKind == .vlan {
            guard let p = i.parent?.value, let id = i.id else { continue }
            if let first = vlanIDs[p]?[id.value] {
                bag.add(.vlanIDTaken(id.value, p, first.value), at: id.range,
                        notes: [DiagnosticNote("'\(first.value)' declared here", at: first.range)])
            } else {
                vlanIDs[p, default: [:]][id.value] = i.name
            }
        }
        for i in t.interfaces where i.effectiveKind == .bond {
            for m in i.members where interfaces[m.value] != nil {
                if let first = enslavedBy[m.value], first.by != .bond(i.name.value) {
                    bag.add(.alreadyClaimed(m.value, first.by), at: m.range,
                            notes: [DiagnosticNote("first claimed here", at: first.range)])
                } else {
                    enslavedBy[m.value] = (.bond(i.name.value), m.range)
                }
            }
        }
        for n in t.networks where n.mode?.value == .bridge {
            guard let u = n.uplink, interfaces[u.value] != nil else { continue }
            if let first = enslavedBy[u.value] {
                bag.add(.uplinkClaimed(u.value, n.name.value, first.by), at: u.range,
                        notes: [DiagnosticNote("first claimed here", at: first.range)])
            } else {
                enslavedBy[u.value] = (.bridgeOfNetwork(n.name.value), u.range)
            }
        }
        // A VLAN on a bond member would see the member's traffic beside the
        // bond, and the member would carry both Bond= and VLAN=.
        for i in t.interfaces where i.effectiveKind == .vlan {
            guard let p = i.parent, let claim = enslavedBy[p.value], claim.by.isBond else { continue }
            bag.add(.vlanParentEnslaved(p.value, claim.by), at: p.range,
                    notes: [DiagnosticNote("enslaved here", at: claim.range)])
        }
        for i in t.interfaces {
            guard let claim = enslavedBy[i.name.value] else { continue }
            for at in [i.ipv4?.keys.mapping, i.ipv6?.keys.mapping, i.keys["routes"]].compactMap({ $0 }) {
                bag.add(.addressOnEnslavedLink(i.name.value, claim.by, claim.by.isBond ? "bond" : "bridge"),
                        at: at, notes: [DiagnosticNote("enslaved here", at: claim.range)])
            }
        }
    }
}
