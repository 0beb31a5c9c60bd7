/// nft syntax for typed rules: the small printer of the nftables backend.
/// It only spells what the planner decided.
enum NftPrinter {
    static func quoted(_ name: String) -> String { "\"\(name)\"" }

    /// `x` or `{ x, y }`.
    static func set(_ items: [String]) -> String {
        items.count == 1 ? items[0] : "{ " + items.joined(separator: ", ") + " }"
    }

    static func ip(_ f: IPFamily) -> String { f == .ipv4 ? "ip" : "ip6" }

    static func ports(_ p: PortRange) -> String { p.low == p.high ? "\(p.low)" : "\(p.low)-\(p.high)" }

    static func interfaces(_ i: NftInterfaces) -> String {
        switch i {
        case .names(let n): set(n.map(quoted))
        case .set(let s): "@" + s
        }
    }

    /// A prefix; a single address without its /32 or /128.
    static func prefix(_ c: CIDR) -> String { c.prefix == c.family.bits ? c.address.description : c.description }

    /// `set(c.map(prefix))`, written straight as bytes: a fleet's VXLAN
    /// rules list every other member's VTEP (a thousand, on each host).
    static func prefixes(_ c: [CIDR]) -> String {
        guard c.count > 1 else { return c.first.map(prefix) ?? set([]) }
        var bytes: [UInt8] = Array("{ ".utf8)
        bytes.reserveCapacity(4 + 17 * c.count)
        for (i, p) in c.enumerated() {
            if i > 0 { bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            if p.prefix == p.family.bits { p.address.write(to: &bytes) } else { p.write(to: &bytes) }
        }
        bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "}")])
        return String(decoding: bytes, as: UTF8.self)
    }

    static func op(_ o: NftOp) -> String { o == .eq ? "" : "!= " }

    static func print(_ m: NftMatch) -> String {
        switch m {
        case .iifname(let o, let i): "iifname \(op(o))\(interfaces(i))"
        case .oifname(let o, let i): "oifname \(op(o))\(interfaces(i))"
        case .saddr(let f, let c): "\(ip(f)) saddr \(prefixes(c))"
        case .daddr(let f, let c): "\(ip(f)) daddr \(prefixes(c))"
        case .daddrNot(let f, let c): "\(ip(f)) daddr != \(prefixes(c))"
        case .ctStateEstablishedRelated: "ct state established,related"
        case .ctStatusDNAT: "ct status dnat"
        case .ctStateInvalid: "ct state invalid"
        case .nfproto(let f): "meta nfproto \(f.rawValue)"
        case .fibDaddrLocal: "fib daddr type local"
        case .l4proto(let p): "meta l4proto \(set(p.map(\.rawValue)))"
        case .dport(let p, let r): "\(p.rawValue) dport \(ports(r))"
        case .inSet(let keys, let set): keys.map(\.rawValue).joined(separator: " . ") + " @" + set
        case .notInSet(let keys, let set): keys.map(\.rawValue).joined(separator: " . ") + " != @" + set
        case .udpDport(let ports): "udp dport \(set(ports.map(String.init)))"
        case .anyDport(let protos, let port): "meta l4proto \(set(protos.map(\.rawValue))) th dport \(port)"
        case .icmpType(let f, let types): "\(f == .ipv4 ? "icmp" : "icmpv6") type \(set(types))"
        case .vxlanVNI(let vni): "@th,96,24 \(vni)"
        }
    }

    static func print(_ s: NftStatement) -> String {
        switch s {
        case .accept: "accept"
        case .drop: "drop"
        case .reject: "reject with icmpx type admin-prohibited"
        case .return: "return"
        case .masquerade(nil): "masquerade"
        case .masquerade(let r?): "masquerade to :\(r.lowerBound)-\(r.upperBound)"
        case .dnat(let d):
            if d.port == d.targetPort {
                "dnat ip to \(d.target)"
            } else if d.port.count == 1 {
                "dnat ip to \(d.target):\(d.targetPort.low)"
            } else {
                // Port for port: only a map keeps the offset (nft 1.0.6).
                "dnat ip to \(d.proto.rawValue) dport map { "
                    + (0..<d.port.count).map { "\(d.port.low + $0) : \(d.target) . \(d.targetPort.low + $0)" }
                        .joined(separator: ", ") + " }"
            }
        }
    }

    static func print(_ r: NftRule) -> String {
        (r.matches.map(print) + [print(r.statement)]).joined(separator: " ")
    }
}
